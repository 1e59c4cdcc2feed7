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
  /** Day number of the deadline; null while waiting for the person's return. */
  deadline: number | null
  awaitingReturn: boolean
}

const noRule: RebookingDecision = { applies: false, deadline: null, awaitingReturn: false }

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
  if (reason?.absence && rule.afterAbsence) {
    if (cancellation.returnDate === null) return { applies: true, deadline: null, awaitingReturn: true }
    return {
      applies: true,
      deadline: dc.addDuration(dc.day(cancellation.returnDate), rule.afterAbsence),
      awaitingReturn: false,
    }
  }
  return { applies: true, deadline: dc.addDuration(dc.day(cancellation.date), rule.within), awaitingReturn: false }
}

/**
 * The last day a cancelled session may be rebooked for (CA-03): `within` working days after the
 * day it was due to take place, or, for an absence reason, `afterAbsence` after the day the
 * person returns. Working days skip weekends, holidays, bank holidays and closure days, so a
 * session cancelled on the Friday before half term has until the Friday of the week back.
 * Null when the policy has no rebooking rule for it, or while the return date is unknown.
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
