/**
 * Email changes for someone with something to protect (issue 12, ADR 0011): asked for by anyone
 * but the person, the new address waits as an `access_change` of kind 'email' until a DSL of the
 * person's school approves it or the person confirms it from the old address (access-changes.ts).
 * Until then Haven keeps using the old address: sign-in, password resets and every email. Runs in
 * the caller's transaction.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { confirmationLinkLive, EMAIL_CONFIRMATION_DAYS } from '../../domain/access/email-changes.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { recordAudit } from '../audit.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { emailTaken } from '../staff/repository.ts'
import { revokeAndAudit } from './revoke.ts'
import { requesterName, type SchoolDsl, tellDsls } from './school-dsls.ts'

type Db = Kysely<Database>

/** What a person has that a new address would hand over (see emailChangeNeedsConfirmation). */
export async function whatTheyHave(
  db: Db,
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

/** Withdraws the person's waiting email change, if any (a newer request, or a change that applied). */
export async function withdrawEmailChange(
  trx: Db,
  personId: string,
  actorId: string | null,
  now: Date,
): Promise<string | null> {
  const withdrawn = await trx
    .updateTable('access_change')
    .set({ decision: 'withdrawn', decided_by: actorId, decided_at: now })
    .where('person_id', '=', personId)
    .where('kind', '=', 'email')
    .where('decision', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return withdrawn?.id ?? null
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
  const { id } = await trx
    .insertInto('access_change')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      person_id: input.personId,
      kind: 'email',
      new_email: input.newEmail,
      confirm_token_hash: hashToken(token),
      requested_by: input.actorId,
      requested_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await recordAudit(trx, {
    action: 'staff.email-change-requested',
    subjectType: 'person',
    subjectId: input.personId,
    actorId: input.actorId,
    organisationId: input.organisationId,
    schoolId: input.schoolId,
    detail: { changeId: id, ...(replaces ? { replaces } : {}) },
  })
  const by = await requesterName(trx, input.actorId)
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
      `${input.baseUrl}/email-change/${token}`,
      '',
      'If you did not expect this, say no, and tell your school’s designated safeguarding lead or headteacher.',
    ].join('\n'),
  })
  return id
}

/** Tells the old address that the account's address changed (only someone Haven has written to). */
export async function tellOldAddress(
  trx: Db,
  person: { id: string; name: string; organisationId: string },
  oldEmail: string,
  newEmail: string,
): Promise<void> {
  const account = await trx
    .selectFrom('account')
    .select('person_id')
    .where('person_id', '=', person.id)
    .executeTakeFirst()
  if (!account) return
  await enqueueEmail(trx, {
    to: oldEmail,
    organisationId: person.organisationId,
    subject: 'The email address of your Haven account has changed',
    text: [
      `Dear ${person.name},`,
      '',
      `The email address of your Haven account has changed to ${newEmail}.`,
      'You have been signed out of Haven everywhere, and any link Haven emailed you no longer works.',
      '',
      'If you did not expect this, tell your school’s designated safeguarding lead or headteacher at once.',
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
  change: { oldEmail: string; newEmail: string; actorId: string | null },
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
  await tellOldAddress(trx, person, change.oldEmail, change.newEmail)
}

export type ApplyEmailResult = 'applied' | 'email-taken'

/** Puts an approved new address in use; refused when someone else has that address by now. */
export async function applyEmailChange(
  trx: Db,
  change: { personId: string; organisationId: string; newEmail: string },
  deciderId: string,
  now: Date,
): Promise<ApplyEmailResult> {
  const person = await trx
    .selectFrom('person')
    .select(['id', 'name', 'email', 'school_id'])
    .where('id', '=', change.personId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (await emailTaken(trx, change.organisationId, change.newEmail, person.id)) return 'email-taken'
  await trx
    .updateTable('person')
    .set((eb) => ({ email: change.newEmail, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', person.id)
    .execute()
  await afterEmailChanged(
    trx,
    { id: person.id, name: person.name, organisationId: change.organisationId, schoolId: person.school_id },
    { oldEmail: person.email, newEmail: change.newEmail, actorId: deciderId },
    now,
  )
  return 'applied'
}

export type EmailChangeLink =
  | { ok: true; id: string; personId: string; personName: string; newEmail: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' }

/** The waiting change a link sent to the old address is for. Reads only. */
export async function emailChangeByToken(db: Db, token: string, now: Date): Promise<EmailChangeLink> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' }
  const row = await db
    .selectFrom('access_change as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.person_id', 'c.new_email', 'c.decision', 'c.requested_at', 'p.name'])
    .where('c.confirm_token_hash', '=', hashToken(token))
    .where('c.kind', '=', 'email')
    .executeTakeFirst()
  if (!row?.new_email) return { ok: false, reason: 'unknown' }
  if (row.decision !== null) return { ok: false, reason: 'used' }
  if (!confirmationLinkLive(row.requested_at, now)) return { ok: false, reason: 'expired' }
  return { ok: true, id: row.id, personId: row.person_id, personName: row.name, newEmail: row.new_email }
}
