/**
 * Loads what the overview reads for one school (issue 9), as plain facts for the pure
 * buildOverview: the compliance engine's facts (the same loaders schoolCompliance uses), the
 * framework tags ticked on records, current supervision assignments, records waiting for
 * signatures, contracts waiting for signatures, open actions with their review history, and the
 * planner's weekly limit. A fixed number of queries, run side by side, whatever the size of the
 * school; then two more for people outside the school and supervisors' own supervision.
 */
import type { Db } from '../../db/database.ts'
import {
  contractsUnsigned,
  currentAssignments,
  lastSupervised,
  openActions,
  otherPeople,
  recordsAwaitingSignature,
  recordTags,
} from '../../db/repositories/overview.ts'
import { storedPlannerSettings } from '../../db/repositories/planning.ts'
import type { SchoolCalendar } from '../../domain/calendar/index.ts'
import {
  assessCompliance,
  type CancellationFact,
  type PersonCompliance,
  type SessionFact,
} from '../../domain/compliance/index.ts'
import { type OverviewFacts, otherPersonIds, supervisorRoles, windowStartFor } from '../../domain/overview/index.ts'
import type { IsoDate, Person } from '../../domain/people/person.ts'
import { defaultPlanLimits } from '../../domain/planning/model.ts'
import type { PersonOverride, PolicyBook } from '../../domain/policy/index.ts'
import { subtractDuration } from '../../domain/policy/time.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { cancellationFacts, personOverrides, schoolPeople, sessionFacts } from '../compliance/facts.ts'
import { NoPolicyError } from '../compliance/school-compliance.ts'
import { policyBook } from '../policy/on-date.ts'

export interface OverviewSchool {
  id: string
  organisationId: string
  slug: string
  name: string
}

/** The planner's weekly limit for a supervisor, and whether the school set it or it is the default. */
async function maxPerWeek(db: Db, schoolId: string): Promise<OverviewFacts['maxPerWeek']> {
  const settings = await storedPlannerSettings(db, schoolId)
  return settings
    ? { value: settings.maxPerWeek, source: 'planner' }
    : { value: defaultPlanLimits.maxPerWeek, source: 'default' }
}

/** Everything the overview reads for a school on a day. Throws NoPolicyError when the school has no policy. */
export async function loadOverviewFacts(db: Db, school: OverviewSchool, today: IsoDate): Promise<OverviewFacts> {
  return (await loadOverviewInputs(db, school, today)).facts
}

/**
 * What the compliance engine reads for a school whatever the day: the policy book, people,
 * sessions, cancellations and overrides. A caller reporting several days (the evidence pack) reads
 * them once and hands them to loadOverviewInputs for each day.
 */
export interface SchoolData {
  book: PolicyBook
  people: Person[]
  sessions: SessionFact[]
  cancellations: CancellationFact[]
  overrides: PersonOverride[]
}

/** `book`: the school's policy book, when the caller has already asked for it (not read again). */
export async function loadSchoolData(db: Db, schoolId: string, book?: Promise<PolicyBook>): Promise<SchoolData> {
  const [policy, people, sessions, cancellations, overrides] = await Promise.all([
    book ?? policyBook(db, schoolId),
    schoolPeople(db, schoolId),
    sessionFacts(db, schoolId),
    cancellationFacts(db, schoolId),
    personOverrides(db, schoolId),
  ])
  return { book: policy, people, sessions, cancellations, overrides }
}

/** Where the framework tags ticked on records are read from for a day (LH-02): the longest look-back, 12 months at least. */
export function tagsFromFor(book: PolicyBook, calendar: SchoolCalendar, today: IsoDate): IsoDate {
  return [
    windowStartFor(today),
    ...(book.on(today)?.frameworks ?? [])
      .filter((f) => f.tagSessions && f.coverageLookback !== null)
      .map((f) => subtractDuration(today, f.coverageLookback!, calendar)),
  ].sort()[0]!
}

/**
 * The overview's facts, and what the compliance engine was given to work them out (every policy
 * version, cancellations, overrides): the governors' report (issue 16) judges earlier terms from
 * the same facts, without reading them again.
 */
export async function loadOverviewInputs(
  db: Db,
  school: OverviewSchool,
  today: IsoDate,
  {
    workLists = true,
    data,
    tags: tagsRead,
    judge,
    calendar: calendarRead,
  }: {
    /**
     * False leaves out what only the overview's lists of work to do read (records waiting for
     * signatures, contracts unsigned, open actions, the planner's weekly limit): the governors'
     * report counts none of them, and they are the slower reads.
     */
    workLists?: boolean
    /** The school's data already read (loadSchoolData): not read again. */
    data?: SchoolData
    /** The framework tags already read, from at least tagsFromFor(today) to at least today. */
    tags?: ReadonlyMap<string, string[]>
    /** The engine's answer on a day, kept by the caller: used instead of running it again. */
    judge?: (day: IsoDate) => PersonCompliance[]
    /**
     * The school's calendar as read for `today`, when the caller has read it: not read again, and
     * the engine's working calendar for it (built once per calendar object) is shared.
     */
    calendar?: SchoolCalendar
  } = {},
): Promise<{
  facts: OverviewFacts
  book: PolicyBook
  cancellations: readonly CancellationFact[]
  overrides: readonly PersonOverride[]
}> {
  const [read, calendar, assignments, records, contracts, actions, limit] = await Promise.all([
    data ?? loadSchoolData(db, school.id),
    calendarRead ?? schoolCalendar(db, school.id, today),
    currentAssignments(db, school.id, today),
    workLists ? recordsAwaitingSignature(db, school.id) : [],
    workLists ? contractsUnsigned(db, school.id) : [],
    workLists ? openActions(db, school.id) : [],
    workLists ? maxPerWeek(db, school.id) : { value: defaultPlanLimits.maxPerWeek, source: 'default' as const },
  ])
  const { book, people, sessions, cancellations, overrides } = read
  if (book.versions.length === 0) throw new NoPolicyError('This school has no supervision policy yet')
  // People outside the school and supervisors' own supervision: asked for before the engine
  // runs, so the database answers while it works (neither depends on its answer).
  const base = { today, people, sessions, assignments, contracts, actions }
  const othersRead = Promise.all([
    otherPeople(db, school.organisationId, otherPersonIds(base)),
    lastSupervised(db, school.organisationId, [...supervisorRoles(base).keys()], today),
  ])
  othersRead.catch(() => {})
  // LH-02: tags as far back as the longest of the frameworks' own look-backs (12 months at least).
  const tags = tagsRead ?? (await recordTags(db, school.id, tagsFromFor(book, calendar, today), today))
  const compliance =
    judge?.(today) ??
    assessCompliance({
      policy: book.versions,
      calendar,
      people,
      sessions,
      cancellations,
      overrides,
      today,
    })
  const [others, lastSupervisedOn] = await othersRead
  const facts: OverviewFacts = {
    today,
    school: { id: school.id, name: school.name, slug: school.slug },
    policy: book.on(today),
    policyVersions: book.versions,
    calendar,
    people,
    compliance,
    sessions,
    recordTags: tags,
    assignments,
    records,
    contracts,
    actions,
    maxPerWeek: limit,
    others,
    lastSupervisedOn,
  }
  return { facts, book, cancellations, overrides }
}
