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
 */
import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from '../staff/repository.ts'
import { isUuid } from '../staff/repository.ts'

export interface CarryForwardItem {
  id: string
  /** The supervisee it is about. */
  personId: string
  /** An issue raised, or a decision reached (LH-06 ad hoc). */
  kind: 'issue' | 'decision'
  text: string
  /** The unplanned session it was raised in, its date and session type id. */
  sourceSessionId: string
  sourceDate: IsoDate
  sourceTypeId: string
  /** Who recorded it (a person id). */
  raisedBy: string | null
  raisedAt: Date
  /** The formal session it was carried to; null while open. */
  carriedToSessionId: string | null
}

function baseQuery(db: DbOrTrx) {
  return db
    .selectFrom('carry_forward_item as i')
    .innerJoin('supervision_session as s', 's.id', 'i.source_session_id')
    .select([
      'i.id',
      'i.person_id',
      'i.kind',
      'i.text',
      'i.source_session_id',
      's.date as source_date',
      's.type_id as source_type_id',
      'i.created_by',
      'i.created_at',
      'i.carried_to_session_id',
    ])
    .orderBy('s.date')
    .orderBy('i.created_at')
    .orderBy('i.position')
    .orderBy('i.id')
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number]

function toItem(r: Row): CarryForwardItem {
  return {
    id: r.id,
    personId: r.person_id,
    kind: r.kind,
    text: r.text,
    sourceSessionId: r.source_session_id,
    sourceDate: r.source_date,
    sourceTypeId: r.source_type_id,
    raisedBy: r.created_by,
    raisedAt: r.created_at,
    carriedToSessionId: r.carried_to_session_id,
  }
}

/** Items raised for this supervisee that no formal session has taken up yet, oldest first. */
export async function openCarryForwardItems(db: Db | DbOrTrx, superviseeId: string): Promise<CarryForwardItem[]> {
  if (!isUuid(superviseeId)) return []
  const rows = await baseQuery(db)
    .where('i.person_id', '=', superviseeId)
    .where('i.carried_to_session_id', 'is', null)
    .execute()
  return rows.map(toItem)
}

/** Items carried to this session (held), or waiting for it (planned: its supervisees' open items). */
export async function carryForwardItemsForSession(db: Db | DbOrTrx, sessionId: string): Promise<CarryForwardItem[]> {
  if (!isUuid(sessionId)) return []
  const carried = await baseQuery(db).where('i.carried_to_session_id', '=', sessionId).execute()
  if (carried.length > 0) return carried.map(toItem)
  const session = await db
    .selectFrom('supervision_session')
    .select(['status'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
  if (session?.status !== 'planned') return []
  const supervisees = db
    .selectFrom('session_participant')
    .select('person_id')
    .where('session_id', '=', sessionId)
    .where('role', '=', 'supervisee')
  const rows = await baseQuery(db)
    .where('i.person_id', 'in', supervisees)
    .where('i.carried_to_session_id', 'is', null)
    .execute()
  return rows.map(toItem)
}

/** Items raised in a session (an unplanned one), in the order they were entered. */
export async function itemsRaisedIn(db: Db | DbOrTrx, sessionId: string): Promise<CarryForwardItem[]> {
  if (!isUuid(sessionId)) return []
  const rows = await baseQuery(db).where('i.source_session_id', '=', sessionId).execute()
  return rows.map(toItem)
}

/**
 * A formal session was held: the open items of the supervisees who attended, raised on or before
 * its date, are carried to it. Returns how many. Runs in the caller's transaction.
 */
export async function carryForwardTo(
  trx: DbOrTrx,
  session: { sessionId: string; date: IsoDate; superviseeIds: readonly string[] },
): Promise<number> {
  if (session.superviseeIds.length === 0) return 0
  const result = await trx
    .updateTable('carry_forward_item')
    .set({ carried_to_session_id: session.sessionId, carried_at: new Date() })
    .where('person_id', 'in', [...session.superviseeIds])
    .where('carried_to_session_id', 'is', null)
    .where(
      'source_session_id',
      'in',
      trx.selectFrom('supervision_session').select('id').where('date', '<=', session.date),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
