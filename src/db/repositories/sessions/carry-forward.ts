/**
 * Items raised in unplanned supervision and carried forward to the next formal session
 * (carry_forward_item), scoped by the school they were raised in.
 */
import { isUuid } from '../../../domain/ids.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { DbOrTrx } from '../connection.ts'

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

/**
 * Items raised for this supervisee that no formal session has taken up yet, oldest first: in one
 * school, or (`schoolId` null) wherever they were raised, for callers that know only the person.
 */
export async function openItemsOf(
  db: DbOrTrx,
  schoolId: string | null,
  superviseeId: string,
): Promise<CarryForwardItem[]> {
  if (!isUuid(superviseeId)) return []
  const rows = await baseQuery(db)
    .where('i.person_id', '=', superviseeId)
    .where('i.carried_to_session_id', 'is', null)
    .$if(schoolId !== null, (q) => q.where('i.school_id', '=', schoolId as string))
    .execute()
  return rows.map(toItem)
}

/**
 * Items carried to this session (held), or waiting for it (planned: its supervisees' open items),
 * of the session's own school.
 */
export async function itemsForSession(db: DbOrTrx, sessionId: string): Promise<CarryForwardItem[]> {
  if (!isUuid(sessionId)) return []
  const session = await db
    .selectFrom('supervision_session')
    .select(['status', 'school_id'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
  if (!session) return []
  const carried = await baseQuery(db)
    .where('i.school_id', '=', session.school_id)
    .where('i.carried_to_session_id', '=', sessionId)
    .execute()
  if (carried.length > 0) return carried.map(toItem)
  if (session.status !== 'planned') return []
  const supervisees = db
    .selectFrom('session_participant')
    .select('person_id')
    .where('session_id', '=', sessionId)
    .where('role', '=', 'supervisee')
  const rows = await baseQuery(db)
    .where('i.school_id', '=', session.school_id)
    .where('i.person_id', 'in', supervisees)
    .where('i.carried_to_session_id', 'is', null)
    .execute()
  return rows.map(toItem)
}

/** Items raised in a session of the school (an unplanned one), in the order they were entered. */
export async function itemsRaisedIn(db: DbOrTrx, schoolId: string, sessionId: string): Promise<CarryForwardItem[]> {
  if (!isUuid(sessionId)) return []
  const rows = await baseQuery(db)
    .where('i.school_id', '=', schoolId)
    .where('i.source_session_id', '=', sessionId)
    .execute()
  return rows.map(toItem)
}

export interface NewCarryForwardItem {
  personId: string
  kind: 'issue' | 'decision'
  text: string
  sourceSessionId: string
  position: number
  createdBy: string
}

export async function insertItems(
  trx: DbOrTrx,
  schoolId: string,
  items: readonly NewCarryForwardItem[],
): Promise<void> {
  if (items.length === 0) return
  await trx
    .insertInto('carry_forward_item')
    .values(
      items.map((i) => ({
        school_id: schoolId,
        person_id: i.personId,
        kind: i.kind,
        text: i.text,
        source_session_id: i.sourceSessionId,
        position: i.position,
        created_by: i.createdBy,
      })),
    )
    .execute()
}

/**
 * The school's open items of these supervisees, raised on or before `date`, are carried to the
 * session. Returns how many. Runs in the caller's transaction.
 */
export async function carryItemsTo(
  trx: DbOrTrx,
  schoolId: string,
  session: { sessionId: string; date: IsoDate; superviseeIds: readonly string[] },
): Promise<number> {
  if (session.superviseeIds.length === 0) return 0
  const result = await trx
    .updateTable('carry_forward_item')
    .set({ carried_to_session_id: session.sessionId, carried_at: new Date() })
    .where('school_id', '=', schoolId)
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
