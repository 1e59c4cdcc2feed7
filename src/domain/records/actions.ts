/**
 * Actions agreed in supervision (X-05, CA-07, AM-06): who does what by when, and where each stands.
 * An action is reviewed at the next session and given a status there: done, in progress, carried
 * forward, or dropped with a reason. Its history is the status it was given at each session.
 *
 * Pure: pass "today" in.
 */
import type { IsoDate } from '../people/person.ts'

export const ActionStatus = {
  /** Agreed, not yet reviewed at a later session. */
  Open: 'open',
  InProgress: 'in-progress',
  CarriedForward: 'carried-forward',
  Done: 'done',
  Dropped: 'dropped',
} as const
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus]

/** The statuses a review at a session may give (an action is never reviewed back to "open"). */
export const reviewStatuses = ['done', 'in-progress', 'carried-forward', 'dropped'] as const
export type ReviewStatus = (typeof reviewStatuses)[number]

export const actionStatusLabels: Readonly<Record<ActionStatus, string>> = {
  open: 'Open',
  'in-progress': 'In progress',
  'carried-forward': 'Carried forward',
  done: 'Done',
  dropped: 'Dropped',
}

/** Who will do an action: the supervisor, the supervisee, or another named person. */
export const OwnerKind = { Supervisor: 'supervisor', Supervisee: 'supervisee', Other: 'other' } as const
export type OwnerKind = (typeof OwnerKind)[keyof typeof OwnerKind]

/** An action as agreed at a session, as a record holds it. */
export interface AgreedAction {
  /** Stable across saves and sessions (a UUID given when the action is first saved). */
  id: string
  text: string
  ownerKind: OwnerKind
  /** The owner's id in Haven, or null for someone outside it. */
  ownerId: string | null
  ownerName: string
  /** YYYY-MM-DD, or '' when no date was agreed. */
  dueOn: IsoDate | ''
}

/** The status a session gave an earlier action. */
export interface ActionReview {
  actionId: string
  status: ReviewStatus
  /** Why it was dropped; '' otherwise. */
  reason: string
}

/** One entry of an action's history: the status it was given at a session held on that date. */
export interface ReviewHistoryEntry {
  sessionDate: IsoDate
  status: ReviewStatus
}

export function isOpenStatus(status: ActionStatus): boolean {
  return status === 'open' || status === 'in-progress' || status === 'carried-forward'
}

export function isReviewStatus(value: unknown): value is ReviewStatus {
  return typeof value === 'string' && (reviewStatuses as readonly string[]).includes(value)
}

/** Overdue: still open and its due date has passed (due today is not yet overdue). */
export function isOverdue(action: { status: ActionStatus; dueOn: IsoDate | '' | null }, today: IsoDate): boolean {
  return isOpenStatus(action.status) && action.dueOn !== null && action.dueOn !== '' && action.dueOn < today
}

/**
 * Drifting: carried forward at two sessions running. Looks at the two latest reviews, in
 * session order (ties keep the order given): both "carried forward" means the action is drifting.
 * An action that was later done, dropped or moved on is not drifting.
 */
export function isDrifting(history: readonly ReviewHistoryEntry[]): boolean {
  if (history.length < 2) return false
  const ordered = history
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) =>
      a.entry.sessionDate < b.entry.sessionDate
        ? -1
        : a.entry.sessionDate > b.entry.sessionDate
          ? 1
          : a.index - b.index,
    )
    .map((x) => x.entry)
  const last = ordered[ordered.length - 1]!
  const before = ordered[ordered.length - 2]!
  return last.status === 'carried-forward' && before.status === 'carried-forward'
}

/** How many sessions running (ending with the latest) carried the action forward. */
export function carriedForwardRun(history: readonly ReviewHistoryEntry[]): number {
  const ordered = [...history].sort((a, b) =>
    a.sessionDate < b.sessionDate ? -1 : a.sessionDate > b.sessionDate ? 1 : 0,
  )
  let run = 0
  for (let i = ordered.length - 1; i >= 0 && ordered[i]!.status === 'carried-forward'; i--) run++
  return run
}

/**
 * Checks the reviews a record gives to earlier actions: every action listed needs a status (X-05,
 * unless the policy does not have actions reviewed at the next session: `required` false), and a
 * dropped one needs a reason. Errors are keyed `reviews-<actionId>` and `reviews-<actionId>-reason`.
 */
export function checkReviews(
  actions: readonly { id: string; text: string }[],
  reviews: readonly Partial<ActionReview>[],
  options: { complete: boolean; required?: boolean },
): Record<string, string> {
  const errors: Record<string, string> = {}
  actions.forEach((action, index) => {
    const review = reviews.find((r) => r.actionId === action.id)
    const n = String(index + 1)
    if (review?.status !== undefined && !isReviewStatus(review.status)) {
      errors[`reviews-${action.id}`] = `Select what happened to earlier action ${n}`
      return
    }
    if (options.complete && (options.required ?? true) && review?.status === undefined) {
      errors[`reviews-${action.id}`] = `Select what happened to earlier action ${n}`
      return
    }
    if (review?.status === 'dropped' && (review.reason ?? '').trim() === '') {
      if (options.complete) errors[`reviews-${action.id}-reason`] = `Enter why earlier action ${n} was dropped`
    }
    if ((review?.reason ?? '').length > 2000) {
      errors[`reviews-${action.id}-reason`] =
        `The reason for dropping earlier action ${n} must be 2000 characters or fewer`
    }
  })
  return errors
}

/** The status an action has after a review (or still open when never reviewed). */
export function statusAfter(review: Pick<ActionReview, 'status'> | undefined): ActionStatus {
  return review?.status ?? 'open'
}
