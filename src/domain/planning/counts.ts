/**
 * Planning for "at least N times each half term / term / academic year" (issue 14): the counting
 * sessions the planner has so far, for the compliance engine's count-per-period rule, and N dates
 * spread evenly over a period's working days.
 *
 * The compliance engine splits a period's working days into N equal slices and expects the k-th
 * session by the end of slice k (compliance/due.ts). The planner places each session in the middle
 * of the slice it is due in (plan.ts does this for any due date that carries a period), so N
 * sessions come out spread over the period, each on a working day.
 */
import type { IsoDate, SchoolCalendar } from '../calendar/index.ts'
import { dayCalendarFor } from '../compliance/day-calendar.ts'
import { type CountFacts, countSlice } from '../compliance/due.ts'

/**
 * The facts a count-per-period rule is judged on while planning: the sessions of the counting
 * types known (held, planned or proposed) up to `pos`, the last day planned so far, judged on the
 * first day that could be planned next (or the anchor session, if later).
 */
export function planningCountFacts(
  counts: ReadonlySet<string>,
  startDay: number,
  known: readonly { day: number; typeId: string }[],
  pos: number,
  anchorDay: number,
): CountFacts {
  const days: number[] = []
  for (const session of known) {
    if (session.day <= pos && counts.has(session.typeId)) days.push(session.day)
  }
  days.sort((a, b) => a - b)
  return { days, startDay, refDay: Math.max(anchorDay, pos + 1) }
}

/**
 * `times` dates spread evenly over the working days from `start` to `end` (both included): the
 * middle working day of each of `times` equal slices, so each date is a working day (never a
 * weekend, bank holiday, closure or holiday) and the last falls before the period's last working
 * day. Fewer working days than `times` gives some dates twice. Empty when there is no working day.
 */
export function spreadOverPeriod(calendar: SchoolCalendar, start: IsoDate, end: IsoDate, times: number): IsoDate[] {
  const dc = dayCalendarFor(calendar)
  const period = { id: '', name: '', start: dc.day(start), end: dc.day(end) }
  if (times < 1 || dc.workingDaysBetween(period.start - 1, period.end) === 0) return []
  const dates: IsoDate[] = []
  for (let k = 1; k <= times; k++) {
    const slice = countSlice(dc, period, k, times)
    const first = dc.workingDayOnOrAfter(slice.start)
    const inSlice = dc.workingDaysBetween(first - 1, slice.end)
    const middle = inSlice <= 1 ? first : dc.addWorkingDays(first - 1, Math.ceil(inSlice / 2))
    dates.push(dc.iso(middle))
  }
  return dates
}
