/**
 * The supervision policy as data (X-01, issue 5): everything a school's written policy says that
 * software can act on, in one JSON document. The five seed packs (src/packs/) are documents of
 * this shape; a school that is not one of them writes its own rules in the same shape, with no
 * code change.
 *
 * The schema that checks a document is in schema.ts and validate.ts; the types here are the
 * shape after validation (every default filled in). Ids are lower-case and hyphenated, unique
 * within their list, and stable across versions of the policy: a later version that keeps a
 * requirement keeps its id, so history can be judged by the version in force at the time.
 */
import type { EmploymentType, FlagName, IsoDate } from '../people/person.ts'
import type { RoleId } from '../people/roles.ts'

/** The version of this document format. */
export const policySchemaVersion = 1

// ---------------------------------------------------------------------------------------------
// Time: frequencies and durations

export const FrequencyUnit = {
  /** Every N weeks: calendar weeks, or weeks of term time when `termTimeOnly` is set. */
  Weeks: 'weeks',
  /**
   * Every N calendar months (31 January + 1 month = 28 February), or N months of term time when
   * `termTimeOnly` is set.
   */
  Months: 'months',
  /** At least once (or `times` times) in each half term (or in each block of N half terms). */
  HalfTerms: 'half-terms',
  /** At least once (or `times` times) in each term (or in each block of N terms). */
  Terms: 'terms',
  /** At least once (or `times` times) in each academic year (or in each block of N years). */
  AcademicYears: 'academic-years',
} as const
export type FrequencyUnit = (typeof FrequencyUnit)[keyof typeof FrequencyUnit]

/** How often something must happen. */
export interface Frequency {
  every: number
  unit: FrequencyUnit
  /**
   * Weeks and months only: count term time, so the holidays between half terms do not use up the
   * interval. "Group supervision every 6 weeks" then never falls due in the summer holiday. A
   * month of term time is 30.4375 days of term time (365.25 / 12, rounded to whole days for N
   * months), because calendar months mean nothing once the holidays are taken out.
   */
  termTimeOnly: boolean
  /**
   * Half terms, terms and academic years only: how many counting sessions each period must hold
   * ("at least 3 times each academic year"). Absent, null or 1 means once. With more than one,
   * `every` is 1: each period is judged on its own (see compliance/due.ts for when each session is
   * due).
   */
  times?: number | null
  /** The school's own words for it, e.g. "once a term"; shown in summaries before the exact rule. */
  wording: string | null
}

export const DurationUnit = {
  Days: 'days',
  /** Weekdays in term time that are not bank holidays or closures (the calendar's working days). */
  WorkingDays: 'working-days',
  Weeks: 'weeks',
  Months: 'months',
  Years: 'years',
} as const
export type DurationUnit = (typeof DurationUnit)[keyof typeof DurationUnit]

/** A length of time: "5 working days", "3 months", "1 year". */
export interface Duration {
  amount: number
  unit: DurationUnit
}

// ---------------------------------------------------------------------------------------------
// Metadata (X-08, LH-01)

export const OwnerKind = {
  /** A person of the school: named, or by the role they hold, or both. */
  Person: 'person',
  /** An organisation, e.g. the trust or the local safeguarding partnership whose model it is. */
  Organisation: 'organisation',
} as const
export type OwnerKind = (typeof OwnerKind)[keyof typeof OwnerKind]

/**
 * The lead for the policy: a person (a name, a role, or both: at least one) or an organisation
 * (its name). Review reminders go to the owner: a person by name or role, or, for an
 * organisation, the school's DSL, who answers to it.
 */
export interface PolicyOwner {
  kind: OwnerKind
  name: string | null
  role: RoleId | null
}

/** Staff consulted before the policy was published: who, and when. */
export interface PolicyConsultation {
  /** Who was consulted, e.g. "All staff, at the staff meeting". */
  who: string
  consultedOn: IsoDate
}

/** The review cycles Haven supports: every year or every two years (X-08, LH-01 "annual"). */
export const reviewCycleYears: readonly number[] = [1, 2]

export interface PolicyMetadata {
  /** The policy's own title, e.g. "Staff Supervision Policy". */
  title: string
  school: string
  trust: string | null
  /** One or two sentences on what is distinctive about this policy. */
  description: string | null
  /** Where the policy comes from, e.g. "Based on the local safeguarding partnership's model, 2023". */
  provenance: string | null
  /** The lead person (or organisation) for the policy (LH-01 "Lead"). */
  owner: PolicyOwner
  /** The day the school first wrote (or adopted) the policy. */
  createdOn: IsoDate | null
  /** Optional step before publishing: staff consulted, with the date. */
  consultation: PolicyConsultation | null
  /** Null until someone approves it: the policy page then warns, never claims an approval. */
  approvedBy: string | null
  governorCommittee: string | null
  approvedOn: IsoDate | null
  lastReviewedOn: IsoDate | null
  /** Who carried out the last review, e.g. "Jo Adams, DSL, with the safeguarding governor". */
  lastReviewedBy: string | null
  /** The review cycle: 1 or 2 years (reviewCycleYears). */
  reviewEvery: Duration | null
  nextReviewDue: IsoDate | null
  /** How long before the review date the school is reminded. */
  reviewReminder: Duration
}

// ---------------------------------------------------------------------------------------------
// Who: selectors, scope (X-04, MW-01, MW-04, MW-05)

/**
 * Picks out staff. A person matches when ANY criterion matches: everyone; or they hold any of
 * the roles; or they have any of the flags (on the day asked about: a flag with an end date stops
 * matching after it); or (trainedSupervisors) they have recorded supervisor training; or any of
 * the date-derived conditions holds. At least one criterion must be given.
 */
export interface StaffSelector {
  everyone: boolean
  roles: RoleId[]
  flags: FlagName[]
  trainedSupervisors: boolean
  conditions: SelectorCondition[]
}

export const SelectorConditionKind = {
  /** Newly in post: from their start date until `duration` has passed (LH-03 probation, new staff). */
  InPostForLessThan: 'in-post-for-less-than',
  /**
   * Has had a flag for less than `duration`, counted from the date the flag began (or, with no
   * such date, their start date): "early-career teachers in their first year" (LH-03).
   */
  FlagForLessThan: 'flag-for-less-than',
} as const
export type SelectorConditionKind = (typeof SelectorConditionKind)[keyof typeof SelectorConditionKind]

/**
 * A condition worked out from dates, so it starts and stops by itself: it holds from the day the
 * counting starts up to the day before `duration` has passed (with a start on 1 September 2025
 * and 1 year, up to 31 August 2026). A condition whose start date is not recorded does not hold.
 */
export type SelectorCondition =
  | { kind: 'in-post-for-less-than'; duration: Duration }
  | { kind: 'flag-for-less-than'; flag: FlagName; duration: Duration }

/** One reason a member of staff must be supervised; its description is how Haven explains why. */
export interface ScopeRule {
  id: string
  /** Plain words naming the group, e.g. "Staff working in the EYFS". */
  description: string
  who: StaffSelector
}

/**
 * A wait before some kinds of staff come into scope (MW-05: agency and temporary staff who have
 * worked in the school for more than 5 weeks). A person of one of these employment types is in
 * scope from their start date plus `after`: with a start on Monday 1 September and 5 weeks, from
 * Monday 6 October, the first day after 5 complete weeks in post.
 */
export interface QualifyingPeriod {
  id: string
  description: string
  employmentTypes: EmploymentType[]
  after: Duration
}

export const ScopeIdentification = {
  /** Staff are identified at the start of each academic year (MW-01). */
  StartOfAcademicYear: 'start-of-academic-year',
  /** Staff come into scope whenever they meet a rule. */
  Continuously: 'continuously',
} as const
export type ScopeIdentification = (typeof ScopeIdentification)[keyof typeof ScopeIdentification]

export interface Scope {
  identifiedAt: ScopeIdentification
  rules: ScopeRule[]
  qualifyingPeriods: QualifyingPeriod[]
  /** Employment types never in scope, whatever their role (for example volunteers). */
  excludedEmploymentTypes: EmploymentType[]
  /**
   * Who else the school brings into scope one by one, with a manual override and a reason,
   * e.g. "Class teachers and teaching assistants who hold child protection casework".
   */
  manualInclusion: string | null
  // Part-time staff always get the same frequency as full-time staff, never pro rata (MW-04): that
  // is how Haven works, not a setting (issue 14 removed `partTimeStaff`; schema.ts drops it on reading).
}

// ---------------------------------------------------------------------------------------------
// Sessions (MW-07, MW-08, CA-01, PL-02, LH-06, AM-02)

export interface SessionFocus {
  id: string
  name: string
}

export interface SessionType {
  id: string
  name: string
  description: string
  /** Whether any requirement may count it; a requirement may only count types marked true. */
  countsTowardEntitlement: boolean
  group: boolean
  planned: boolean
  formal: boolean
  /** Arranged when a member of staff asks (AM-02 1:1 on request, CA-04). */
  onRequest: boolean
  /** Issues raised are carried forward to the next formal session (CA-01). */
  carriesForwardToNextFormal: boolean
  /** A decision about a child reached in this kind of session must reach the child's record (LH-06, X-07). */
  decisionsToChildRecord: boolean
  /** The group agrees its confidentiality boundary and the record says it was a group (LH-06). */
  recordsConfidentialityBoundary: boolean
  /** Ways the session may be focused (CA-01 multi-agency: theme-, case- or staff-centred). */
  focuses: SessionFocus[]
}

// ---------------------------------------------------------------------------------------------
// Requirements (MW-03, LH-03, CA-02, AM-02, AM-05)

/** A stricter frequency for some of the people a requirement applies to (LH-03). */
export interface StricterRule {
  id: string
  description: string
  who: StaffSelector
  frequency: Frequency
  maximumGap: Duration | null
}

export const AgreedFrequencyAllowance = {
  /** No personal frequency may be agreed. */
  None: 'none',
  /** Only the listed frequencies (MW-03: every four weeks, or half-termly). */
  Listed: 'listed',
  /** Any frequency the supervisor and supervisee agree (LH-03). It can only make things stricter. */
  Any: 'any',
} as const
export type AgreedFrequencyAllowance = (typeof AgreedFrequencyAllowance)[keyof typeof AgreedFrequencyAllowance]

/**
 * A frequency agreed for one person, usually in their contract. Haven holds a person to the
 * earlier of the policy's due date and the agreed one, so an agreement never loosens the policy.
 */
export interface AgreedFrequency {
  allowed: AgreedFrequencyAllowance
  options: Frequency[]
  description: string | null
}

export const SessionPlanning = {
  /** All of the year's dates are planned at the start of the academic year (CA-02). */
  StartOfYear: 'start-of-year',
  /** Each session is booked after the previous one. */
  Rolling: 'rolling',
} as const
export type SessionPlanning = (typeof SessionPlanning)[keyof typeof SessionPlanning]

export interface Requirement {
  id: string
  /** Plain words, e.g. "One-to-one supervision with the line manager". */
  description: string
  /** Ids of the scope rules whose people this applies to; empty for everyone in scope. */
  scopeRules: string[]
  /** Ids of the session types that count. */
  sessionTypes: string[]
  /** Null when the policy sets no minimum frequency (then only an agreed frequency sets a due date). */
  frequency: Frequency | null
  /** The longest allowed time between counting sessions (LH-03: never more than 3 months apart). */
  maximumGap: Duration | null
  expectedMinutes: number | null
  planning: SessionPlanning
  stricterFor: StricterRule[]
  agreedFrequency: AgreedFrequency
}

// ---------------------------------------------------------------------------------------------
// Who may supervise whom (LH-05, PL-03, AM-04, CA-12, LH-08, PL-05)

export const ExternalBody = {
  LocalAuthority: 'local-authority',
  ProfessionalBody: 'professional-body',
  CriticalIncidentTeam: 'critical-incident-team',
  Independent: 'independent',
  OtherOrganisation: 'other-organisation',
} as const
export type ExternalBody = (typeof ExternalBody)[keyof typeof ExternalBody]

export type SupervisorSpec =
  /** A member of staff of the supervisee's school holding this role. */
  | { kind: 'role'; role: RoleId }
  /** The supervisee's own line manager. */
  | { kind: 'line-manager' }
  /** Someone the line manager has delegated supervision to, holding one of the roles if any are given (PL-03). */
  | { kind: 'line-manager-delegate'; roles: RoleId[] }
  /** A member of staff of another school of the same trust holding this role (LH-05). */
  | { kind: 'another-school-in-trust'; role: RoleId }
  /**
   * Someone of the trust's central team (no school of their own) holding this role: a regional or
   * central safeguarding lead supervises in any academy of the trust (issue 14, ADR 0024).
   */
  | { kind: 'trust-central'; role: RoleId }
  /** A member of staff of any other school holding this role: a reciprocal arrangement (AM-04). */
  | { kind: 'another-school'; role: RoleId }
  /** Someone from outside the school (CA-12, LH-05, AM-04). */
  | { kind: 'external'; body: ExternalBody }
  /** Any member of staff of the school. */
  | { kind: 'any-staff' }
export type SupervisorKind = SupervisorSpec['kind']

export interface SupervisorRule {
  id: string
  /** Plain words, e.g. "Class teachers may be supervised by the DSL, the deputy DSL, ...". Generated when null. */
  description: string | null
  supervisees: StaffSelector
  supervisors: SupervisorSpec[]
  /** Applies only to supervisees whom no other (non-fallback) rule covers. */
  fallback: boolean
  /**
   * Ids of the session types (kinds of supervision) the rule is for; empty for every type. For a
   * session of a type, rules that name it win over rules for every type, so "safeguarding
   * supervision by the DSL" can stand beside "everyone by their line manager". Versions saved
   * before it existed have no such field: readers treat a missing list as empty.
   */
  sessionTypes: string[]
}

/** What happens when a supervisor's training is missing or expired (LH-08, PL-05). */
export const UntrainedAction = {
  Warn: 'warn',
  Refuse: 'refuse',
} as const
export type UntrainedAction = (typeof UntrainedAction)[keyof typeof UntrainedAction]

export interface SupervisorPolicy {
  rules: SupervisorRule[]
  /** Supervisors must have recorded supervisor training (LH-08, PL-05); external supervisors excepted. */
  trainingRequired: boolean
  trainingDescription: string | null
  /**
   * How long supervisor training stays valid before a refresher is due (LH-08); null: it does not
   * expire. Versions saved before it existed have no such field: readers treat it as null.
   */
  trainingValidFor: Duration | null
  /**
   * What booking and the planner do with a supervisor whose training is missing or has expired,
   * when training is required: refuse them, or warn and let the person booking go ahead. Null (or
   * absent, in versions saved before it existed): refuse.
   */
  onUntrained: UntrainedAction | null
  /** Who stays accountable when the supervisor is not the line manager (AM-04). */
  accountability: string | null
}

// ---------------------------------------------------------------------------------------------
// Cancellation (MW-06, CA-03, AM-05)

export interface CancellationReason {
  id: string
  name: string
  /** Staff absence or illness: the rebooking deadline counts from the person's return (CA-03). */
  absence: boolean
}

export interface RebookingRule {
  /**
   * From the date of the session that did not take place (CA-03: 5 working days). Null: "as soon
   * as possible", with no deadline: the session is flagged until it is rebooked, and a warning is
   * given once `warnAfter` has passed.
   */
  within: Duration | null
  /**
   * As soon as possible only (`within` null): warn when the session is still not rebooked this
   * long after the day it was due to take place (or, for an absence reason, after the person
   * returns). Absent or null: flag it, never warn.
   */
  warnAfter?: Duration | null
  /** For absence reasons: from the day the person returns (CA-03). Null to use `within` from the session date. */
  afterAbsence: Duration | null
  /** Ids of the session types this applies to; empty for every type. */
  sessionTypes: string[]
}

export interface CancellationPolicy {
  /** Scheduled sessions are cancelled only in exceptional circumstances (MW-06). */
  exceptionalOnly: boolean
  reasonRequired: boolean
  reasons: CancellationReason[]
  /** Roles who see every cancellation (MW-06: the DSL). */
  visibleTo: RoleId[]
  /** Whoever cancels or postpones tells the other party (AM-05). */
  notifyOtherParty: boolean
  /** Roles told of every cancellation. */
  notifyRoles: RoleId[]
  rebooking: RebookingRule | null
}

// ---------------------------------------------------------------------------------------------
// Escalation (LH-09, AM-09)

export const EscalationTrigger = {
  /** A person's required supervision is overdue. */
  EntitlementUnmet: 'entitlement-unmet',
  /** A cancelled session was not rebooked in time (CA-03). */
  RebookingDeadlineMissed: 'rebooking-deadline-missed',
} as const
export type EscalationTrigger = (typeof EscalationTrigger)[keyof typeof EscalationTrigger]

export type EscalationTarget =
  | { kind: 'supervisor' }
  | { kind: 'line-manager' }
  | { kind: 'supervisors-line-manager' }
  /** Further up the line-management chain, one level per repeat, until resolved (LH-09). */
  | { kind: 'next-manager-up' }
  | { kind: 'role'; role: RoleId }

export interface EscalationStep {
  id: string
  /** Working days after the trigger (0: straight away). Steps are in non-decreasing order. */
  afterWorkingDays: number
  target: EscalationTarget
  /** What happens, e.g. "The supervisee raises it with their supervisor". */
  action: string
  /** Repeat this step every so many working days until resolved (LH-09 "further up"). */
  repeatEveryWorkingDays: number | null
}

export interface EscalationChain {
  id: string
  trigger: EscalationTrigger
  description: string
  steps: EscalationStep[]
}

// ---------------------------------------------------------------------------------------------
// Templates, contract, frameworks (MW-02, MW-09, MW-10, LH-02, PL-01, AM-01, AM-03, CA-06, ...)

export interface RecordTemplateUse {
  templateId: string
  description: string
  /** Ids of the session types recorded on it; empty for every type. */
  sessionTypes: string[]
  /** One record per child or family discussed (MW-09). */
  perChildOrFamily: boolean
}

export interface TemplateReferences {
  contract: string | null
  agenda: string | null
  /** Preparation the supervisee completes per case (CA-06). */
  preparation: string | null
  records: RecordTemplateUse[]
}

export const ContractIssue = {
  StartOfAcademicYear: 'start-of-academic-year',
  OnEnteringScope: 'on-entering-scope',
} as const
export type ContractIssue = (typeof ContractIssue)[keyof typeof ContractIssue]

export interface ContractPolicy {
  issuedAt: ContractIssue
  signedBy: Party[]
  /** Roles the signed contract is returned to (MW-02: the DSL or deputy DSL). */
  returnTo: RoleId[]
  reviewEvery: Duration | null
  venue: string | null
  preparation: string | null
}

export const Party = { Supervisor: 'supervisor', Supervisee: 'supervisee' } as const
export type Party = (typeof Party)[keyof typeof Party]

export const FrameworkKind = {
  Functions: 'functions',
  Principles: 'principles',
  ReflectiveCycle: 'reflective-cycle',
  PracticeModel: 'practice-model',
} as const
export type FrameworkKind = (typeof FrameworkKind)[keyof typeof FrameworkKind]

export interface FrameworkDuties {
  supervisee: string[]
  supervisor: string[]
  management: string[]
}

export interface FrameworkItem {
  id: string
  name: string
  description: string
  prompts: string[]
  /** Separate duties for supervisee, supervisor and management (PL-01). */
  duties: FrameworkDuties | null
}

export interface Framework {
  id: string
  name: string
  kind: FrameworkKind
  description: string
  /** Session discussions can be tagged with the items (LH-02, PL-01, AM-01). */
  tagSessions: boolean
  /** An item not covered in a supervisee's sessions within this time is flagged (LH-02). */
  coverageLookback: Duration | null
  items: FrameworkItem[]
}

// ---------------------------------------------------------------------------------------------
// Confidentiality, disputes, records (MW-11, AM-05, CA-09, X-05, X-07, ...)

export interface Confidentiality {
  summary: string
  exceptions: string[]
  /** Who else may see content, and on what terms (CA-09). */
  sharing: string | null
  /**
   * Sharing a signed record, or parts of it, with a named person to safeguard someone (CA-09,
   * AM-05); null: records are not shared in Haven.
   */
  disclosure: Disclosure | null
}

/** When the supervisee is told that a record is shared (CA-09: always with their knowledge). */
export const SuperviseeTold = {
  /** Told at once; the named person may open it only after the notice period (`noticeDays`). */
  Before: 'before',
  /** Shared at once; the supervisee is told at the same time. */
  After: 'after',
} as const
export type SuperviseeTold = (typeof SuperviseeTold)[keyof typeof SuperviseeTold]

/** A confidentiality exception a record may be shared under (AM-05: child protection, disrepute ...). */
export interface DisclosureReason {
  id: string
  label: string
}

export interface Disclosure {
  /** The reasons to choose from: the policy's confidentiality exceptions. */
  reasons: DisclosureReason[]
  /** The supervisor's own line manager may receive it (CA-09). */
  toSupervisorsLineManager: boolean
  /** Whoever holds one of these roles in the school may receive it (the DSL, HR ...). */
  toRoles: RoleId[]
  superviseeTold: SuperviseeTold
  /** With `before`: how many days after the supervisee is told the named person may open it. */
  noticeDays: number
}

export interface DisputeStep {
  id: string
  description: string
  /** When this route applies, e.g. "when the disagreement is with the Principal". */
  when: string | null
  /**
   * The step is the route when the disagreement is with someone holding one of these roles
   * (AM-05: the Principal); empty for every disagreement. A step naming a role the supervisor
   * holds is used instead of the general steps.
   */
  whenWithRoles: RoleId[]
  /** The meeting is with whoever holds this role in the school (AM-05: the Chair of Governors). */
  meetingWithRole: RoleId | null
  /** The meeting is with a team outside the school (AM-05: the local authority safeguarding team). */
  meetingWithTeam: string | null
  /** The meeting needs both parties' agreement before it is booked (AM-05). */
  bothPartiesAgree: boolean
}

export interface DisputeResolution {
  steps: DisputeStep[]
  /** Both parties are told in advance that a resolution meeting has been arranged (MW-11). */
  bothPartiesToldInAdvance: boolean
}

export const HeadteacherFeedback = {
  None: 'none',
  /** General feedback, not content, may be shared with the Headteacher (MW-10). */
  GeneralOnly: 'general-only',
  Full: 'full',
} as const
export type HeadteacherFeedback = (typeof HeadteacherFeedback)[keyof typeof HeadteacherFeedback]

export const Recorder = { Supervisor: 'supervisor', Supervisee: 'supervisee', Either: 'either' } as const
export type Recorder = (typeof Recorder)[keyof typeof Recorder]

export interface RecordingPolicy {
  recordedBy: Recorder
  signedBy: Party[]
  copiesHeldBy: Party[]
  actionsReviewedAtNextSession: boolean
  /** A summary sheet of actions is completed during or straight after the session (AM-06). */
  actionSummaryDuringSession: boolean
  headteacherFeedback: HeadteacherFeedback
  /** Where records may later be used as evidence (MW-12: serious case review, IMR). */
  evidenceUses: string[]
  storage: string | null
}

export interface ChildRecordPolicy {
  /** The school's system for children's safeguarding records, e.g. "CPOMS". */
  system: string | null
  decisionsMustReachChildRecord: boolean
  caseDiscussionsOnChildRecord: boolean
  /** Role that signs off decisions entered on a child's record (AM-04: the DSL). */
  signOffRole: RoleId | null
  /**
   * How many days a decision may wait, signed off or not, before it is entered on the child's
   * record; then the DSL (or the sign-off role) is reminded, once a day (X-07, issue 15). Null:
   * no reminder.
   */
  remindAfterDays: number | null
}

// ---------------------------------------------------------------------------------------------
// Retention (issue 15): how long each kind of record is kept

/** What a retention period counts from. */
export const RetentionFrom = {
  /** The day the person the record is about leaves the school (their employment end date). */
  Leaving: 'leaving',
  /** The date of the record itself (the session, the contract's signature, the referral ...). */
  Record: 'record',
} as const
export type RetentionFrom = (typeof RetentionFrom)[keyof typeof RetentionFrom]

/** How long one kind of record is kept: `years` after `from`. */
export interface RetentionPeriod {
  years: number
  from: RetentionFrom
}

/** The kinds of record a retention period is set for. */
export const RetentionKind = {
  SupervisionRecords: 'supervisionRecords',
  Contracts: 'contracts',
  StressRiskAssessments: 'stressRiskAssessments',
  Referrals: 'referrals',
  DecisionsAboutChildren: 'decisionsAboutChildren',
} as const
export type RetentionKind = (typeof RetentionKind)[keyof typeof RetentionKind]

/**
 * How long records are kept before the DSL is asked to confirm their removal (issue 15). A record
 * with child-protection content (a decision about a child, a case about a child) is kept at least
 * `childProtection` too, whichever ends later. Defaults follow the records management toolkit for
 * schools: 6 years after the person leaves; 25 years where child protection is involved.
 */
export interface RetentionPolicy {
  supervisionRecords: RetentionPeriod
  contracts: RetentionPeriod
  stressRiskAssessments: RetentionPeriod
  referrals: RetentionPeriod
  decisionsAboutChildren: RetentionPeriod
  childProtection: RetentionPeriod
}

export interface RequestPolicy {
  /** Any member of staff can ask for a supervision meeting at any time (CA-04). */
  anyStaffMayRequest: boolean
  topics: string[]
  /** Ids of the session types a request may lead to. */
  sessionTypes: string[]
  description: string | null
}

/** A standing supervision group (CA-05). */
export interface StandingGroup {
  id: string
  name: string
  description: string
  sessionTypeId: string
  ledBy: SupervisorSpec[]
  members: StaffSelector | null
  frequency: Frequency | null
}

/** Further support that is tracked (LH-04). */
export interface FurtherSupport {
  id: string
  name: string
  providedBy: string
  description: string
}

/** One stage of the case escalation procedure (LH-10). */
export interface CaseEscalationStage {
  id: string
  name: string
  /** Working days allowed at this stage; a reminder goes out when they are up. */
  days: number
}

/** When supervisees are asked for feedback on their supervision (PL-06). */
export const FeedbackTiming = {
  /** Once for each session, when its record has been signed by everyone. */
  AfterEachSession: 'after-each-session',
  /** Once a term, after the first session of the term whose record is signed. */
  Termly: 'termly',
} as const
export type FeedbackTiming = (typeof FeedbackTiming)[keyof typeof FeedbackTiming]

/** One statement of the feedback questionnaire, answered from 1 (strongly disagree) to 5 (strongly agree). */
export interface FeedbackQuestion {
  id: string
  text: string
}

/** The questionnaire supervisees answer about the quality of their supervision (PL-06), as the domain reads the practice settings. */
export interface FeedbackQuestionnaire {
  asked: FeedbackTiming
  questions: FeedbackQuestion[]
  /** Whether supervisees may add a comment in their own words. */
  comment: boolean
  /** The question about workload: answering 1 or 2 says workload exceeds capacity. */
  workloadQuestion: string | null
  /** How many supervisees must say workload exceeds capacity before it is flagged to management. */
  workloadFlagAt: number
  /**
   * Days after asking when a supervisee who has not answered is reminded, once (0: never). The
   * policy's `practice.feedbackReminderAfterDays`; 7 when the policy does not say.
   */
  remindAfterDays: number
}

export interface PracticePolicy {
  /** When line management changes, a handover between outgoing and incoming supervisor is recorded (LH-07). */
  handoverOnLineManagerChange: boolean
  /** Supervisees are asked for feedback on the quality of their supervision (PL-06). */
  feedbackFromSupervisees: boolean
  /** Management watches that workload does not exceed capacity (PL-06), from the questionnaire's workload question. */
  workloadMonitored: boolean
  /** When supervisees are asked (PL-06). */
  feedbackAsked: FeedbackTiming
  /** The statements supervisees answer from 1 to 5 (PL-06); Haven's own four when empty. */
  feedbackQuestions: FeedbackQuestion[]
  /** Whether supervisees may add a comment in their own words (PL-06). */
  feedbackComment: boolean
  /** The id of the statement about workload: answering 1 or 2 says workload exceeds capacity (PL-06). */
  feedbackWorkloadQuestion: string | null
  /** How many supervisees must say workload exceeds capacity before it is flagged to management (PL-06). */
  workloadFlagAt: number
  /**
   * Days after asking when a supervisee who has not answered their questionnaire is reminded, once,
   * by email (PL-06); 0 never reminds. 7 when the policy does not say (feedbackReminderDefaultDays).
   */
  feedbackReminderAfterDays: number
  /** Learning and development needs found in supervision feed professional development planning (PL-07). */
  developmentNeedsFeedPlanning: boolean
  /** How a case that is not progressing is escalated outside the school (LH-10). */
  caseEscalationProcedure: string | null
  /**
   * The stages of the local partnership's dispute-resolution procedure a case escalation moves
   * through (LH-10), in order, each with the working days it is allowed before a reminder goes
   * out. Empty: escalations cannot be recorded.
   */
  caseEscalationStages: CaseEscalationStage[]
  /** The order of business in a session (CA-07). */
  sessionOutline: string[]
}

export const CommitmentTopic = {
  Purpose: 'purpose',
  Principle: 'principle',
  Preparation: 'preparation',
  Recording: 'recording',
  Training: 'training',
  Support: 'support',
  Other: 'other',
} as const
export type CommitmentTopic = (typeof CommitmentTopic)[keyof typeof CommitmentTopic]

/** Anything else the policy commits to, in plain words, shown in its summary. */
export interface Commitment {
  id: string
  topic: CommitmentTopic
  text: string
}

export interface CustomRole {
  id: RoleId
  name: string
  description: string
}

// ---------------------------------------------------------------------------------------------
// The document

export interface PolicyDocument {
  schemaVersion: typeof policySchemaVersion
  /** The policy's id, the same across its versions, e.g. "meanwood". */
  id: string
  /** 1, 2, 3 ...: a later version has a higher number. */
  version: number
  /** The first day this version is in force. */
  effectiveFrom: IsoDate
  metadata: PolicyMetadata
  /** How this document reads the written policy where it is silent or loose. */
  notes: string[]
  customRoles: CustomRole[]
  sessionTypes: SessionType[]
  scope: Scope
  requirements: Requirement[]
  supervisors: SupervisorPolicy
  cancellation: CancellationPolicy
  escalation: EscalationChain[]
  templates: TemplateReferences
  contract: ContractPolicy | null
  frameworks: Framework[]
  confidentiality: Confidentiality | null
  disputeResolution: DisputeResolution | null
  recording: RecordingPolicy
  childRecord: ChildRecordPolicy
  retention: RetentionPolicy
  requests: RequestPolicy | null
  standingGroups: StandingGroup[]
  furtherSupport: FurtherSupport[]
  practice: PracticePolicy
  commitments: Commitment[]
}

// ---------------------------------------------------------------------------------------------
// Per-person decisions that sit beside the policy (X-04, MW-03)

/** A manual decision that a person is, or is not, in scope, with the reason. */
export interface ScopeOverride {
  kind: 'scope'
  personId: string
  required: boolean
  reason: string
  /** First day it applies; null from the person's start. */
  from: IsoDate | null
  /** Last day it applies; null with no end. */
  until: IsoDate | null
  /** When required: the requirements that apply; null for all of them. */
  requirementIds: string[] | null
}

/**
 * A frequency agreed for one person, for example in their contract (MW-03: every four weeks).
 * It can only make things stricter: the person is due by the earlier of the policy's date and
 * this one. Its clock starts on `from` (or the last session, if later).
 */
export interface FrequencyOverride {
  kind: 'frequency'
  personId: string
  /** The requirement it replaces; null for every requirement that applies to the person. */
  requirementId: string | null
  frequency: Frequency
  reason: string
  from: IsoDate | null
  source: 'contract' | 'agreement'
}

export type PersonOverride = ScopeOverride | FrequencyOverride
