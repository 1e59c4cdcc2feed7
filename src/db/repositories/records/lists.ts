/**
 * The lists of the records area: the sessions a person took part in with their records (decisions
 * for children's records are queued in child_decision, repositories/children.ts).
 */
import type { RecordStatus } from '../../../domain/records/record.ts'
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
