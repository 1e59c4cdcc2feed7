/**
 * Scheduling (issue 6): booking, changes, requests (CA-04), unplanned supervision and what it
 * carries forward (CA-01). Other areas use these:
 * - openCarryForwardItems(db, superviseeId) and carryForwardItemsForSession(db, sessionId): the
 *   issues from unplanned supervision for the next formal session's agenda (records).
 */
export { type BookResult, type BookSessionInput, bookSession, type SessionActor } from './booking.ts'
export {
  type CarryForwardItem,
  carryForwardItemsForSession,
  itemsRaisedIn,
  openCarryForwardItems,
} from './carry-forward.ts'
export {
  type ChangeResult,
  cancelSession,
  markHeld,
  postponeSession,
  recordReturnDate,
} from './changes.ts'
export type { SchoolRef } from './context.ts'
export { type MissedSession, missedSessions, mySessions, rebookingOf } from './overview.ts'
export { createRequest, declineRequest, loadRequest, requestsFor, type SessionRequest } from './requests.ts'
export { recordUnplanned } from './unplanned.ts'
