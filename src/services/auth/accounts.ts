/**
 * Use cases for accounts: first-run setup, sign-in with growing delays, two-step verification,
 * invitations and password resets. Every change writes its audit entry and any email in the same
 * transaction, so either all of it happens or none of it.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { defaultTwoStepRoles, type TwoStepPolicy, twoStepRequired } from '../../domain/access/permissions.ts'
import { addressThrottle, signInThrottle } from '../../domain/auth/throttle.ts'
import { generateRecoveryCodes, hashToken, normaliseRecoveryCode, randomToken } from '../../domain/auth/tokens.ts'
import { generateTotpSecret, verifyTotp } from '../../domain/auth/totp.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { recordAudit } from '../audit.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { adoptablePolicy } from '../policy/store.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
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
  const today = now.toISOString().slice(0, 10)
  const active = !!row && !row.disabled_at && (!row.end_date || row.end_date >= today)

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
    twoStepRequired: twoStepRequired(policy, row.roles),
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

/** Starts two-step set-up: a new secret, kept unconfirmed until a code from the app proves it. */
export async function beginTwoStepSetup(db: Db, personId: string): Promise<string> {
  const secret = generateTotpSecret()
  await db
    .updateTable('account')
    .set({ totp_secret: secret, totp_enabled_at: null, totp_last_step: null })
    .where('person_id', '=', personId)
    .execute()
  return secret
}

export async function pendingTotpSecret(db: Db, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('account')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row?.totp_secret && !row.totp_enabled_at ? row.totp_secret : null
}

/** Confirms set-up with a code from the app; returns fresh recovery codes, or null if the code is wrong. */
export async function confirmTwoStepSetup(
  db: Db,
  personId: string,
  code: string,
  now = new Date(),
): Promise<string[] | null> {
  const secret = await pendingTotpSecret(db, personId)
  if (!secret) return null
  const step = verifyTotp(secret, code, now, null)
  if (step === null) return null
  const codes = generateRecoveryCodes()
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ totp_enabled_at: now, totp_last_step: step })
      .where('person_id', '=', personId)
      .execute()
    await trx.deleteFrom('recovery_code').where('person_id', '=', personId).execute()
    await trx
      .insertInto('recovery_code')
      .values(codes.map((c) => ({ person_id: personId, code_hash: hashToken(c) })))
      .execute()
    await recordAudit(trx, {
      action: 'auth.two-step-enabled',
      subjectType: 'account',
      subjectId: personId,
      actorId: personId,
    })
  })
  return codes
}

export async function regenerateRecoveryCodes(db: Db, personId: string): Promise<string[]> {
  const codes = generateRecoveryCodes()
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recovery_code').where('person_id', '=', personId).execute()
    await trx
      .insertInto('recovery_code')
      .values(codes.map((c) => ({ person_id: personId, code_hash: hashToken(c) })))
      .execute()
    await recordAudit(trx, {
      action: 'auth.recovery-codes-regenerated',
      subjectType: 'account',
      subjectId: personId,
      actorId: personId,
    })
  })
  return codes
}

// Invitations and password resets --------------------------------------------------------------

async function issueToken(
  db: Db,
  kind: 'invitation' | 'password-reset',
  personId: string,
  expiresAt: Date,
): Promise<string> {
  const token = randomToken()
  // A new link replaces any earlier one of the same kind.
  await db
    .updateTable('auth_token')
    .set({ used_at: new Date() })
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .execute()
  await db
    .insertInto('auth_token')
    .values({ token_hash: hashToken(token), kind, person_id: personId, expires_at: expiresAt })
    .execute()
  return token
}

/** Invites a person to set a password; the email carries a single-use link valid for 7 days. */
export async function invitePerson(
  db: Db,
  input: { personId: string; invitedBy: string; baseUrl: string },
  now = new Date(),
) {
  return db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('person')
      .select(['id', 'name', 'email', 'organisation_id', 'school_id'])
      .where('id', '=', input.personId)
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('account')
      .values({ person_id: person.id })
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute()
    const token = await issueToken(trx, 'invitation', person.id, new Date(now.getTime() + INVITATION_DAYS * 86400_000))
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
  })
}

/**
 * Asks for a password reset. Whether or not the email is known, the caller shows the same
 * message; only a known, active account gets an email.
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
    .select(['p.id', 'p.organisation_id', 'a.disabled_at', 'a.password_hash'])
    .where('p.email', '=', email)
    .executeTakeFirst()
  if (!person || person.disabled_at) return { throttled: null }
  await db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, 'password-reset', person.id, new Date(now.getTime() + RESET_HOURS * 3600_000))
    await enqueueEmail(trx, {
      to: email,
      organisationId: person.organisation_id,
      subject: 'Reset your Haven password',
      text: [
        'Someone asked to reset the password of your Haven account.',
        'Use this link to choose a new password. It works once, for 1 hour:',
        `${input.baseUrl}/password-reset/${token}`,
        '',
        'If you did not ask for this, you can ignore this email. Your password has not changed.',
      ].join('\n'),
    })
    await recordAudit(trx, {
      action: 'auth.password-reset-requested',
      subjectType: 'account',
      subjectId: person.id,
      organisationId: person.organisation_id,
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
    .select(['t.person_id', 't.expires_at', 't.used_at', 'p.email', 'p.name'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.kind', '=', kind)
    .executeTakeFirst()
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.used_at) return { ok: false, reason: 'used' }
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired' }
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
    await trx
      .updateTable('user_session')
      .set({ ended_at: now })
      .where('person_id', '=', check.personId)
      .where('ended_at', 'is', null)
      .execute()
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
