/**
 * The rebooking deadline of a session that did not take place, as people see it (MW-06, CA-03):
 * computed by the compliance engine's rebookingDeadline (5 working days at Cornerstone, counted
 * over weekends, holidays and closures; from the person's return for an absence), then told as
 * open, due soon, met or missed. A missed deadline is the breach the compliance engine reports as
 * `rebooking-deadline-missed`; this explains it on the session page and in "my sessions".
 */
import { formatLongDate, type IsoDate, type SchoolCalendar, workingDaysBetween } from '../calendar/index.ts'
import { type CancellationFact, rebookingDeadline, rebookingWarnFrom } from '../compliance/index.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { describeDuration } from '../policy/wording.ts'

export const RebookingState = {
  /** The policy sets no rebooking deadline for this session. */
  NoDeadline: 'no-deadline',
  /** Missed through absence: the deadline counts from the person's return, not yet recorded. */
  AwaitingReturn: 'awaiting-return',
  /** Not yet rebooked; the deadline is more than `dueSoonWorkingDays` working days away. */
  Open: 'open',
  /** Not yet rebooked, and the deadline is close: warn. */
  DueSoon: 'due-soon',
  /** Rebooked for a date on or before the deadline. */
  Met: 'met',
  /** Not rebooked by the deadline, or rebooked for a later date: a breach (CA-03). */
  Missed: 'missed',
  /** The policy says "as soon as possible" (no deadline): not yet rebooked, flagged until it is (issue 14). */
  AsSoonAsPossible: 'as-soon-as-possible',
  /** As soon as possible, and still not rebooked after the policy's warning time: warn (issue 14). */
  NotRebooked: 'not-rebooked',
} as const
export type RebookingState = (typeof RebookingState)[keyof typeof RebookingState]

export interface RebookingView {
  state: RebookingState
  deadline: IsoDate | null
  /** The date of the replacement session, if there is one. */
  rebookedFor: IsoDate | null
  /** Working days from today to the deadline (0 on the day itself); null without a deadline. */
  workingDaysLeft: number | null
  /** One sentence for the person, e.g. "Rebook by Friday 4 December 2026: 2 working days left". */
  message: string
  /** Whether to show it as a warning (due soon, awaiting return, missed). */
  warn: boolean
}

/** Warn when the deadline is this many working days away or fewer. */
export const dueSoonWorkingDays = 2

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

/**
 * How a cancelled session's rebooking stands on `today`. `cancellation.rebookedFor` is the date
 * of the earliest live rebooking (a session whose rebooks_session_id points at the cancelled one).
 */
export function rebookingView(
  policy: PolicyDocument | null,
  calendar: SchoolCalendar,
  cancellation: CancellationFact,
  today: IsoDate,
  personName = 'the person',
): RebookingView {
  const rule = policy?.cancellation.rebooking ?? null
  const deadline = policy ? rebookingDeadline(policy, calendar, cancellation) : null
  const rebookedFor = cancellation.rebookedFor
  if (
    !policy ||
    !rule ||
    (rule.sessionTypes.length > 0 && cancellation.typeId !== null && !rule.sessionTypes.includes(cancellation.typeId))
  ) {
    return {
      state: RebookingState.NoDeadline,
      deadline: null,
      rebookedFor,
      workingDaysLeft: null,
      message: rebookedFor
        ? `Rebooked for ${formatLongDate(rebookedFor)}`
        : 'The policy sets no deadline for rebooking this session',
      warn: false,
    }
  }
  if (rule.within === null) return asSoonAsPossibleView(policy, calendar, cancellation, today, personName)
  if (deadline === null) {
    const within = describeDuration(rule.afterAbsence ?? rule.within)
    return {
      state: RebookingState.AwaitingReturn,
      deadline: null,
      rebookedFor,
      workingDaysLeft: null,
      message: rebookedFor
        ? `Rebooked for ${formatLongDate(rebookedFor)}. The deadline is ${within} after ${personName} returns: record the date they return`
        : `Rebook within ${within} of ${personName} returning. Record the date they return to set the deadline`,
      warn: rebookedFor === null,
    }
  }
  const long = formatLongDate(deadline)
  const left = workingDaysBetween(calendar, today, deadline)
  if (rebookedFor !== null) {
    if (rebookedFor <= deadline)
      return {
        state: RebookingState.Met,
        deadline,
        rebookedFor,
        workingDaysLeft: left,
        message: `Rebooked for ${formatLongDate(rebookedFor)}, within the deadline of ${long}`,
        warn: false,
      }
    return {
      state: RebookingState.Missed,
      deadline,
      rebookedFor,
      workingDaysLeft: left,
      message: `Rebooked for ${formatLongDate(rebookedFor)}, after the deadline of ${long}: the policy was not met`,
      warn: true,
    }
  }
  if (today > deadline)
    return {
      state: RebookingState.Missed,
      deadline,
      rebookedFor,
      workingDaysLeft: left,
      message: `Not rebooked by the deadline of ${long}: the policy was not met. Rebook it as soon as possible`,
      warn: true,
    }
  const soon = left <= dueSoonWorkingDays
  return {
    state: soon ? RebookingState.DueSoon : RebookingState.Open,
    deadline,
    rebookedFor,
    workingDaysLeft: left,
    message:
      left === 0
        ? `Rebook today: the deadline is ${long}`
        : `Rebook for a date on or before ${long}: ${plural(left, 'working day', 'working days')} left`,
    warn: soon,
  }
}

/**
 * "As soon as possible" (issue 14): no deadline. Not rebooked, it is flagged; once the policy's
 * warning time has passed (from the session's date, or from the person's return for an absence),
 * it is a warning. Rebooked for any date, it is met.
 */
function asSoonAsPossibleView(
  policy: PolicyDocument,
  calendar: SchoolCalendar,
  cancellation: CancellationFact,
  today: IsoDate,
  personName: string,
): RebookingView {
  const rebookedFor = cancellation.rebookedFor
  const base = { deadline: null, rebookedFor, workingDaysLeft: null }
  if (rebookedFor !== null) {
    return { ...base, state: RebookingState.Met, message: `Rebooked for ${formatLongDate(rebookedFor)}`, warn: false }
  }
  const reason = policy.cancellation.reasons.find((candidate) => candidate.id === cancellation.reasonId)
  if (reason?.absence && cancellation.returnDate === null) {
    return {
      ...base,
      state: RebookingState.AsSoonAsPossible,
      message: `Rebook as soon as possible after ${personName} returns. Record the date they return`,
      warn: false,
    }
  }
  const warnFrom = rebookingWarnFrom(policy, calendar, cancellation)
  if (warnFrom !== null && today >= warnFrom) {
    return {
      ...base,
      state: RebookingState.NotRebooked,
      message: `Not rebooked yet: rebook it as soon as possible`,
      warn: true,
    }
  }
  return { ...base, state: RebookingState.AsSoonAsPossible, message: 'Rebook as soon as possible', warn: false }
}
