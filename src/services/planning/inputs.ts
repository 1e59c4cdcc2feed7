/**
 * Loads what the annual planner reads for one school and year: the policy in force, the calendar,
 * the staff and their supervisors (from other schools of a trust too), the sessions already held
 * or planned, overrides and the school's limits.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  currentSupervisorAssignments,
  existingSessions,
  peopleInOrganisationOf,
  planningSchool,
  supervisionSchoolIds,
} from '../../db/repositories/planning.ts'
import { currentKindAssignmentsOfSchool } from '../../db/repositories/supervision-kinds.ts'
import { teamsOf } from '../../db/repositories/supervisor-training.ts'
import { addDays, type IsoDate, maxDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import type { Person } from '../../domain/people/person.ts'
import { supervisorsForKind } from '../../domain/people/supervision.ts'
import { type PlanInput, yearSpan } from '../../domain/planning/index.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { personOverrides, schoolPeople } from '../compliance/facts.ts'
import { policyBook } from '../policy/on-date.ts'
import { gridContext } from '../sessions/context.ts'
import { type PlannerSettings, plannerSettings } from './settings.ts'

export class PlanningError extends Error {
  override name = 'PlanningError'
}

export interface PlanSchool {
  id: string
  organisationId: string
  name: string
  slug: string
}

export interface LoadedPlanInput {
  input: PlanInput & { from: IsoDate }
  school: PlanSchool
  settings: PlannerSettings
  /** Names of everyone in the input, by id. */
  names: Map<string, string>
  /** Session type names from the policy, by id. */
  typeNames: Map<string, string>
  /** The first day of term of the year, the last, and the next year's first. */
  span: { first: IsoDate; last: IsoDate; horizon: IsoDate }
}

const HISTORY_DAYS = 400

export async function schoolForPlanning(db: DbOrTrx, schoolId: string): Promise<PlanSchool> {
  return planningSchool(db, schoolId)
}

/** The year a planner page opens on: this academic year, or next year once this one's last term day has passed. */
export function defaultPlanYear(today: IsoDate, calendarLast: (yearId: string) => IsoDate | null): string {
  const [y = '0', m = '0'] = today.split('-')
  const startYear = Number(m) >= 9 ? Number(y) : Number(y) - 1
  const id = `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`
  const last = calendarLast(id)
  if (last !== null && today > last) return `${startYear + 1}-${String((startYear + 2) % 100).padStart(2, '0')}`
  return id
}

/**
 * Everything the planner needs for the school's year, planning from the day after `today` (or the
 * first day of term, if later). Throws PlanningError when the year is not a real academic year, or
 * no policy is in force during it.
 */
export async function loadPlanInput(
  db: DbOrTrx,
  schoolId: string,
  yearId: string,
  today: IsoDate,
): Promise<LoadedPlanInput> {
  const bounds = parseAcademicYearId(yearId)
  if (!bounds) throw new PlanningError('The academic year must be written as 2 years, like 2026-27')
  const school = await schoolForPlanning(db, schoolId)
  const book = await policyBook(db, schoolId)
  if (book.versions.length === 0) throw new PlanningError('This school has no supervision policy yet')
  const calendar = await schoolCalendar(db, schoolId, bounds.start)
  const span = yearSpan({ calendar, yearId })
  const from = maxDate(addDays(today, 1), span.first)
  if (from > span.last) throw new PlanningError(`${yearId} has ended: there is nothing left to plan`)
  const policy: PolicyDocument | null = book.on(from)
  if (!policy || policy.effectiveFrom > span.last)
    throw new PlanningError(`No supervision policy is in force during ${yearId}`)

  const [people, overrides, settings, assignments, trustSchoolIds] = await Promise.all([
    schoolPeople(db, schoolId),
    personOverrides(db, schoolId),
    plannerSettings(db, schoolId),
    currentSupervisorAssignments(db, schoolId),
    supervisionSchoolIds(db, schoolId),
  ])
  const supervisorOf = new Map(assignments.map((a) => [a.superviseeId, a.supervisorId]))
  // Issue 14: supervisors per kind of supervision, and the delegations booking checks too (PL-03).
  const [kindAssignments, grid] = await Promise.all([
    currentKindAssignmentsOfSchool(db, schoolId),
    gridContext(db, school.organisationId),
  ])
  const byKind = new Map<string, Map<string, string>>()
  for (const a of kindAssignments) {
    const kinds = byKind.get(a.superviseeId) ?? new Map<string, string>()
    kinds.set(a.sessionTypeId, a.supervisorId)
    byKind.set(a.superviseeId, kinds)
  }
  const inSchool = new Set(people.map((p) => p.id))
  const outsiderIds = [
    ...new Set(
      [
        ...supervisorOf.values(),
        ...kindAssignments.map((a) => a.supervisorId),
        ...people.map((p) => p.lineManagerId),
      ].filter((id): id is string => !!id),
    ),
  ].filter((id) => !inSchool.has(id))
  const outsiders: Person[] = await peopleInOrganisationOf(db, schoolId, outsiderIds)
  const sessions = await existingSessions(
    db,
    schoolId,
    outsiders.map((p) => p.id),
    addDays(span.first, -HISTORY_DAYS),
    span.horizon,
  )
  const allPeople = [...people, ...outsiders]
  return {
    input: {
      policy,
      calendar,
      people: allPeople,
      supervisorsOf: (person, sessionTypeId) =>
        supervisorsForKind(
          {
            byKind: byKind.get(person.id) ?? new Map(),
            supervisorId: supervisorOf.get(person.id) ?? null,
            lineManagerId: person.lineManagerId,
          },
          sessionTypeId,
        ),
      existingSessions: sessions,
      yearId,
      limits: {
        maxPerDay: settings.maxPerDay,
        maxPerWeek: settings.maxPerWeek,
        dayStartsAt: settings.dayStartsAt,
        dayEndsAt: settings.dayEndsAt,
      },
      schoolId,
      from,
      overrides,
      supervision: { trustSchoolIds, delegations: grid.delegations },
      // CA-05: the school's standing teams; their group sessions are planned with the team.
      teams: (await teamsOf(db, schoolId)).map((team) => ({
        id: team.id,
        name: team.name,
        leaderId: team.leaderId,
        memberIds: team.memberIds,
        sessionTypeId: team.sessionTypeId,
        standingGroupId: team.standingGroupId,
        frequency:
          team.everyWeeks === null
            ? null
            : { every: team.everyWeeks, unit: 'weeks', termTimeOnly: true, wording: null },
      })),
    },
    school,
    settings,
    names: new Map(allPeople.map((p) => [p.id, p.name])),
    typeNames: new Map(policy.sessionTypes.map((t) => [t.id, t.name])),
    span: { first: span.first, last: span.last, horizon: span.horizon },
  }
}
