/**
 * Use cases for accounts: first-run setup, sign-in with growing delays, two-step verification,
 * invitations and password resets. Every change writes its audit entry and any email in the same
 * transaction, so either all of it happens or none of it.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { defaultTwoStepRoles, type TwoStepPolicy, twoStepRequired } from '../../domain/access/permissions.ts'
import { addressThrottle, signInThrottle } from '../../domain/auth/throttle.ts'
import { generateRecoveryCodes, hashToken, normaliseRecoveryCode, randomToken } from '../../domain/auth/tokens.ts'
import { generateTotpSecret, verifyTotp } from '../../domain/auth/totp.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { adoptablePolicy } from '../policy/store.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
import { cancelLinksOf } from './revoke.ts'
import { endAllSessions } from './sessions.ts'
import { blockedUntil, clearThrottle, recordFailure, throttleKey } from './throttles.ts'

export const INVITATION_DAYS = 7
export const RESET_HOURS = 1

export class SetupAlreadyDoneError extends Error {
  override name = 'SetupAlreadyDoneError'
}

export class EmailInUseError extends Error {
  override name = 'EmailInUseError'
}

export interface SetupInput {
  organisationKind: 'trust' | 'single-school'
  organisationName: string
  schoolName: string
  schoolSlug: string
  region: 'england-and-wales' | 'scotland' | 'northern-ireland'
  adminName: string
  adminEmail: string
  password: string
  alsoDsl: boolean
  /** A policy pack id from src/packs, or 'blank': the school's first policy version. */
  packId?: string
  /** A ready policy document to use instead of adopting the pack afresh (the demonstration uses it). */
  policy?: PolicyDocument
}

export async function organisationExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('organisation').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

/** Creates the organisation, its first school and its first administrator, once. */
export async function setUpOrganisation(db: Db, input: SetupInput, now = new Date()) {
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    // Serialise concurrent first-run attempts: only one organisation is ever created.
    await sql`select pg_advisory_xact_lock(hashtext('haven:setup'))`.execute(trx)
    if (await organisationExists(trx)) throw new SetupAlreadyDoneError('Haven has already been set up')
    const organisation = await trx
      .insertInto('organisation')
      .values({
        kind: input.organisationKind,
        name: input.organisationKind === 'trust' ? input.organisationName : input.schoolName,
        settings: JSON.stringify({ twoStep: { mode: 'roles', roles: defaultTwoStepRoles } }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const school = await trx
      .insertInto('school')
      .values({
        organisation_id: organisation.id,
        name: input.schoolName,
        slug: input.schoolSlug,
        bank_holiday_region: input.region,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const person = await trx
      .insertInto('person')
      .values({
        organisation_id: organisation.id,
        school_id: school.id,
        name: input.adminName,
        email: input.adminEmail.toLowerCase(),
        job_title: input.alsoDsl ? 'Designated safeguarding lead' : 'Administrator',
        roles: input.alsoDsl ? ['administrator', 'dsl'] : ['administrator'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('account')
      .values({ person_id: person.id, password_hash: passwordHash, password_changed_at: now })
      .execute()
    const packId = input.packId ?? 'blank'
    const policy = input.policy ?? adoptablePolicy(packId, input.schoolName, now.toISOString().slice(0, 10))
    await trx
      .insertInto('policy_version')
      .values({
        school_id: school.id,
        version: 1,
        effective_from: policy.effectiveFrom,
        document: JSON.stringify({ ...policy, version: 1 }),
        pack_id: packId === 'blank' ? null : packId,
        created_by: person.id,
      })
      .execute()
    await recordAudit(trx, {
      action: 'organisation.set-up',
      subjectType: 'organisation',
      subjectId: organisation.id,
      actorId: person.id,
      organisationId: organisation.id,
      schoolId: school.id,
      detail: { packId },
    })
    // Every grant of a record-opening role is audited (ADR 0011); the first DSL has nobody to approve it.
    if (input.alsoDsl)
      await recordAudit(trx, {
        action: 'staff.record-access-role-granted',
        subjectType: 'person',
        subjectId: person.id,
        actorId: person.id,
        organisationId: organisation.id,
        schoolId: school.id,
        detail: { role: 'dsl', firstSetUp: true },
      })
    return { organisationId: organisation.id, schoolId: school.id, personId: person.id }
  })
}

export async function twoStepPolicyOf(db: Db, organisationId: string): Promise<TwoStepPolicy> {
  const row = await db.selectFrom('organisation').select('settings').where('id', '=', organisationId).executeTakeFirst()
  const policy = (row?.settings as { twoStep?: TwoStepPolicy } | undefined)?.twoStep
  return policy ?? { mode: 'roles', roles: defaultTwoStepRoles }
}

export async function setTwoStepPolicy(db: Db, organisationId: string, policy: TwoStepPolicy, actorId: string) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('organisation')
      .select('settings')
      .where('id', '=', organisationId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const settings = { ...(row.settings as Record<string, unknown>), twoStep: policy }
    await trx
      .updateTable('organisation')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', organisationId)
      .execute()
    await recordAudit(trx, {
      action: 'organisation.two-step-policy',
      subjectType: 'organisation',
      subjectId: organisationId,
      actorId,
      organisationId,
      detail: { mode: policy.mode, roles: policy.mode === 'roles' ? [...policy.roles] : [] },
    })
  })
}

export type SignInResult =
  | { outcome: 'signed-in'; personId: string; twoStepEnabled: boolean; twoStepRequired: boolean }
  | { outcome: 'wrong' }
  | { outcome: 'throttled'; until: Date }

/**
 * Checks an email and password. Unknown emails and wrong passwords get the same answer and take
 * about the same time (a dummy hash is verified). Failures count against both the email and the
 * address they came from; the account holder is emailed when their account is throttled.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string; baseUrl: string },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase()
  const emailKey = throttleKey('sign-in:email', email)
  const ipKey = throttleKey('sign-in:ip', input.ip)
  const until = (await blockedUntil(db, emailKey, now)) ?? (await blockedUntil(db, ipKey, now))
  if (until) return { outcome: 'throttled', until }

  const row = await db
    .selectFrom('person as p')
    .innerJoin('account as a', 'a.person_id', 'p.id')
    .select([
      'p.id',
      'p.organisation_id',
      'p.school_id',
      'p.roles',
      'p.end_date',
      'a.password_hash',
      'a.totp_enabled_at',
      'a.disabled_at',
    ])
    .where('p.email', '=', email)
    .executeTakeFirst()
  const passwordOk = await verifyPassword(row?.password_hash ?? null, input.password)
  const active = !!row && !row.disabled_at && !employmentEnded(row.end_date, londonDateOf(now))

  if (!row || !passwordOk || !active) {
    const result = await recordFailure(db, signInThrottle, emailKey, now)
    await recordFailure(db, addressThrottle, ipKey, now)
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, {
        action: 'auth.sign-in-failed',
        subjectType: 'account',
        subjectId: row?.id ?? null,
        actorId: null,
        organisationId: row?.organisation_id ?? null,
        detail: {
          reason: !row ? 'unknown-email' : !passwordOk ? 'wrong-password' : 'inactive',
          throttled: result.blocked,
        },
      })
      if (row && result.shouldNotify) {
        await enqueueEmail(trx, {
          to: email,
          organisationId: row.organisation_id,
          subject: 'Haven: several failed attempts to sign in to your account',
          text: [
            'Someone has tried several times to sign in to your Haven account with the wrong password.',
            'Signing in to your account is paused for a short while.',
            '',
            'If this was you, wait a few minutes and try again, or reset your password:',
            `${input.baseUrl}/password-reset`,
            '',
            'If it was not you, tell your school administrator.',
          ].join('\n'),
        })
      }
    })
    if (result.blocked) {
      const blocked = await blockedUntil(db, emailKey, now)
      if (blocked) return { outcome: 'throttled', until: blocked }
    }
    return { outcome: 'wrong' }
  }

  await clearThrottle(db, emailKey)
  const policy = await twoStepPolicyOf(db, row.organisation_id)
  const required = twoStepRequired(policy, row.roles)
  // Someone who must set two-step verification up does it next: the secret to scan waits for them
  // (the set-up page only reads it).
  if (required && row.totp_enabled_at === null) await startTwoStepSetup(db, row.id, { keepPending: true })
  await recordAudit(db, {
    action: 'auth.sign-in',
    subjectType: 'account',
    subjectId: row.id,
    actorId: row.id,
    organisationId: row.organisation_id,
    schoolId: row.school_id,
    detail: { secondStepPending: row.totp_enabled_at !== null },
  })
  return {
    outcome: 'signed-in',
    personId: row.id,
    twoStepEnabled: row.totp_enabled_at !== null,
    twoStepRequired: required,
  }
}

export type SecondStepResult =
  | { outcome: 'ok'; usedRecoveryCode: boolean; recoveryCodesLeft: number }
  | { outcome: 'wrong' }
  | { outcome: 'throttled'; until: Date }

/** Checks a code from the authenticator app, or a single-use recovery code. */
export async function checkSecondStep(
  db: Db,
  personId: string,
  code: string,
  now = new Date(),
): Promise<SecondStepResult> {
  const key = throttleKey('second-step', personId)
  const until = await blockedUntil(db, key, now)
  if (until) return { outcome: 'throttled', until }
  const account = await db
    .selectFrom('account')
    .select(['totp_secret', 'totp_enabled_at', 'totp_last_step'])
    .where('person_id', '=', personId)
    .executeTakeFirst()
  if (!account?.totp_secret || !account.totp_enabled_at) return { outcome: 'wrong' }

  const step = verifyTotp(
    account.totp_secret,
    code,
    now,
    account.totp_last_step === null ? null : Number(account.totp_last_step),
  )
  let usedRecoveryCode = false
  if (step !== null) {
    // Only one request may use a given step, even when two arrive together.
    const updated = await db
      .updateTable('account')
      .set({ totp_last_step: step })
      .where('person_id', '=', personId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { outcome: 'wrong' }
  } else {
    const hash = hashToken(normaliseRecoveryCode(code))
    const used = await db
      .updateTable('recovery_code')
      .set({ used_at: now })
      .where('person_id', '=', personId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(used.numUpdatedRows) !== 1) {
      const result = await recordFailure(db, signInThrottle, key, now)
      await recordAudit(db, {
        action: 'auth.second-step-failed',
        subjectType: 'account',
        subjectId: personId,
        actorId: personId,
      })
      if (result.blocked) {
        const blocked = await blockedUntil(db, key, now)
        if (blocked) return { outcome: 'throttled', until: blocked }
      }
      return { outcome: 'wrong' }
    }
    usedRecoveryCode = true
  }
  await clearThrottle(db, key)
  await recordAudit(db, {
    action: 'auth.second-step',
    subjectType: 'account',
    subjectId: personId,
    actorId: personId,
    detail: { method: usedRecoveryCode ? 'recovery-code' : 'authenticator' },
  })
  const left = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { outcome: 'ok', usedRecoveryCode, recoveryCodesLeft: Number(left.n) }
}

/**
 * Starts two-step set-up: a new secret, kept apart from any secret in use until a code from the
 * app proves it (ADR 0011). Only ever called from a POST (or sign-in), never from a GET. With
 * `keepPending`, a secret already waiting is kept (the person may have scanned it already).
 */
export async function startTwoStepSetup(
  db: Db,
  personId: string,
  options: { keepPending: boolean } = { keepPending: false },
): Promise<string> {
  if (options.keepPending) {
    const pending = await pendingTotpSecret(db, personId)
    if (pending) return pending
  }
  const secret = generateTotpSecret()
  await db.updateTable('account').set({ totp_pending_secret: secret }).where('person_id', '=', personId).execute()
  return secret
}

/** The secret waiting to be confirmed, if any. Reads only. */
export async function pendingTotpSecret(db: Db, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('account')
    .select('totp_pending_secret')
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row?.totp_pending_secret ?? null
}

/** Replaces a person's recovery codes with ten new ones, in the caller's transaction. */
async function newRecoveryCodes(trx: Db, personId: string): Promise<string[]> {
  const codes = generateRecoveryCodes()
  await trx.deleteFrom('recovery_code').where('person_id', '=', personId).execute()
  await trx
    .insertInto('recovery_code')
    .values(codes.map((c) => ({ person_id: personId, code_hash: hashToken(c) })))
    .execute()
  return codes
}

/** Makes the pending secret the one in use; false when it is no longer the pending one (a race). */
async function adoptPendingSecret(trx: Db, personId: string, secret: string, step: number, now: Date) {
  const updated = await trx
    .updateTable('account')
    .set({ totp_secret: secret, totp_pending_secret: null, totp_enabled_at: now, totp_last_step: step })
    .where('person_id', '=', personId)
    .where('totp_pending_secret', '=', secret)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}

/**
 * Confirms first-time set-up with a code from the app; returns fresh recovery codes, or null if
 * the code is wrong (or two-step verification is already on: replacing it is `replaceAuthenticator`).
 */
export async function confirmTwoStepSetup(
  db: Db,
  personId: string,
  code: string,
  now = new Date(),
): Promise<string[] | null> {
  const row = await db
    .selectFrom('account')
    .select(['totp_pending_secret', 'totp_enabled_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst()
  const secret = row?.totp_pending_secret
  if (!secret || row.totp_enabled_at) return null
  const step = verifyTotp(secret, code, now, null)
  if (step === null) return null
  return db.transaction().execute(async (trx) => {
    if (!(await adoptPendingSecret(trx, personId, secret, step, now))) return null
    const codes = await newRecoveryCodes(trx, personId)
    await recordAudit(trx, {
      action: 'auth.two-step-enabled',
      subjectType: 'account',
      subjectId: personId,
      actorId: personId,
    })
    return codes
  })
}

export type ReplaceAuthenticatorResult =
  | { outcome: 'ok'; codes: string[] }
  | { outcome: 'no-pending' }
  | { outcome: 'wrong-new-code' }
  | { outcome: 'wrong-password' }
  | { outcome: 'wrong-current-code' }
  | { outcome: 'throttled'; until: Date }

/**
 * Moves two-step verification to a new authenticator app (ADR 0011). Needs the current password, a
 * code from the current app or a recovery code, and a code from the new app proving the pending
 * secret. Wrong passwords count against the same throttle as wrong codes. Audited, and the account
 * holder is emailed, so a replacement they did not make does not go unnoticed.
 */
export async function replaceAuthenticator(
  db: Db,
  input: { personId: string; password: string; currentCode: string; newCode: string; baseUrl: string },
  now = new Date(),
): Promise<ReplaceAuthenticatorResult> {
  const key = throttleKey('second-step', input.personId)
  const until = await blockedUntil(db, key, now)
  if (until) return { outcome: 'throttled', until }
  const row = await db
    .selectFrom('account as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select(['a.totp_pending_secret', 'a.totp_enabled_at', 'a.password_hash', 'p.email', 'p.organisation_id'])
    .where('a.person_id', '=', input.personId)
    .executeTakeFirst()
  const secret = row?.totp_pending_secret
  if (!row || !secret || !row.totp_enabled_at) return { outcome: 'no-pending' }
  const step = verifyTotp(secret, input.newCode, now, null)
  if (step === null) return { outcome: 'wrong-new-code' }
  if (!(await verifyPassword(row.password_hash, input.password))) {
    const result = await recordFailure(db, signInThrottle, key, now)
    await recordAudit(db, {
      action: 'auth.reauthentication-failed',
      subjectType: 'account',
      subjectId: input.personId,
      actorId: input.personId,
      organisationId: row.organisation_id,
    })
    const blocked = result.blocked ? await blockedUntil(db, key, now) : null
    return blocked ? { outcome: 'throttled', until: blocked } : { outcome: 'wrong-password' }
  }
  const current = await checkSecondStep(db, input.personId, input.currentCode, now)
  if (current.outcome === 'throttled') return current
  if (current.outcome === 'wrong') return { outcome: 'wrong-current-code' }
  return db.transaction().execute(async (trx): Promise<ReplaceAuthenticatorResult> => {
    if (!(await adoptPendingSecret(trx, input.personId, secret, step, now))) return { outcome: 'no-pending' }
    const codes = await newRecoveryCodes(trx, input.personId)
    await recordAudit(trx, {
      action: 'auth.two-step-replaced',
      subjectType: 'account',
      subjectId: input.personId,
      actorId: input.personId,
      organisationId: row.organisation_id,
      detail: { provedWith: current.usedRecoveryCode ? 'recovery-code' : 'authenticator' },
    })
    await enqueueEmail(trx, {
      to: row.email,
      organisationId: row.organisation_id,
      subject: 'Haven: two-step verification moved to a new app',
      text: [
        'Two-step verification for your Haven account was moved to a new authenticator app.',
        'Codes from your old app no longer work, and your earlier recovery codes were replaced.',
        '',
        'If this was not you, tell your school administrator at once, and reset your password:',
        `${input.baseUrl}/password-reset`,
      ].join('\n'),
    })
    return { outcome: 'ok', codes }
  })
}

export async function regenerateRecoveryCodes(db: Db, personId: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const codes = await newRecoveryCodes(trx, personId)
    await recordAudit(trx, {
      action: 'auth.recovery-codes-regenerated',
      subjectType: 'account',
      subjectId: personId,
      actorId: personId,
    })
    return codes
  })
}

// Invitations and password resets --------------------------------------------------------------

/** A new single-use link of a kind for the person; any earlier one of the same kind stops working. */
async function issueToken(
  db: Db,
  kind: 'invitation' | 'password-reset',
  personId: string,
  expiresAt: Date,
  now: Date,
): Promise<string> {
  const token = randomToken()
  await cancelLinksOf(db, personId, now, kind)
  await db
    .insertInto('auth_token')
    .values({ token_hash: hashToken(token), kind, person_id: personId, expires_at: expiresAt })
    .execute()
  return token
}

export class PersonHasLeftError extends Error {
  override name = 'PersonHasLeftError'
}

/**
 * Invites a person to set a password; the email carries a single-use link valid for 7 days.
 * Refused (PersonHasLeftError) for someone whose employment has ended.
 */
export async function invitePerson(
  db: Db,
  input: { personId: string; invitedBy: string; baseUrl: string },
  now = new Date(),
) {
  return db.transaction().execute((trx) => inviteInTransaction(trx, input, now))
}

export type OperatorInvitation =
  | { ok: true; link: string; name: string }
  | { ok: false; reason: 'unknown' | 'left' | 'has-password' }

/**
 * An invitation asked for by the server's operator (`haven invitation-link`), who can already reach
 * the database: the one way to hand a link on without a mail server, since the outbox never shows
 * one (ADR 11). Only for someone who has not yet set a password; audited with no actor.
 */
export async function inviteByOperator(
  db: Db,
  input: { email: string; baseUrl: string },
  now = new Date(),
): Promise<OperatorInvitation> {
  return db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('person as p')
      .leftJoin('account as a', 'a.person_id', 'p.id')
      .select(['p.id', 'p.name', 'p.end_date', 'a.password_hash'])
      .where('p.email', '=', input.email.trim().toLowerCase())
      .executeTakeFirst()
    if (!person) return { ok: false, reason: 'unknown' } as const
    if (employmentEnded(person.end_date, londonDateOf(now))) return { ok: false, reason: 'left' } as const
    if (person.password_hash) return { ok: false, reason: 'has-password' } as const
    const { token } = await inviteInTransaction(
      trx,
      { personId: person.id, invitedBy: null, baseUrl: input.baseUrl },
      now,
    )
    return { ok: true, link: `${input.baseUrl}/invitation/${token}`, name: person.name } as const
  })
}

/** invitePerson, in the caller's transaction. */
export async function inviteInTransaction(
  trx: Db,
  input: { personId: string; invitedBy: string | null; baseUrl: string },
  now: Date,
): Promise<{ token: string }> {
  const person = await trx
    .selectFrom('person')
    .select(['id', 'name', 'email', 'organisation_id', 'school_id', 'end_date'])
    .where('id', '=', input.personId)
    .executeTakeFirstOrThrow()
  if (employmentEnded(person.end_date, londonDateOf(now)))
    throw new PersonHasLeftError('This person has left: they cannot be invited')
  await trx
    .insertInto('account')
    .values({ person_id: person.id })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute()
  const token = await issueToken(
    trx,
    'invitation',
    person.id,
    new Date(now.getTime() + INVITATION_DAYS * 86400_000),
    now,
  )
  await enqueueEmail(trx, {
    to: person.email,
    organisationId: person.organisation_id,
    subject: 'You have been invited to Haven',
    text: [
      `Dear ${person.name},`,
      '',
      'Your school uses Haven to plan, record and sign staff supervision.',
      'Use this link to choose a password and sign in. It works once, for 7 days:',
      `${input.baseUrl}/invitation/${token}`,
    ].join('\n'),
  })
  await recordAudit(trx, {
    action: 'auth.invitation-sent',
    subjectType: 'person',
    subjectId: person.id,
    actorId: input.invitedBy,
    organisationId: person.organisation_id,
    schoolId: person.school_id,
  })
  return { token }
}

/** Stands in for a person id where there is nobody: statements still run, and touch no row. */
const NOBODY = '00000000-0000-0000-0000-000000000000'

/**
 * Asks for a password reset. Whether or not the email is known, the caller shows the same
 * message; only a known, active account (not a leaver) gets an email. Both cases run the same
 * statements in the same order (ADR 0011): where there is nobody to write for, the statements
 * match no row. So the time taken does not tell whether an address has an account.
 */
export async function requestPasswordReset(
  db: Db,
  input: { email: string; ip: string; baseUrl: string },
  now = new Date(),
): Promise<{ throttled: Date | null }> {
  const email = input.email.trim().toLowerCase()
  const ipKey = throttleKey('reset:ip', input.ip)
  const emailKey = throttleKey('reset:email', email)
  const until = (await blockedUntil(db, ipKey, now)) ?? (await blockedUntil(db, emailKey, now))
  if (until) return { throttled: until }
  // Every request counts: a person needs only a few, an attacker many.
  await recordFailure(
    db,
    { freeFailures: 3, windowMinutes: 60, firstBlockSeconds: 300, maxBlockSeconds: 3600 },
    emailKey,
    now,
  )
  await recordFailure(db, addressThrottle, ipKey, now)
  const person = await db
    .selectFrom('person as p')
    .innerJoin('account as a', 'a.person_id', 'p.id')
    .select(['p.id', 'p.organisation_id', 'p.end_date', 'a.disabled_at'])
    .where('p.email', '=', email)
    .executeTakeFirst()
  const eligible = !!person && !person.disabled_at && !employmentEnded(person.end_date, londonDateOf(now))
  const personId = eligible ? person.id : NOBODY
  const token = randomToken()
  await db.transaction().execute(async (trx) => {
    await cancelLinksOf(trx, personId, now, 'password-reset')
    // Inserts the link only when the person exists (never for NOBODY).
    await trx
      .insertInto('auth_token')
      .columns(['token_hash', 'kind', 'person_id', 'expires_at'])
      .expression((eb) =>
        eb
          .selectFrom('person')
          .select([
            eb.val(hashToken(token)).as('token_hash'),
            eb.val('password-reset').as('kind'),
            'id',
            eb.val(new Date(now.getTime() + RESET_HOURS * 3600_000)).as('expires_at'),
          ])
          .where('id', '=', personId),
      )
      .execute()
    await enqueueEmail(
      trx,
      {
        to: email,
        organisationId: person?.organisation_id ?? null,
        subject: 'Reset your Haven password',
        text: [
          'Someone asked to reset the password of your Haven account.',
          'Use this link to choose a new password. It works once, for 1 hour:',
          `${input.baseUrl}/password-reset/${token}`,
          '',
          'If you did not ask for this, you can ignore this email. Your password has not changed.',
        ].join('\n'),
      },
      { send: eligible },
    )
    await recordAudit(trx, {
      action: 'auth.password-reset-requested',
      subjectType: 'account',
      subjectId: eligible ? person.id : null,
      organisationId: eligible ? person.organisation_id : null,
      detail: { sent: eligible },
    })
  })
  return { throttled: null }
}

export type TokenCheck =
  | { ok: true; personId: string; email: string; name: string }
  | { ok: false; reason: 'expired' | 'used' | 'unknown' }

export async function checkToken(
  db: Db,
  kind: 'invitation' | 'password-reset',
  token: string,
  now = new Date(),
): Promise<TokenCheck> {
  if (!token || token.length > 100) return { ok: false, reason: 'unknown' }
  const row = await db
    .selectFrom('auth_token as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .select(['t.person_id', 't.expires_at', 't.used_at', 'p.email', 'p.name', 'p.end_date'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.kind', '=', kind)
    .executeTakeFirst()
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.used_at) return { ok: false, reason: 'used' }
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired' }
  // A leaver's links are cancelled when they leave; one that somehow survived has expired.
  if (employmentEnded(row.end_date, londonDateOf(now))) return { ok: false, reason: 'expired' }
  return { ok: true, personId: row.person_id, email: row.email, name: row.name }
}

/** Uses a token to set a password: single use, even when two requests race. Ends every session. */
export async function setPasswordWithToken(
  db: Db,
  kind: 'invitation' | 'password-reset',
  token: string,
  password: string,
  now = new Date(),
): Promise<TokenCheck> {
  const check = await checkToken(db, kind, token, now)
  if (!check.ok) return check
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('auth_token')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    if (Number(used.numUpdatedRows) !== 1) return { ok: false, reason: 'used' } as const
    await trx
      .updateTable('account')
      .set({ password_hash: passwordHash, password_changed_at: now })
      .where('person_id', '=', check.personId)
      .execute()
    await endAllSessions(trx, check.personId, now)
    await recordAudit(trx, {
      action: kind === 'invitation' ? 'auth.invitation-accepted' : 'auth.password-reset',
      subjectType: 'account',
      subjectId: check.personId,
      actorId: check.personId,
    })
    if (kind === 'password-reset') {
      await enqueueEmail(trx, {
        to: check.email,
        subject: 'Your Haven password has been changed',
        text: 'The password of your Haven account was changed. If this was not you, tell your school administrator at once.',
      })
    }
    return check
  })
}

/** Confirms the password of a signed-in person again (before signing a record, for example). */
export async function confirmPassword(db: Db, personId: string, password: string): Promise<boolean> {
  const row = await db
    .selectFrom('account')
    .select('password_hash')
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return verifyPassword(row?.password_hash ?? null, password)
}
