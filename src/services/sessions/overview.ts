/**
 * What the scheduling pages show beyond single rows: a person's sessions with rebooking warnings
 * ("my sessions"), the school's cancellations for the DSL (MW-06), and the rebooking deadline of
 * one session (CA-03), each judged by the policy version in force on the session's date.
 */
import type { Db } from '../../db/database.ts'
import type { SchoolCalendar } from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { type RebookingView, rebookingView } from '../../domain/scheduling/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { policyDocuments, policyOn } from './context.ts'
import { type CancellationKind, type PersonName, type SessionSummary, sessionsOfPerson } from './repository.ts'

export interface MissedSession {
  sessionId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  kind: CancellationKind
  reasonId: string
  reasonNote: string | null
  returnDate: IsoDate | null
  cancelledBy: PersonName | null
  cancelledAt: Date
  supervisors: PersonName[]
  supervisees: PersonName[]
  /** The earliest live session rebooking it. */
  rebookedFor: IsoDate | null
  rebookingSessionId: string | null
  rebooking: RebookingView
}

export interface Judge {
  versions: PolicyDocument[]
  calendar: SchoolCalendar
  today: IsoDate
}

export async function judgeFor(db: Db, schoolId: string, today: IsoDate): Promise<Judge> {
  const [versions, calendar] = await Promise.all([policyDocuments(db, schoolId), schoolCalendar(db, schoolId, today)])
  return { versions, calendar, today }
}

/** CA-03: how the rebooking of a session that did not take place stands today. */
export function rebookingOf(
  judge: Judge,
  s: { sessionId: string; typeId: string; date: IsoDate; supervisees: readonly { id: string; name: string }[] },
  c: { id: string; reasonId: string; returnDate: IsoDate | null },
  rebooked: IsoDate | null,
): RebookingView {
  const names = s.supervisees.map((p) => p.name)
  return rebookingView(
    policyOn(judge.versions, s.date),
    judge.calendar,
    {
      id: c.id,
      sessionId: s.sessionId,
      typeId: s.typeId,
      date: s.date,
      superviseeIds: s.supervisees.map((p) => p.id),
      reasonId: c.reasonId,
      returnDate: c.returnDate,
      rebookedFor: rebooked,
    },
    judge.today,
    names.length === 1 ? (names[0] as string) : 'the person',
  )
}

/** Sessions that did not take place, newest first: the school's (MW-06), or those of some sessions. */
export async function missedSessions(
  db: Db,
  judge: Judge,
  where: { schoolId: string; sessionIds?: readonly string[]; limit?: number },
): Promise<MissedSession[]> {
  if (where.sessionIds && where.sessionIds.length === 0) return []
  let query = db
    .selectFrom('session_cancellation as c')
    .innerJoin('supervision_session as s', 's.id', 'c.session_id')
    .leftJoin('person as p', 'p.id', 'c.cancelled_by')
    .select([
      'c.id',
      'c.kind',
      'c.reason_id',
      'c.reason_note',
      'c.return_date',
      'c.cancelled_at',
      's.id as session_id',
      's.type_id',
      's.date',
      's.start_time',
      'p.id as by_id',
      'p.name as by_name',
      'p.email as by_email',
    ])
    .where('c.school_id', '=', where.schoolId)
  if (where.sessionIds) query = query.where('c.session_id', 'in', [...where.sessionIds])
  const rows = await query
    .orderBy('s.date', 'desc')
    .orderBy('c.cancelled_at', 'desc')
    .limit(where.limit ?? 200)
    .execute()
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.session_id)
  const [participants, rebookings] = await Promise.all([
    db
      .selectFrom('session_participant as sp')
      .innerJoin('person as p', 'p.id', 'sp.person_id')
      .select(['sp.session_id', 'sp.role', 'p.id', 'p.name', 'p.email'])
      .where('sp.session_id', 'in', ids)
      .orderBy('p.name')
      .execute(),
    db
      .selectFrom('supervision_session')
      .select(['id', 'date', 'rebooks_session_id'])
      .where('rebooks_session_id', 'in', ids)
      .where('status', '!=', 'cancelled')
      .orderBy('date')
      .execute(),
  ])
  return rows.map((r) => {
    const people = participants.filter((p) => p.session_id === r.session_id)
    const supervisees = people
      .filter((p) => p.role === 'supervisee')
      .map((p) => ({ id: p.id, name: p.name, email: p.email }))
    const rebooking = rebookings.find((b) => b.rebooks_session_id === r.session_id) ?? null
    return {
      sessionId: r.session_id,
      typeId: r.type_id,
      date: r.date,
      startTime: r.start_time,
      kind: r.kind,
      reasonId: r.reason_id,
      reasonNote: r.reason_note,
      returnDate: r.return_date,
      cancelledBy: r.by_id ? { id: r.by_id, name: r.by_name ?? '', email: r.by_email ?? '' } : null,
      cancelledAt: r.cancelled_at,
      supervisors: people
        .filter((p) => p.role === 'supervisor')
        .map((p) => ({ id: p.id, name: p.name, email: p.email })),
      supervisees,
      rebookedFor: rebooking?.date ?? null,
      rebookingSessionId: rebooking?.id ?? null,
      rebooking: rebookingOf(
        judge,
        { sessionId: r.session_id, typeId: r.type_id, date: r.date, supervisees },
        { id: r.id, reasonId: r.reason_id, returnDate: r.return_date },
        rebooking?.date ?? null,
      ),
    }
  })
}

/** Still waiting to be rebooked: open, due soon, awaiting a return date, or past the deadline and not rebooked. */
export function needsRebooking(m: MissedSession): boolean {
  const state = m.rebooking.state
  return (
    state === 'open' ||
    state === 'due-soon' ||
    state === 'awaiting-return' ||
    (state === 'missed' && m.rebookedFor === null)
  )
}

export interface MySessions {
  upcoming: SessionSummary[]
  past: SessionSummary[]
  /** Sessions of theirs that did not take place and still need rebooking, or missed the deadline (CA-03). */
  rebookingWarnings: MissedSession[]
}

/** "My sessions": upcoming (today on, soonest first) and past (latest first), as supervisor or supervisee. */
export async function mySessions(db: Db, schoolId: string, personId: string, judge: Judge): Promise<MySessions> {
  const [upcoming, past] = await Promise.all([
    sessionsOfPerson(db, personId, { from: judge.today, limit: 100, order: 'asc' }),
    sessionsOfPerson(db, personId, { before: judge.today, limit: 50, order: 'desc' }),
  ])
  const missedIds = [...upcoming, ...past]
    .filter((s) => (s.status === 'cancelled' || s.status === 'did-not-attend') && s.schoolId === schoolId)
    .map((s) => s.id)
  const missed = await missedSessions(db, judge, { schoolId, sessionIds: missedIds })
  return { upcoming, past, rebookingWarnings: missed.filter(needsRebooking) }
}
