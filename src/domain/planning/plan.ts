/**
 * The annual planner (CA-02, MW-01, MW-04; issue 6): for one academic year, a proposed date for
 * every session each person in scope needs, so that everyone meets the policy's frequency.
 *
 * For each person in scope (decideScope, on the first day planned, or the day they come into
 * scope), each requirement that sets a due date, in turn:
 * - the next due date is worked out exactly as the compliance engine does (the same candidates:
 *   the policy's frequency, its maximum gap, stricter rules, agreed frequencies), counting from
 *   the last held or planned session of a type that counts, or from the start of the person's
 *   scope;
 * - a session already in Haven on or before that date moves the clock on; otherwise one is
 *   proposed on or before it: in the middle of the half term or term it is due in, or a few
 *   working days before the due date for "every N weeks" and "every N months" rules;
 * - a proposed day is a working day in term (no weekend, holiday, bank holiday, closure or INSET
 *   day), one of the person's working days (MW-04: part-time staff keep the same frequency, on
 *   their own days) and one of the supervisor's, with the supervisor under the school's limits
 *   of sessions a day and a week, and a time free for both; among the nearest such days, the one
 *   where the supervisor has least on wins, which spreads each supervisor's load;
 * - planning stops once the next due date falls on or after the first day of the following year.
 *
 * The supervisor is chosen for each type of session (each kind of supervision): the first of the
 * person's supervisors for that kind, their general supervisor, or their line manager (the caller's
 * supervisorsOf) whom the policy allows for that type, by the same check booking refuses a
 * supervisor with (supervisorEligibility). Whatever cannot be planned is listed with
 * the reason. Deterministic: people are planned in name order, and the result never depends on the
 * order of the input.
 */
import {
  type AcademicYear,
  englandDefaultYear,
  formatLongDate,
  type IsoDate,
  parseAcademicYearId,
} from '../calendar/index.ts'
import { type DayCalendar, dayCalendarFor } from '../compliance/day-calendar.ts'
import { currentCandidates, type Due, type DueCandidate, earliestDue } from '../compliance/due.ts'
import type { Person, Weekday } from '../people/person.ts'
import {
  decideScope,
  type PersonOverride,
  type PolicyDocument,
  type Requirement,
  type SessionType,
  supervisorEligibility,
} from '../policy/index.ts'
import { untrainedSupervisorCheck } from '../policy/training.ts'
import { lowerFirst } from '../policy/wording.ts'
import { planningCountFacts } from './counts.ts'
import {
  type ExistingSession,
  fallbackDurationMinutes,
  gapBetweenSessionsMinutes,
  type PlanInput,
  type PlanLimits,
  type PlanResult,
  type Proposal,
  workingDaysOf,
} from './model.ts'
import { coveredByTeam, planTeam } from './teams.ts'

const weekdayNames = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays']
/** How many of the nearest possible days are weighed against each other for load. */
const DAYS_WEIGHED = 6
/** An overdue session is proposed within this many working days of the first day planned. */
const OVERDUE_WITHIN_WORKING_DAYS = 10

/** ISO weekday (1 = Monday) of a day number; day 0 (1 January 1970) was a Thursday. */
export function weekdayOfDay(day: number): Weekday {
  return (((((day + 3) % 7) + 7) % 7) + 1) as Weekday
}

/** Monday-to-Sunday week number of a day number. */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7)
}

export function minutesOfTime(time: string): number {
  const [h = '0', m = '0'] = time.split(':')
  return Number(h) * 60 + Number(m)
}

export function timeOfMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function describeDays(days: readonly Weekday[]): string {
  const names = [...days].sort((a, b) => a - b).map((d) => weekdayNames[d - 1] ?? '')
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

export interface YearSpan {
  year: AcademicYear
  /** First day of term. */
  first: IsoDate
  /** Last day of term. */
  last: IsoDate
  /** First day of term of the following year. */
  horizon: IsoDate
}

/** The year's first and last days of term, and the next year's first day of term. */
export function yearSpan(input: Pick<PlanInput, 'calendar' | 'yearId'>): YearSpan {
  const bounds = parseAcademicYearId(input.yearId)
  if (!bounds) throw new RangeError(`Not an academic year: ${input.yearId}`)
  const year = input.calendar.years.find((candidate) => candidate.id === input.yearId)
  if (!year || year.halfTerms.length === 0) throw new RangeError(`The calendar has no dates for ${input.yearId}`)
  const nextId = `${bounds.startYear + 1}-${String((bounds.startYear + 2) % 100).padStart(2, '0')}`
  const next =
    input.calendar.years.find((candidate) => candidate.id === nextId) ?? englandDefaultYear(bounds.startYear + 1)
  const starts = year.halfTerms.map((half) => half.start).sort()
  const ends = year.halfTerms.map((half) => half.end).sort()
  const nextStarts = next.halfTerms.map((half) => half.start).sort()
  return {
    year,
    first: starts[0] as IsoDate,
    last: ends[ends.length - 1] as IsoDate,
    horizon: (nextStarts[0] ?? bounds.end) as IsoDate,
  }
}

/** One person's diary: sessions led per day and week, and busy times per day. */
export interface PersonDiary {
  days: Map<number, number>
  weeks: Map<number, number>
  busy: Map<number, number[]>
}

/** Who is doing what on which day: supervisors' counts, and everyone's busy times. */
export class Diary {
  readonly limits: PlanLimits
  readonly startMinutes: number
  readonly endMinutes: number
  #people = new Map<string, PersonDiary>()

  constructor(limits: PlanLimits) {
    this.limits = limits
    this.startMinutes = minutesOfTime(limits.dayStartsAt)
    this.endMinutes = minutesOfTime(limits.dayEndsAt)
  }

  of(personId: string): PersonDiary {
    let entry = this.#people.get(personId)
    if (entry === undefined) {
      entry = { days: new Map(), weeks: new Map(), busy: new Map() }
      this.#people.set(personId, entry)
    }
    return entry
  }

  dayCount(supervisorId: string, day: number): number {
    return this.of(supervisorId).days.get(day) ?? 0
  }

  weekCount(supervisorId: string, day: number): number {
    return this.of(supervisorId).weeks.get(weekOfDay(day)) ?? 0
  }

  /** Whether the supervisor may take one more session that day. */
  hasRoom(supervisor: PersonDiary, day: number): boolean {
    return (
      (supervisor.days.get(day) ?? 0) < this.limits.maxPerDay &&
      (supervisor.weeks.get(weekOfDay(day)) ?? 0) < this.limits.maxPerWeek
    )
  }

  addSupervising(supervisorId: string, day: number): void {
    const entry = this.of(supervisorId)
    const week = weekOfDay(day)
    entry.days.set(day, (entry.days.get(day) ?? 0) + 1)
    entry.weeks.set(week, (entry.weeks.get(week) ?? 0) + 1)
  }

  addBusy(personId: string, day: number, start: number, minutes: number): void {
    const busy = this.of(personId).busy
    const list = busy.get(day)
    if (list) list.push(start, start + minutes)
    else busy.set(day, [start, start + minutes])
  }

  /** Whether the person is free for `minutes` from `start` that day (with the gap either side). */
  isFreeAt(entry: PersonDiary, day: number, start: number, minutes: number): boolean {
    return isFree(entry.busy.get(day), start, minutes)
  }

  /** The earliest start (minutes after midnight) in the school's day when both are free, or null. */
  freeStart(a: PersonDiary, b: PersonDiary, day: number, minutes: number): number | null {
    const first = a.busy.get(day)
    const second = b.busy.get(day)
    for (let start = this.startMinutes; start + minutes <= this.endMinutes; start += 15) {
      if (isFree(first, start, minutes) && isFree(second, start, minutes)) return start
    }
    return null
  }
}

function isFree(list: readonly number[] | undefined, start: number, minutes: number): boolean {
  if (list === undefined) return true
  for (let i = 0; i < list.length; i += 2) {
    const busyStart = list[i] as number
    const busyEnd = list[i + 1] as number
    if (start < busyEnd + gapBetweenSessionsMinutes && busyStart < start + minutes + gapBetweenSessionsMinutes)
      return false
  }
  return true
}

/** Days a session may be proposed on: working days in term that are no closure or INSET day. */
export class PlaceableDays {
  readonly firstDay: number
  readonly lastDay: number
  #open: Uint8Array

  constructor(dc: DayCalendar, year: AcademicYear, firstDay: number, lastDay: number) {
    this.firstDay = firstDay
    this.lastDay = lastDay
    const closed = new Set(year.closures.map((closure) => dc.day(closure.date)))
    this.#open = new Uint8Array(Math.max(0, lastDay - firstDay + 1))
    for (let day = firstDay; day <= lastDay; day++) {
      if (!closed.has(day) && dc.isWorkingDay(day)) this.#open[day - firstDay] = 1
    }
  }

  isOpen(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay && this.#open[day - this.firstDay] === 1
  }
}

interface Known {
  day: number
  typeId: string
}

interface Driver {
  requirement: Requirement
  candidates: DueCandidate[]
  typeId: string
  counts: ReadonlySet<string>
  /** The day the requirement's clock starts (a session on or before it does not move the clock). */
  start: number
}

/** The type of session to plan for a requirement: one it counts, not a group; formal and planned first. */
export function plannableType(
  policy: PolicyDocument,
  requirement: Requirement,
  preferred: ReadonlySet<string> = new Set(),
): SessionType | null {
  const types = requirement.sessionTypes
    .map((id) => policy.sessionTypes.find((type) => type.id === id))
    .filter((type): type is SessionType => type !== undefined && !type.group)
  const already = types.find((type) => preferred.has(type.id))
  if (already) return already
  return (
    types.find((type) => type.planned && type.formal && !type.onRequest) ??
    types.find((type) => type.planned) ??
    types[0] ??
    null
  )
}

function byNameThenId(a: Person, b: Person): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function proposalKey(p: Proposal): string {
  return `${p.date} ${p.startTime} ${p.supervisorId} ${p.superviseeId} ${p.requirementId}`
}

function counting(session: ExistingSession): boolean {
  return session.status === 'held' || session.status === 'planned'
}

/**
 * Proposes the year's sessions. Throws RangeError when the year id is malformed or the calendar
 * has no dates for it.
 */
export function planYear(input: PlanInput): PlanResult {
  const { policy, calendar, limits } = input
  const span = yearSpan(input)
  const dc = dayCalendarFor(calendar)
  const firstTermDay = dc.day(span.first)
  const lastDay = dc.day(span.last)
  const horizonDay = dc.day(span.horizon)
  const fromDay = Math.max(firstTermDay, input.from ? dc.day(input.from) : firstTermDay)
  const result: PlanResult = {
    yearId: input.yearId,
    from: dc.iso(fromDay),
    until: span.last,
    horizon: span.horizon,
    proposals: [],
    unplaceable: [],
    warnings: [],
  }
  if (fromDay > lastDay) return result

  const peopleById = new Map<string, Person>()
  for (const person of input.people) {
    if (peopleById.has(person.id)) throw new Error(`Two people have the id '${person.id}'`)
    peopleById.set(person.id, person)
  }
  const overrides = new Map<string, PersonOverride[]>()
  for (const override of input.overrides ?? []) {
    const list = overrides.get(override.personId)
    if (list) list.push(override)
    else overrides.set(override.personId, [override])
  }

  // What is already in the diary: supervisors' load and everyone's busy times, and each
  // supervisee's sessions that count.
  const diary = new Diary(limits)
  const known = new Map<string, Known[]>()
  const sessions = [...input.existingSessions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const session of sessions) {
    if (!counting(session)) continue
    const day = dc.day(session.date)
    for (const id of session.superviseeIds) {
      const list = known.get(id)
      if (list) list.push({ day, typeId: session.typeId })
      else known.set(id, [{ day, typeId: session.typeId }])
    }
    if (day < fromDay - 7 || day > lastDay + 7) continue
    for (const id of session.supervisorIds) diary.addSupervising(id, day)
    if (session.startTime !== null) {
      const start = minutesOfTime(session.startTime)
      const minutes = session.durationMinutes ?? fallbackDurationMinutes
      for (const id of [...session.supervisorIds, ...session.superviseeIds]) diary.addBusy(id, day, start, minutes)
    }
  }

  const days = new PlaceableDays(dc, span.year, fromDay, lastDay)
  const policyStart = dc.day(policy.effectiveFrom)
  const planned = input.people
    .filter((person) => input.schoolId === undefined || input.schoolId === null || person.schoolId === input.schoolId)
    .sort(byNameThenId)

  // CA-05: the standing teams' group sessions first, so each member's own planning counts them.
  const teams = [...(input.teams ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const team of teams) {
    const existingDays = sessions
      .filter(
        (session) =>
          counting(session) &&
          session.typeId === team.sessionTypeId &&
          session.supervisorIds.includes(team.leaderId) &&
          session.superviseeIds.some((id) => team.memberIds.includes(id)),
      )
      .map((session) => dc.day(session.date))
    const teamPlan = planTeam(team, {
      policy,
      dc,
      days,
      diary,
      people: peopleById,
      existingDays,
      fromDay,
      lastDay,
      horizonDay,
    })
    result.proposals.push(...teamPlan.proposals)
    result.unplaceable.push(...teamPlan.unplaceable)
    for (const warning of teamPlan.warnings) addWarning(result, warning.personId, warning.reason)
    for (const proposal of teamPlan.proposals) {
      const entry = { day: dc.day(proposal.date), typeId: proposal.typeId }
      const list = known.get(proposal.superviseeId)
      if (list) list.push(entry)
      else known.set(proposal.superviseeId, [entry])
    }
  }

  for (const person of planned) {
    planPerson({
      input,
      person,
      dc,
      diary,
      days,
      peopleById,
      overrides: overrides.get(person.id) ?? [],
      known: known.get(person.id) ?? [],
      fromDay,
      lastDay,
      horizonDay,
      policyStart,
      result,
    })
  }
  const keyed = result.proposals.map((proposal) => ({ key: proposalKey(proposal), proposal }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  result.proposals = keyed.map((entry) => entry.proposal)
  return result
}

/** One warning per supervisor: the first reason given. */
function addWarning(result: PlanResult, personId: string, reason: string): void {
  if (!result.warnings.some((warning) => warning.personId === personId)) result.warnings.push({ personId, reason })
}

interface PersonContext {
  input: PlanInput
  person: Person
  dc: DayCalendar
  diary: Diary
  days: PlaceableDays
  peopleById: ReadonlyMap<string, Person>
  overrides: readonly PersonOverride[]
  known: Known[]
  fromDay: number
  lastDay: number
  horizonDay: number
  policyStart: number
  result: PlanResult
}

function planPerson(context: PersonContext): void {
  const { input, person, dc, fromDay, lastDay, result } = context
  const { policy } = input
  const endDay = person.endDate === null ? null : dc.day(person.endDate)
  if (endDay !== null && endDay < fromDay) return
  const startDay = person.startDate === null ? null : dc.day(person.startDate)
  let decisionDay = Math.max(fromDay, startDay ?? fromDay)
  if (decisionDay > lastDay) return
  let decision = decideScope(policy, person, dc.iso(decisionDay), context.overrides, input.calendar)
  if (!decision.required && decision.inScopeFrom !== null) {
    const inScopeDay = dc.day(decision.inScopeFrom)
    if (inScopeDay > decisionDay && inScopeDay <= lastDay) {
      decisionDay = inScopeDay
      decision = decideScope(policy, person, dc.iso(decisionDay), context.overrides, input.calendar)
    }
  }
  if (!decision.required) return
  const decisionDate = dc.iso(decisionDay)
  const scopeStart = decision.inScopeFrom === null ? null : dc.day(decision.inScopeFrom)
  const clockStart = scopeStart !== null && scopeStart >= context.policyStart ? scopeStart : context.policyStart

  const unplaceable = (requirementId: string | null, reason: string) => {
    result.unplaceable.push({ personId: person.id, requirementId, reason })
  }

  // The requirements that set a due date, each with the type of session that meets it.
  const drivers: Driver[] = []
  const chosen = new Set<string>()
  for (const requirementId of decision.requirementIds) {
    const requirement = policy.requirements.find((candidate) => candidate.id === requirementId)
    if (!requirement) continue
    const candidates = currentCandidates(dc, requirement, person, context.overrides, decisionDate)
    if (candidates.length === 0) continue
    const type = plannableType(policy, requirement, chosen)
    if (!type && coveredByTeam(policy, requirement, person.id, input.teams ?? [])) continue
    if (!type) {
      unplaceable(
        requirement.id,
        `${requirement.description} counts only group sessions: add ${person.name} to a team on the teams page, and the team’s sessions will be planned`,
      )
      continue
    }
    chosen.add(type.id)
    drivers.push({
      requirement,
      candidates,
      typeId: type.id,
      counts: new Set(requirement.sessionTypes),
      start: clockStart,
    })
  }
  if (drivers.length === 0) return

  // One pass per type of session, each meeting the requirements that type was chosen for, each
  // with its own supervisor: the kind of supervision decides who may lead it (issue 14).
  const groups = new Map<string, Driver[]>()
  for (const driver of drivers) {
    const list = groups.get(driver.typeId)
    if (list) list.push(driver)
    else groups.set(driver.typeId, [driver])
  }
  const personDays = workingDaysOf(person)
  const roomMinutes = context.diary.endMinutes - context.diary.startMinutes
  for (const [typeId, group] of groups) {
    const requirementId = group[0]?.requirement.id ?? null
    const picked = pickSupervisor(context, typeId, decisionDate)
    if ('reason' in picked) {
      // One explanation per person when it is the same for every kind.
      const last = result.unplaceable.at(-1)
      if (last?.personId !== person.id || last.reason !== picked.reason) unplaceable(requirementId, picked.reason)
      continue
    }
    const supervisor = picked.supervisor
    const supervisorDays = workingDaysOf(supervisor)
    const shared = personDays.filter((day) => supervisorDays.includes(day))
    if (shared.length === 0) {
      unplaceable(
        requirementId,
        `${person.name} works ${describeDays(personDays)} and ${supervisor.name} works ${describeDays(supervisorDays)}: they share no working day, so choose another supervisor`,
      )
      continue
    }
    const sharedDays = new Set<number>(shared)
    const supervisorEnd = supervisor.endDate === null ? null : dc.day(supervisor.endDate)
    const supervisorStart = supervisor.startDate === null ? null : dc.day(supervisor.startDate)
    const minutes = Math.max(...group.map((driver) => driver.requirement.expectedMinutes ?? fallbackDurationMinutes))
    if (minutes > roomMinutes) {
      unplaceable(
        group[0]?.requirement.id ?? null,
        `A ${minutes}-minute session does not fit between ${input.limits.dayStartsAt} and ${input.limits.dayEndsAt}: change the planner’s hours`,
      )
      continue
    }
    planType(context, {
      typeId,
      group,
      supervisor,
      sharedDays,
      minutes,
      endDay,
      firstDay: Math.max(fromDay, startDay ?? fromDay, supervisorStart ?? fromDay),
      lastPossible: Math.min(lastDay, endDay ?? lastDay, supervisorEnd ?? lastDay),
      supervisorEnd,
    })
  }
}

/**
 * The supervisor for a person's sessions of one type: the first of their supervisors for that kind
 * of supervision (the caller's supervisorsOf, best first) whom the policy allows, by the same
 * check booking uses (supervisorEligibility). Otherwise the reason, fit to show the DSL.
 */
function pickSupervisor(
  context: PersonContext,
  typeId: string,
  on: IsoDate,
): { supervisor: Person } | { reason: string } {
  const { input, person } = context
  const refusals: string[] = []
  const seen = new Set<string>()
  for (const id of input.supervisorsOf(person, typeId)) {
    if (seen.has(id) || id === person.id) continue
    seen.add(id)
    const candidate = context.peopleById.get(id)
    if (!candidate) continue
    const permission = supervisorEligibility(input.policy, candidate, person, {
      ...input.supervision,
      on,
      sessionTypeId: typeId,
    })
    if (permission.allowed) {
      // LH-08, PL-05: the policy only warns about this supervisor's training: plan, and say so.
      const untrained =
        permission.rule.via.kind === 'external' ? null : untrainedSupervisorCheck(input.policy, candidate, on)
      if (untrained) addWarning(context.result, candidate.id, `${untrained.message}.`)
      return { supervisor: candidate }
    }
    refusals.push(permission.reason)
  }
  const type = input.policy.sessionTypes.find((candidate) => candidate.id === typeId)
  const kind =
    type && input.policy.supervisors.rules.some((rule) => (rule.sessionTypes ?? []).length > 0)
      ? ` for ${lowerFirst(type.name)}`
      : ''
  return {
    reason:
      refusals[0] ??
      `${person.name} has no supervisor${kind} or line manager in Haven: choose one on their page, then plan again`,
  }
}

interface TypePlan {
  typeId: string
  group: Driver[]
  supervisor: Person
  sharedDays: ReadonlySet<number>
  minutes: number
  endDay: number | null
  /** No session before this day. */
  firstDay: number
  /** No session after this day (end of term, or either person leaving). */
  lastPossible: number
  supervisorEnd: number | null
}

function anchorOf(driver: Driver, known: readonly Known[], pos: number): { day: number; fromStart: boolean } {
  let day = driver.start
  let fromStart = true
  for (const session of known) {
    if (session.day > driver.start && session.day <= pos && session.day >= day && driver.counts.has(session.typeId)) {
      day = session.day
      fromStart = false
    }
  }
  return { day, fromStart }
}

function planType(context: PersonContext, plan: TypePlan): void {
  const { dc, person, horizonDay, known, result } = context
  const { supervisor } = plan
  let pos = context.fromDay - 1
  for (let guard = 0; guard < 1000; guard++) {
    let best: { driver: Driver; due: Due; anchor: number } | null = null
    for (const driver of plan.group) {
      const anchor = anchorOf(driver, known, pos)
      const counts = planningCountFacts(driver.counts, driver.start, known, pos, anchor.day)
      const due = earliestDue(dc, driver.candidates, anchor.day, anchor.fromStart, counts)
      if (due !== null && (best === null || due.day < best.due.day)) best = { driver, due, anchor: anchor.day }
    }
    if (best === null) return
    const dueDay = best.due.day
    if (dueDay >= horizonDay) return
    if (plan.endDay !== null && dueDay > plan.endDay) return

    // A session already in the diary on or before the due date moves the clock on.
    let next: number | null = null
    for (const session of known) {
      if (
        session.day > pos &&
        session.day <= dueDay &&
        session.day > best.driver.start &&
        best.driver.counts.has(session.typeId) &&
        (next === null || session.day < next)
      ) {
        next = session.day
      }
    }
    if (next !== null) {
      pos = next
      continue
    }

    let lo = Math.max(pos + 1, best.anchor + 1, plan.firstDay)
    let hi = Math.min(dueDay, plan.lastPossible)
    let target: number
    if (dueDay < lo) {
      // Already overdue: as soon as possible.
      hi = Math.min(plan.lastPossible, dc.addWorkingDays(lo, OVERDUE_WITHIN_WORKING_DAYS))
      target = lo
    } else if (best.due.period) {
      // In the half term or term it is due in: one earlier would leave this one still to do.
      lo = Math.max(lo, best.due.period.start)
      target = Math.floor((lo + hi) / 2)
    } else {
      const margin = Math.min(5, Math.floor(dc.workingDaysBetween(best.anchor, dueDay) / 4))
      target = Math.max(lo, Math.min(hi, dc.addWorkingDays(hi, -margin)))
    }
    const dueText = formatLongDate(dc.iso(dueDay))
    if (hi < lo) {
      const leaves =
        plan.supervisorEnd !== null && plan.supervisorEnd < dueDay
          ? `${supervisor.name} leaves on ${formatLongDate(dc.iso(plan.supervisorEnd))}, before ${person.name}’s session due by ${dueText}: choose a new supervisor, then plan again`
          : `No day is left in the year for ${person.name}’s session due by ${dueText}`
      result.unplaceable.push({ personId: person.id, requirementId: best.driver.requirement.id, reason: leaves })
      return
    }
    const chosen = chooseDay(context, plan, lo, hi, target)
    if (chosen === null) {
      const limits = context.diary.limits
      const reason = `No room for ${person.name}’s session due by ${dueText}: ${supervisor.name} has no free time on a day both work (at most ${limits.maxPerDay} a day and ${limits.maxPerWeek} a week). Raise the limits or choose another supervisor, then plan again`
      const last = result.unplaceable.at(-1)
      if (last?.personId !== person.id || last.reason !== reason) {
        result.unplaceable.push({ personId: person.id, requirementId: best.driver.requirement.id, reason })
      }
      // Plan the rest of the year as if it were missed: the next session as soon as possible after.
      if (hi >= plan.lastPossible) return
      pos = hi
      continue
    }
    context.diary.addSupervising(supervisor.id, chosen.day)
    context.diary.addBusy(supervisor.id, chosen.day, chosen.start, plan.minutes)
    context.diary.addBusy(person.id, chosen.day, chosen.start, plan.minutes)
    known.push({ day: chosen.day, typeId: plan.typeId })
    result.proposals.push({
      superviseeId: person.id,
      supervisorId: supervisor.id,
      typeId: plan.typeId,
      date: dc.iso(chosen.day),
      startTime: timeOfMinutes(chosen.start),
      durationMinutes: plan.minutes,
      requirementId: best.driver.requirement.id,
    })
    pos = chosen.day
  }
}

/**
 * The best day in lo..hi near the target: of the nearest few days that work for both people (and
 * leave the supervisor within the limits), the one where the supervisor has least on that week
 * and day; then the nearest; then the earlier.
 */
function chooseDay(
  context: PersonContext,
  plan: TypePlan,
  lo: number,
  hi: number,
  target: number,
): { day: number; start: number } | null {
  const { diary, days, person } = context
  const supervisor = diary.of(plan.supervisor.id)
  const supervisee = diary.of(person.id)
  const limits = diary.limits
  let best: { day: number; start: number; load: number; distance: number } | null = null
  let weighed = 0
  const reach = Math.max(target - lo, hi - target)
  for (let offset = 0; offset <= reach && weighed < DAYS_WEIGHED; offset++) {
    for (let side = offset === 0 ? 1 : 0; side < 2; side++) {
      const day = side === 0 ? target - offset : target + offset
      if (day < lo || day > hi || !days.isOpen(day) || !plan.sharedDays.has(weekdayOfDay(day))) continue
      const onDay = supervisor.days.get(day) ?? 0
      const inWeek = supervisor.weeks.get(weekOfDay(day)) ?? 0
      if (onDay >= limits.maxPerDay || inWeek >= limits.maxPerWeek) continue
      const start = diary.freeStart(supervisor, supervisee, day, plan.minutes)
      if (start === null) continue
      weighed++
      const load = onDay + inWeek
      if (best === null || load < best.load || (load === best.load && offset < best.distance)) {
        best = { day, start, load, distance: offset }
      }
    }
  }
  return best === null ? null : { day: best.day, start: best.start }
}
