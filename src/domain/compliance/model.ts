/**
 * What the compliance engine reads (facts about sessions and cancellations) and what it answers
 * (one PersonCompliance per person). Plain data: the service layer maps database rows to facts.
 */
import type { IsoDate } from '../calendar/index.ts'
import type { EscalationTarget, EscalationTrigger } from '../policy/model.ts'

export const SessionStatus = {
  Held: 'held',
  Cancelled: 'cancelled',
  DidNotAttend: 'did-not-attend',
  Planned: 'planned',
} as const
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus]

/** A supervision session. Only held sessions on or before "today" count. */
export interface SessionFact {
  id: string
  /** A session type id from the policy. */
  typeId: string
  date: IsoDate
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
  status: SessionStatus
  /** Framework item ids the discussion was tagged with (LH-02). */
  tags?: readonly string[]
}

/** A session that did not take place (MW-06, CA-03). */
export interface CancellationFact {
  id: string
  sessionId: string
  /** The session's type, if known: a rebooking rule may apply to some types only. */
  typeId: string | null
  /** The date the session was due to take place; the rebooking deadline counts from it. */
  date: IsoDate
  superviseeIds: readonly string[]
  /** A cancellation reason id from the policy. */
  reasonId: string
  /** For absence or illness: the day the person returns (or is expected to). Null while unknown. */
  returnDate: IsoDate | null
  /** The date of the replacement session; null until it is rebooked. */
  rebookedFor: IsoDate | null
}

export const ComplianceStatus = {
  NotRequired: 'not-required',
  Compliant: 'compliant',
  DueSoon: 'due-soon',
  Overdue: 'overdue',
  /** Overdue, and no counting session has ever been held. */
  NeverSupervised: 'never-supervised',
} as const
export type ComplianceStatus = (typeof ComplianceStatus)[keyof typeof ComplianceStatus]

/** Worse is higher: compliant < due soon < overdue < never supervised. Not required is 0. */
export const statusRank: Readonly<Record<ComplianceStatus, number>> = {
  'not-required': 0,
  compliant: 1,
  'due-soon': 2,
  overdue: 3,
  'never-supervised': 4,
}

export const DueSource = {
  /** The requirement's own frequency. */
  Policy: 'policy',
  /** A stricter rule for some staff (LH-03). */
  StricterRule: 'stricter-rule',
  /** A frequency agreed for the person, for example in their contract (MW-03). */
  Agreed: 'agreed',
  /** The longest allowed gap between sessions (LH-03). */
  MaximumGap: 'maximum-gap',
} as const
export type DueSource = (typeof DueSource)[keyof typeof DueSource]

export interface RequirementCompliance {
  requirementId: string
  description: string
  status: Exclude<ComplianceStatus, 'not-required'>
  /** The last held session of a type that counts for this requirement. */
  lastSession: IsoDate | null
  /** Null when nothing sets a due date (a policy with no minimum frequency and no agreement). */
  nextDue: IsoDate | null
  /** Why it is due then, e.g. "every 12 weeks of term time after the last session on 3 September 2025". */
  dueBecause: string
  dueSource: DueSource | null
}

export type Breach =
  | {
      kind: 'gap-exceeded'
      requirementId: string
      /** The session (or the start of the person's scope) the gap runs from. */
      from: IsoDate
      /** The next counting session; null while the gap is still open. */
      to: IsoDate | null
      dueBy: IsoDate
      /** The rule broken, e.g. "never more than 3 months apart". */
      limit: string
      message: string
    }
  | {
      kind: 'period-missed'
      requirementId: string
      periodId: string
      periodName: string
      dueBy: IsoDate
      message: string
    }
  | {
      kind: 'rebooking-deadline-missed'
      cancellationId: string
      sessionId: string
      sessionDate: IsoDate
      deadline: IsoDate
      rebookedFor: IsoDate | null
      message: string
    }
export type BreachKind = Breach['kind']

/**
 * A cancelled session still waiting to be rebooked, for warnings before the deadline passes; with
 * an "as soon as possible" rule, every session not yet rebooked (issue 14).
 */
export interface OpenRebooking {
  cancellationId: string
  sessionId: string
  sessionDate: IsoDate
  /** Null while waiting for the person to return from absence, and for "as soon as possible". */
  deadline: IsoDate | null
  /** The rule is "as soon as possible": flagged until it is rebooked. */
  asSoonAsPossible: boolean
  /** As soon as possible: the first day it is warned about; null when the rule sets no warning (or the return is unknown). */
  warnFrom: IsoDate | null
  /** As soon as possible: true once `warnFrom` has come and it is still not rebooked. */
  warning: boolean
  message: string
}

/** Framework items not covered in the person's recent sessions (LH-02). */
export interface FrameworkGap {
  frameworkId: string
  itemIds: string[]
  message: string
}

/** Where an escalation has reached (LH-09, AM-09, CA-03). */
export interface EscalationState {
  chainId: string
  trigger: EscalationTrigger
  stepId: string
  target: EscalationTarget
  action: string
  /** The day this step was reached. */
  since: IsoDate
  /** For a repeating step ("further up until resolved"): how many times it has repeated. */
  repeats: number
  /** The breach or requirement that set it off. */
  about: string
}

export interface PersonCompliance {
  personId: string
  name: string
  required: boolean
  /** Why, in the policy's words: "Required: staff working in the EYFS" (never a rule's id). */
  reason: string
  scopeRuleIds: string[]
  /** From when the person is (or will be) in scope. */
  inScopeFrom: IsoDate | null
  /** The worst status across their requirements. */
  status: ComplianceStatus
  /** The last held session that counts for any of their requirements. */
  lastSession: IsoDate | null
  /** The earliest due date across their requirements. */
  nextDue: IsoDate | null
  requirements: RequirementCompliance[]
  /** Oldest first. */
  breaches: Breach[]
  openRebookings: OpenRebooking[]
  frameworkGaps: FrameworkGap[]
  escalations: EscalationState[]
  /** The policy version in force on "today", or null if none was. */
  policyVersion: number | null
}
