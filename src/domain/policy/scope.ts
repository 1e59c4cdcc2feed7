/**
 * Who must be supervised (X-04, MW-01, MW-04, MW-05, CA-02, ...): the policy's scope rules applied
 * to one person on one day, with the reason in words that name the rule.
 *
 * Part-time staff (MW-04) need nothing here: scope and frequency never look at `partTime`.
 */
import {
  academicYearIdFor,
  addDays,
  addMonths,
  formatLongDate,
  type IsoDate,
  parseAcademicYearId,
  type SchoolCalendar,
} from '../calendar/index.ts'
import { isStaff, kindOf, personKindPhrases } from '../people/kinds.ts'
import { flagHolds, flagKeyOf, type Person } from '../people/person.ts'
import type {
  PersonOverride,
  PolicyDocument,
  QualifyingPeriod,
  Requirement,
  ScopeOverride,
  ScopeRule,
  SelectorCondition,
  StaffSelector,
} from './model.ts'
import { addDuration } from './time.ts'
import { listWithAnd, lowerFirst } from './wording.ts'

/** Whether the person has recorded supervisor training on or before `on`. */
export function isTrainedSupervisor(person: Person, on: IsoDate): boolean {
  return person.supervisorTrainedOn !== null && person.supervisorTrainedOn <= on
}

/**
 * The day a date-derived condition starts counting from for this person, or null when that date
 * is not recorded (then the condition does not hold).
 */
function conditionStart(condition: SelectorCondition, person: Person): IsoDate | null {
  if (condition.kind === 'in-post-for-less-than') return person.startDate
  const key = flagKeyOf(condition.flag)
  if (key === null || !person.flags[key]) return null
  return person.flagDates?.[key]?.since ?? person.startDate
}

/**
 * Whether a date-derived condition holds on `on`: from its start up to the day before `duration`
 * has passed, and (for a flag) while the flag itself holds. So it ends by itself.
 */
export function conditionHolds(
  condition: SelectorCondition,
  person: Person,
  on: IsoDate,
  calendar: SchoolCalendar | null = null,
): boolean {
  const start = conditionStart(condition, person)
  if (start === null || start > on) return false
  if (condition.kind === 'flag-for-less-than') {
    const key = flagKeyOf(condition.flag)
    if (key === null || !flagHolds(person, key, on)) return false
  }
  return on < addDuration(start, condition.duration, calendar)
}

/**
 * Whether the selector picks out this person on `on` (see StaffSelector: any criterion is enough).
 * Flags are taken as they stand on that day (a flag past its end date no longer matches) and
 * date-derived conditions are worked out for that day.
 */
export function selectorMatches(
  selector: StaffSelector,
  person: Person,
  on: IsoDate,
  calendar: SchoolCalendar | null = null,
): boolean {
  if (selector.everyone) return true
  for (const role of selector.roles) if (person.roles.includes(role)) return true
  for (const flag of selector.flags) {
    const key = flagKeyOf(flag)
    if (key !== null && flagHolds(person, key, on)) return true
  }
  if (selector.trainedSupervisors && isTrainedSupervisor(person, on)) return true
  for (const condition of selector.conditions ?? []) if (conditionHolds(condition, person, on, calendar)) return true
  return false
}

/**
 * Since when the selector has matched the person, as far as the dates recorded tell: the earliest
 * start among the criteria that match on `on` (a flag's start date, the start of a condition).
 * Null when it is not known (roles and supervisor training count from their start in post).
 */
export function selectorMatchesSince(
  selector: StaffSelector,
  person: Person,
  on: IsoDate,
  calendar: SchoolCalendar | null = null,
): IsoDate | null {
  if (!selectorMatches(selector, person, on, calendar)) return null
  if (selector.everyone || selector.roles.some((role) => person.roles.includes(role))) return null
  const starts: IsoDate[] = []
  for (const flag of selector.flags) {
    const key = flagKeyOf(flag)
    if (key === null || !flagHolds(person, key, on)) continue
    const since = person.flagDates?.[key]?.since ?? null
    if (since === null) return null
    starts.push(since)
  }
  // Supervisor training, like a role, is taken to have applied from their start in post.
  if (selector.trainedSupervisors && isTrainedSupervisor(person, on)) return null
  for (const condition of selector.conditions ?? []) {
    const start = conditionStart(condition, person)
    if (start !== null && conditionHolds(condition, person, on, calendar)) starts.push(start)
  }
  return starts.length === 0 ? null : starts.sort()[0]!
}

export interface ScopeDecision {
  required: boolean
  /** Why, in the policy's words: "Required: staff working in the EYFS". Never a rule's id (issue 18): that is in `ruleIds`. */
  reason: string
  /** The scope rules the person meets (whether or not they are in scope yet). */
  ruleIds: string[]
  /** From when they are in scope: start date, after any qualifying period or override start. */
  inScopeFrom: IsoDate | null
  /** The requirements that apply to them (empty when not required). */
  requirementIds: string[]
  /** The qualifying period that applies to them, if any (MW-05). */
  qualifyingPeriodId: string | null
  /** The manual override that decided, if any. */
  override: ScopeOverride | null
}

function ruleLabel(rule: { id: string; description: string }): string {
  return lowerFirst(rule.description)
}

function activeScopeOverride(
  overrides: readonly PersonOverride[],
  personId: string,
  today: IsoDate,
): ScopeOverride | null {
  let chosen: ScopeOverride | null = null
  for (const override of overrides) {
    if (override.kind !== 'scope' || override.personId !== personId) continue
    if (override.from !== null && override.from > today) continue
    if (override.until !== null && override.until < today) continue
    // The latest-starting override wins; on a tie, "required" wins (supervising is the safe side).
    const from = override.from ?? ''
    const chosenFrom = chosen?.from ?? ''
    if (
      chosen === null ||
      from > chosenFrom ||
      (from === chosenFrom && override.required && !chosen.required) ||
      (from === chosenFrom && override.required === chosen.required && override.reason < chosen.reason)
    ) {
      chosen = override
    }
  }
  return chosen
}

/** The requirements that apply to someone who meets these scope rules. */
export function requirementsForRules(policy: PolicyDocument, ruleIds: readonly string[]): Requirement[] {
  return policy.requirements.filter(
    (requirement) =>
      requirement.scopeRules.length === 0 || requirement.scopeRules.some((ruleId) => ruleIds.includes(ruleId)),
  )
}

function qualifyingPeriodFor(policy: PolicyDocument, person: Person): QualifyingPeriod | null {
  return policy.scope.qualifyingPeriods.find((period) => period.employmentTypes.includes(person.employmentType)) ?? null
}

/** 1 September of the academic year containing `date`. */
function academicYearStart(date: IsoDate): IsoDate {
  return parseAcademicYearId(academicYearIdFor(date))!.start
}

/** The first 1 September on or after `date`. */
function academicYearStartOnOrAfter(date: IsoDate): IsoDate {
  const start = academicYearStart(date)
  return start === date ? date : addMonths(start, 12)
}

function latest(...dates: (IsoDate | null)[]): IsoDate | null {
  const known = dates.filter((date) => date !== null).sort()
  return known[known.length - 1] ?? null
}

/**
 * The day the person is identified for this academic year when the policy identifies staff at the
 * start of each academic year (MW-01): 1 September, or their first day if they joined later.
 */
export function identificationDay(person: Person, today: IsoDate): IsoDate {
  const yearStart = academicYearStart(today)
  return person.startDate !== null && person.startDate > yearStart && person.startDate <= today
    ? person.startDate
    : yearStart
}

/**
 * Whether the person must be supervised under this policy on `today`, and why.
 *
 * Order of decision: someone who has left or not yet started is never in scope; then an active
 * manual override decides; then excluded employment types; then the scope rules; then any
 * qualifying period for their employment type (MW-05), counted from their start date. A person
 * with no start date is taken to have served any qualifying period.
 *
 * Scope rules are applied on `today` when the policy identifies staff continuously. When it
 * identifies them at the start of each academic year (MW-01), they are applied on the
 * identification day (1 September, or a later first day in post): someone who comes to meet a
 * rule during the year comes into scope on the next 1 September, and someone identified stays in
 * scope for the rest of that year.
 *
 * `inScopeFrom` is the later of their start date and the day they came to meet the rules, where
 * the dates recorded tell (a flag's start date, a condition's start), and any qualifying period.
 */
export function decideScope(
  policy: PolicyDocument,
  person: Person,
  today: IsoDate,
  overrides: readonly PersonOverride[] = [],
  calendar: SchoolCalendar | null = null,
): ScopeDecision {
  const rulesMetOn = (day: IsoDate): ScopeRule[] =>
    policy.scope.rules.filter((rule) => selectorMatches(rule.who, person, day, calendar))
  const matchedToday = rulesMetOn(today)
  const atYearStart = policy.scope.identifiedAt === 'start-of-academic-year'
  const identifiedOn = atYearStart ? identificationDay(person, today) : today
  const matched = atYearStart ? rulesMetOn(identifiedOn) : matchedToday
  const ruleIds = (matched.length > 0 ? matched : matchedToday).map((rule) => rule.id)
  const notRequired = (reason: string, extra: Partial<ScopeDecision> = {}): ScopeDecision => ({
    required: false,
    reason,
    ruleIds,
    inScopeFrom: null,
    requirementIds: [],
    qualifyingPeriodId: null,
    override: null,
    ...extra,
  })

  if (!isStaff(person)) {
    return notRequired(`Not required: ${personKindPhrases[kindOf(person)]}, not a member of staff`)
  }
  if (person.endDate !== null && person.endDate < today) {
    return notRequired(`Not required: left on ${formatLongDate(person.endDate)}`)
  }
  if (person.startDate !== null && person.startDate > today) {
    return notRequired(`Not required yet: starts on ${formatLongDate(person.startDate)}`)
  }

  const override = activeScopeOverride(overrides, person.id, today)
  if (override !== null && !override.required) {
    return notRequired(`Not required: ${override.reason} (manual override)`, { override })
  }
  if (override?.required) {
    const requirementIds =
      override.requirementIds === null
        ? policy.requirements.map((requirement) => requirement.id)
        : policy.requirements.filter((r) => override.requirementIds?.includes(r.id)).map((r) => r.id)
    return {
      required: true,
      reason: `Required: ${override.reason} (manual override)`,
      ruleIds,
      inScopeFrom: latest(person.startDate, override.from),
      requirementIds,
      qualifyingPeriodId: null,
      override,
    }
  }

  if (policy.scope.excludedEmploymentTypes.includes(person.employmentType)) {
    return notRequired(`Not required: the policy does not cover ${person.employmentType} staff`)
  }
  if (matched.length === 0 && matchedToday.length > 0) {
    const from = academicYearStartOnOrAfter(addDays(identifiedOn, 1))
    return notRequired(
      `Not required until ${formatLongDate(from)}: meets ${listWithAnd(matchedToday.map(ruleLabel))}, and the policy identifies staff at the start of each academic year`,
      { inScopeFrom: from },
    )
  }
  if (matched.length === 0) {
    return notRequired('Not required: no rule in the policy covers their roles or responsibilities')
  }

  const because = matched.map(ruleLabel)
  const sinces = matched.map((rule) => selectorMatchesSince(rule.who, person, identifiedOn, calendar))
  let metSince = sinces.includes(null) ? null : sinces.sort()[0]!
  if (metSince !== null && atYearStart && (person.startDate === null || metSince > person.startDate)) {
    metSince = academicYearStartOnOrAfter(metSince)
  }
  let inScopeFrom = latest(person.startDate, metSince)
  const period = qualifyingPeriodFor(policy, person)
  if (period !== null && person.startDate !== null) {
    const qualified = addDuration(person.startDate, period.after, calendar)
    if (qualified > today) {
      return notRequired(
        `Not required until ${formatLongDate(qualified)}: ${lowerFirst(period.description)}. Meets ${listWithAnd(because)}`,
        { qualifyingPeriodId: period.id, inScopeFrom: qualified },
      )
    }
    inScopeFrom = latest(inScopeFrom, qualified)
    because.push(`${lowerFirst(period.description)}: in scope from ${formatLongDate(qualified)}`)
  }
  return {
    required: true,
    reason: `Required: ${listWithAnd(because)}`,
    ruleIds,
    inScopeFrom,
    requirementIds: requirementsForRules(policy, ruleIds).map((requirement) => requirement.id),
    qualifyingPeriodId: period?.id ?? null,
    override: null,
  }
}
