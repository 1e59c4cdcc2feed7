/**
 * Reading records: a record with everything kept about it (src/db/repositories/records/), the
 * records of a session, last time's actions for a session (CA-07, X-05) with their history, and
 * issues carried forward (CA-01).
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { actionHistories, actionsBefore, type PreviousActionRow } from '../../db/repositories/records/actions.ts'
import { recordInOrganisation } from '../../db/repositories/records/records.ts'
import type { ReviewHistoryEntry } from '../../domain/records/actions.ts'
import { carryForwardItemsForSession } from '../sessions/carry-forward.ts'
import type { SessionInfo } from './context.ts'

export type {
  AddendumRow,
  CommentRow,
  DecisionMark,
  LoadedRecord,
  SessionRecordSummary,
  SignatureRow,
  VersionRow,
} from '../../db/repositories/records/records.ts'
export { recordsOfSession } from '../../db/repositories/records/records.ts'
export { actionHistories, recordInOrganisation }

export interface PreviousAction extends PreviousActionRow {
  history: ReviewHistoryEntry[]
}

/**
 * Last time's actions for a session (CA-07, X-05): actions agreed at earlier sessions of the same
 * supervisee (one-to-one) or of the same group (same type and supervisor) that are still open, or
 * that this session has already reviewed. Oldest first.
 */
export async function previousActionsFor(db: DbOrTrx, session: SessionInfo, group: boolean): Promise<PreviousAction[]> {
  const superviseeIds = session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId)
  const supervisorIds = session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId)
  if (superviseeIds.length === 0 && supervisorIds.length === 0) return []
  const rows = await actionsBefore(db, session.schoolId, {
    id: session.id,
    date: session.date,
    typeId: session.typeId,
    group,
    supervisorIds,
    superviseeIds,
  })
  const history = await actionHistories(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({ ...r, history: history.get(r.id) ?? [] }))
}

/** Issues carried forward from informal or unplanned supervision to this session (CA-01); none for a group. */
export async function carriedIssuesFor(db: DbOrTrx, session: SessionInfo, group: boolean) {
  if (group) return []
  const supervisees = new Set(session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId))
  const items = await carryForwardItemsForSession(db, session.id)
  return items
    .filter((i) => supervisees.has(i.personId) && i.sourceDate <= session.date)
    .map((i) => ({ id: i.id, kind: i.kind, text: i.text, personId: i.personId, sourceDate: i.sourceDate }))
}
