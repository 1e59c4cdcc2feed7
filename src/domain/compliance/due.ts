/**
 * When the next counting session is due (MW-03, LH-03, CA-02, AM-02), and which rules were broken
 * between two sessions. Works on day numbers through a DayCalendar.
 *
 * A requirement can be due for several reasons at once; the earliest wins:
 * - its frequency, counted from the anchor (the last counting session, or the day the person came
 *   into scope if that is later): every N weeks (of term time, if set) or months after the
 *   anchor; or, per half term or term, by the end of the Nth period after the one the anchor
 *   falls in (a holiday belongs to the period before it). When the anchor is the start of scope
 *   rather than a session, the period counts from the day before, so someone in scope from the
 *   first day of a half term must be supervised within that half term;
 * - its maximum gap (LH-03: never more than 3 months apart);
 * - a stricter rule whose staff the person is one of (LH-03), for the current interval only,
 *   since flags describe the person now and have no history;
 * - a frequency agreed for the person (MW-03), whose clock starts when it was agreed.
 * Every one of these is a non-decreasing function of the anchor, so a later session never makes a
 * due date earlier.
 */
import type { Person } from '../people/person.ts'
import type { Duration, Frequency, FrequencyOverride, PersonOverride, Requirement } from '../policy/model.ts'
import { selectorMatches } from '../policy/scope.ts'
import { describeDuration, describeFrequencyExactly, upperFirst } from '../policy/wording.ts'
import type { DayCalendar, PeriodSpan } from './day-calendar.ts'
import type { Breach, DueSource } from './model.ts'

export interface DueCandidate {
  source: DueSource
  /** The rule in words: 'every 12 weeks of term time', 'never more than 3 months apart'. */
  label: string
  frequency: Frequency | null
  gap: Duration | null
  /** For an agreed frequency: the day its clock starts. */
  fromDay: number | null
}

export interface Due {
  day: number
  candidate: DueCandidate
  /** Set when a per-period frequency decided. */
  period: PeriodSpan | null
}

function frequencyCandidate(
  source: DueSource,
  frequency: Frequency,
  label: string,
  fromDay: number | null = null,
): DueCandidate {
  return { source, label, frequency, gap: null, fromDay }
}

function gapCandidate(source: DueSource, gap: Duration): DueCandidate {
  return { source, label: `never more than ${describeDuration(gap)} apart`, frequency: null, gap, fromDay: null }
}

function agreedCandidates(
  dc: DayCalendar,
  requirementId: string,
  overrides: readonly PersonOverride[],
  activeOn: number,
): DueCandidate[] {
  const candidates: DueCandidate[] = []
  for (const override of overrides) {
    if (override.kind !== 'frequency') continue
    if (override.requirementId !== null && override.requirementId !== requirementId) continue
    const fromDay = override.from === null ? null : dc.day(override.from)
    if (fromDay !== null && fromDay > activeOn) continue
    candidates.push(frequencyCandidate('agreed', override.frequency, agreedLabel(override), fromDay))
  }
  // In a fixed order, so that results never depend on the order overrides were given in.
  const startOf = (candidate: DueCandidate) => candidate.fromDay ?? Number.MIN_SAFE_INTEGER
  return candidates.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : startOf(a) - startOf(b)))
}

function agreedLabel(override: FrequencyOverride): string {
  const where = override.source === 'contract' ? 'in the supervision contract' : 'with the supervisor'
  return `${describeFrequencyExactly(override.frequency)}, as agreed ${where}`
}

/**
 * The rules that set the current due date: the requirement's own, any stricter rule the person
 * meets today, and any agreed frequency in force today.
 */
export function currentCandidates(
  dc: DayCalendar,
  requirement: Requirement,
  person: Person,
  overrides: readonly PersonOverride[],
  today: string,
): DueCandidate[] {
  const candidates = historicCandidates(dc, requirement, overrides, dc.day(today))
  for (const stricter of requirement.stricterFor) {
    if (!selectorMatches(stricter.who, person, today)) continue
    candidates.push(
      frequencyCandidate(
        'stricter-rule',
        stricter.frequency,
        `${describeFrequencyExactly(stricter.frequency)} (stricter rule ${stricter.id})`,
      ),
    )
    if (stricter.maximumGap) candidates.push(gapCandidate('stricter-rule', stricter.maximumGap))
  }
  return candidates
}

/** The rules that judge an interval starting on `anchorDay`: the requirement's own and agreed frequencies then in force. */
export function historicCandidates(
  dc: DayCalendar,
  requirement: Requirement,
  overrides: readonly PersonOverride[],
  anchorDay: number,
): DueCandidate[] {
  const candidates: DueCandidate[] = []
  if (requirement.frequency) {
    candidates.push(
      frequencyCandidate('policy', requirement.frequency, describeFrequencyExactly(requirement.frequency)),
    )
  }
  if (requirement.maximumGap) candidates.push(gapCandidate('maximum-gap', requirement.maximumGap))
  candidates.push(...agreedCandidates(dc, requirement.id, overrides, anchorDay))
  return candidates
}

function isPeriodic(frequency: Frequency): frequency is Frequency & { unit: 'half-terms' | 'terms' } {
  return frequency.unit === 'half-terms' || frequency.unit === 'terms'
}

/**
 * The day one candidate falls due, counting from `anchorDay`; `fromStart` when the anchor is the
 * start of scope rather than a session.
 */
export function candidateDue(dc: DayCalendar, candidate: DueCandidate, anchorDay: number, fromStart: boolean): Due {
  const period = candidatePeriod(dc, candidate, anchorDay, fromStart)
  return { day: period ? period.end : candidateDueDay(dc, candidate, anchorDay, fromStart), candidate, period }
}

/** For a per-half-term or per-term candidate, the period by whose end it is due; otherwise null. */
function candidatePeriod(
  dc: DayCalendar,
  candidate: DueCandidate,
  anchorDay: number,
  fromStart: boolean,
): PeriodSpan | null {
  const { frequency } = candidate
  if (candidate.gap || !frequency || !isPeriodic(frequency)) return null
  const clockStarts = candidate.fromDay !== null && candidate.fromDay > anchorDay
  const from = clockStarts ? (candidate.fromDay as number) : anchorDay
  return dc.periodAfter(frequency.unit, fromStart || clockStarts ? from - 1 : from, frequency.every)
}

/** The day a candidate falls due, as candidateDue, without allocating. */
export function candidateDueDay(
  dc: DayCalendar,
  candidate: DueCandidate,
  anchorDay: number,
  fromStart: boolean,
): number {
  const { frequency, gap } = candidate
  if (gap) return dc.addDuration(anchorDay, gap)
  if (!frequency) throw new Error('A due-date candidate needs a frequency or a gap')
  const from = candidate.fromDay !== null && candidate.fromDay > anchorDay ? candidate.fromDay : anchorDay
  switch (frequency.unit) {
    case 'weeks':
      return frequency.termTimeOnly ? dc.addTermDays(from, frequency.every * 7) : from + frequency.every * 7
    case 'months':
      return dc.addMonths(from, frequency.every)
    case 'half-terms':
    case 'terms':
      return (candidatePeriod(dc, candidate, anchorDay, fromStart) as PeriodSpan).end
  }
}

/** The earliest due date among the candidates (the first listed wins a tie), or null if there are none. */
export function earliestDue(
  dc: DayCalendar,
  candidates: readonly DueCandidate[],
  anchorDay: number,
  fromStart: boolean,
): Due | null {
  let best: Due | null = null
  for (const candidate of candidates) {
    const due = candidateDue(dc, candidate, anchorDay, fromStart)
    if (best === null || due.day < best.day) best = due
  }
  return best
}

export type AnchorKind = 'session' | 'scope-start' | 'policy-start'

export function anchorText(dc: DayCalendar, anchorDay: number, kind: AnchorKind): string {
  const date = dc.long(anchorDay)
  switch (kind) {
    case 'session':
      return `the last session on ${date}`
    case 'scope-start':
      return `coming into scope on ${date}`
    case 'policy-start':
      return `the policy taking effect on ${date}`
  }
}

/** Why the due date is what it is, in words. */
export function explainDue(dc: DayCalendar, due: Due, anchorDay: number, kind: AnchorKind): string {
  const { candidate } = due
  if (due.period) {
    return `${candidate.label}: by the end of ${due.period.name} (${dc.long(due.period.end)})`
  }
  if (candidate.gap) {
    return `never more than ${describeDuration(candidate.gap)} after ${anchorText(dc, anchorDay, kind)}`
  }
  const clockStart = candidate.fromDay !== null && candidate.fromDay > anchorDay
  const after = clockStart
    ? `it was agreed on ${dc.long(candidate.fromDay as number)}`
    : anchorText(dc, anchorDay, kind)
  return `${candidate.label} after ${after}`
}

/**
 * The breaches in the interval from `anchorDay` to `limitDay` (the next counting session, or
 * today while the interval is still open): a gap longer than an interval rule allows, and each
 * half term or term that ended with no counting session. `seenPeriods` stops a period being
 * reported twice.
 */
export function intervalBreaches(
  dc: DayCalendar,
  requirement: Requirement,
  candidates: readonly DueCandidate[],
  anchorDay: number,
  anchorKind: AnchorKind,
  limitDay: number,
  open: boolean,
  seenPeriods: Set<string>,
  out: Breach[],
): void {
  const fromStart = anchorKind !== 'session'
  let intervalDay = Number.POSITIVE_INFINITY
  let intervalCandidate: DueCandidate | null = null
  for (const candidate of candidates) {
    const firstPeriod = candidatePeriod(dc, candidate, anchorDay, fromStart)
    if (firstPeriod !== null && candidate.frequency && isPeriodic(candidate.frequency)) {
      const { unit, every } = candidate.frequency
      let period = firstPeriod
      while (limitDay > period.end) {
        if (!seenPeriods.has(period.id)) {
          seenPeriods.add(period.id)
          out.push({
            kind: 'period-missed',
            requirementId: requirement.id,
            periodId: period.id,
            periodName: period.name,
            dueBy: dc.iso(period.end),
            message: `${upperFirst(requirement.description)}: none in ${period.name} (${dc.long(period.start)} to ${dc.long(period.end)}); required ${candidate.label}`,
          })
        }
        period = dc.periodAfter(unit, period.start, every)
      }
    } else {
      const day = candidateDueDay(dc, candidate, anchorDay, fromStart)
      if (day < intervalDay) {
        intervalDay = day
        intervalCandidate = candidate
      }
    }
  }
  if (intervalCandidate !== null && limitDay > intervalDay) {
    const what = upperFirst(requirement.description)
    const from = dc.iso(anchorDay)
    const since = anchorText(dc, anchorDay, anchorKind)
    const dueBy = dc.long(intervalDay)
    const limit = intervalCandidate.label
    out.push({
      kind: 'gap-exceeded',
      requirementId: requirement.id,
      from,
      to: open ? null : dc.iso(limitDay),
      dueBy: dc.iso(intervalDay),
      limit,
      message: open
        ? `${what}: none since ${since}; it was due by ${dueBy} (${limit})`
        : `${what}: the gap from ${dc.long(anchorDay)} to ${dc.long(limitDay)} was longer than allowed (${limit}); it was due by ${dueBy}`,
    })
  }
}
