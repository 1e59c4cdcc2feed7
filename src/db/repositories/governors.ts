/**
 * What the governors' report reads beyond the overview's facts (issue 16): contracts signed by
 * every party in a date range, escalation steps recorded in a range, and the school's governors
 * to send the report's link to. Scoped by school in every query.
 */

import { addDays } from '../../domain/calendar/dates.ts'
import { londonDateOf, londonToInstant } from '../../domain/calendar/index.ts'
import type {
  CaseEscalationFact,
  ContractSignedFact,
  EscalationFact,
  SessionFocusFact,
} from '../../domain/governors/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'

type Db = DbOrTrx

/** Contracts of the school signed by every party (signed, or since superseded) between two London dates. */
export async function contractsSignedBetween(
  db: Db,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<ContractSignedFact[]> {
  const rows = await db
    .selectFrom('contract')
    .select(['supervisee_id', 'signed_at'])
    .where('school_id', '=', schoolId)
    .where('status', 'in', ['signed', 'superseded'])
    .where('signed_at', '>=', londonToInstant(from, '00:00'))
    .where('signed_at', '<', londonToInstant(addDays(to, 1), '00:00'))
    .execute()
  return rows.map((r) => ({ superviseeId: r.supervisee_id, signedOn: londonDateOf(r.signed_at as Date) }))
}

/** Escalation steps recorded for the school's people, reached between two dates (LH-09, AM-09, CA-03). */
export async function escalationsBetween(
  db: Db,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<EscalationFact[]> {
  const rows = await db
    .selectFrom('escalation_event')
    .select(['person_id', 'reached_on'])
    .where('school_id', '=', schoolId)
    .where('reached_on', '>=', from)
    .where('reached_on', '<=', to)
    .execute()
  return rows.map((r) => ({ personId: r.person_id, reachedOn: r.reached_on }))
}

/** The school's case escalations (LH-10) raised on or before a day: dates and outcome, nothing of the case. */
export async function caseEscalationsUpTo(db: Db, schoolId: string, to: IsoDate): Promise<CaseEscalationFact[]> {
  const rows = await db
    .selectFrom('case_escalation')
    .select(['raised_on', 'closed_on', 'outcome'])
    .where('school_id', '=', schoolId)
    .where('raised_on', '<=', to)
    .execute()
  return rows.map((r) => ({
    raisedOn: r.raised_on,
    closedOn: r.closed_on,
    outcome: r.outcome as CaseEscalationFact['outcome'],
  }))
}

/** CA-01: the focus recorded for each of the school's sessions held between two dates that has one (ids and codes only). */
export async function sessionFocusesBetween(
  db: Db,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<SessionFocusFact[]> {
  const rows = await db
    .selectFrom('supervision_session')
    .select(['id', 'focus_id'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'held')
    .where('focus_id', 'is not', null)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .execute()
  return rows.map((r) => ({ sessionId: r.id, focusId: r.focus_id as string }))
}

/** The school's governors still in post with an address: who the report's link is sent to. */
export async function governorsOfSchool(
  db: Db,
  schoolId: string,
  roles: readonly string[],
  today: IsoDate,
): Promise<{ id: string; name: string; email: string }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'roles', 'end_date'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .execute()
  return rows
    .filter((r) => r.email !== '' && r.roles.some((role) => roles.includes(role)))
    .map((r) => ({ id: r.id, name: r.name, email: r.email }))
}
