/**
 * The lists of the records area: the sessions someone took part in with their records, the
 * decisions still to reach children's records that someone may see, and the people who may be
 * named to help resolve a disagreement.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { decisionsNotYetRecorded, sessionsTakenPartIn } from '../../db/repositories/records/lists.ts'
import { currentStaffOfSchool } from '../../db/repositories/records/sessions.ts'
import { canOpenRecord, mayMarkRecorded, type RecordViewer } from '../../domain/access/records.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { ChildDecision, RecordStatus } from '../../domain/records/record.ts'
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

export interface DecisionToRecord {
  id: string
  recordId: string
  recordName: string
  date: IsoDate
  decision: ChildDecision
  canMark: boolean
  system: string
}

/** Decisions of records the viewer may open, not yet marked as entered on the child's record. */
export async function decisionsToRecord(db: DbOrTrx, viewer: RecordViewer): Promise<DecisionToRecord[]> {
  const bookOf = policyBooks(db)
  const pending: DecisionToRecord[] = []
  for (const d of await decisionsNotYetRecorded(db, viewer.organisationId)) {
    const parties = {
      organisationId: d.organisationId,
      schoolId: d.schoolId,
      supervisorIds: d.supervisorIds,
      superviseeIds: d.superviseeIds,
    }
    if (!canOpenRecord(viewer, parties)) continue
    const decision = d.document.decisions.find((x) => x.id === d.decisionId)
    if (!decision) continue
    const policy = (await bookOf(d.schoolId)).on(d.sessionDate)
    pending.push({
      id: d.decisionId,
      recordId: d.recordId,
      recordName: d.recordName,
      date: d.sessionDate,
      decision,
      canMark: mayMarkRecorded(viewer, policy),
      system: policy?.childRecord.system ?? '',
    })
  }
  return pending
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

export { mayMarkRecorded }
