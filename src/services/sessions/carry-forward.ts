/**
 * CA-01, LH-06: what was raised in unplanned or informal supervision (crisis, corridor, drop-in,
 * ad hoc decisions) is carried forward to the supervisee's next formal session.
 *
 * An item is open until the supervisee's next formal session (a planned, formal, one-to-one type
 * of the policy, see receivesCarryForward) is marked held; it is then carried to that session and
 * stays linked to it. The records helper shows these on the record:
 *
 * - `openCarryForwardItems(db, superviseeId)`: everything still waiting for the person's next
 *   formal session, oldest first: the agenda for the next session.
 * - `carryForwardItemsForSession(db, sessionId)`: for a held session, the items carried to it; for
 *   a planned session, the open items of its supervisees (what it will take up).
 * The SQL is in src/db/repositories/sessions/carry-forward.ts.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  type CarryForwardItem,
  carryItemsTo,
  itemsForSession,
  openItemsOf,
  itemsRaisedIn as raisedIn,
} from '../../db/repositories/sessions/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'

export type { CarryForwardItem }

/**
 * Items raised for this supervisee that no formal session has taken up yet, oldest first; only
 * those raised in `schoolId` when given (scheduling's pages pass it; records know only the person).
 */
export function openCarryForwardItems(
  db: DbOrTrx,
  superviseeId: string,
  schoolId: string | null = null,
): Promise<CarryForwardItem[]> {
  return openItemsOf(db, schoolId, superviseeId)
}

/** Items carried to this session (held), or waiting for it (planned: its supervisees' open items). */
export function carryForwardItemsForSession(db: DbOrTrx, sessionId: string): Promise<CarryForwardItem[]> {
  return itemsForSession(db, sessionId)
}

/** Items raised in a session of the school (an unplanned one), in the order they were entered. */
export function itemsRaisedIn(db: DbOrTrx, schoolId: string, sessionId: string): Promise<CarryForwardItem[]> {
  return raisedIn(db, schoolId, sessionId)
}

/**
 * A formal session was held: the open items of the supervisees who attended, raised on or before
 * its date, are carried to it. Returns how many. Runs in the caller's transaction.
 */
export function carryForwardTo(
  trx: DbOrTrx,
  schoolId: string,
  session: { sessionId: string; date: IsoDate; superviseeIds: readonly string[] },
): Promise<number> {
  return carryItemsTo(trx, schoolId, session)
}
