/**
 * The lists of the records area: the sessions a person took part in with their records, and the
 * decisions of an organisation's records still to reach children's records.
 */
import type { RecordDocument, RecordStatus } from '../../../domain/records/record.ts'
import { readRecordDocument } from '../../../domain/records/record.ts'
import type { DbOrTrx } from '../connection.ts'
import { templateNameOf } from './records.ts'

export interface OwnSession {
  id: string
  schoolId: string
  date: string
  startTime: string | null
  typeId: string
  role: 'supervisor' | 'supervisee'
  /** The other people of the session, by name. */
  withNames: string[]
  records: { id: string; name: string; status: RecordStatus }[]
}

/** The sessions of the organisation the person took part in (not cancelled), newest first, at most `limit`. */
export async function sessionsTakenPartIn(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  limit = 100,
): Promise<OwnSession[]> {
  const sessions = await db
    .selectFrom('session_participant as p')
    .innerJoin('supervision_session as s', 's.id', 'p.session_id')
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .select(['s.id', 's.date', 's.start_time', 's.type_id', 's.status', 's.school_id', 'p.role'])
    .where('sc.organisation_id', '=', organisationId)
    .where('p.person_id', '=', personId)
    .where('s.status', '<>', 'cancelled')
    .orderBy('s.date', 'desc')
    .limit(limit)
    .execute()
  const ids = sessions.map((s) => s.id)
  if (ids.length === 0) return []
  const [records, others] = await Promise.all([
    db
      .selectFrom('supervision_record')
      .select(['id', 'session_id', 'status', 'template'])
      .where('session_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('session_participant as p')
      .innerJoin('person as pe', 'pe.id', 'p.person_id')
      .select(['p.session_id', 'p.person_id', 'pe.name'])
      .where('p.session_id', 'in', ids)
      .orderBy('pe.name')
      .execute(),
  ])
  return sessions.map((s) => ({
    id: s.id,
    schoolId: s.school_id,
    date: s.date,
    startTime: s.start_time,
    typeId: s.type_id,
    role: s.role,
    withNames: others.filter((o) => o.session_id === s.id && o.person_id !== personId).map((o) => o.name),
    records: records
      .filter((r) => r.session_id === s.id)
      .map((r) => ({ id: r.id, name: templateNameOf(r.template), status: r.status })),
  }))
}

export interface PendingDecision {
  decisionId: string
  recordId: string
  recordName: string
  document: RecordDocument
  schoolId: string
  organisationId: string
  sessionDate: string
  supervisorIds: string[]
  superviseeIds: string[]
}

/** Decisions of the organisation's completed or signed records not yet marked as on the child's record, oldest session first. */
export async function decisionsNotYetRecorded(db: DbOrTrx, organisationId: string): Promise<PendingDecision[]> {
  const rows = await db
    .selectFrom('record_decision as d')
    .innerJoin('supervision_record as r', 'r.id', 'd.record_id')
    .innerJoin('supervision_session as s', 's.id', 'r.session_id')
    .innerJoin('school as sc', 'sc.id', 'r.school_id')
    .select([
      'd.id',
      'd.record_id',
      'r.document',
      'r.template',
      'r.session_id',
      's.date',
      'sc.organisation_id',
      'r.school_id',
    ])
    .where('sc.organisation_id', '=', organisationId)
    .where('d.recorded_at', 'is', null)
    .where('r.status', '<>', 'draft')
    .orderBy('s.date')
    .execute()
  if (rows.length === 0) return []
  const participants = await db
    .selectFrom('session_participant')
    .select(['session_id', 'person_id', 'role'])
    .where('session_id', 'in', [...new Set(rows.map((r) => r.session_id))])
    .execute()
  const of = (sessionId: string, role: 'supervisor' | 'supervisee') =>
    participants.filter((p) => p.session_id === sessionId && p.role === role).map((p) => p.person_id)
  return rows.map((r) => ({
    decisionId: r.id,
    recordId: r.record_id,
    recordName: templateNameOf(r.template),
    document: readRecordDocument(r.document),
    schoolId: r.school_id,
    organisationId: r.organisation_id,
    sessionDate: r.date,
    supervisorIds: of(r.session_id, 'supervisor'),
    superviseeIds: of(r.session_id, 'supervisee'),
  }))
}
