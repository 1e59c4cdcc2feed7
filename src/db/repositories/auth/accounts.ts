/**
 * Accounts (`account`, `recovery_code`): a person's password, two-step verification and recovery
 * codes. An account belongs to one person, not to a school: it is found by the person's id (the
 * signed-in person, or one a scoped service has already found) or, at sign-in, by the email address.
 */
import type { DbOrTrx } from '../connection.ts'
import { lastDayOfAccess } from './last-day.ts'

/** The person and account an email address signs in to (or asks a password reset for). */
export interface AccountByEmail {
  personId: string
  organisationId: string
  schoolId: string | null
  roles: string[]
  endDate: string | null
  passwordHash: string | null
  totpEnabledAt: Date | null
  disabledAt: Date | null
}

function accountQuery(db: DbOrTrx) {
  return db
    .selectFrom('person as p')
    .innerJoin('account as a', 'a.person_id', 'p.id')
    .select([
      'p.id',
      'p.organisation_id',
      'p.school_id',
      'p.roles',
      lastDayOfAccess('p'),
      'a.password_hash',
      'a.totp_enabled_at',
      'a.disabled_at',
    ])
}

function toAccount(row: Awaited<ReturnType<ReturnType<typeof accountQuery>['executeTakeFirst']>>) {
  return row
    ? {
        personId: row.id,
        organisationId: row.organisation_id,
        schoolId: row.school_id,
        roles: row.roles,
        endDate: row.end_date,
        passwordHash: row.password_hash,
        totpEnabledAt: row.totp_enabled_at,
        disabledAt: row.disabled_at,
      }
    : undefined
}

export async function accountByEmail(db: DbOrTrx, email: string): Promise<AccountByEmail | undefined> {
  return toAccount(await accountQuery(db).where('p.email', '=', email).executeTakeFirst())
}

/** The same, by the person's id (a provider's link names the person, ADR 0048). */
export async function accountByPersonId(db: DbOrTrx, personId: string): Promise<AccountByEmail | undefined> {
  return toAccount(await accountQuery(db).where('p.id', '=', personId).executeTakeFirst())
}

/** A person's two-step verification, with what they need to replace it (password, address). */
export interface TwoStepState {
  secret: string | null
  pendingSecret: string | null
  enabledAt: Date | null
  lastStep: number | null
  passwordHash: string | null
  email: string
  organisationId: string
}

export async function twoStepStateOf(db: DbOrTrx, personId: string): Promise<TwoStepState | undefined> {
  const row = await db
    .selectFrom('account as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select([
      'a.totp_secret',
      'a.totp_pending_secret',
      'a.totp_enabled_at',
      'a.totp_last_step',
      'a.password_hash',
      'p.email',
      'p.organisation_id',
    ])
    .where('a.person_id', '=', personId)
    .executeTakeFirst()
  return row
    ? {
        secret: row.totp_secret,
        pendingSecret: row.totp_pending_secret,
        enabledAt: row.totp_enabled_at,
        lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
        passwordHash: row.password_hash,
        email: row.email,
        organisationId: row.organisation_id,
      }
    : undefined
}

/** Records that a code's time step was used; false when it (or a later one) already was, by a racing request. */
export async function claimTotpStep(db: DbOrTrx, personId: string, step: number): Promise<boolean> {
  const updated = await db
    .updateTable('account')
    .set({ totp_last_step: step })
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}

/** Uses an unused recovery code with this hash; false when there is none. */
export async function useRecoveryCode(db: DbOrTrx, personId: string, codeHash: string, now: Date): Promise<boolean> {
  const used = await db
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('person_id', '=', personId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(used.numUpdatedRows) === 1
}

export async function unusedRecoveryCodeCount(db: DbOrTrx, personId: string): Promise<number> {
  const left = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(left.n)
}

/** Replaces every recovery code of the person with codes of these hashes. */
export async function replaceRecoveryCodes(
  trx: DbOrTrx,
  personId: string,
  codeHashes: readonly string[],
): Promise<void> {
  await trx.deleteFrom('recovery_code').where('person_id', '=', personId).execute()
  await trx
    .insertInto('recovery_code')
    .values(codeHashes.map((hash) => ({ person_id: personId, code_hash: hash })))
    .execute()
}

export async function setPendingTotpSecret(db: DbOrTrx, personId: string, secret: string): Promise<void> {
  await db.updateTable('account').set({ totp_pending_secret: secret }).where('person_id', '=', personId).execute()
}

/** Makes the pending secret the one in use; false when it is no longer the pending one (a race). */
export async function adoptPendingTotpSecret(
  trx: DbOrTrx,
  personId: string,
  secret: string,
  step: number,
  now: Date,
): Promise<boolean> {
  const updated = await trx
    .updateTable('account')
    .set({ totp_secret: secret, totp_pending_secret: null, totp_enabled_at: now, totp_last_step: step })
    .where('person_id', '=', personId)
    .where('totp_pending_secret', '=', secret)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}

export async function passwordHashOf(db: DbOrTrx, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('account')
    .select('password_hash')
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row?.password_hash ?? null
}

export async function setPasswordHash(db: DbOrTrx, personId: string, passwordHash: string, now: Date): Promise<void> {
  await db
    .updateTable('account')
    .set({ password_hash: passwordHash, password_changed_at: now })
    .where('person_id', '=', personId)
    .execute()
}

/** Makes sure the person has an account (with no password yet when new). */
export async function ensureAccount(db: DbOrTrx, personId: string): Promise<void> {
  await db
    .insertInto('account')
    .values({ person_id: personId })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute()
}

export async function hasAccount(db: DbOrTrx, personId: string): Promise<boolean> {
  const row = await db.selectFrom('account').select('person_id').where('person_id', '=', personId).executeTakeFirst()
  return row !== undefined
}

/** What a person has that a new email address would hand over: a password set, a part in supervision. */
export async function accountHoldings(
  db: DbOrTrx,
  personId: string,
): Promise<{ hasAccount: boolean; takesPartInSupervision: boolean }> {
  const [account, participant] = await Promise.all([
    db
      .selectFrom('account')
      .select('person_id')
      .where('person_id', '=', personId)
      .where('password_hash', 'is not', null)
      .executeTakeFirst(),
    db
      .selectFrom('session_participant')
      .select('person_id')
      .where('person_id', '=', personId)
      .limit(1)
      .executeTakeFirst(),
  ])
  return { hasAccount: account !== undefined, takesPartInSupervision: participant !== undefined }
}

/** Invitation and password-reset links (`auth_token`), found by the hash of their secret. */
export type LinkKind = 'invitation' | 'password-reset'

export interface NewLink {
  tokenHash: string
  kind: LinkKind
  personId: string
  expiresAt: Date
}

export async function insertLink(db: DbOrTrx, link: NewLink): Promise<void> {
  await db
    .insertInto('auth_token')
    .values({ token_hash: link.tokenHash, kind: link.kind, person_id: link.personId, expires_at: link.expiresAt })
    .execute()
}

/**
 * Inserts the link only when its person exists: the statement runs either way and, for a person id
 * that matches nobody, inserts nothing (ADR 0011: the same work whether or not an address is known).
 */
export async function insertLinkIfPersonExists(db: DbOrTrx, link: NewLink): Promise<void> {
  await db
    .insertInto('auth_token')
    .columns(['token_hash', 'kind', 'person_id', 'expires_at'])
    .expression((eb) =>
      eb
        .selectFrom('person')
        .select([
          eb.val(link.tokenHash).as('token_hash'),
          eb.val(link.kind).as('kind'),
          'id',
          eb.val(link.expiresAt).as('expires_at'),
        ])
        .where('id', '=', link.personId),
    )
    .execute()
}

export interface StoredLink {
  personId: string
  expiresAt: Date
  usedAt: Date | null
  email: string
  name: string
  endDate: string | null
}

export async function linkByHash(db: DbOrTrx, kind: LinkKind, tokenHash: string): Promise<StoredLink | undefined> {
  const row = await db
    .selectFrom('auth_token as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .select(['t.person_id', 't.expires_at', 't.used_at', 'p.email', 'p.name', lastDayOfAccess('p')])
    .where('t.token_hash', '=', tokenHash)
    .where('t.kind', '=', kind)
    .executeTakeFirst()
  return row
    ? {
        personId: row.person_id,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
        email: row.email,
        name: row.name,
        endDate: row.end_date,
      }
    : undefined
}

/** Uses a live link: false when it was used already (or expired), even when two requests race. */
export async function useLink(trx: DbOrTrx, tokenHash: string, now: Date): Promise<boolean> {
  const used = await trx
    .updateTable('auth_token')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return Number(used.numUpdatedRows) === 1
}

/** Cancels the person's outstanding links of a kind (all kinds when none is given); how many. */
export async function cancelLinks(db: DbOrTrx, personId: string, now: Date, kind?: LinkKind): Promise<number> {
  let query = db
    .updateTable('auth_token')
    .set({ used_at: now })
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
  if (kind) query = query.where('kind', '=', kind)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}
