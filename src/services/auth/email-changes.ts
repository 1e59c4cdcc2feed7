/**
 * Email changes for someone with something to protect (issue 12, ADR 0011): asked for by anyone
 * but the person, the new address waits as an `access_change` of kind 'email' until a DSL of the
 * person's school approves it or the person confirms it from the old address (access-changes.ts).
 * Until then Haven keeps using the old address: sign-in, password resets and every email. Runs in
 * the caller's transaction.
 */

import {
  emailChangeByTokenHash,
  insertEmailChange,
  withdrawWaitingEmailChange,
} from '../../db/repositories/auth/access-changes.ts'
import { accountHoldings, hasAccount } from '../../db/repositories/auth/accounts.ts'
import { lockPersonForEmailChange, setPersonEmail } from '../../db/repositories/auth/people.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { emailTaken } from '../../db/repositories/staff/index.ts'
import { confirmationLinkLive, EMAIL_CONFIRMATION_DAYS } from '../../domain/access/email-changes.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { revokeAndAudit } from './revoke.ts'
import { requesterName, type SchoolDsl, tellDsls } from './school-dsls.ts'

type Db = DbOrTrx

/** What a person has that a new address would hand over (see emailChangeNeedsConfirmation). */
export async function whatTheyHave(
  db: Db,
  personId: string,
): Promise<{ hasAccount: boolean; takesPartInSupervision: boolean }> {
  return accountHoldings(db, personId)
}

/** Withdraws the person's waiting email change, if any (a newer request, or a change that applied). */
export async function withdrawEmailChange(
  trx: Db,
  personId: string,
  actorId: string | null,
  now: Date,
): Promise<string | null> {
  return withdrawWaitingEmailChange(trx, personId, actorId, now)
}

export interface EmailChangeRequest {
  organisationId: string
  schoolId: string | null
  personId: string
  personName: string
  oldEmail: string
  newEmail: string
  /** Who asks, or null for the command line. */
  actorId: string | null
  /** The school's DSLs now (schoolDsls). */
  dsls: readonly SchoolDsl[]
  baseUrl: string
}

/**
 * Records a new address waiting for confirmation (withdrawing one already waiting), audits it,
 * asks the school's DSLs (not whoever asked, not the person) and sends the person, at the address
 * in use, a single-use link to confirm or refuse it.
 */
export async function requestEmailChange(trx: Db, input: EmailChangeRequest, now: Date): Promise<string> {
  const replaces = await withdrawEmailChange(trx, input.personId, input.actorId, now)
  const token = randomToken()
  const id = await insertEmailChange(trx, {
    organisationId: input.organisationId,
    schoolId: input.schoolId,
    personId: input.personId,
    newEmail: input.newEmail,
    confirmTokenHash: hashToken(token),
    requestedBy: input.actorId,
    requestedAt: now,
  })
  await recordAudit(trx, {
    action: 'staff.email-change-requested',
    subjectType: 'person',
    subjectId: input.personId,
    actorId: input.actorId,
    organisationId: input.organisationId,
    schoolId: input.schoolId,
    detail: { changeId: id, ...(replaces ? { replaces } : {}) },
  })
  const by = await requesterName(trx, input.organisationId, input.actorId)
  await tellDsls(trx, input.dsls, [input.actorId, input.personId], {
    organisationId: input.organisationId,
    subject: `Haven: approve or refuse a new email address for ${input.personName}`,
    text: [
      `${by} asked to change the email address of ${input.personName}’s Haven account to ${input.newEmail}.`,
      'Whoever holds that address could reset the password and open what this person can see, so the new address is not used until a DSL of the school approves it, or the person confirms it from their current address.',
      '',
      'Sign in to Haven and open Staff, then "Roles waiting for approval", to approve or refuse it.',
    ].join('\n'),
  })
  await enqueueEmail(trx, {
    kind: 'account.email-confirm',
    to: input.oldEmail,
    organisationId: input.organisationId,
    subject: 'Haven: confirm a new email address for your account',
    text: [
      `Dear ${input.personName},`,
      '',
      `${by} asked to change the email address of your Haven account to ${input.newEmail}.`,
      'Until the change is confirmed, Haven keeps using this address.',
      '',
      `Use this link to confirm the change, or to say no. It works once, for ${EMAIL_CONFIRMATION_DAYS} days:`,
      `${input.baseUrl}${paths.staff.emailChange({ token })}`,
      '',
      'If you did not expect this, say no, and tell your school’s designated safeguarding lead or headteacher.',
    ].join('\n'),
  })
  return id
}

/**
 * Tells the old address that the account's address changed (only someone Haven has written to),
 * with a link to the account page, where they see their sessions and can sign out everywhere, and
 * what to do if it was not them (ADR 0049: every email has a plain-text part and a link).
 */
export async function tellOldAddress(
  trx: Db,
  person: { id: string; name: string; organisationId: string },
  change: { oldEmail: string; newEmail: string; baseUrl: string },
): Promise<void> {
  const { oldEmail, newEmail } = change
  if (!(await hasAccount(trx, person.id))) return
  await enqueueEmail(trx, {
    kind: 'account.email-changed',
    to: oldEmail,
    organisationId: person.organisationId,
    subject: 'The email address of your Haven account has changed',
    text: [
      `Dear ${person.name},`,
      '',
      `The email address of your Haven account has changed to ${newEmail}.`,
      'You have been signed out of Haven everywhere, and any link Haven emailed you no longer works.',
      '',
      'If you made this change, you can check your account, and where you are signed in, on this page (sign in with the new address):',
      `${change.baseUrl}${paths.account.index()}`,
      '',
      'If you did not, tell your school’s designated safeguarding lead or headteacher at once: they can put your own address back, which signs out whoever is using the new one.',
    ].join('\n'),
  })
}

/**
 * After an address changed: nothing issued to the old address or opened with it still works, and
 * the old address is told. Audited (`auth.access-revoked`, reason `email-changed`).
 */
export async function afterEmailChanged(
  trx: Db,
  person: { id: string; name: string; organisationId: string; schoolId: string | null },
  change: { oldEmail: string; newEmail: string; actorId: string | null; baseUrl: string },
  now: Date,
): Promise<void> {
  await revokeAndAudit(
    trx,
    {
      personId: person.id,
      organisationId: person.organisationId,
      schoolId: person.schoolId,
      actorId: change.actorId,
      reason: 'email-changed',
    },
    now,
  )
  await tellOldAddress(trx, person, change)
}

export type ApplyEmailResult = 'applied' | 'email-taken'

/** Puts an approved new address in use; refused when someone else has that address by now. */
export async function applyEmailChange(
  trx: Db,
  change: { personId: string; organisationId: string; newEmail: string },
  deciderId: string,
  now: Date,
  baseUrl: string,
): Promise<ApplyEmailResult> {
  const person = await lockPersonForEmailChange(trx, change.organisationId, change.personId)
  if (await emailTaken(trx, change.organisationId, change.newEmail, person.id)) return 'email-taken'
  await setPersonEmail(trx, change.organisationId, person.id, change.newEmail, now)
  await afterEmailChanged(
    trx,
    { id: person.id, name: person.name, organisationId: change.organisationId, schoolId: person.schoolId },
    { oldEmail: person.email, newEmail: change.newEmail, actorId: deciderId, baseUrl },
    now,
  )
  return 'applied'
}

export type EmailChangeLink =
  | { ok: true; id: string; organisationId: string; personId: string; personName: string; newEmail: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' }

/** The waiting change a link sent to the old address is for. Reads only. */
export async function emailChangeByToken(db: Db, token: string, now: Date): Promise<EmailChangeLink> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' }
  const row = await emailChangeByTokenHash(db, hashToken(token))
  if (!row?.newEmail) return { ok: false, reason: 'unknown' }
  if (row.decision !== null) return { ok: false, reason: 'used' }
  if (!confirmationLinkLive(row.requestedAt, now)) return { ok: false, reason: 'expired' }
  return {
    ok: true,
    id: row.id,
    organisationId: row.organisationId,
    personId: row.personId,
    personName: row.personName,
    newEmail: row.newEmail,
  }
}
