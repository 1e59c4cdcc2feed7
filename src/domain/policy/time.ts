/**
 * Lengths of time from a policy applied to dates, and the policy review reminder.
 */
import {
  addDays,
  addMonths,
  addWorkingDays,
  formatLongDate,
  type IsoDate,
  isWeekend,
  type SchoolCalendar,
} from '../calendar/index.ts'
import type { Duration, PolicyDocument } from './model.ts'

/**
 * The date `duration` after `date`. Working days use the school calendar (term-time weekdays that
 * are not bank holidays or closures); without a calendar they fall back to Monday to Friday.
 */
export function addDuration(date: IsoDate, duration: Duration, calendar: SchoolCalendar | null = null): IsoDate {
  switch (duration.unit) {
    case 'days':
      return addDays(date, duration.amount)
    case 'weeks':
      return addDays(date, duration.amount * 7)
    case 'months':
      return addMonths(date, duration.amount)
    case 'years':
      return addMonths(date, duration.amount * 12)
    case 'working-days': {
      if (calendar) return addWorkingDays(calendar, date, duration.amount)
      let current = date
      for (let remaining = duration.amount; remaining > 0; ) {
        current = addDays(current, 1)
        if (!isWeekend(current)) remaining--
      }
      return current
    }
  }
}

/** The date `duration` before `date` (working days counted backwards). */
export function subtractDuration(date: IsoDate, duration: Duration, calendar: SchoolCalendar | null = null): IsoDate {
  switch (duration.unit) {
    case 'days':
      return addDays(date, -duration.amount)
    case 'weeks':
      return addDays(date, -duration.amount * 7)
    case 'months':
      return addMonths(date, -duration.amount)
    case 'years':
      return addMonths(date, -duration.amount * 12)
    case 'working-days': {
      if (calendar) return addWorkingDays(calendar, date, -duration.amount)
      let current = date
      for (let remaining = duration.amount; remaining > 0; ) {
        current = addDays(current, -1)
        if (!isWeekend(current)) remaining--
      }
      return current
    }
  }
}

export const ReviewState = {
  /** The policy has no review date. */
  NoReviewDate: 'no-review-date',
  Current: 'current',
  /** Within the reminder period before the review date. */
  ReviewSoon: 'review-soon',
  Overdue: 'overdue',
} as const
export type ReviewState = (typeof ReviewState)[keyof typeof ReviewState]

export interface PolicyReview {
  state: ReviewState
  nextReviewDue: IsoDate | null
  /** The first day the school is reminded. */
  remindFrom: IsoDate | null
  message: string
}

/**
 * Whether the policy's review is coming up. The review date is `nextReviewDue`, or else
 * `lastReviewedOn` (or `approvedOn`, or `createdOn`) plus `reviewEvery`.
 */
export function policyReview(policy: PolicyDocument, today: IsoDate): PolicyReview {
  const { metadata } = policy
  const lastReviewed = metadata.lastReviewedOn ?? metadata.approvedOn ?? metadata.createdOn
  const nextReviewDue =
    metadata.nextReviewDue ??
    (lastReviewed !== null && metadata.reviewEvery !== null ? addDuration(lastReviewed, metadata.reviewEvery) : null)
  if (nextReviewDue === null) {
    return {
      state: 'no-review-date',
      nextReviewDue: null,
      remindFrom: null,
      message: 'The policy has no review date: add one',
    }
  }
  const remindFrom = subtractDuration(nextReviewDue, metadata.reviewReminder)
  const due = formatLongDate(nextReviewDue)
  if (today > nextReviewDue) {
    return { state: 'overdue', nextReviewDue, remindFrom, message: `The policy review was due by ${due}` }
  }
  if (today >= remindFrom) {
    return { state: 'review-soon', nextReviewDue, remindFrom, message: `The policy is due for review by ${due}` }
  }
  return { state: 'current', nextReviewDue, remindFrom, message: `The next review is due by ${due}` }
}
