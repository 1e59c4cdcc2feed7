/**
 * The lists of the records area: the sessions someone took part in with their records, the
 * decisions still to reach children's records that someone may see, and the people who may be
 * named to help resolve a disagreement.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  type RecordsListScope,
  type RecordsListSort,
  recordsListChoices,
  recordsListPage,
} from '../../db/repositories/records/lists.ts'
import { currentStaffOfSchool } from '../../db/repositories/records/sessions.ts'
import { can, Permission } from '../../domain/access/permissions.ts'
import type { RecordViewer } from '../../domain/access/records.ts'
import type { ListQuery, ListSpec } from '../../domain/lists/list-query.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { RecordStatus } from '../../domain/records/record.ts'
import { policyBooks } from '../policy/on-date.ts'
import type { SessionInfo } from './context.ts'

export interface SessionWithRecords {
  id: string
  date: IsoDate
  startTime: string | null
  typeName: string
  role: 'supervisor' | 'supervisee' | null
  supervisors: string[]
  supervisees: string[]
  records: { id: string; name: string; status: RecordStatus }[]
}

export const recordsListSpec: ListSpec<RecordsListSort> = {
  sorts: ['date', 'type'],
  defaultDirection: { date: 'desc', type: 'asc' },
  filters: ['person', 'supervisor', 'from', 'to', 'kind', 'status'],
  statuses: ['none', 'draft', 'completed', 'signed'],
}

/** The records list's reach for this viewer: their own sessions, and their school's as DSL. */
function recordsScopeOf(viewer: RecordViewer): RecordsListScope {
  return {
    organisationId: viewer.organisationId,
    personId: viewer.personId,
    dslSchoolId: viewer.schoolId !== null && can(viewer, Permission.RecordsReadAll) ? viewer.schoolId : null,
  }
}

/**
 * One page of the sessions whose records the viewer may open, with their records (issue 16: paged,
 * filtered and searched in the query, never cut short), and what the list can be filtered by.
 */
export async function recordsListOf(
  db: DbOrTrx,
  viewer: RecordViewer,
  query: ListQuery<RecordsListSort>,
): Promise<{
  total: number
  sessions: SessionWithRecords[]
  people: { id: string; name: string; role: 'supervisor' | 'supervisee' }[]
  types: { id: string; name: string }[]
}> {
  const scope = recordsScopeOf(viewer)
  const [page, choices] = await Promise.all([recordsListPage(db, scope, query), recordsListChoices(db, scope)])
  const bookOf = policyBooks(db)
  const sessions: SessionWithRecords[] = []
  for (const s of page.rows) {
    sessions.push({
      id: s.id,
      date: s.date,
      startTime: s.startTime,
      typeName: (await bookOf(s.schoolId)).typeName(s.typeId, s.date),
      role: s.role,
      supervisors: s.supervisorNames,
      supervisees: s.superviseeNames,
      records: s.records,
    })
  }
  const types = new Map<string, string>()
  for (const t of choices.types) {
    if (!types.has(t.typeId)) types.set(t.typeId, (await bookOf(t.schoolId)).typeName(t.typeId, '9999-12-31'))
  }
  return {
    total: page.total,
    sessions,
    people: choices.people,
    types: [...types].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  }
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
