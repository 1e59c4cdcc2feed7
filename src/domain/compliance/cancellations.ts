/**
 * Rebooking a session that did not take place (CA-03): within so many working days of the session,
 * or, when it was missed through staff absence or illness, of the person's return.
 */
import { formatLongDate, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { lowerFirst } from '../policy/wording.ts'
import { type DayCalendar, dayCalendarFor } from './day-calendar.ts'
import type { CancellationFact } from './model.ts'

export interface RebookingDecision {
  /** False when the policy has no rebooking rule for this kind of session. */
  applies: boolean
  /** Day number of the deadline; null while waiting for the person's return, or for "as soon as possible". */
  deadline: number | null
  awaitingReturn: boolean
  /** The rule is "as soon as possible": no deadline, flagged until rebooked (issue 14). */
  asSoonAsPossible: boolean
  /**
   * As soon as possible: the first day a session still not rebooked is warned about (the rule's
   * warnAfter after the session's date, or after the person's return for an absence reason).
   * Null when the rule sets no warning, or while the return date is unknown.
   */
  warnFrom: number | null
}

const noRule: RebookingDecision = {
  applies: false,
  deadline: null,
  awaitingReturn: false,
  asSoonAsPossible: false,
  warnFrom: null,
}

/**
 * How a cancelled session must be rebooked (CA-03, issue 14). With a `within` rule: by a deadline
 * (see rebookingDeadline). With "as soon as possible" (`within` null): no deadline; the session
 * is flagged until it is rebooked, and warned about from `warnAfter` after the day it was due to
 * take place, or, for an absence reason, after the day the person returns (no warning while that
 * day is unknown). Working days in warnAfter are the calendar's working days.
 */
export function rebookingDecision(
  dc: DayCalendar,
  policy: PolicyDocument,
  cancellation: CancellationFact,
): RebookingDecision {
  const rule = policy.cancellation.rebooking
  if (!rule) return noRule
  if (
    rule.sessionTypes.length > 0 &&
    cancellation.typeId !== null &&
    !rule.sessionTypes.includes(cancellation.typeId)
  ) {
    return noRule
  }
  const reason = policy.cancellation.reasons.find((candidate) => candidate.id === cancellation.reasonId)
  if (rule.within === null) {
    const warnAfter = rule.warnAfter ?? null
    const awaitingReturn = reason?.absence === true && cancellation.returnDate === null
    const from = reason?.absence && cancellation.returnDate !== null ? cancellation.returnDate : cancellation.date
    return {
      applies: true,
      deadline: null,
      awaitingReturn,
      asSoonAsPossible: true,
      warnFrom: warnAfter === null || awaitingReturn ? null : dc.addDuration(dc.day(from), warnAfter),
    }
  }
  if (reason?.absence && rule.afterAbsence) {
    if (cancellation.returnDate === null) return { ...noRule, applies: true, awaitingReturn: true }
    return {
      ...noRule,
      applies: true,
      deadline: dc.addDuration(dc.day(cancellation.returnDate), rule.afterAbsence),
    }
  }
  return { ...noRule, applies: true, deadline: dc.addDuration(dc.day(cancellation.date), rule.within) }
}

/**
 * The last day a cancelled session may be rebooked for (CA-03): `within` working days after the
 * day it was due to take place, or, for an absence reason, `afterAbsence` after the day the
 * person returns. Working days skip weekends, holidays, bank holidays and closure days, so a
 * session cancelled on the Friday before half term has until the Friday of the week back.
 * Null when the policy has no rebooking rule for it, while the return date is unknown, or when
 * the rule is "as soon as possible" (see rebookingWarnFrom).
 */
export function rebookingDeadline(
  policy: PolicyDocument,
  calendar: SchoolCalendar,
  cancellation: CancellationFact,
): IsoDate | null {
  const dc = dayCalendarFor(calendar)
  const decision = rebookingDecision(dc, policy, cancellation)
  return decision.deadline === null ? null : dc.iso(decision.deadline)
}

export function describeCancelled(dc: DayCalendar, policy: PolicyDocument, cancellation: CancellationFact): string {
  const type = policy.sessionTypes.find((candidate) => candidate.id === cancellation.typeId)
  const reason = policy.cancellation.reasons.find((candidate) => candidate.id === cancellation.reasonId)
  const what = type ? `The ${lowerFirst(type.name)} session` : 'The session'
  const why = reason ? ` (${lowerFirst(reason.name)})` : ''
  return `${what} on ${formatLongDate(dc.iso(dc.day(cancellation.date)))} that did not take place${why}`
}

/**
 * For an "as soon as possible" rule (issue 14): the first day a session still not rebooked is
 * warned about, or null (no such rule, no warning set, or the person's return date unknown).
 */
export function rebookingWarnFrom(
  policy: PolicyDocument,
  calendar: SchoolCalendar,
  cancellation: CancellationFact,
): IsoDate | null {
  const dc = dayCalendarFor(calendar)
  const decision = rebookingDecision(dc, policy, cancellation)
  return decision.warnFrom === null ? null : dc.iso(decision.warnFrom)
}
