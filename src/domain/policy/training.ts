/**
 * Supervisor training (LH-08, PL-05): whether a supervisor's training is in date on a day, when it
 * runs out, and what booking and the planner do when it is missing or has run out. One rule
 * (`untrainedSupervisorCheck`) for both, so that a booking and the planner never disagree.
 *
 * A person's training is the latest course they completed (Person.supervisorTrainedOn, kept as the
 * latest completion of their training records). Where the policy sets how long training stays
 * valid, it runs out that long after the latest completion; otherwise it never does.
 */
import { addDays, formatLongDate, type IsoDate } from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import { type Duration, type PolicyDocument, type SupervisorPolicy, UntrainedAction } from './model.ts'
import { addDuration } from './time.ts'

/** How near its end training counts as running out soon, for the DSL's overview. */
export const TRAINING_EXPIRING_WITHIN_DAYS = 60

export const TrainingState = {
  /** No supervisor training is recorded on or before the day. */
  None: 'none',
  /** Training is recorded and in date. */
  Valid: 'valid',
  /** Training is recorded and in date, but runs out within TRAINING_EXPIRING_WITHIN_DAYS. */
  ExpiringSoon: 'expiring-soon',
  /** Training is recorded but ran out on or before the day. */
  Expired: 'expired',
} as const
export type TrainingState = (typeof TrainingState)[keyof typeof TrainingState]

export interface TrainingStatus {
  state: TrainingState
  /** The latest completion on or before the day, or null. */
  completedOn: IsoDate | null
  /** The first day the training no longer counts, or null when it does not run out. */
  expiresOn: IsoDate | null
}

/** The first day training completed on `completedOn` no longer counts, or null when the policy sets no limit. */
export function trainingExpiry(completedOn: IsoDate, validFor: Duration | null | undefined): IsoDate | null {
  if (!validFor || validFor.amount <= 0) return null
  return addDuration(completedOn, { amount: validFor.amount, unit: validFor.unit })
}

/** The state of a person's supervisor training on a day, under the policy's refresh period. */
export function trainingStatus(
  completedOn: IsoDate | null,
  supervisors: Pick<SupervisorPolicy, 'trainingValidFor'> | null,
  on: IsoDate,
): TrainingStatus {
  if (completedOn === null || completedOn > on) return { state: TrainingState.None, completedOn: null, expiresOn: null }
  const expiresOn = trainingExpiry(completedOn, supervisors?.trainingValidFor)
  if (expiresOn === null) return { state: TrainingState.Valid, completedOn, expiresOn }
  if (expiresOn <= on) return { state: TrainingState.Expired, completedOn, expiresOn }
  if (expiresOn <= addDays(on, TRAINING_EXPIRING_WITHIN_DAYS))
    return { state: TrainingState.ExpiringSoon, completedOn, expiresOn }
  return { state: TrainingState.Valid, completedOn, expiresOn }
}

/** Whether the training counts on the day (in date, even if running out soon). */
export function trainingInDate(status: TrainingStatus): boolean {
  return status.state === TrainingState.Valid || status.state === TrainingState.ExpiringSoon
}

export interface UntrainedProblem {
  /** Refuse the booking (or the planner's choice), or warn and let the person go ahead. */
  action: UntrainedAction
  /** In plain English, naming the person and the date. */
  message: string
}

/**
 * What the policy says about this supervisor leading a session on `on`: null when training is not
 * required or theirs is in date; otherwise refuse or warn as the policy says (refuse when it does
 * not say), with the reason.
 */
export function untrainedSupervisorCheck(
  policy: Pick<PolicyDocument, 'supervisors'>,
  supervisor: Pick<Person, 'name' | 'supervisorTrainedOn'>,
  on: IsoDate,
): UntrainedProblem | null {
  if (!policy.supervisors.trainingRequired) return null
  const status = trainingStatus(supervisor.supervisorTrainedOn, policy.supervisors, on)
  if (trainingInDate(status)) return null
  const action = policy.supervisors.onUntrained ?? UntrainedAction.Refuse
  const day = formatLongDate(on)
  const message =
    status.state === TrainingState.Expired && status.expiresOn
      ? `${supervisor.name}’s supervisor training ran out on ${formatLongDate(status.expiresOn)}, before ${day}: the policy says supervisors must be trained`
      : `${supervisor.name} has no supervisor training recorded by ${day}: the policy says supervisors must be trained`
  return { action, message }
}
