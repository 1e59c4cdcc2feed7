/**
 * A session that will not take place (MW-06, CA-03, AM-05): cancelled, postponed, or recorded as
 * not attended. The reason is one of the categories the policy sets; a reason marked as absence
 * asks for the day the person returns (the rebooking deadline counts from it, CA-03), which may be
 * left blank while unknown and added later.
 */
import { addDays, type IsoDate } from '../calendar/index.ts'
import type { RoleId } from '../people/roles.ts'
import type { CancellationReason, PolicyDocument } from '../policy/model.ts'

export const CancellationField = { Reason: 'reasonId', ReturnDate: 'returnDate', Note: 'reasonNote' } as const
export type CancellationField = (typeof CancellationField)[keyof typeof CancellationField]

export const reasonNoteLimit = 500

export interface CancellationRequest {
  kind: 'cancelled' | 'postponed' | 'did-not-attend'
  reasonId: string
  reasonNote: string
  /** For an absence reason: the day the person returns, if known. */
  returnDate: IsoDate | null
  sessionDate: IsoDate
}

export interface CancellationProblem {
  field: CancellationField
  message: string
}

/** The reasons a session may be cancelled for under the policy (MW-06). */
export function cancellationReasons(policy: PolicyDocument | null): CancellationReason[] {
  return policy?.cancellation.reasons ?? []
}

/**
 * MW-06: whether someone with these roles in the school sees every cancellation of it: the roles
 * the policy names (`cancellation.visibleTo`, the DSL at Meanwood and Cornerstone), and anyone
 * who manages the school's sessions. Everyone else sees only their own sessions.
 */
export function seesEveryCancellation(
  policy: PolicyDocument | null,
  actor: { roles: readonly RoleId[] },
  managesSessions: boolean,
): boolean {
  if (managesSessions) return true
  const visibleTo = policy?.cancellation.visibleTo ?? []
  return actor.roles.some((role) => visibleTo.includes(role))
}

/**
 * Whether a cancellation must give one of the policy's reasons (MW-06: "a cancellation records its
 * reason"). A policy may leave it optional; with no policy in force, a reason cannot be checked, so
 * one is asked for as before.
 */
export function reasonRequired(policy: PolicyDocument | null): boolean {
  return policy?.cancellation.reasonRequired ?? true
}

/** The reason id stored when none was given, where the policy allows it: no policy's reason has an empty id. */
export const noReasonGiven = ''

export function checkCancellation(policy: PolicyDocument | null, request: CancellationRequest): CancellationProblem[] {
  const problems: CancellationProblem[] = []
  const reason = cancellationReasons(policy).find((r) => r.id === request.reasonId)
  const optional = request.reasonId === noReasonGiven && !reasonRequired(policy)
  if (!reason && !optional) {
    const why = { cancelled: 'cancelling', postponed: 'postponing', 'did-not-attend': 'why it did not take place' }[
      request.kind
    ]
    problems.push({
      field: CancellationField.Reason,
      message: request.kind === 'did-not-attend' ? `Select ${why}` : `Select a reason for ${why} the session`,
    })
  }
  if (reason?.absence && request.returnDate !== null && request.returnDate < request.sessionDate)
    problems.push({
      field: CancellationField.ReturnDate,
      message: 'The date they return must be on or after the date of the session',
    })
  if (reason?.absence && request.returnDate !== null && request.returnDate > addDays(request.sessionDate, 731))
    problems.push({
      field: CancellationField.ReturnDate,
      message: 'The date they return must be within 2 years of the date of the session',
    })
  if (request.reasonNote.length > reasonNoteLimit)
    problems.push({ field: CancellationField.Note, message: `Details must be ${reasonNoteLimit} characters or fewer` })
  return problems
}

/** Whether the reason is an absence, so the return date applies (CA-03). */
export function isAbsenceReason(policy: PolicyDocument | null, reasonId: string): boolean {
  return cancellationReasons(policy).some((r) => r.id === reasonId && r.absence)
}

/** The reason's name in the policy, or its id if no version knows it. */
export function reasonName(policies: readonly PolicyDocument[], reasonId: string): string {
  if (reasonId === noReasonGiven) return 'No reason given'
  for (const p of [...policies].reverse()) {
    const found = p.cancellation.reasons.find((r) => r.id === reasonId)
    if (found) return found.name
  }
  return reasonId
}
