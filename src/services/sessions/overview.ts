/**
 * What the scheduling pages show beyond single rows: a person's sessions with rebooking warnings
 * ("my sessions"), the school's cancellations for the DSL (MW-06), and the rebooking deadline of
 * one session (CA-03), each judged by the policy version in force on the session's date.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  type CancellationsSort,
  type CancelledSession,
  cancelledSessionsPage,
  type MySessionsSort,
  missedSessionIdsOfPerson,
  sessionsOfPersonChoices,
  sessionsOfPersonPage,
} from '../../db/repositories/sessions/index.ts'
import type { SchoolCalendar } from '../../domain/calendar/index.ts'
import type { ListQuery, ListSpec } from '../../domain/lists/list-query.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { type RebookingView, rebookingView } from '../../domain/scheduling/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { type PolicyBook, policyBook } from '../policy/on-date.ts'
import type { SessionSummary } from './repository.ts'

/** A session that did not take place, with how its rebooking stands today (CA-03). */
export interface MissedSession extends Omit<CancelledSession, 'cancellationId'> {
  rebooking: RebookingView
}

export interface Judge {
  /** The school's policy on any date (one rule, ADR 0021). */
  book: PolicyBook
  calendar: SchoolCalendar
  today: IsoDate
}

export async function judgeFor(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<Judge> {
  const [book, calendar] = await Promise.all([policyBook(db, schoolId), schoolCalendar(db, schoolId, today)])
  return { book, calendar, today }
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
    judge.book.on(s.date),
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
  db: DbOrTrx,
  judge: Judge,
  where: { schoolId: string; sessionIds?: readonly string[] },
): Promise<MissedSession[]> {
  return (await missedSessionsPage(db, judge, where)).rows
}

export const cancellationsListSpec: ListSpec<CancellationsSort> = {
  sorts: ['date', 'recorded'],
  defaultDirection: 'desc',
  filters: ['person', 'supervisor', 'from', 'to', 'kind', 'status'],
  statuses: ['cancelled', 'postponed', 'did-not-attend'],
}

/** A page of the school's sessions that did not take place, filtered and sorted (issue 16), with how many match. */
export async function missedSessionsPage(
  db: DbOrTrx,
  judge: Judge,
  where: { schoolId: string; sessionIds?: readonly string[]; list?: ListQuery<CancellationsSort> },
): Promise<{ total: number; rows: MissedSession[] }> {
  const page = await cancelledSessionsPage(db, where.schoolId, { sessionIds: where.sessionIds, list: where.list })
  return {
    total: page.total,
    rows: page.rows.map(({ cancellationId, ...r }) => ({
      ...r,
      rebooking: rebookingOf(
        judge,
        { sessionId: r.sessionId, typeId: r.typeId, date: r.date, supervisees: r.supervisees },
        { id: cancellationId, reasonId: r.reasonId, returnDate: r.returnDate },
        r.rebookedFor,
      ),
    })),
  }
}

/** Still waiting to be rebooked: open, due soon, awaiting a return date, as soon as possible (issue 14), or past the deadline and not rebooked. */
export function needsRebooking(m: MissedSession): boolean {
  const state = m.rebooking.state
  return (
    state === 'open' ||
    state === 'due-soon' ||
    state === 'awaiting-return' ||
    state === 'as-soon-as-possible' ||
    state === 'not-rebooked' ||
    (state === 'missed' && m.rebookedFor === null)
  )
}

/**
 * "Your sessions" (issue 16): sorted by date (upcoming soonest first, past latest first) or kind,
 * filtered by who, when, kind and status.
 */
export function mySessionsListSpec(show: 'upcoming' | 'past'): ListSpec<MySessionsSort> {
  return {
    sorts: ['date', 'type'],
    defaultDirection: { date: show === 'past' ? 'desc' : 'asc', type: 'asc' },
    filters: ['person', 'supervisor', 'from', 'to', 'kind', 'status'],
    statuses: ['planned', 'held', 'cancelled', 'did-not-attend'],
  }
}

export interface MySessions {
  /** How many of the shown kind (upcoming or past) match, and one page of them. */
  total: number
  sessions: SessionSummary[]
  /** The people of the person's sessions and their kinds, to filter by. */
  people: { id: string; name: string; role: 'supervisor' | 'supervisee' }[]
  typeIds: string[]
  /** Sessions of theirs that did not take place and still need rebooking, or missed the deadline (CA-03). */
  rebookingWarnings: MissedSession[]
}

/**
 * "My sessions": one page of the upcoming (today on, soonest first) or past (latest first unless
 * sorted otherwise) sessions, as supervisor or supervisee, in any school of the organisation, never
 * cut short (issue 16); rebooking warnings for all of theirs at `school`.
 */
export async function mySessions(
  db: DbOrTrx,
  school: { id: string; organisationId: string },
  personId: string,
  judge: Judge,
  show: 'upcoming' | 'past',
  list: ListQuery<MySessionsSort>,
): Promise<MySessions> {
  const when = show === 'past' ? { before: judge.today } : { from: judge.today }
  const [page, choices, missedIds] = await Promise.all([
    sessionsOfPersonPage(db, school.organisationId, personId, when, list),
    sessionsOfPersonChoices(db, school.organisationId, personId),
    missedSessionIdsOfPerson(db, school.id, personId),
  ])
  const missed = await missedSessions(db, judge, { schoolId: school.id, sessionIds: missedIds })
  return {
    total: page.total,
    sessions: page.rows,
    ...choices,
    rebookingWarnings: missed.filter(needsRebooking),
  }
}
