/**
 * Meetings to resolve a disagreement with a record, and their outcomes (MW-11, AM-05). Every
 * query is scoped by the record's school.
 */
import { isUuid } from '../../../domain/ids.ts'
import type { DisputeOutcome } from '../../../domain/records/disputes.ts'
import type { DbOrTrx } from '../connection.ts'

export interface DisputeMeetingRow {
  id: string
  recordId: string
  stepId: string
  thirdPersonId: string | null
  thirdPartyName: string
  bothAgreed: boolean
  meetingOn: string
  meetingTime: string | null
  venue: string | null
  bookedBy: string | null
  bookedAt: Date
  outcome: DisputeOutcome | null
  outcomeNote: string | null
  outcomeRecordedAt: Date | null
  version: number
}

type Row = {
  id: string
  record_id: string
  step_id: string
  third_person_id: string | null
  third_party_name: string
  both_agreed: boolean
  meeting_on: string
  meeting_time: string | null
  venue: string | null
  booked_by: string | null
  booked_at: Date
  outcome: DisputeOutcome | null
  outcome_note: string | null
  outcome_recorded_at: Date | null
  version: number
}

function fromRow(r: Row): DisputeMeetingRow {
  return {
    id: r.id,
    recordId: r.record_id,
    stepId: r.step_id,
    thirdPersonId: r.third_person_id,
    thirdPartyName: r.third_party_name,
    bothAgreed: r.both_agreed,
    meetingOn: r.meeting_on,
    meetingTime: r.meeting_time,
    venue: r.venue,
    bookedBy: r.booked_by,
    bookedAt: r.booked_at,
    outcome: r.outcome,
    outcomeNote: r.outcome_note,
    outcomeRecordedAt: r.outcome_recorded_at,
    version: r.version,
  }
}

const columns = [
  'id',
  'record_id',
  'step_id',
  'third_person_id',
  'third_party_name',
  'both_agreed',
  'meeting_on',
  'meeting_time',
  'venue',
  'booked_by',
  'booked_at',
  'outcome',
  'outcome_note',
  'outcome_recorded_at',
  'version',
] as const

/** The record's dispute meetings, oldest first. */
export async function disputeMeetingsOfRecord(
  db: DbOrTrx,
  schoolId: string,
  recordId: string,
): Promise<DisputeMeetingRow[]> {
  if (!isUuid(recordId)) return []
  const rows = await db
    .selectFrom('dispute_meeting')
    .select(columns)
    .where('school_id', '=', schoolId)
    .where('record_id', '=', recordId)
    .orderBy('booked_at')
    .orderBy('id')
    .execute()
  return rows.map(fromRow)
}

/** One dispute meeting of the record, locked when asked. */
export async function disputeMeetingOfRecord(
  db: DbOrTrx,
  schoolId: string,
  recordId: string,
  meetingId: string,
  options: { forUpdate?: boolean } = {},
): Promise<DisputeMeetingRow | null> {
  if (!isUuid(meetingId) || !isUuid(recordId)) return null
  let query = db
    .selectFrom('dispute_meeting')
    .select(columns)
    .where('school_id', '=', schoolId)
    .where('record_id', '=', recordId)
    .where('id', '=', meetingId)
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? fromRow(row) : null
}

export interface NewDisputeMeeting {
  schoolId: string
  recordId: string
  stepId: string
  thirdPersonId: string | null
  thirdPartyName: string
  bothAgreed: boolean
  meetingOn: string
  meetingTime: string | null
  venue: string | null
  bookedBy: string
}

export async function insertDisputeMeeting(db: DbOrTrx, m: NewDisputeMeeting): Promise<string> {
  const row = await db
    .insertInto('dispute_meeting')
    .values({
      school_id: m.schoolId,
      record_id: m.recordId,
      step_id: m.stepId,
      third_person_id: m.thirdPersonId,
      third_party_name: m.thirdPartyName,
      both_agreed: m.bothAgreed,
      meeting_on: m.meetingOn,
      meeting_time: m.meetingTime,
      venue: m.venue,
      booked_by: m.bookedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Records the outcome when the row is still at `version`; false when someone else got there first. */
export async function setDisputeOutcome(
  db: DbOrTrx,
  input: {
    schoolId: string
    meetingId: string
    version: number
    outcome: DisputeOutcome
    note: string | null
    recordedBy: string
    recordedAt: Date
  },
): Promise<boolean> {
  const result = await db
    .updateTable('dispute_meeting')
    .set({
      outcome: input.outcome,
      outcome_note: input.note,
      outcome_recorded_by: input.recordedBy,
      outcome_recorded_at: input.recordedAt,
      version: input.version + 1,
    })
    .where('school_id', '=', input.schoolId)
    .where('id', '=', input.meetingId)
    .where('version', '=', input.version)
    .where('outcome', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
