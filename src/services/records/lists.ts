/**
 * The lists of the records area: the sessions someone took part in with their records, the
 * decisions still to reach children's records that someone may see, and the people who may be
 * named to help resolve a disagreement.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { sessionsTakenPartIn } from '../../db/repositories/records/lists.ts'
import { currentStaffOfSchool } from '../../db/repositories/records/sessions.ts'
import type { RecordViewer } from '../../domain/access/records.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { RecordStatus } from '../../domain/records/record.ts'
import { policyBooks } from '../policy/on-date.ts'
import type { SessionInfo } from './context.ts'

export interface SessionWithRecords {
  id: string
  date: IsoDate
  startTime: string | null
  typeName: string
  role: 'supervisor' | 'supervisee'
  with: string[]
  records: { id: string; name: string; status: RecordStatus }[]
}

/** The (at most 100) latest sessions the person took part in, with their records. */
export async function sessionsWithRecordsOf(db: DbOrTrx, viewer: RecordViewer): Promise<SessionWithRecords[]> {
  const bookOf = policyBooks(db)
  const out: SessionWithRecords[] = []
  for (const s of await sessionsTakenPartIn(db, viewer.organisationId, viewer.personId)) {
    out.push({
      id: s.id,
      date: s.date,
      startTime: s.startTime,
      typeName: (await bookOf(s.schoolId)).typeName(s.typeId, s.date),
      role: s.role,
      with: s.withNames,
      records: s.records,
    })
  }
  return out
}

/**
 * The people of the session's school who may be named to help resolve a disagreement: everyone
 * still employed who did not take part, designated safeguarding leads first.
 */
export async function thirdPersonChoices(
  db: DbOrTrx,
  session: SessionInfo,
  today: IsoDate,
): Promise<{ id: string; name: string; jobTitle: string }[]> {
  const participantIds = new Set(session.participants.map((p) => p.personId))
  return (await currentStaffOfSchool(db, session.organisationId, session.schoolId, today))
    .filter((r) => !participantIds.has(r.id))
    .sort((a, b) => Number(b.roles.includes('dsl')) - Number(a.roles.includes('dsl')))
    .map((r) => ({ id: r.id, name: r.name, jobTitle: r.jobTitle }))
}
