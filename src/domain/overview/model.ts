/**
 * The DSL's overview (issue 9): how the school stands against its own policy, at a glance. What the
 * overview reads (plain facts the service loads) and what it answers (figures, and the lists of
 * people and items behind each figure).
 *
 * Nothing here is record content: the lists name staff, dates and statuses only. Action wording
 * and the sensitive "needs additional support" flag are added by the page for viewers allowed to
 * see them (never for the headteacher's general view, MW-10), so the overview itself can be kept
 * and shared safely.
 */
import type { SchoolCalendar } from '../calendar/index.ts'
import type { ComplianceStatus, PersonCompliance, SessionFact } from '../compliance/index.ts'
import type { ContractPartiesSigning } from '../contracts/signers.ts'
import type { EmploymentType, IsoDate, Person } from '../people/person.ts'
import type { Duration, Party, PolicyDocument, ReviewState } from '../policy/index.ts'
import type { ActionStatus, OwnerKind, ReviewHistoryEntry } from '../records/actions.ts'

/** How far back "recent" reaches: sessions led, sessions received, framework coverage (LH-02, LH-08). */
export const lookbackMonths = 12
/** An open rebooking whose deadline is this many working days away or fewer is at risk (CA-03). */
export const atRiskWorkingDays = 2

/** A current supervision or line-management link (supervision_assignment). */
export interface AssignmentFact {
  superviseeId: string
  supervisorId: string
  kind: 'line-manager' | 'supervisor'
}

/** Someone named in the facts who is not on this school's staff (a supervisor from another school of the trust). */
export interface OtherPerson {
  id: string
  name: string
  jobTitle: string
  employmentType: EmploymentType
  endDate: IsoDate | null
  supervisorTrainedOn: IsoDate | null
}

/** A record waiting for signatures (status "completed"), with who has signed it so far. */
export interface RecordFact {
  id: string
  sessionId: string
  completedOn: IsoDate | null
  /** People with a signature that is not superseded. */
  signedPersonIds: readonly string[]
}

/** A contract issued and waiting for a signature (MW-02). */
export interface ContractFact {
  id: string
  superviseeId: string
  supervisorId: string
  academicYear: string
  issuedOn: IsoDate | null
  reviewOn: IsoDate | null
  /** The parties who have signed. */
  signedRoles: readonly Party[]
  /** Whether each party may sign (ADR 25): one who may not is not waited for (contractSigners). */
  signing: ContractPartiesSigning
}

/** An open action agreed at a session, with the status it was given at each later session. */
export interface ActionFact {
  id: string
  recordId: string
  sessionId: string
  ownerKind: OwnerKind
  ownerPersonId: string | null
  ownerName: string
  dueOn: IsoDate | null
  status: ActionStatus
  history: readonly ReviewHistoryEntry[]
}

export interface OverviewFacts {
  today: IsoDate
  school: { id: string; name: string; slug: string }
  /** The policy in force today, or null when none is. */
  policy: PolicyDocument | null
  /**
   * Every version of the school's policy (LH-02): a framework's coverage window may reach back
   * over versions, so publishing a new version that keeps the framework does not reset it.
   * Absent: only `policy` is known.
   */
  policyVersions?: readonly PolicyDocument[]
  calendar: SchoolCalendar
  /** The school's people, leavers included. */
  people: readonly Person[]
  compliance: readonly PersonCompliance[]
  /** The school's sessions, every status. */
  sessions: readonly SessionFact[]
  /** Framework item ids ticked on the records of sessions (LH-02), by session id. */
  recordTags: ReadonlyMap<string, readonly string[]>
  /** Current assignments of the school's people. */
  assignments: readonly AssignmentFact[]
  records: readonly RecordFact[]
  contracts: readonly ContractFact[]
  actions: readonly ActionFact[]
  /** The most sessions a supervisor leads in a week: the planner's setting, or its default. */
  maxPerWeek: { value: number; source: 'planner' | 'default' }
  /** People named in the facts who are not of this school. */
  others: readonly OtherPerson[]
  /** For each supervisor: the latest held session in which they were supervised, in any school of the organisation. */
  lastSupervisedOn: ReadonlyMap<string, IsoDate>
}

// ---------------------------------------------------------------------------------------------
// What the overview answers

export interface OverviewFigures {
  /** People the policy says must be supervised. */
  inScope: number
  /** In scope and not overdue (compliant or due soon). */
  upToDate: number
  /** upToDate as a whole percentage of inScope, rounded down; null when no one is in scope. */
  percentCompliant: number | null
  /** Overdue, having been supervised before (never supervised counted separately). */
  overdue: number
  /** Due within the next 14 days. */
  dueSoon: number
  neverSupervised: number
  /** Open rebookings whose deadline is within 2 working days (CA-03). */
  rebookingsAtRisk: number
  /** Rebooking deadlines missed in the last 12 months (CA-03). */
  rebookingsMissed: number
  recordsAwaitingSignature: number
  contractsUnsigned: number
  overdueActions: number
  driftingActions: number
  /** LH-08, PL-05: supervisors with no recorded supervisor training, or whose training has run out. */
  supervisorsUntrained: number
  /** LH-08: supervisors whose training runs out soon (the policy's refresh period). Absent in figures kept before it. */
  supervisorsTrainingExpiring?: number
  /** LH-08: supervisors not themselves supervised. */
  supervisorsUnsupervised: number
  /** LH-02, AM-01, PL-01: supervisees with a framework item not covered in the last 12 months. */
  frameworkGaps: number
  /** Supervisors whose busiest week this half term is over the weekly limit. */
  supervisorsOverLimit: number
}

export interface PolicyReviewFigure {
  state: ReviewState
  nextReviewDue: IsoDate | null
  message: string
}

/** The small part of the overview the overview page needs. */
export interface OverviewSummary {
  today: IsoDate
  school: { id: string; name: string; slug: string }
  policyVersion: number | null
  /** MW-10: what the policy says the headteacher may be told. */
  headteacherFeedback: 'none' | 'general-only' | 'full' | null
  figures: OverviewFigures
  /** Counts of people in scope by status, for the chart. */
  statusCounts: { status: Exclude<ComplianceStatus, 'not-required'>; count: number }[]
  /** only when the review is near, past, or has no date. */
  policyReview: PolicyReviewFigure | null
}

export interface PersonEntry {
  id: string
  name: string
  jobTitle: string
  status: ComplianceStatus
  lastSession: IsoDate | null
  nextDue: IsoDate | null
  /** The current supervisor, else the line manager. */
  supervisorName: string | null
}

export interface RebookingEntry {
  personId: string
  personName: string
  sessionId: string
  sessionDate: IsoDate
  deadline: IsoDate | null
  rebookedFor: IsoDate | null
}

export interface RecordEntry {
  id: string
  sessionId: string
  sessionDate: IsoDate
  completedOn: IsoDate | null
  supervisorNames: string[]
  superviseeNames: string[]
  waitingFor: string[]
}

export interface ContractEntry {
  id: string
  superviseeId: string
  superviseeName: string
  supervisorName: string
  academicYear: string
  issuedOn: IsoDate | null
  waitingFor: Party[]
}

export interface ActionEntry {
  id: string
  recordId: string
  sessionId: string
  raisedOn: IsoDate | null
  ownerName: string
  dueOn: IsoDate | null
  status: ActionStatus
  /** Sessions running, ending with the latest, that carried it forward. */
  carriedForwardRun: number
  supervisorNames: string[]
  superviseeNames: string[]
}

export const SupervisorRole = {
  /** Led a held session in the last 12 months. */
  Supervised: 'supervised',
  LineManager: 'line-manager',
  CurrentSupervisor: 'current-supervisor',
} as const
export type SupervisorRole = (typeof SupervisorRole)[keyof typeof SupervisorRole]

export interface SupervisorEntry {
  id: string
  name: string
  jobTitle: string
  /** Why they count as a supervisor. */
  roles: SupervisorRole[]
  trainedOn: IsoDate | null
  /** When their training runs out under the policy (LH-08); null when it does not, or none is recorded. */
  trainingExpiresOn?: IsoDate | null
  /** Their latest held session as a supervisee, in any school of the organisation. */
  lastSupervisedOn: IsoDate | null
  /** Their own compliance status, when they are on this school's staff. */
  status: ComplianceStatus | null
}

export interface BalanceRow {
  personId: string
  name: string
  /** Held sessions received in the window. */
  sessions: number
  covered: string[]
  missing: string[]
  /** Missing items count only for someone in scope for the whole window, under a policy in force for all of it. */
  flagged: boolean
  /** For each of the framework's terms, in order: held sessions received and the items they covered. */
  byTerm: { sessions: number; covered: string[] }[]
}

export interface BalanceTerm {
  id: string
  name: string
  start: IsoDate
  end: IsoDate
}

export interface FrameworkBalance {
  id: string
  name: string
  /** The first day of the framework's own look-back (LH-02): sessions after it count. */
  windowStart: IsoDate
  /** The look-back in the policy's words ("12 months"); the overview's 12 months when the policy sets none. */
  lookback: Duration
  /** The terms the window overlaps, oldest first, for the balance per term. */
  terms: BalanceTerm[]
  items: { id: string; name: string; coveredBy: number }[]
  rows: BalanceRow[]
}

export interface Balance {
  windowStart: IsoDate
  frameworks: FrameworkBalance[]
}

export interface LoadPeriod {
  id: string
  name: string
  start: IsoDate
  end: IsoDate
}

export interface LoadRow {
  supervisorId: string
  name: string
  /** Sessions led (held or planned) in each period, in the order of `periods`. */
  counts: number[]
  /** The most sessions led in one week (Monday to Sunday) of each period. */
  busiestWeek: number[]
}

export interface Load {
  academicYear: string
  periods: LoadPeriod[]
  /** The half term today falls in (or the last one begun); null before the first. */
  currentPeriodIndex: number | null
  maxPerWeek: { value: number; source: 'planner' | 'default' }
  rows: LoadRow[]
}

export interface OverviewLists {
  people: PersonEntry[]
  rebookingsAtRisk: RebookingEntry[]
  rebookingsMissed: RebookingEntry[]
  recordsAwaitingSignature: RecordEntry[]
  contractsUnsigned: ContractEntry[]
  overdueActions: ActionEntry[]
  driftingActions: ActionEntry[]
  supervisorsUntrained: SupervisorEntry[]
  /** LH-08: supervisors whose training runs out soon. Absent in lists kept before it. */
  supervisorsTrainingExpiring?: SupervisorEntry[]
  supervisorsUnsupervised: SupervisorEntry[]
  balance: Balance
  load: Load
}

export interface Overview {
  summary: OverviewSummary
  lists: OverviewLists
}
