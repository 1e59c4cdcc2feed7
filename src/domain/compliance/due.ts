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
 *
 * Months of term time (issue 14): N months of term time are round(N x 30.4375) days of term time
 * (the average month, 365.25 / 12), counted like weeks of term time: the holidays between half
 * terms do not use up the interval. Calendar months have no meaning once holidays are taken out,
 * and a fixed number of days keeps the due date a non-decreasing function of the anchor.
 *
 * Due dates land on working days (X-02, issue 14): for every unit (weeks, months, half terms,
 * terms, academic years, and the maximum gap), a computed due date that falls on a weekend, bank
 * holiday, closure day or in a holiday moves back to the previous working day, the last chance
 * before the school closes, so a due date never falls when nobody can meet. If no working day lies
 * between the anchor and that date, it moves on to the next working day instead
 * (DayCalendar.dueOnWorkingDay). Both moves keep due dates non-decreasing in the anchor.
 *
 * Counts per period (issue 14): "at least N times each half term / term / academic year"
 * (Frequency.times > 1). Each period is judged on its own, by the sessions held in it (a holiday
 * belongs to the period before it, as above). The period's working days are split into N equal
 * slices and the k-th session is due by the last working day of the k-th slice, so the sessions
 * are spread evenly and the last is due by the period's last working day. With k - 1 held so far
 * in the current period, the k-th is due by the end of slice k: a person with fewer than that by
 * then is overdue. With all N held, the first of the next period is due. A period that ended with
 * fewer than N is a breach (period-missed); while no counting session has been held since it
 * ended, the person stays overdue from its last working day (as "once a term" does), and the first
 * session in the new period moves them on to its own slices. The first period judged is the one
 * the clock starts in if it starts on that period's first day, otherwise the next one (as for
 * once-per-period rules), so nobody is held to a period they joined part of the way through.
 */
import type { Person } from '../people/person.ts'
import type { Duration, Frequency, FrequencyOverride, PersonOverride, Requirement } from '../policy/model.ts'
import { selectorMatches } from '../policy/scope.ts'
import { describeDuration, describeFrequencyExactly, lowerFirst, upperFirst } from '../policy/wording.ts'
import type { DayCalendar, PeriodSpan } from './day-calendar.ts'
import type { Breach, DueSource } from './model.ts'

/** The counting sessions a count-per-period rule is judged on. */
export interface CountFacts {
  /** Day numbers of the counting sessions, sorted (held ones, or planned ones when planning ahead). */
  days: readonly number[]
  /** The day the requirement's clock started (coming into scope, or the policy taking effect). */
  startDay: number
  /** The day the count is judged on: today, or the last planned session when planning ahead. */
  refDay: number
}

/** How a count-per-period rule stands: which period decided, and how many of its sessions were held. */
export interface CountState {
  /** The period the due session belongs to. */
  period: PeriodSpan
  held: number
  times: number
  /**
   * 'in-period': the next of `period`'s sessions; 'next-period': all of the period before were
   * held, this is the first of `period`; 'carried': `period` ended short and none was held since.
   */
  state: 'in-period' | 'next-period' | 'carried'
  /** For 'next-period': the period whose sessions were all held. */
  previous: PeriodSpan | null
}

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
  /**
   * Set when a per-period frequency decided: the period (for a count per period, the slice of it)
   * within which the session is due, ending on the due day or the period's last day.
   */
  period: PeriodSpan | null
  /** Set when a count-per-period rule decided. */
  count: CountState | null
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
        `${describeFrequencyExactly(stricter.frequency)} (stricter rule: ${lowerFirst(stricter.description)})`,
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

type PeriodicFrequency = Frequency & { unit: 'half-terms' | 'terms' | 'academic-years' }

function isPeriodic(frequency: Frequency): frequency is PeriodicFrequency {
  return frequency.unit === 'half-terms' || frequency.unit === 'terms' || frequency.unit === 'academic-years'
}

/** True for "at least N times each half term / term / academic year" with N above 1. */
export function isCountPerPeriod(frequency: Frequency | null): frequency is PeriodicFrequency {
  return frequency !== null && isPeriodic(frequency) && (frequency.times ?? 1) > 1
}

/** How many of the sorted `days` lie in from..to (both included). */
export function countBetween(days: readonly number[], from: number, to: number): number {
  if (to < from) return 0
  const firstAtLeast = (target: number) => {
    let low = 0
    let high = days.length
    while (low < high) {
      const middle = (low + high) >> 1
      if ((days[middle] as number) < target) low = middle + 1
      else high = middle
    }
    return low
  }
  return firstAtLeast(to + 1) - firstAtLeast(from)
}

/**
 * The k-th of n equal slices of a period's working days (k from 1): from the day after the last
 * working day of slice k - 1 (the period's first day for k = 1) to the last working day of slice
 * k. The n-th slice ends on the period's last working day.
 */
export function countSlice(dc: DayCalendar, period: PeriodSpan, k: number, n: number): PeriodSpan {
  const before = period.start - 1
  const working = dc.workingDaysBetween(before, period.end)
  if (working === 0) return { ...period }
  const startIndex = k <= 1 ? 0 : Math.ceil(((k - 1) * working) / n)
  const endIndex = Math.max(1, Math.ceil((k * working) / n))
  const start = startIndex === 0 ? period.start : dc.addWorkingDays(before, startIndex) + 1
  const end = dc.addWorkingDays(before, endIndex)
  return { id: period.id, name: period.name, start: Math.min(start, end), end }
}

/** The facts a caller with only an anchor can give: the anchor session itself, judged on its day. */
function anchorFacts(anchorDay: number, fromStart: boolean): CountFacts {
  return { days: fromStart ? [] : [anchorDay], startDay: anchorDay, refDay: anchorDay }
}

/** When the next session of a count-per-period rule is due (see the header). */
export function countDue(dc: DayCalendar, candidate: DueCandidate, facts: CountFacts): Due {
  const frequency = candidate.frequency as PeriodicFrequency
  const { unit } = frequency
  const times = frequency.times ?? 1
  const start = candidate.fromDay !== null && candidate.fromDay > facts.startDay ? candidate.fromDay : facts.startDay
  const first = dc.periodAfter(unit, start - 1, 1)
  let current = dc.periodAfter(unit, facts.refDay, 0)
  if (current.start < first.start) current = first
  const next = dc.periodAfter(unit, current.start, 1)
  const held = countBetween(facts.days, current.start, Math.min(next.start - 1, facts.refDay))
  if (held >= times) {
    const slice = countSlice(dc, next, 1, times)
    return {
      day: slice.end,
      candidate,
      period: slice,
      count: { period: next, held: 0, times, state: 'next-period', previous: current },
    }
  }
  if (held === 0 && current.start > first.start) {
    const previous = dc.periodAfter(unit, current.start - 1, 0)
    const before = countBetween(facts.days, previous.start, current.start - 1)
    if (before < times) {
      const slice = countSlice(dc, previous, times, times)
      return {
        day: slice.end,
        candidate,
        period: slice,
        count: { period: previous, held: before, times, state: 'carried', previous: null },
      }
    }
  }
  const slice = countSlice(dc, current, held + 1, times)
  return {
    day: slice.end,
    candidate,
    period: slice,
    count: { period: current, held, times, state: 'in-period', previous: null },
  }
}

/**
 * The day one candidate falls due, counting from `anchorDay`; `fromStart` when the anchor is the
 * start of scope rather than a session. A count-per-period candidate is judged on `counts` (by
 * default, on the anchor session alone).
 */
export function candidateDue(
  dc: DayCalendar,
  candidate: DueCandidate,
  anchorDay: number,
  fromStart: boolean,
  counts?: CountFacts,
): Due {
  if (isCountPerPeriod(candidate.frequency) && !candidate.gap) {
    return countDue(dc, candidate, counts ?? anchorFacts(anchorDay, fromStart))
  }
  const period = candidatePeriod(dc, candidate, anchorDay, fromStart)
  return { day: candidateDueDay(dc, candidate, anchorDay, fromStart), candidate, period, count: null }
}

/** For a once-per-half-term, term or academic year candidate, the period by whose end it is due; otherwise null. */
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

/** The day a candidate falls due, as candidateDue, without allocating (on a working day). */
export function candidateDueDay(
  dc: DayCalendar,
  candidate: DueCandidate,
  anchorDay: number,
  fromStart: boolean,
): number {
  const { frequency, gap } = candidate
  if (gap) return dc.dueOnWorkingDay(dc.addDuration(anchorDay, gap), anchorDay)
  if (!frequency) throw new Error('A due-date candidate needs a frequency or a gap')
  if (isCountPerPeriod(frequency)) return countDue(dc, candidate, anchorFacts(anchorDay, fromStart)).day
  const from = candidate.fromDay !== null && candidate.fromDay > anchorDay ? candidate.fromDay : anchorDay
  let day: number
  switch (frequency.unit) {
    case 'weeks':
      day = frequency.termTimeOnly ? dc.addTermDays(from, frequency.every * 7) : from + frequency.every * 7
      break
    case 'months':
      day = frequency.termTimeOnly
        ? dc.addTermDays(from, Math.round(frequency.every * daysInTermMonth))
        : dc.addMonths(from, frequency.every)
      break
    case 'half-terms':
    case 'terms':
    case 'academic-years':
      day = (candidatePeriod(dc, candidate, anchorDay, fromStart) as PeriodSpan).end
      break
  }
  return dc.dueOnWorkingDay(day, from)
}

/** Days of term time in a month of term time: the average month (365.25 / 12). */
export const daysInTermMonth = 30.4375

/**
 * The earliest due date among the candidates (the first listed wins a tie), or null if there are
 * none. `counts` are the sessions count-per-period candidates are judged on.
 */
export function earliestDue(
  dc: DayCalendar,
  candidates: readonly DueCandidate[],
  anchorDay: number,
  fromStart: boolean,
  counts?: CountFacts,
): Due | null {
  let best: Due | null = null
  for (const candidate of candidates) {
    const due = candidateDue(dc, candidate, anchorDay, fromStart, counts)
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
  if (due.count) {
    const { period, held, times, state, previous } = due.count
    const by = dc.long(due.day)
    switch (state) {
      case 'in-period':
        return `${candidate.label}: ${held} of ${times} so far in ${period.name}, so the next is due by ${by}, to spread them evenly through it`
      case 'next-period':
        return `${candidate.label}: all ${times} held in ${(previous as PeriodSpan).name}, so the first in ${period.name} is due by ${by}`
      case 'carried':
        return `${candidate.label}: only ${held} of ${times} in ${period.name}, and none since; the last was due by ${by}`
    }
  }
  if (due.period) {
    return `${candidate.label}: by the end of ${due.period.name} (${dc.long(due.day)})`
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
    // Counts per period are judged period by period (countBreaches), not interval by interval.
    if (isCountPerPeriod(candidate.frequency) && !candidate.gap) continue
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
            dueBy: dc.iso(dc.dueOnWorkingDay(period.end, period.start - 1)),
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

/**
 * The breaches of a count-per-period candidate: each period from the first judged (see the
 * header) that ended before `limitDay` with fewer counting sessions than required. `applies`
 * says whether the rule was in force for a period (the policy version then in force carried it).
 */
export function countBreaches(
  dc: DayCalendar,
  requirement: Requirement,
  candidate: DueCandidate,
  days: readonly number[],
  startDay: number,
  limitDay: number,
  seenPeriods: Set<string>,
  out: Breach[],
  applies: (period: PeriodSpan) => boolean = () => true,
): void {
  const frequency = candidate.frequency
  if (!isCountPerPeriod(frequency)) return
  const times = frequency.times ?? 1
  const start = candidate.fromDay !== null && candidate.fromDay > startDay ? candidate.fromDay : startDay
  let period = dc.periodAfter(frequency.unit, start - 1, 1)
  for (let guard = 0; guard < 1000 && limitDay > period.end; guard++) {
    const next = dc.periodAfter(frequency.unit, period.start, 1)
    const key = `${period.id}#count`
    if (!seenPeriods.has(key) && applies(period)) {
      const held = countBetween(days, period.start, next.start - 1)
      if (held < times) {
        seenPeriods.add(key)
        const some = held === 0 ? `none of the ${times}` : `only ${held} of the ${times}`
        out.push({
          kind: 'period-missed',
          requirementId: requirement.id,
          periodId: period.id,
          periodName: period.name,
          dueBy: dc.iso(countSlice(dc, period, times, times).end),
          message: `${upperFirst(requirement.description)}: ${some} required in ${period.name} (${dc.long(period.start)} to ${dc.long(period.end)}); required ${candidate.label}`,
        })
      }
    }
    period = next
  }
}
