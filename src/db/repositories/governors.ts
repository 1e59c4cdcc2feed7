/**
 * What the governors' report reads beyond the overview's facts (issue 16): contracts signed by
 * every party in a date range, escalation steps recorded in a range, and the school's governors
 * to send the report's link to. Scoped by school in every query.
 */

import { sql } from 'kysely'
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

// --- The kept report (migration 0029) --------------------------------------------------------

export interface KeptGovernorsReport {
  /** The school's overview change version now (migration 0011). */
  version: number
  /** The report kept for the period, when made for `asAt` at `version` (JSON text); null otherwise. */
  report: string | null
}

/**
 * The school's change version and its report kept for a period, in one query (the version read
 * with the report, so a report is never taken for a newer version than its facts).
 */
export async function keptGovernorsReport(
  db: Db,
  schoolId: string,
  periodId: string,
  asAt: IsoDate,
): Promise<KeptGovernorsReport> {
  const { rows } = await sql<{ version: string | number; report: string | null }>`
    select v.version,
      (select k.report from governors_report_kept k
        where k.school_id = ${schoolId} and k.period_id = ${periodId} and k.as_at = ${asAt}
          and k.change_version = v.version) as report
    from (select coalesce(sum(weight), 0) as version from overview_change where school_id = ${schoolId}) v`.execute(db)
  const row = rows[0]!
  return { version: Number(row.version), report: row.report }
}

/** Keeps a school's report for a period, unless one made at a later version is already kept. */
export async function keepGovernorsReport(
  db: Db,
  schoolId: string,
  kept: { periodId: string; asAt: IsoDate; version: number; report: string },
): Promise<void> {
  await sql`
    insert into governors_report_kept (school_id, period_id, as_at, change_version, report, computed_at)
    values (${schoolId}, ${kept.periodId}, ${kept.asAt}, ${kept.version}, ${kept.report}, now())
    on conflict (school_id, period_id) do update
      set as_at = excluded.as_at, change_version = excluded.change_version, report = excluded.report,
          computed_at = excluded.computed_at
      where governors_report_kept.change_version <= excluded.change_version`.execute(db)
}

/**
 * The school with the most sessions among those with a policy, or null: the one a Haven just
 * started works a report out for once, keeping nothing, so the first view finds its code warm
 * (warmUpGovernorsReport in services/governors/report.ts).
 */
export async function schoolToWarmUp(
  db: Db,
): Promise<{ id: string; organisationId: string; slug: string; name: string } | null> {
  const { rows } = await sql<{ id: string; organisation_id: string; slug: string; name: string }>`
    select s.id, s.organisation_id, s.slug, s.name
    from school s
    where exists (select 1 from policy_version v where v.school_id = s.id)
    order by (select count(*) from supervision_session ss where ss.school_id = s.id) desc, s.id
    limit 1`.execute(db)
  const row = rows[0]
  return row ? { id: row.id, organisationId: row.organisation_id, slug: row.slug, name: row.name } : null
}
