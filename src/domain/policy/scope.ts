/**
 * Who must be supervised (X-04, MW-01, MW-04, MW-05, CA-02, ...): the policy's scope rules applied
 * to one person on one day, with the reason in words that name the rule.
 *
 * Part-time staff (MW-04) need nothing here: scope and frequency never look at `partTime`.
 */
import { formatLongDate, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'
import { FlagName, type Person, type PersonFlags } from '../people/person.ts'
import type {
  PersonOverride,
  PolicyDocument,
  QualifyingPeriod,
  Requirement,
  ScopeOverride,
  ScopeRule,
  StaffSelector,
} from './model.ts'
import { addDuration } from './time.ts'
import { listWithAnd, lowerFirst } from './wording.ts'

const flagKeys = new Map<string, keyof PersonFlags>(
  (Object.keys(FlagName) as (keyof PersonFlags)[]).map((key) => [FlagName[key], key]),
)

/** Whether the person has recorded supervisor training on or before `on`. */
export function isTrainedSupervisor(person: Person, on: IsoDate): boolean {
  return person.supervisorTrainedOn !== null && person.supervisorTrainedOn <= on
}

/** Whether the selector picks out this person (see StaffSelector: any criterion is enough). */
export function selectorMatches(selector: StaffSelector, person: Person, on: IsoDate): boolean {
  if (selector.everyone) return true
  for (const role of selector.roles) if (person.roles.includes(role)) return true
  for (const flag of selector.flags) {
    const key = flagKeys.get(flag)
    if (key !== undefined && person.flags[key]) return true
  }
  return selector.trainedSupervisors && isTrainedSupervisor(person, on)
}

export interface ScopeDecision {
  required: boolean
  /** Why, naming the rule: "Staff working in the EYFS (rule mw-eyfs)". */
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
  return `${lowerFirst(rule.description)} (rule ${rule.id})`
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

/**
 * Whether the person must be supervised under this policy on `today`, and why.
 *
 * Order of decision: someone who has left or not yet started is never in scope; then an active
 * manual override decides; then excluded employment types; then the scope rules; then any
 * qualifying period for their employment type (MW-05), counted from their start date. A person
 * with no start date is taken to have served any qualifying period.
 */
export function decideScope(
  policy: PolicyDocument,
  person: Person,
  today: IsoDate,
  overrides: readonly PersonOverride[] = [],
  calendar: SchoolCalendar | null = null,
): ScopeDecision {
  const matched: ScopeRule[] = policy.scope.rules.filter((rule) => selectorMatches(rule.who, person, today))
  const ruleIds = matched.map((rule) => rule.id)
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
    const inScopeFrom = [person.startDate, override.from].filter((date) => date !== null).sort()
    const requirementIds =
      override.requirementIds === null
        ? policy.requirements.map((requirement) => requirement.id)
        : policy.requirements.filter((r) => override.requirementIds?.includes(r.id)).map((r) => r.id)
    return {
      required: true,
      reason: `Required: ${override.reason} (manual override)`,
      ruleIds,
      inScopeFrom: inScopeFrom[inScopeFrom.length - 1] ?? null,
      requirementIds,
      qualifyingPeriodId: null,
      override,
    }
  }

  if (policy.scope.excludedEmploymentTypes.includes(person.employmentType)) {
    return notRequired(`Not required: the policy does not cover ${person.employmentType} staff`)
  }
  if (matched.length === 0) {
    return notRequired('Not required: no rule in the policy covers their roles or responsibilities')
  }

  const because = matched.map(ruleLabel)
  const period = qualifyingPeriodFor(policy, person)
  let inScopeFrom = person.startDate
  if (period !== null && person.startDate !== null) {
    inScopeFrom = addDuration(person.startDate, period.after, calendar)
    if (inScopeFrom > today) {
      return notRequired(
        `Not required until ${formatLongDate(inScopeFrom)}: ${lowerFirst(period.description)} (rule ${period.id}). Meets ${listWithAnd(because)}`,
        { qualifyingPeriodId: period.id, inScopeFrom },
      )
    }
    because.push(`${lowerFirst(period.description)}: in scope from ${formatLongDate(inScopeFrom)} (rule ${period.id})`)
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
