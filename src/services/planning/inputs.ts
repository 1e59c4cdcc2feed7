/**
 * Loads what the annual planner reads for one school and year: the policy in force, the calendar,
 * the staff and their supervisors (from other schools of a trust too), the sessions already held
 * or planned, overrides and the school's limits.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { addDays, type IsoDate, maxDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import type { Person } from '../../domain/people/person.ts'
import { type ExistingSession, type PlanInput, yearSpan } from '../../domain/planning/index.ts'
import { type PolicyDocument, policyInForce } from '../../domain/policy/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { personOverrides, schoolPeople } from '../compliance/facts.ts'
import { policyVersions } from '../policy/store.ts'
import { personFromRow } from '../staff/repository.ts'
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

export async function schoolForPlanning(db: Kysely<Database>, schoolId: string): Promise<PlanSchool> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'name', 'slug'])
    .where('id', '=', schoolId)
    .executeTakeFirstOrThrow()
  return { id: row.id, organisationId: row.organisation_id, name: row.name, slug: row.slug }
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

async function sessionsFor(
  db: Kysely<Database>,
  schoolId: string,
  outsiders: readonly string[],
  from: IsoDate,
  to: IsoDate,
): Promise<ExistingSession[]> {
  let query = db
    .selectFrom('supervision_session as s')
    .select(['s.id', 's.type_id', 's.date', 's.start_time', 's.duration_minutes', 's.status'])
    .where('s.date', '>=', from)
    .where('s.date', '<=', to)
  query =
    outsiders.length === 0
      ? query.where('s.school_id', '=', schoolId)
      : query.where((eb) =>
          eb.or([
            eb('s.school_id', '=', schoolId),
            eb.exists(
              eb
                .selectFrom('session_participant as o')
                .select('o.session_id')
                .whereRef('o.session_id', '=', 's.id')
                .where('o.person_id', 'in', [...outsiders]),
            ),
          ]),
        )
  const sessions = await query.orderBy('s.date').orderBy('s.id').execute()
  if (sessions.length === 0) return []
  const byId = new Map<string, ExistingSession>()
  for (const s of sessions) {
    byId.set(s.id, {
      id: s.id,
      typeId: s.type_id,
      date: s.date,
      startTime: s.start_time,
      durationMinutes: s.duration_minutes,
      status: s.status,
      supervisorIds: [],
      superviseeIds: [],
    })
  }
  const ids = [...byId.keys()]
  for (let i = 0; i < ids.length; i += 5000) {
    const participants = await db
      .selectFrom('session_participant')
      .select(['session_id', 'person_id', 'role', 'attended'])
      .where('session_id', 'in', ids.slice(i, i + 5000))
      .execute()
    for (const p of participants) {
      const session = byId.get(p.session_id)
      // Someone marked absent from a held session did not receive it.
      if (!session || p.attended === false) continue
      ;(p.role === 'supervisor' ? (session.supervisorIds as string[]) : (session.superviseeIds as string[])).push(
        p.person_id,
      )
    }
  }
  return [...byId.values()]
}

/**
 * Everything the planner needs for the school's year, planning from the day after `today` (or the
 * first day of term, if later). Throws PlanningError when the year is not a real academic year, or
 * no policy is in force during it.
 */
export async function loadPlanInput(
  db: Kysely<Database>,
  schoolId: string,
  yearId: string,
  today: IsoDate,
): Promise<LoadedPlanInput> {
  const bounds = parseAcademicYearId(yearId)
  if (!bounds) throw new PlanningError('The academic year must be written as 2 years, like 2026-27')
  const school = await schoolForPlanning(db, schoolId)
  const versions = (await policyVersions(db, schoolId)).map((v) => v.document)
  if (versions.length === 0) throw new PlanningError('This school has no supervision policy yet')
  const calendar = await schoolCalendar(db, schoolId, bounds.start)
  const span = yearSpan({ calendar, yearId })
  const from = maxDate(addDays(today, 1), span.first)
  if (from > span.last) throw new PlanningError(`${yearId} has ended: there is nothing left to plan`)
  const policy: PolicyDocument | null = policyInForce(versions, from) ?? policyInForce(versions, span.last)
  if (!policy) throw new PlanningError(`No supervision policy is in force during ${yearId}`)

  const [people, overrides, settings, assignments, organisation] = await Promise.all([
    schoolPeople(db, schoolId),
    personOverrides(db, schoolId),
    plannerSettings(db, schoolId),
    db
      .selectFrom('supervision_assignment as a')
      .innerJoin('person as p', 'p.id', 'a.supervisee_id')
      .select(['a.supervisee_id', 'a.supervisor_id'])
      .where('p.school_id', '=', schoolId)
      .where('a.kind', '=', 'supervisor')
      .where('a.ends_on', 'is', null)
      .execute(),
    db.selectFrom('organisation').select(['kind']).where('id', '=', school.organisationId).executeTakeFirstOrThrow(),
  ])
  const supervisorOf = new Map(assignments.map((a) => [a.supervisee_id, a.supervisor_id]))
  const inSchool = new Set(people.map((p) => p.id))
  const outsiderIds = [
    ...new Set([...supervisorOf.values(), ...people.map((p) => p.lineManagerId)].filter((id): id is string => !!id)),
  ].filter((id) => !inSchool.has(id))
  const outsiders: Person[] =
    outsiderIds.length === 0
      ? []
      : (await db.selectFrom('person').selectAll().where('id', 'in', outsiderIds).execute()).map(personFromRow)
  const trustSchoolIds =
    organisation.kind === 'trust'
      ? (await db.selectFrom('school').select('id').where('organisation_id', '=', school.organisationId).execute()).map(
          (s) => s.id,
        )
      : [schoolId]
  const existingSessions = await sessionsFor(
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
      supervisorsOf: (person) =>
        [supervisorOf.get(person.id), person.lineManagerId].filter((id): id is string => typeof id === 'string'),
      existingSessions,
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
      supervision: { trustSchoolIds },
    },
    school,
    settings,
    names: new Map(allPeople.map((p) => [p.id, p.name])),
    typeNames: new Map(policy.sessionTypes.map((t) => [t.id, t.name])),
    span: { first: span.first, last: span.last, horizon: span.horizon },
  }
}
