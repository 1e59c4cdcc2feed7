/**
 * Sessions as the scheduling screens need them: rows of supervision_session with their people,
 * cancellation and rebookings, mapped to plain objects. snake_case stays here.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { ScheduledSession } from '../../domain/scheduling/index.ts'
import { type DbOrTrx, isUuid } from '../staff/repository.ts'

export type SessionStatus = 'planned' | 'held' | 'cancelled' | 'did-not-attend'
export type CancellationKind = 'cancelled' | 'postponed' | 'did-not-attend'

export interface PersonName {
  id: string
  name: string
  email: string
}

export interface Participant extends PersonName {
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
}

export interface CancellationDetail {
  id: string
  kind: CancellationKind
  reasonId: string
  reasonNote: string | null
  returnDate: IsoDate | null
  cancelledBy: PersonName | null
  cancelledAt: Date
}

export interface SessionSummary {
  id: string
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  venue: string | null
  onlineLink: string | null
  status: SessionStatus
  unplanned: boolean
  rebooksSessionId: string | null
  sequence: number
  version: number
  supervisors: Participant[]
  supervisees: Participant[]
  cancellationKind: CancellationKind | null
}

export interface SessionDetail extends SessionSummary {
  createdBy: string | null
  createdAt: Date
  cancellation: CancellationDetail | null
  /** Sessions that rebook this one, live ones first, earliest first. */
  rebookings: { id: string; date: IsoDate; status: SessionStatus }[]
  /** The session this one rebooks. */
  rebooks: { id: string; date: IsoDate; status: SessionStatus } | null
}

type SessionRow = {
  id: string
  school_id: string
  type_id: string
  date: string
  start_time: string | null
  duration_minutes: number | null
  venue: string | null
  online_link: string | null
  status: SessionStatus
  unplanned: boolean
  rebooks_session_id: string | null
  sequence: number
  version: number
}

const sessionColumns = [
  's.id',
  's.school_id',
  's.type_id',
  's.date',
  's.start_time',
  's.duration_minutes',
  's.venue',
  's.online_link',
  's.status',
  's.unplanned',
  's.rebooks_session_id',
  's.sequence',
  's.version',
] as const

async function participantsOf(db: DbOrTrx, sessionIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const byId = new Map<string, Participant[]>()
  if (sessionIds.length === 0) return byId
  const rows = await db
    .selectFrom('session_participant as sp')
    .innerJoin('person as p', 'p.id', 'sp.person_id')
    .select(['sp.session_id', 'sp.role', 'sp.attended', 'p.id', 'p.name', 'p.email'])
    .where('sp.session_id', 'in', [...new Set(sessionIds)])
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
  for (const r of rows) {
    const list = byId.get(r.session_id) ?? []
    list.push({ id: r.id, name: r.name, email: r.email, role: r.role, attended: r.attended })
    byId.set(r.session_id, list)
  }
  return byId
}

async function summaries(db: DbOrTrx, rows: readonly SessionRow[]): Promise<SessionSummary[]> {
  const ids = rows.map((r) => r.id)
  const [people, cancellations] = await Promise.all([
    participantsOf(db, ids),
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom('session_cancellation').select(['session_id', 'kind']).where('session_id', 'in', ids).execute(),
  ])
  const kinds = new Map(cancellations.map((c) => [c.session_id, c.kind]))
  return rows.map((r) => {
    const participants = people.get(r.id) ?? []
    return {
      id: r.id,
      schoolId: r.school_id,
      typeId: r.type_id,
      date: r.date,
      startTime: r.start_time,
      durationMinutes: r.duration_minutes,
      venue: r.venue,
      onlineLink: r.online_link,
      status: r.status,
      unplanned: r.unplanned,
      rebooksSessionId: r.rebooks_session_id,
      sequence: r.sequence,
      version: r.version,
      supervisors: participants.filter((p) => p.role === 'supervisor'),
      supervisees: participants.filter((p) => p.role === 'supervisee'),
      cancellationKind: kinds.get(r.id) ?? null,
    }
  })
}

/** One session of the school, with everything its page shows; null when there is none. */
export async function loadSession(
  db: DbOrTrx,
  schoolIds: readonly string[],
  id: string,
): Promise<SessionDetail | null> {
  if (!isUuid(id) || schoolIds.length === 0) return null
  const row = await db
    .selectFrom('supervision_session as s')
    .select([...sessionColumns, 's.created_by', 's.created_at'])
    .where('s.id', '=', id)
    .where('s.school_id', 'in', schoolIds)
    .executeTakeFirst()
  if (!row) return null
  const [summary] = await summaries(db, [row])
  const [cancellation, rebookings, rebooks] = await Promise.all([
    db
      .selectFrom('session_cancellation as c')
      .leftJoin('person as p', 'p.id', 'c.cancelled_by')
      .select([
        'c.id',
        'c.kind',
        'c.reason_id',
        'c.reason_note',
        'c.return_date',
        'c.cancelled_at',
        'p.id as by_id',
        'p.name as by_name',
        'p.email as by_email',
      ])
      .where('c.session_id', '=', id)
      .executeTakeFirst(),
    db
      .selectFrom('supervision_session')
      .select(['id', 'date', 'status'])
      .where('rebooks_session_id', '=', id)
      .orderBy(sql`case when status = 'cancelled' then 1 else 0 end`)
      .orderBy('date')
      .execute(),
    row.rebooks_session_id
      ? db
          .selectFrom('supervision_session')
          .select(['id', 'date', 'status'])
          .where('id', '=', row.rebooks_session_id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ])
  return {
    ...(summary as SessionSummary),
    createdBy: row.created_by,
    createdAt: row.created_at,
    cancellation: cancellation
      ? {
          id: cancellation.id,
          kind: cancellation.kind,
          reasonId: cancellation.reason_id,
          reasonNote: cancellation.reason_note,
          returnDate: cancellation.return_date,
          cancelledBy: cancellation.by_id
            ? { id: cancellation.by_id, name: cancellation.by_name ?? '', email: cancellation.by_email ?? '' }
            : null,
          cancelledAt: cancellation.cancelled_at,
        }
      : null,
    rebookings: rebookings.map((r) => ({ id: r.id, date: r.date, status: r.status })),
    rebooks: rebooks ? { id: rebooks.id, date: rebooks.date, status: rebooks.status } : null,
  }
}

/** The date of the earliest live session rebooking this one (null when none), as the compliance engine reads it. */
export function rebookedFor(detail: Pick<SessionDetail, 'rebookings'>): IsoDate | null {
  const live = detail.rebookings.filter((r) => r.status !== 'cancelled').map((r) => r.date)
  return live.length === 0 ? null : (live.sort()[0] as IsoDate)
}

/** A person's sessions, as supervisor or supervisee, newest first within the limit. */
export async function sessionsOfPerson(
  db: Db,
  personId: string,
  options: { from?: IsoDate; before?: IsoDate; limit: number; order: 'asc' | 'desc' },
): Promise<SessionSummary[]> {
  let query = db
    .selectFrom('supervision_session as s')
    .select(sessionColumns)
    .where('s.id', 'in', db.selectFrom('session_participant').select('session_id').where('person_id', '=', personId))
  if (options.from) query = query.where('s.date', '>=', options.from)
  if (options.before) query = query.where('s.date', '<', options.before)
  const rows = await query
    .orderBy('s.date', options.order)
    .orderBy(sql`coalesce(s.start_time, '')`, options.order)
    .orderBy('s.id')
    .limit(options.limit)
    .execute()
  return summaries(db, rows)
}

/** The school's sessions between two dates (both included), in date and time order. */
export async function sessionsBetween(
  db: Db,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
  limit = 2000,
): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom('supervision_session as s')
    .select(sessionColumns)
    .where('s.school_id', '=', schoolId)
    .where('s.date', '>=', from)
    .where('s.date', '<=', to)
    .orderBy('s.date')
    .orderBy(sql`coalesce(s.start_time, '')`)
    .orderBy('s.id')
    .limit(limit)
    .execute()
  return summaries(db, rows)
}

/**
 * Sessions on a day that involve any of these people, in any school (a trust's DSL may supervise
 * in two schools): what a booking is checked against for clashes.
 */
export async function scheduledFor(
  db: DbOrTrx,
  date: IsoDate,
  personIds: readonly string[],
  typeName: (typeId: string) => string,
): Promise<ScheduledSession[]> {
  const ids = [...new Set(personIds)].filter(isUuid)
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('supervision_session as s')
    .select(sessionColumns)
    .where('s.date', '=', date)
    .where('s.status', 'in', ['planned', 'held'])
    .where('s.id', 'in', db.selectFrom('session_participant').select('session_id').where('person_id', 'in', ids))
    .execute()
  const list = await summaries(db, rows)
  return list.map((s) => ({
    id: s.id,
    date: s.date,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes,
    status: s.status,
    typeName: typeName(s.typeId),
    supervisorIds: s.supervisors.map((p) => p.id),
    superviseeIds: s.supervisees.map((p) => p.id),
  }))
}
