/**
 * Use cases for accounts: first-run setup, sign-in with growing delays, two-step verification,
 * invitations and password resets. Every change writes its audit entry and any email in the same
 * transaction, so either all of it happens or none of it.
 */
import {
  accountByEmail,
  adoptPendingTotpSecret,
  claimTotpStep,
  ensureAccount,
  insertLink,
  insertLinkIfPersonExists,
  linkByHash,
  passwordHashOf,
  replaceRecoveryCodes,
  setPasswordHash,
  setPendingTotpSecret,
  twoStepStateOf,
  unusedRecoveryCodeCount,
  useLink,
  useRecoveryCode,
} from '../../db/repositories/auth/accounts.ts'
import {
  insertFirstOrganisation,
  lockFirstSetUp,
  organisationExists as organisationRowExists,
  organisationSettings,
  saveOrganisationSettings,
} from '../../db/repositories/auth/organisations.ts'
import { personByEmail, personToInvite } from '../../db/repositories/auth/people.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { insertMissingCustomRoles } from '../../db/repositories/policy-lifecycle.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { defaultTwoStepRoles, type TwoStepPolicy, twoStepRequired } from '../../domain/access/permissions.ts'
import { addressThrottle, signInThrottle } from '../../domain/auth/throttle.ts'
import { generateRecoveryCodes, hashToken, normaliseRecoveryCode, randomToken } from '../../domain/auth/tokens.ts'
import { generateTotpSecret, verifyTotp } from '../../domain/auth/totp.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { paths } from '../../paths/index.ts'
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
  /** The school's own policy details (issue 14): its lead, approval and next review, if known. */
  policyLead?: string | null
  approvedBy?: string | null
  approvedOn?: string | null
  nextReviewDue?: string | null
}

export async function organisationExists(db: DbOrTrx): Promise<boolean> {
  return organisationRowExists(db)
}

/** Creates the organisation, its first school and its first administrator, once. */
export async function setUpOrganisation(db: DbOrTrx, input: SetupInput, now = new Date()) {
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    // Serialise concurrent first-run attempts: only one organisation is ever created.
    await lockFirstSetUp(trx)
    if (await organisationExists(trx)) throw new SetupAlreadyDoneError('Haven has already been set up')
    const packId = input.packId ?? 'blank'
    // Issue 14: the school's own name, lead, approver and dates; none of the seed school's.
    const policy =
      input.policy ??
      adoptablePolicy(packId, input.schoolName, londonDateOf(now), {
        trust: input.organisationKind === 'trust' ? input.organisationName : null,
        ownerName: input.policyLead ?? (input.alsoDsl ? input.adminName : null),
        approvedBy: input.approvedBy ?? null,
        approvedOn: input.approvedOn ?? null,
        nextReviewDue: input.nextReviewDue ?? null,
      })
    const { organisationId, schoolId, personId } = await insertFirstOrganisation(trx, {
      kind: input.organisationKind,
      name: input.organisationKind === 'trust' ? input.organisationName : input.schoolName,
      settings: { twoStep: { mode: 'roles', roles: defaultTwoStepRoles } },
      school: { name: input.schoolName, slug: input.schoolSlug, region: input.region },
      admin: {
        name: input.adminName,
        email: input.adminEmail.toLowerCase(),
        jobTitle: input.alsoDsl ? 'Designated safeguarding lead' : 'Administrator',
        roles: input.alsoDsl ? ['administrator', 'dsl'] : ['administrator'],
        passwordHash,
        at: now,
      },
      policy: {
        effectiveFrom: policy.effectiveFrom,
        document: { ...policy, version: 1 },
        packId: packId === 'blank' ? null : packId,
      },
    })
    // Issue 14: the roles the adopted policy declares become the school's own.
    await insertMissingCustomRoles(trx, organisationId, schoolId, policy.customRoles)
    await recordAudit(trx, {
      action: 'organisation.set-up',
      subjectType: 'organisation',
      subjectId: organisationId,
      actorId: personId,
      organisationId,
      schoolId,
      detail: { packId },
    })
    // Every grant of a record-opening role is audited (ADR 0011); the first DSL has nobody to approve it.
    if (input.alsoDsl)
      await recordAudit(trx, {
        action: 'staff.record-access-role-granted',
        subjectType: 'person',
        subjectId: personId,
        actorId: personId,
        organisationId,
        schoolId,
        detail: { role: 'dsl', firstSetUp: true },
      })
    return { organisationId, schoolId, personId }
  })
}

export async function twoStepPolicyOf(db: DbOrTrx, organisationId: string): Promise<TwoStepPolicy> {
  const settings = await organisationSettings(db, organisationId)
  const policy = (settings as { twoStep?: TwoStepPolicy } | undefined)?.twoStep
  return policy ?? { mode: 'roles', roles: defaultTwoStepRoles }
}

export async function setTwoStepPolicy(db: DbOrTrx, organisationId: string, policy: TwoStepPolicy, actorId: string) {
  await db.transaction().execute(async (trx) => {
    const current = await organisationSettings(trx, organisationId, { lock: true })
    if (!current) throw new Error('no such organisation')
    await saveOrganisationSettings(trx, organisationId, { ...current, twoStep: policy })
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
  db: DbOrTrx,
  input: {
    email: string
    password: string
    ip: string
    baseUrl: string
    /** Today in London on the app's clock (ADR 0017), for the last day of access; default from `now`. */
    today?: IsoDate
  },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase()
  const emailKey = throttleKey('sign-in:email', email)
  const ipKey = throttleKey('sign-in:ip', input.ip)
  const until = (await blockedUntil(db, emailKey, now)) ?? (await blockedUntil(db, ipKey, now))
  if (until) return { outcome: 'throttled', until }

  const row = await accountByEmail(db, email)
  const passwordOk = await verifyPassword(row?.passwordHash ?? null, input.password)
  const active = !!row && !row.disabledAt && !employmentEnded(row.endDate, input.today ?? londonDateOf(now))

  if (!row || !passwordOk || !active) {
    const result = await recordFailure(db, signInThrottle, emailKey, now)
    await recordFailure(db, addressThrottle, ipKey, now)
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, {
        action: 'auth.sign-in-failed',
        subjectType: 'account',
        subjectId: row?.personId ?? null,
        actorId: null,
        organisationId: row?.organisationId ?? null,
        detail: {
          reason: !row ? 'unknown-email' : !passwordOk ? 'wrong-password' : 'inactive',
          throttled: result.blocked,
        },
      })
      if (row && result.shouldNotify) {
        await enqueueEmail(trx, {
          kind: 'account.sign-in-failures',
          to: email,
          organisationId: row.organisationId,
          subject: 'Haven: several failed attempts to sign in to your account',
          text: [
            'Someone has tried several times to sign in to your Haven account with the wrong password.',
            'Signing in to your account is paused for a short while.',
            '',
            'If this was you, wait a few minutes and try again, or reset your password:',
            `${input.baseUrl}${paths.auth.passwordReset()}`,
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
  const policy = await twoStepPolicyOf(db, row.organisationId)
  const required = twoStepRequired(policy, row.roles)
  // Someone who must set two-step verification up does it next: the secret to scan waits for them
  // (the set-up page only reads it).
  if (required && row.totpEnabledAt === null) await startTwoStepSetup(db, row.personId, { keepPending: true })
  await recordAudit(db, {
    action: 'auth.sign-in',
    subjectType: 'account',
    subjectId: row.personId,
    actorId: row.personId,
    organisationId: row.organisationId,
    schoolId: row.schoolId,
    detail: { secondStepPending: row.totpEnabledAt !== null },
  })
  return {
    outcome: 'signed-in',
    personId: row.personId,
    twoStepEnabled: row.totpEnabledAt !== null,
    twoStepRequired: required,
  }
}

export type SecondStepResult =
  | { outcome: 'ok'; usedRecoveryCode: boolean; recoveryCodesLeft: number }
  | { outcome: 'wrong' }
  | { outcome: 'throttled'; until: Date }

/** Checks a code from the authenticator app, or a single-use recovery code. */
export async function checkSecondStep(
  db: DbOrTrx,
  personId: string,
  code: string,
  now = new Date(),
): Promise<SecondStepResult> {
  const key = throttleKey('second-step', personId)
  const until = await blockedUntil(db, key, now)
  if (until) return { outcome: 'throttled', until }
  const account = await twoStepStateOf(db, personId)
  if (!account?.secret || !account.enabledAt) return { outcome: 'wrong' }

  const step = verifyTotp(account.secret, code, now, account.lastStep)
  let usedRecoveryCode = false
  if (step !== null) {
    // Only one request may use a given step, even when two arrive together.
    if (!(await claimTotpStep(db, personId, step))) return { outcome: 'wrong' }
  } else {
    const hash = hashToken(normaliseRecoveryCode(code))
    if (!(await useRecoveryCode(db, personId, hash, now))) {
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
  const recoveryCodesLeft = await unusedRecoveryCodeCount(db, personId)
  return { outcome: 'ok', usedRecoveryCode, recoveryCodesLeft }
}

/**
 * Starts two-step set-up: a new secret, kept apart from any secret in use until a code from the
 * app proves it (ADR 0011). Only ever called from a POST (or sign-in), never from a GET. With
 * `keepPending`, a secret already waiting is kept (the person may have scanned it already).
 */
export async function startTwoStepSetup(
  db: DbOrTrx,
  personId: string,
  options: { keepPending: boolean } = { keepPending: false },
): Promise<string> {
  if (options.keepPending) {
    const pending = await pendingTotpSecret(db, personId)
    if (pending) return pending
  }
  const secret = generateTotpSecret()
  await setPendingTotpSecret(db, personId, secret)
  return secret
}

/** The secret waiting to be confirmed, if any. Reads only. */
export async function pendingTotpSecret(db: DbOrTrx, personId: string): Promise<string | null> {
  return (await twoStepStateOf(db, personId))?.pendingSecret ?? null
}

/** Replaces a person's recovery codes with ten new ones, in the caller's transaction. */
async function newRecoveryCodes(trx: DbOrTrx, personId: string): Promise<string[]> {
  const codes = generateRecoveryCodes()
  await replaceRecoveryCodes(trx, personId, codes.map(hashToken))
  return codes
}

/**
 * Confirms first-time set-up with a code from the app; returns fresh recovery codes, or null if
 * the code is wrong (or two-step verification is already on: replacing it is `replaceAuthenticator`).
 */
export async function confirmTwoStepSetup(
  db: DbOrTrx,
  personId: string,
  code: string,
  now = new Date(),
): Promise<string[] | null> {
  const row = await twoStepStateOf(db, personId)
  const secret = row?.pendingSecret
  if (!secret || row.enabledAt) return null
  const step = verifyTotp(secret, code, now, null)
  if (step === null) return null
  return db.transaction().execute(async (trx) => {
    if (!(await adoptPendingTotpSecret(trx, personId, secret, step, now))) return null
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
  db: DbOrTrx,
  input: { personId: string; password: string; currentCode: string; newCode: string; baseUrl: string },
  now = new Date(),
): Promise<ReplaceAuthenticatorResult> {
  const key = throttleKey('second-step', input.personId)
  const until = await blockedUntil(db, key, now)
  if (until) return { outcome: 'throttled', until }
  const row = await twoStepStateOf(db, input.personId)
  const secret = row?.pendingSecret
  if (!row || !secret || !row.enabledAt) return { outcome: 'no-pending' }
  const step = verifyTotp(secret, input.newCode, now, null)
  if (step === null) return { outcome: 'wrong-new-code' }
  if (!(await verifyPassword(row.passwordHash, input.password))) {
    const result = await recordFailure(db, signInThrottle, key, now)
    await recordAudit(db, {
      action: 'auth.reauthentication-failed',
      subjectType: 'account',
      subjectId: input.personId,
      actorId: input.personId,
      organisationId: row.organisationId,
    })
    const blocked = result.blocked ? await blockedUntil(db, key, now) : null
    return blocked ? { outcome: 'throttled', until: blocked } : { outcome: 'wrong-password' }
  }
  const current = await checkSecondStep(db, input.personId, input.currentCode, now)
  if (current.outcome === 'throttled') return current
  if (current.outcome === 'wrong') return { outcome: 'wrong-current-code' }
  return db.transaction().execute(async (trx): Promise<ReplaceAuthenticatorResult> => {
    if (!(await adoptPendingTotpSecret(trx, input.personId, secret, step, now))) return { outcome: 'no-pending' }
    const codes = await newRecoveryCodes(trx, input.personId)
    await recordAudit(trx, {
      action: 'auth.two-step-replaced',
      subjectType: 'account',
      subjectId: input.personId,
      actorId: input.personId,
      organisationId: row.organisationId,
      detail: { provedWith: current.usedRecoveryCode ? 'recovery-code' : 'authenticator' },
    })
    await enqueueEmail(trx, {
      kind: 'account.two-step-moved',
      to: row.email,
      organisationId: row.organisationId,
      subject: 'Haven: two-step verification moved to a new app',
      text: [
        'Two-step verification for your Haven account was moved to a new authenticator app.',
        'Codes from your old app no longer work, and your earlier recovery codes were replaced.',
        '',
        'If this was not you, tell your school administrator at once, and reset your password:',
        `${input.baseUrl}${paths.auth.passwordReset()}`,
      ].join('\n'),
    })
    return { outcome: 'ok', codes }
  })
}

export async function regenerateRecoveryCodes(db: DbOrTrx, personId: string): Promise<string[]> {
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
  db: DbOrTrx,
  kind: 'invitation' | 'password-reset',
  personId: string,
  expiresAt: Date,
  now: Date,
): Promise<string> {
  const token = randomToken()
  await cancelLinksOf(db, personId, now, kind)
  await insertLink(db, { tokenHash: hashToken(token), kind, personId, expiresAt })
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
  db: DbOrTrx,
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
  db: DbOrTrx,
  input: { email: string; baseUrl: string },
  now = new Date(),
): Promise<OperatorInvitation> {
  return db.transaction().execute(async (trx) => {
    const person = await personByEmail(trx, input.email.trim().toLowerCase())
    if (!person) return { ok: false, reason: 'unknown' } as const
    if (employmentEnded(person.endDate, londonDateOf(now))) return { ok: false, reason: 'left' } as const
    if (person.hasPassword) return { ok: false, reason: 'has-password' } as const
    const { token } = await inviteInTransaction(
      trx,
      { personId: person.id, invitedBy: null, baseUrl: input.baseUrl },
      now,
    )
    return { ok: true, link: `${input.baseUrl}${paths.auth.invitation({ token })}`, name: person.name } as const
  })
}

/** invitePerson, in the caller's transaction. */
export async function inviteInTransaction(
  trx: DbOrTrx,
  input: { personId: string; invitedBy: string | null; baseUrl: string },
  now: Date,
): Promise<{ token: string }> {
  const person = await personToInvite(trx, input.personId)
  if (employmentEnded(person.endDate, londonDateOf(now)))
    throw new PersonHasLeftError('This person has left: they cannot be invited')
  await ensureAccount(trx, person.id)
  const token = await issueToken(
    trx,
    'invitation',
    person.id,
    new Date(now.getTime() + INVITATION_DAYS * 86400_000),
    now,
  )
  await enqueueEmail(trx, {
    kind: 'account.invitation',
    to: person.email,
    organisationId: person.organisationId,
    subject: 'You have been invited to Haven',
    text: [
      `Dear ${person.name},`,
      '',
      'Your school uses Haven to plan, record and sign staff supervision.',
      'Use this link to choose a password and sign in. It works once, for 7 days:',
      `${input.baseUrl}${paths.auth.invitation({ token })}`,
    ].join('\n'),
  })
  await recordAudit(trx, {
    action: 'auth.invitation-sent',
    subjectType: 'person',
    subjectId: person.id,
    actorId: input.invitedBy,
    organisationId: person.organisationId,
    schoolId: person.schoolId,
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
  db: DbOrTrx,
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
  const person = await accountByEmail(db, email)
  const eligible = !!person && !person.disabledAt && !employmentEnded(person.endDate, londonDateOf(now))
  const personId = eligible ? person.personId : NOBODY
  const token = randomToken()
  await db.transaction().execute(async (trx) => {
    await cancelLinksOf(trx, personId, now, 'password-reset')
    // Inserts the link only when the person exists (never for NOBODY).
    await insertLinkIfPersonExists(trx, {
      tokenHash: hashToken(token),
      kind: 'password-reset',
      personId,
      expiresAt: new Date(now.getTime() + RESET_HOURS * 3600_000),
    })
    await enqueueEmail(
      trx,
      {
        kind: 'account.password-reset',
        to: email,
        organisationId: person?.organisationId ?? null,
        subject: 'Reset your Haven password',
        text: [
          'Someone asked to reset the password of your Haven account.',
          'Use this link to choose a new password. It works once, for 1 hour:',
          `${input.baseUrl}${paths.auth.newPassword({ token })}`,
          '',
          'If you did not ask for this, you can ignore this email. Your password has not changed.',
        ].join('\n'),
      },
      { send: eligible },
    )
    await recordAudit(trx, {
      action: 'auth.password-reset-requested',
      subjectType: 'account',
      subjectId: eligible ? person.personId : null,
      organisationId: eligible ? person.organisationId : null,
      detail: { sent: eligible },
    })
  })
  return { throttled: null }
}

export type TokenCheck =
  | { ok: true; personId: string; email: string; name: string }
  | { ok: false; reason: 'expired' | 'used' | 'unknown' }

export async function checkToken(
  db: DbOrTrx,
  kind: 'invitation' | 'password-reset',
  token: string,
  now = new Date(),
): Promise<TokenCheck> {
  if (!token || token.length > 100) return { ok: false, reason: 'unknown' }
  const row = await linkByHash(db, kind, hashToken(token))
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.usedAt) return { ok: false, reason: 'used' }
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' }
  // A leaver's links are cancelled when they leave; one that somehow survived has expired.
  if (employmentEnded(row.endDate, londonDateOf(now))) return { ok: false, reason: 'expired' }
  return { ok: true, personId: row.personId, email: row.email, name: row.name }
}

/** Uses a token to set a password: single use, even when two requests race. Ends every session. */
export async function setPasswordWithToken(
  db: DbOrTrx,
  kind: 'invitation' | 'password-reset',
  token: string,
  password: string,
  now = new Date(),
  /** Issue 18: for the link in the email that tells them the password changed. */
  baseUrl = '',
): Promise<TokenCheck> {
  const check = await checkToken(db, kind, token, now)
  if (!check.ok) return check
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    if (!(await useLink(trx, hashToken(token), now))) return { ok: false, reason: 'used' } as const
    await setPasswordHash(trx, check.personId, passwordHash, now)
    await endAllSessions(trx, check.personId, now)
    await recordAudit(trx, {
      action: kind === 'invitation' ? 'auth.invitation-accepted' : 'auth.password-reset',
      subjectType: 'account',
      subjectId: check.personId,
      actorId: check.personId,
    })
    if (kind === 'password-reset') {
      await enqueueEmail(trx, {
        kind: 'account.password-changed',
        to: check.email,
        subject: 'Your Haven password has been changed',
        text: [
          'The password of your Haven account was changed. If this was not you, tell your school administrator at once.',
          '',
          `Sign in to Haven: ${baseUrl}${paths.auth.signIn()}`,
        ].join('\n'),
      })
    }
    return check
  })
}

/** Confirms the password of a signed-in person again (before signing a record, for example). */
export async function confirmPassword(db: DbOrTrx, personId: string, password: string): Promise<boolean> {
  return verifyPassword(await passwordHashOf(db, personId), password)
}
