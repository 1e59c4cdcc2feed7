/**
 * Issue 15 item 4: sharing a signed record, or parts of it, with a named person to safeguard
 * someone (CA-09, AM-05, MW-10). The rules are in domain/records/sharing.ts; this writes the share,
 * its audit entry (`record.share`, `record.share-withdraw`) and the emails in one transaction. The
 * supervisee is always told, by email and on the record page, who has it and why; the named person
 * is told where to open it. Emails name the reason and the parts, never the record's content.
 * Opening a share is audited as an opening of the record (`record.open`, format `share`), so it
 * appears in the access trail (ADR 0026).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { currentStaffOfSchool, personInOrganisation } from '../../db/repositories/records/sessions.ts'
import {
  insertShare,
  lineManagersOf,
  type ShareRow,
  shareInOrganisation,
  shareInSchool,
  sharesOfRecord,
  sharesWithPerson,
  withdrawShare,
} from '../../db/repositories/records/shares.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { actionsFieldOf } from '../../domain/records/record.ts'
import {
  type CheckedShare,
  partsInWords,
  type Recipient,
  type ShareablePart,
  shareableParts,
  shareOpensAt,
  shareRecipients,
} from '../../domain/records/sharing.ts'
import { paths } from '../../paths/index.ts'
import { formatLongDate } from '../../presenters/format.ts'
import { recordAudit } from '../audit.ts'
import type { SessionInfo } from './context.ts'
import { email, type Mailer, type RecordActor } from './records.ts'
import type { LoadedRecord } from './store.ts'

export type { ShareRow }
export { shareInOrganisation, shareInSchool, sharesOfRecord, sharesWithPerson }

const base = (mailer: Mailer) => mailer.baseUrl.replace(/\/$/, '')

/** The parts of this record a supervisor may choose from. */
export function partsOf(record: LoadedRecord): ShareablePart[] {
  return shareableParts(record.template, record.document, { actionsFieldId: actionsFieldOf(record.template)?.id })
}

/** Who this record may be shared with (CA-09, MW-10): the policy's people, in the record's school. */
export async function recipientsFor(
  db: DbOrTrx,
  session: SessionInfo,
  policy: PolicyDocument | null,
  today: IsoDate,
): Promise<Recipient[]> {
  const disclosure = policy?.confidentiality?.disclosure ?? null
  if (!disclosure) return []
  const supervisorIds = session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId)
  const [staff, lineManagerIds] = await Promise.all([
    currentStaffOfSchool(db, session.organisationId, session.schoolId, today),
    lineManagersOf(db, session.schoolId, supervisorIds),
  ])
  return shareRecipients({
    disclosure,
    headteacherFeedback: policy?.recording.headteacherFeedback ?? null,
    lineManagerIds,
    staff,
    partyIds: session.participants.map((p) => p.personId),
  })
}

/**
 * Shares the record (CA-09): the share, its audit entry, an email to each supervisee (who has it,
 * why, which parts, and from when) and one to the named person, in one transaction.
 */
export async function shareRecord(
  db: Db,
  input: {
    record: LoadedRecord
    session: SessionInfo
    policy: PolicyDocument
    share: CheckedShare
    actor: RecordActor
    now: Date
    mailer: Mailer
  },
): Promise<string> {
  const disclosure = input.policy.confidentiality?.disclosure
  if (!disclosure) throw new Error('The policy does not allow records to be shared')
  const { record, session, share, actor, now } = input
  const opensAt = shareOpensAt(disclosure, now)
  const parts = partsInWords(share.parts, partsOf(record))
  const opensOn = londonDateOf(opensAt)
  const waits = opensAt.getTime() > now.getTime()
  return db.transaction().execute(async (trx) => {
    const id = await insertShare(trx, record.schoolId, {
      recordId: record.id,
      sharedById: actor.personId,
      recipientId: share.recipient.id,
      reasonId: share.reason.id,
      reasonLabel: share.reason.label,
      note: share.note,
      parts: share.parts,
      superviseeTold: disclosure.superviseeTold,
      sharedAt: now,
      opensAt,
    })
    await recordAudit(trx, {
      action: 'record.share',
      subjectType: 'record',
      subjectId: record.id,
      actorId: actor.personId,
      organisationId: actor.organisationId,
      schoolId: record.schoolId,
      detail: { shareId: id, recipientId: share.recipient.id, reason: share.reason.id, parts: share.parts ?? 'whole' },
      ip: actor.ip ?? null,
    })
    const when = formatLongDate(session.date)
    for (const p of session.participants.filter((x) => x.role === 'supervisee')) {
      const to = await personInOrganisation(trx, actor.organisationId, p.personId)
      if (!to) continue
      await email(trx, actor.organisationId, to, 'A supervision record of yours is being shared', [
        `${actor.name} is sharing ${parts} of the record of your supervision on ${when} with ${share.recipient.name}${share.recipient.jobTitle ? ` (${share.recipient.jobTitle})` : ''}.`,
        '',
        `The reason: ${share.reason.label}.`,
        waits
          ? `${share.recipient.name} can open it from ${formatLongDate(opensOn)}. You are being told first, as the policy says.`
          : `${share.recipient.name} can open it now.`,
        '',
        'You can see who has your record and why on the record’s page:',
        `${base(input.mailer)}${paths.records.show({ recordId: record.id })}`,
      ])
    }
    const recipient = await personInOrganisation(trx, actor.organisationId, share.recipient.id)
    if (recipient)
      await email(trx, actor.organisationId, recipient, 'A supervision record has been shared with you', [
        `${actor.name} has shared ${parts} of a supervision record with you, to safeguard someone.`,
        '',
        `The reason: ${share.reason.label}.`,
        waits ? `You can open it from ${formatLongDate(opensOn)}.` : 'You can open it now.',
        'Only you can open it, and each opening is recorded.',
        '',
        `${base(input.mailer)}${paths.records.sharedRecord({ shareId: id })}`,
      ])
    return id
  })
}

/** Withdraws a share (the supervisor who shared it, or the DSL); the supervisee and the named person are told. */
export async function withdrawRecordShare(
  db: Db,
  input: { share: ShareRow; session: SessionInfo; actor: RecordActor; now: Date },
): Promise<boolean> {
  const { share, actor } = input
  return db.transaction().execute(async (trx) => {
    const done = await withdrawShare(trx, share.schoolId, share.id, actor.personId, input.now)
    if (!done) return false
    await recordAudit(trx, {
      action: 'record.share-withdraw',
      subjectType: 'record',
      subjectId: share.recordId,
      actorId: actor.personId,
      organisationId: actor.organisationId,
      schoolId: share.schoolId,
      detail: { shareId: share.id, recipientId: share.recipientId },
      ip: actor.ip ?? null,
    })
    const when = formatLongDate(input.session.date)
    const told = [
      ...input.session.participants.filter((x) => x.role === 'supervisee').map((p) => p.personId),
      share.recipientId,
    ]
    for (const personId of told) {
      const to = await personInOrganisation(trx, actor.organisationId, personId)
      if (!to) continue
      await email(trx, actor.organisationId, to, 'A shared supervision record has been withdrawn', [
        `${actor.name} has withdrawn the sharing of the record of supervision on ${when} with ${share.recipientName}.`,
        `${share.recipientName} can no longer open it.`,
      ])
    }
    return true
  })
}
