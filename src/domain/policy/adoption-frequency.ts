/**
 * An academy may make its trust's frequencies stricter, never looser (issue 14, ADR 0041): how two
 * frequencies compare, and the problems an academy's changes have against a trust version.
 */
import type { AcademyOverrides } from './adoption.ts'
import type { Frequency, PolicyDocument } from './model.ts'
import { formatPath, type PolicyProblem } from './validate.ts'
import { describeFrequencyExactly } from './wording.ts'

/** Days in a nominal year, and the share of its weeks that are term time (39 of 52). */
const YEAR_DAYS = 365.25
const TERM_TIME_SHARE = 39 / 52

/**
 * The longest a frequency lets pass between sessions, in nominal calendar days: a week is 7, a
 * month 365.25 / 12, a half term a sixth of a year, a term a third, an academic year a year; a
 * week or month of term time lasts 52 / 39 as long in the calendar; a count per period ("3 times
 * each academic year") divides the period by the count. Only for comparing two frequencies.
 */
export function nominalIntervalDays(frequency: Frequency): number {
  const times = frequency.times && frequency.times > 1 ? frequency.times : 1
  const period: Record<Frequency['unit'], number> = {
    weeks: 7,
    months: YEAR_DAYS / 12,
    'half-terms': YEAR_DAYS / 6,
    terms: YEAR_DAYS / 3,
    'academic-years': YEAR_DAYS,
  }
  const calendar = frequency.termTimeOnly && (frequency.unit === 'weeks' || frequency.unit === 'months')
  return (frequency.every * period[frequency.unit]) / times / (calendar ? TERM_TIME_SHARE : 1)
}

/**
 * Whether `academy` asks for sessions at least as often as `trust` (issue 14). Two frequencies of
 * the same unit, both counting term time or both not, compare exactly (every 4 weeks against every
 * 6 weeks; 3 times a year against twice); others by their nominal interval (nominalIntervalDays).
 */
export function atLeastAsOften(academy: Frequency, trust: Frequency): boolean {
  const sameKind = academy.unit === trust.unit && academy.termTimeOnly === trust.termTimeOnly
  if (sameKind) return academy.every * (trust.times ?? 1) <= trust.every * (academy.times ?? 1)
  return nominalIntervalDays(academy) <= nominalIntervalDays(trust) + 1e-9
}

/**
 * An academy may only make the trust's requirements more frequent, never less (issue 14): one
 * problem for each of its frequencies looser than the trust's for the same requirement, on the
 * path of the change (`frequencies[index].frequency`), naming the requirement and the trust's
 * frequency. A frequency for a requirement the trust does not have is not judged here (it is
 * dropped when composed).
 */
export function looserFrequencyProblems(trust: PolicyDocument, overrides: AcademyOverrides): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  overrides.frequencies.forEach((change, index) => {
    const requirement = trust.requirements.find((r) => r.id === change.requirementId)
    if (!requirement?.frequency || atLeastAsOften(change.frequency, requirement.frequency)) return
    problems.push({
      path: formatPath(['frequencies', index, 'frequency']),
      message: `The frequency for '${requirement.description}' must be at least as often as the trust's: ${describeFrequencyExactly(requirement.frequency)}`,
    })
  })
  return problems
}
