/**
 * The database as Kysely sees it: one interface per table, columns in snake_case. Repositories map
 * rows to domain types; snake_case never leaves src/db/.
 */
import type { ColumnType, Generated } from 'kysely'

/** A timestamptz column: read and written as Date. */
export type Timestamp = Date
/** A date column: always an ISO date string YYYY-MM-DD (see the type parsers in database.ts). */
export type DateColumn = string
export type Json<T> = ColumnType<T, string, string>

export interface OrganisationTable {
  id: Generated<string>
  kind: 'trust' | 'single-school'
  name: string
  settings: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Generated<Timestamp>
  /** Issue 14 (ADR 0050): the trust this organisation's school joined, when it did; its rows moved there. */
  joined_organisation_id: string | null
  joined_at: Timestamp | null
}

/** Issue 14 (ADR 0050): a trust's invitation to a school on the same installation to join it. */
export interface TrustJoinInvitationTable {
  id: Generated<string>
  organisation_id: string
  code_hash: string
  effective_from: DateColumn
  expires_on: DateColumn
  created_by: string | null
  created_at: Generated<Timestamp>
  accepted_at: Timestamp | null
  accepted_by: string | null
  school_id: string | null
  withdrawn_at: Timestamp | null
}

/** Issue 14 (ADR 0052): on the school's installation, the school has moved to a trust on another installation. */
export interface SchoolBundleExportTable {
  organisation_id: string
  school_id: string
  invitation_hash: string
  /** Ed25519, raw 32 bytes, base64. */
  public_key: string
  /** PKCS#8 PEM: signs the school's file, only on this installation. */
  private_key: string
  moved_by: string | null
  moved_at: Timestamp
  downloaded_at: Timestamp | null
}

/** Issue 14 (ADR 0052): on the trust's installation, a school's audit entries kept beside its own chain. */
export interface ImportedAuditSegmentTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  source_organisation_id: string
  entries: number
  head_id: ColumnType<number | null, number | null, never>
  head_hash: string | null
  public_key: string
  imported_at: Timestamp
}

export interface ImportedAuditEventTable {
  segment_id: string
  source_id: ColumnType<number, number, never>
  entry: ColumnType<Record<string, unknown>, string, never>
  hash: string
}

export interface SchoolTable {
  id: Generated<string>
  organisation_id: string
  slug: string
  name: string
  bank_holiday_region: ColumnType<'england-and-wales' | 'scotland' | 'northern-ireland', string | undefined, string>
  created_at: Generated<Timestamp>
}

export interface PersonTable {
  id: Generated<string>
  organisation_id: string
  school_id: string | null
  name: string
  email: string
  job_title: Generated<string>
  roles: ColumnType<string[], string[] | undefined, string[]>
  line_manager_id: string | null
  employment_type: Generated<string>
  external_organisation: string | null
  part_time: Generated<boolean>
  working_days: ColumnType<number[], number[] | undefined, number[]>
  start_date: DateColumn | null
  end_date: DateColumn | null
  early_career: Generated<boolean>
  in_probation: Generated<boolean>
  works_in_eyfs: Generated<boolean>
  pastoral_responsibilities: Generated<boolean>
  trained_dsl: Generated<boolean>
  additional_support: Generated<boolean>
  /** When each flag began and ends (issue 14), keyed by flag name: {"early-career": {"since": ..., "until": ...}}. */
  flag_dates: ColumnType<Record<string, { since: string | null; until: string | null }>, string | undefined, string>
  supervisor_trained_on: DateColumn | null
  /** Issue 14: 'staff', or a person who is not an employee ('governor', 'committee-chair', 'volunteer', 'external-supervisor'). */
  kind: Generated<string>
  /** Issue 14: what they may do: 'supervise', 'be-supervised', 'sign', 'receive-reports'. */
  capabilities: ColumnType<string[], string[] | undefined, string[]>
  /** Issue 14: the last day someone from outside may sign in (null: no end). */
  access_ends_on: DateColumn | null
  version: Generated<number>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface AccountTable {
  person_id: string
  password_hash: string | null
  password_changed_at: Timestamp | null
  totp_secret: string | null
  /** A secret being set up, not yet proved by a code (ADR 0011). */
  totp_pending_secret: string | null
  totp_enabled_at: Timestamp | null
  totp_last_step: number | null
  disabled_at: Timestamp | null
  created_at: Generated<Timestamp>
  /** Issue 18: non-urgent emails wait and go as one a day. */
  email_digest: Generated<boolean>
}

export interface RecoveryCodeTable {
  id: Generated<string>
  person_id: string
  code_hash: string
  used_at: Timestamp | null
}

export interface UserSessionTable {
  id_hash: string
  person_id: string
  created_at: Generated<Timestamp>
  last_seen_at: Generated<Timestamp>
  expires_at: Timestamp
  second_step_done: Generated<boolean>
  reauthenticated_at: Timestamp | null
  user_agent: Generated<string>
  ended_at: Timestamp | null
}

/** A provider's account linked to a Haven person, by issuer and subject (ADR 0048, migration 0033). */
export interface ProviderLinkTable {
  id: Generated<string>
  organisation_id: string
  person_id: string
  issuer: string
  subject: string
  created_at: Generated<Timestamp>
  last_used_at: Timestamp | null
}

/** A sign-in with a provider, started and waiting for the person to come back (ADR 0048). */
export interface ProviderSignInTable {
  state_hash: string
  browser_hash: string
  issuer: string
  code_verifier: string
  nonce: string
  next: string
  created_at: Timestamp
  used_at: Timestamp | null
}

export interface AuthTokenTable {
  token_hash: string
  kind: 'invitation' | 'password-reset'
  person_id: string
  created_at: Generated<Timestamp>
  expires_at: Timestamp
  used_at: Timestamp | null
}

export interface ThrottleTable {
  key: string
  failures: Generated<number>
  first_failure_at: Timestamp
  blocked_until: Timestamp | null
  notified_at: Timestamp | null
}

export interface AuditEventTable {
  /** bigint, read as a number (see the type parsers in database.ts); taken from the sequence by services/audit.ts. */
  id: ColumnType<number, number, never>
  occurred_at: ColumnType<Date, string, never>
  organisation_id: ColumnType<string | null, string | null, never>
  school_id: ColumnType<string | null, string | null, never>
  actor_id: ColumnType<string | null, string | null, never>
  action: ColumnType<string, string, never>
  subject_type: ColumnType<string, string, never>
  subject_id: ColumnType<string | null, string | null, never>
  detail: ColumnType<Record<string, unknown>, string, never>
  ip: ColumnType<string | null, string | null, never>
  prev_hash: ColumnType<string, string, never>
  hash: ColumnType<string, string, never>
}

export interface OutboxAttachment {
  filename: string
  contentType: string
  contentBase64: string
}

/** 'held' waits for the person's daily digest; 'digested' went inside one (issue 18). */
export type OutboxMessageStatus = 'pending' | 'sent' | 'failed' | 'held' | 'digested'

export interface OutboxMessageTable {
  id: Generated<string>
  created_at: Generated<Timestamp>
  organisation_id: string | null
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  attachments: ColumnType<OutboxAttachment[], string | undefined, string>
  dedupe_key: string | null
  status: ColumnType<OutboxMessageStatus, OutboxMessageStatus | undefined, OutboxMessageStatus>
  attempts: Generated<number>
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>
  last_error: string | null
  sent_at: Timestamp | null
  message_id: string
  /** The email's kind (domain/mail/kinds.ts); null on messages written before issue 18. */
  kind: string | null
}

export interface JobRunTable {
  name: string
  last_run_at: Timestamp | null
  last_failed_at: Timestamp | null
  last_error: string | null
}

export interface PolicyVersionTable {
  id: Generated<string>
  school_id: string
  version: number
  effective_from: DateColumn
  document: ColumnType<unknown, string, string>
  pack_id: string | null
  created_by: string | null
  created_at: Generated<Timestamp>
  /** 'setup', 'published', 'uploaded' or 'review' (migration 0014-identity). */
  origin: Generated<string>
  backdating_reason: string | null
}

/** A version of a trust's own policy (issue 14, migration 0016-trusts): scoped by the trust's organisation. */
export interface TrustPolicyVersionTable {
  id: Generated<string>
  organisation_id: string
  version: number
  effective_from: DateColumn
  document: ColumnType<unknown, string, string>
  backdating_reason: string | null
  created_by: string | null
  created_at: Generated<Timestamp>
}

/** A version of an academy's additions to and overrides of its trust's policy (issue 14, migration 0016-trusts). */
export interface PolicyAdoptionTable {
  id: Generated<string>
  school_id: string
  organisation_id: string
  version: number
  effective_from: DateColumn
  overrides: ColumnType<unknown, string, string>
  backdating_reason: string | null
  created_by: string | null
  created_at: Generated<Timestamp>
}

export interface AcademicYearTable {
  school_id: string
  year_id: string
  half_terms: ColumnType<unknown, string, string>
  closures: ColumnType<unknown, string | undefined, string>
  version: Generated<number>
  updated_at: Generated<Timestamp>
}

export interface SupervisionSessionTable {
  id: Generated<string>
  school_id: string
  type_id: string
  date: DateColumn
  start_time: string | null
  duration_minutes: number | null
  venue: string | null
  online_link: string | null
  status: ColumnType<'planned' | 'held' | 'cancelled' | 'did-not-attend', string | undefined, string>
  tags: ColumnType<string[], string[] | undefined, string[]>
  unplanned: Generated<boolean>
  notes: string | null
  rebooks_session_id: string | null
  /** Issue 14: who completes the record, chosen at booking; null: the supervisors. */
  recorder_id: Generated<string | null>
  /** CA-01: how a session of a type with focuses was focused (theme-, case- or staff-centred). */
  focus_id: Generated<string | null>
  sequence: Generated<number>
  version: Generated<number>
  created_by: string | null
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface SessionParticipantTable {
  session_id: string
  person_id: string
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
}

export interface SessionCancellationTable {
  id: Generated<string>
  session_id: string
  school_id: string
  kind: 'cancelled' | 'postponed' | 'did-not-attend'
  reason_id: string
  reason_note: string | null
  return_date: DateColumn | null
  cancelled_by: string | null
  cancelled_at: Generated<Timestamp>
}

export interface PersonOverrideTable {
  id: Generated<string>
  school_id: string
  person_id: string
  override: ColumnType<unknown, string, string>
  source: Generated<string>
  set_by: string | null
  set_at: Generated<Timestamp>
  ended_at: Timestamp | null
  /** Who ended it (issue 14); null for older rows and for overrides replaced by a contract. */
  ended_by: string | null
}

export interface Database {
  policy_draft: PolicyDraftTable
  trust_policy_draft: TrustPolicyDraftTable
  contract: ContractTable
  contract_signature: ContractSignatureTable
  policy_version: PolicyVersionTable
  trust_policy_version: TrustPolicyVersionTable
  policy_adoption: PolicyAdoptionTable
  academic_year: AcademicYearTable
  supervision_session: SupervisionSessionTable
  session_participant: SessionParticipantTable
  session_cancellation: SessionCancellationTable
  person_override: PersonOverrideTable
  organisation: OrganisationTable
  trust_join_invitation: TrustJoinInvitationTable
  school_bundle_export: SchoolBundleExportTable
  imported_audit_segment: ImportedAuditSegmentTable
  imported_audit_event: ImportedAuditEventTable
  school: SchoolTable
  person: PersonTable
  account: AccountTable
  recovery_code: RecoveryCodeTable
  user_session: UserSessionTable
  provider_link: ProviderLinkTable
  provider_sign_in: ProviderSignInTable
  auth_token: AuthTokenTable
  throttle: ThrottleTable
  audit_event: AuditEventTable
  outbox_message: OutboxMessageTable
  job_run: JobRunTable
  custom_role: CustomRoleTable
  supervision_assignment: SupervisionAssignmentTable
  supervision_recorder_setting: SupervisionRecorderSettingTable
  supervision_kind_assignment: SupervisionKindAssignmentTable
  handover: HandoverTable
  staff_import: StaffImportTable
  staff_import_mapping: StaffImportMappingTable
  pupil: PupilTable
  pupil_import: PupilImportTable
  child_decision: ChildDecisionTable
  decision_webhook: DecisionWebhookTable
  decision_delivery: DecisionDeliveryTable
  api_token: ApiTokenTable
  session_request: SessionRequestTable
  carry_forward_item: CarryForwardItemTable
  record_template: RecordTemplateTable
  record_preparation: RecordPreparationTable
  supervision_record: SupervisionRecordTable
  record_staff_filing: RecordStaffFilingTable
  record_signature: RecordSignatureTable
  record_version: RecordVersionTable
  record_comment: RecordCommentTable
  dispute_meeting: DisputeMeetingTable
  case_escalation: CaseEscalationTable
  case_escalation_stage: CaseEscalationStageTable
  record_share: RecordShareTable
  record_addendum: RecordAddendumTable
  record_action: RecordActionTable
  record_action_review: RecordActionReviewTable
  record_decision: RecordDecisionTable
  planner_setting: PlannerSettingTable
  planner_draft: PlannerDraftTable
  planner_draft_row: PlannerDraftRowTable
  calendar_feed: CalendarFeedTable
  access_change: AccessChangeTable
  escalation_event: EscalationEventTable
  overview_change: OverviewChangeTable
  overview_snapshot: OverviewSnapshotTable
  trust_rollup_setting: TrustRollupSettingTable
  trust_rollup_figures: TrustRollupFiguresTable
  governors_report_kept: GovernorsReportKeptTable
  stress_risk_assessment: StressRiskAssessmentTable
  occupational_health_referral: OccupationalHealthReferralTable
  development_plan_item: DevelopmentPlanItemTable
  evidence_pack: EvidencePackTable
  supervisor_training: SupervisorTrainingTable
  supervision_team: SupervisionTeamTable
  supervision_team_member: SupervisionTeamMemberTable
  retention_hold: RetentionHoldTable
  retention_due: RetentionDueTable
  feedback_request: FeedbackRequestTable
  feedback_response: FeedbackResponseTable
}

/** A school's own role; school_id null for a trust-wide role. */
export interface CustomRoleTable {
  organisation_id: string
  id: string
  school_id: string | null
  name: string
  description: Generated<string>
  created_at: Generated<Timestamp>
}

/** Who supervises or line-manages whom, from when to when (ends_on null: still current). */
export interface SupervisionAssignmentTable {
  id: Generated<string>
  organisation_id: string
  supervisee_id: string
  supervisor_id: string
  kind: 'line-manager' | 'supervisor'
  starts_on: DateColumn
  ends_on: DateColumn | null
  handover_id: string | null
  created_at: Generated<Timestamp>
}

/**
 * Issue 14 (ADR 0042): who completes the records of a relationship's sessions, from a date until
 * the next row of the same relationship; none: the supervisor.
 */
export interface SupervisionRecorderSettingTable {
  id: Generated<string>
  organisation_id: string
  assignment_id: string
  effective_from: DateColumn
  recorder: 'supervisor' | 'supervisee' | 'person'
  recorder_person_id: string | null
  set_by: string | null
  created_at: Generated<Timestamp>
}

/** Issue 14: who supervises whom in one kind of supervision (a session type of the policy); ends_on null: current. */
export interface SupervisionKindAssignmentTable {
  id: Generated<string>
  organisation_id: string
  supervisee_id: string
  supervisor_id: string
  session_type_id: string
  starts_on: DateColumn
  ends_on: DateColumn | null
  recorded_by: string | null
  created_at: Generated<Timestamp>
}

/** LH-07: a handover between an outgoing and an incoming supervisor (supervisee_id null: all their supervisees). */
export interface HandoverTable {
  id: Generated<string>
  organisation_id: string
  school_id: string | null
  from_person_id: string
  to_person_id: string
  supervisee_id: string | null
  reason: 'change' | 'leaving' | 'import'
  note: string
  recorded_by: string | null
  recorded_at: Generated<Timestamp>
  effective_on: DateColumn
}

/** A staff CSV kept between its preview and its import. */
export interface StaffImportTable {
  id: string
  organisation_id: string
  school_id: string
  uploaded_by: string
  file_name: Generated<string>
  /** bytea: a Uint8Array from PGlite, a Buffer from pg. */
  content: Uint8Array
  sha256: string
  created_at: Generated<Timestamp>
  expires_at: Timestamp
}

/** A school's remembered choice for its staff imports (issue 18): a heading, job title or line manager name. */
export interface StaffImportMappingTable {
  organisation_id: string
  school_id: string
  kind: 'column' | 'job-title' | 'line-manager'
  source: string
  target: string
  updated_by: string | null
  updated_at: Generated<Timestamp>
}

/** CA-04: a request for a supervision session, routed to the requester's supervisor and the DSLs. */
export interface SessionRequestTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  requester_id: string
  /** CA-04, issue 14: who asked (the person themselves, or someone on their behalf). */
  requested_by: string | null
  topic: string
  note: Generated<string>
  preferred_dates: ColumnType<string[], string[] | undefined, string[]>
  supervisor_id: string | null
  status: ColumnType<
    'open' | 'booked' | 'declined',
    'open' | 'booked' | 'declined' | undefined,
    'open' | 'booked' | 'declined'
  >
  session_id: string | null
  decline_reason: string | null
  answered_by: string | null
  answered_at: Timestamp | null
  version: Generated<number>
  created_at: Generated<Timestamp>
}

/** CA-01: an issue or ad hoc decision from unplanned supervision, carried forward to the next formal session. */
export interface CarryForwardItemTable {
  id: Generated<string>
  school_id: string
  person_id: string
  kind: ColumnType<'issue' | 'decision', 'issue' | 'decision' | undefined, 'issue' | 'decision'>
  text: string
  source_session_id: string
  position: Generated<number>
  carried_to_session_id: string | null
  carried_at: Timestamp | null
  created_by: string | null
  created_at: Generated<Timestamp>
}

/** A supervision contract (issue 8; MW-02, MW-03, AM-05): content fixed once issued (a trigger refuses changes). */
export interface ContractTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  supervisee_id: string
  supervisor_id: string
  template_id: string
  template_version: number
  policy_version: number
  academic_year: string
  status: ColumnType<'draft' | 'issued' | 'signed' | 'superseded', string | undefined, string>
  agreed: ColumnType<unknown, string, string>
  rendered: ColumnType<unknown, string, string>
  content_hash: string | null
  issued_at: Timestamp | null
  issued_by: string | null
  review_on: DateColumn | null
  signed_at: Timestamp | null
  superseded_at: Timestamp | null
  supersedes_id: string | null
  version: Generated<number>
  created_by: string | null
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
  /** Removed under retention (issue 15): its content replaced, its row, dates and hash kept. */
  removed_at: Timestamp | null
  removed_by: string | null
}

/** Who signed a contract, as which party, when, how, and the hash of what they signed. */
export interface ContractSignatureTable {
  contract_id: string
  person_id: string
  role: 'supervisee' | 'supervisor'
  name: string
  signed_at: Generated<Timestamp>
  content_hash: string
  method: 'password' | 'two-step'
}

/** The policy editor's working copy: one per school, published as a new policy version (issue 5). */
export interface PolicyDraftTable {
  school_id: string
  document: ColumnType<unknown, string, string>
  based_on_version: number
  version: Generated<number>
  updated_by: string | null
  updated_at: Generated<Timestamp>
}

/** The trust policy's draft (issue 14): a school's draft's columns, one per trust. */
export interface TrustPolicyDraftTable extends Omit<PolicyDraftTable, 'school_id'> {
  organisation_id: string
}

// Session records (issue 7, migration 0009) ----------------------------------------------------

/** A school's own copy of a template, one row per version. */
export interface RecordTemplateTable {
  id: Generated<string>
  school_id: string
  template_id: string
  version: number
  document: ColumnType<unknown, string, string>
  based_on: ColumnType<{ id: string; version: number } | null, string | null, string | null>
  created_by: string | null
  created_at: Generated<Timestamp>
}

/** CA-06: a supervisee's preparation for one session (agenda items, cases, proformas). */
export interface RecordPreparationTable {
  id: Generated<string>
  school_id: string
  session_id: string
  person_id: string
  content: ColumnType<unknown, string | undefined, string>
  version: Generated<number>
  updated_at: Generated<Timestamp>
}

/** The record of a session on a template, with the template it was written on. */
/** A completed record waiting to be filed in the staff member's file (issue 14). */
export interface RecordStaffFilingTable {
  record_id: string
  school_id: string
  field_ids: ColumnType<string[], string | undefined, string>
  whole_record: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Generated<Timestamp>
  filed_at: Timestamp | null
  filed_by: string | null
}

export interface SupervisionRecordTable {
  id: Generated<string>
  school_id: string
  session_id: string
  template_id: string
  template_version: number
  template: ColumnType<unknown, string, string>
  group_record: Generated<boolean>
  document: ColumnType<unknown, string, string>
  status: ColumnType<
    'draft' | 'completed' | 'signed',
    'draft' | 'completed' | 'signed' | undefined,
    'draft' | 'completed' | 'signed'
  >
  draft_version: Generated<number>
  content_hash: string | null
  created_by: string | null
  created_at: Generated<Timestamp>
  updated_by: string | null
  updated_at: Generated<Timestamp>
  completed_by: string | null
  completed_at: Timestamp | null
  locked_at: Timestamp | null
  disputed_at: Timestamp | null
  /** Issue 15: when the record's content was removed under the retention policy (its hash kept). */
  removed_at: Timestamp | null
  removed_by: string | null
}

/** Who signed a record, as which party, when, how, and the hash of what they signed. */
export interface RecordSignatureTable {
  id: Generated<string>
  record_id: string
  person_id: string
  role: 'supervisor' | 'supervisee'
  name: string
  signed_at: Generated<Timestamp>
  content_hash: string
  method: 'password' | 'two-step'
  superseded_at: Timestamp | null
}

/** Every version of a record, append-only (a trigger refuses UPDATE and DELETE). */
export interface RecordVersionTable {
  id: Generated<string>
  record_id: string
  version: number
  kind: 'completed' | 'reopened' | 'locked' | 'addendum'
  content: ColumnType<unknown, string, never>
  content_hash: string
  created_by: string | null
  created_at: Generated<Timestamp>
}

/** A supervisee's comment on a record, or their disagreement with it (MW-11). */
export interface RecordCommentTable {
  id: Generated<string>
  record_id: string
  person_id: string
  kind: 'comment' | 'disagreement'
  text: string
  third_person_id: string | null
  created_at: Generated<Timestamp>
}

/** A meeting to resolve a disagreement with a record, and its outcome (MW-11, AM-05). */
export interface DisputeMeetingTable {
  id: Generated<string>
  school_id: string
  record_id: string
  step_id: Generated<string>
  third_person_id: string | null
  third_party_name: string
  both_agreed: Generated<boolean>
  meeting_on: DateColumn
  meeting_time: string | null
  venue: string | null
  booked_by: string | null
  booked_at: Generated<Timestamp>
  outcome: 'resolved' | 'not-resolved' | null
  outcome_note: string | null
  outcome_recorded_by: string | null
  outcome_recorded_at: Timestamp | null
  version: Generated<number>
}

/** A case escalated through the local partnership's dispute-resolution procedure (LH-10). */
export interface CaseEscalationTable {
  id: Generated<string>
  school_id: string
  record_id: string | null
  raised_by: string | null
  raised_on: DateColumn
  reason: 'not-progressing' | 'multi-agency'
  other_agency: string
  summary: string
  stage_id: string
  stage_started_on: DateColumn
  outcome: 'resolved' | 'not-resolved' | 'withdrawn' | null
  outcome_note: string | null
  closed_on: DateColumn | null
  closed_by: string | null
  created_at: Generated<Timestamp>
  version: Generated<number>
}

/** Each stage a case escalation has been at, with the day it began (LH-10). */
export interface CaseEscalationStageTable {
  id: Generated<string>
  school_id: string
  escalation_id: string
  stage_id: string
  started_on: DateColumn
  note: string | null
  moved_by: string | null
  created_at: Generated<Timestamp>
}

/** A dated addendum to a locked record. */
export interface RecordAddendumTable {
  id: Generated<string>
  record_id: string
  author_id: string
  author_name: string
  text: string
  created_at: Generated<Timestamp>
  content_hash: string
}

/** An action agreed at a session and where it stands now (X-05, CA-07). */
export interface RecordActionTable {
  id: string
  school_id: string
  record_id: string
  session_id: string
  description: string
  owner_kind: 'supervisor' | 'supervisee' | 'other'
  owner_person_id: string | null
  owner_name: Generated<string>
  due_on: DateColumn | null
  status: ColumnType<
    'open' | 'in-progress' | 'carried-forward' | 'done' | 'dropped',
    'open' | 'in-progress' | 'carried-forward' | 'done' | 'dropped' | undefined,
    'open' | 'in-progress' | 'carried-forward' | 'done' | 'dropped'
  >
  drop_reason: string | null
  position: Generated<number>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

/** The status an action was given when reviewed at a later session. */
export interface RecordActionReviewTable {
  action_id: string
  session_id: string
  record_id: string
  session_date: DateColumn
  status: 'in-progress' | 'carried-forward' | 'done' | 'dropped'
  reason: string | null
  reviewed_by: string | null
  reviewed_at: Generated<Timestamp>
}

/** a decision for a child's own record, and when someone entered it there. */
export interface RecordDecisionTable {
  id: string
  school_id: string
  record_id: string
  position: Generated<number>
  recorded_by: string | null
  recorded_at: Timestamp | null
  recorded_in: string | null
}

/** A school's planner settings (issue 6): limits per supervisor, the school day, the preparation reminder. */
export interface PlannerSettingTable {
  school_id: string
  max_per_day: Generated<number>
  max_per_week: Generated<number>
  day_starts_at: Generated<string>
  day_ends_at: Generated<string>
  preparation_working_days: Generated<number>
  version: Generated<number>
  updated_by: string | null
  updated_at: Generated<Timestamp>
}

/** The annual planner's proposal for a school's year while the DSL checks it (CA-02, MW-01). */
export interface PlannerDraftTable {
  id: Generated<string>
  school_id: string
  year_id: string
  plan_from: DateColumn
  plan_until: DateColumn
  unplaceable: ColumnType<
    { personId: string; requirementId: string | null; reason: string }[],
    string | undefined,
    string
  >
  version: Generated<number>
  created_by: string | null
  created_at: Generated<Timestamp>
  /** LH-08: warnings given while planning. */
  warnings: ColumnType<{ personId: string; reason: string }[], string | undefined, string>
}

export interface PlannerDraftRowTable {
  id: Generated<string>
  draft_id: string
  supervisee_id: string
  supervisor_id: string
  type_id: string
  requirement_id: string
  date: DateColumn
  start_time: string
  duration_minutes: number
  /** CA-05: lines of one team's group session share it. */
  group_key: Generated<string | null>
  team_id: Generated<string | null>
}

/** A person's private calendar feed: only the token's SHA-256 is kept. */
export interface CalendarFeedTable {
  id: Generated<string>
  person_id: string
  token_hash: string
  created_at: Generated<Timestamp>
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

/** An escalation step reached (LH-09, AM-09), once per person, chain, step, repeat and day. */
export interface EscalationEventTable {
  id: Generated<string>
  school_id: string
  person_id: string
  chain_id: string
  step_id: string
  repeats: Generated<number>
  reached_on: DateColumn
  recipient_ids: ColumnType<string[], string[] | undefined, string[]>
  created_at: Generated<Timestamp>
}

/** An inspection evidence pack made (issue 16, ADR 34); the reason only for a pack with record content. */
export interface EvidencePackTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  made_by: string | null
  from_date: DateColumn
  to_date: DateColumn
  record_content: Generated<boolean>
  reason: string | null
  created_at: Generated<Timestamp>
}

// The DSL's overview (issue 9, migration 0011) ------------------------------------------------

/** Append-only: a row per school per committed change; a school's version is the sum of its weights. */
export interface OverviewChangeTable {
  id: ColumnType<number, never, never>
  school_id: string
  weight: ColumnType<number, number | undefined, number>
  changed_at: Generated<Timestamp>
}

/** A school's overview worked out for a day and a change version: JSON kept as text. */
export interface OverviewSnapshotTable {
  school_id: string
  change_version: number
  computed_for: DateColumn
  summary: string
  lists: string
  computed_at: Generated<Timestamp>
}

/** The threshold below which a trust's central team wants an academy flagged (issue 16). */
export interface TrustRollupSettingTable {
  organisation_id: string
  threshold_percent: number
  updated_by: string | null
  updated_at: Generated<Timestamp>
}

/** An academy's rollup figures for a term, kept for a last day reported and a change version: JSON as text. */
/** A school's governors' report for a period, kept for a day and change version (migration 0029). */
export interface GovernorsReportKeptTable {
  school_id: string
  period_id: string
  as_at: DateColumn
  change_version: ColumnType<number, number, number>
  report: string
  computed_at: Generated<Timestamp>
}

export interface TrustRollupFiguresTable {
  school_id: string
  period_id: string
  as_at: DateColumn
  change_version: ColumnType<number, number, number>
  figures: string
  computed_at: Generated<Timestamp>
}

/**
 * A change that would let someone into supervision records, waiting for a decision (ADR 0011): a
 * record-opening role (kind 'role', for a DSL of the school) or a new email address for someone
 * with something to protect (kind 'email', for a DSL of the school or the person, from a link sent
 * to their old address).
 */
export interface AccessChangeTable {
  id: Generated<string>
  organisation_id: string
  school_id: string | null
  person_id: string
  kind: ColumnType<'role' | 'email', 'role' | 'email' | undefined, never>
  role: string | null
  new_email: string | null
  /** The hash of the single-use link sent to the old address (kind 'email'). */
  confirm_token_hash: string | null
  requested_by: string | null
  requested_at: Generated<Timestamp>
  decided_by: string | null
  decided_at: Timestamp | null
  decision: 'approved' | 'refused' | 'withdrawn' | null
}

/** A stress risk assessment (LH-04, issue 17); closed_on null while it is open. */
export interface StressRiskAssessmentTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  person_id: string
  assessor_id: string | null
  started_on: DateColumn
  review_on: DateColumn
  actions: string
  /** The person's additional-support flag as it stood when the assessment opened. */
  flag_before: ColumnType<{ set: boolean; since: string | null; until: string | null }, string, string>
  closed_on: DateColumn | null
  closed_by: string | null
  closing_note: string | null
  version: Generated<number>
  created_at: Generated<Timestamp>
  /** Removed under retention (issue 15): its content replaced, its row, dates and hash kept. */
  removed_at: Timestamp | null
  removed_by: string | null
}

/** A referral to Occupational Health (LH-04, issue 17). */
export interface OccupationalHealthReferralTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  person_id: string
  referred_by: string | null
  referred_on: DateColumn
  reason: string
  outcome: string | null
  follow_up_on: DateColumn | null
  version: Generated<number>
  created_at: Generated<Timestamp>
  /** Removed under retention (issue 15): its content replaced, its row, dates and hash kept. */
  removed_at: Timestamp | null
  removed_by: string | null
}

/** An item on a person's development plan, from a development need in a signed record (PL-07, issue 17). */
export interface DevelopmentPlanItemTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  person_id: string
  record_id: string
  source_key: string
  need: string
  action: string | null
  owner_id: string | null
  owner_name: string | null
  due_on: DateColumn | null
  status: Generated<string>
  version: Generated<number>
  created_at: Generated<Timestamp>
}

/** LH-08, PL-05: a course of supervisor training a person completed. */
export interface SupervisorTrainingTable {
  id: Generated<string>
  organisation_id: string
  /** Null for one of the trust's own people (issue 14). */
  school_id: string | null
  person_id: string
  course: string
  kind: 'initial' | 'refresher'
  completed_on: DateColumn
  evidence: string | null
  recorded_by: string | null
  created_at: Generated<Timestamp>
}

/** CA-05: a school's named standing team for group supervision. */
export interface SupervisionTeamTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  name: string
  leader_id: string
  session_type_id: string
  standing_group_id: string | null
  every_weeks: number | null
  version: Generated<number>
  created_at: Generated<Timestamp>
  /** The day the team was ended (CA-05): no longer planned; null while it stands. */
  ended_on: DateColumn | null
  ended_by: string | null
}

export interface SupervisionTeamMemberTable {
  team_id: string
  person_id: string
}

/** A supervisee asked for feedback on their supervision, once per round (PL-06, issue 17). */
export interface FeedbackRequestTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  person_id: string
  supervisor_id: string | null
  session_id: string | null
  round_key: string
  asked_on: DateColumn
  answered_on: DateColumn | null
  /** The day the supervisee was reminded to answer, once (PL-06); null until then. */
  reminded_on: DateColumn | null
  created_at: Generated<Timestamp>
}

/** One answered feedback questionnaire: answers from 1 to 5 by question id, and a comment (PL-06). */
export interface FeedbackResponseTable {
  id: Generated<string>
  school_id: string
  request_id: string
  supervisor_id: string | null
  answered_on: DateColumn
  answers: Json<Record<string, number>>
  comment: string | null
  created_at: Generated<Timestamp>
}

/** Issue 15: a pupil on the school's register, imported from its MIS. */
export interface PupilTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  upn: string | null
  mis_id: string | null
  name: string
  date_of_birth: DateColumn
  year_group: Generated<string>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

/** A pupil register file kept between its preview and its import. */
export interface PupilImportTable {
  id: string
  organisation_id: string
  school_id: string
  uploaded_by: string
  file_name: Generated<string>
  /** bytea: a Uint8Array from PGlite, a Buffer from pg. */
  content: Uint8Array
  expires_at: Timestamp
}

/** X-07, AM-04: a decision about a child or family on its way to the child's own record. */
export interface ChildDecisionTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  source: 'record' | 'unplanned'
  source_item_id: string
  session_id: string | null
  record_id: string | null
  session_kind: Generated<string>
  about: 'child' | 'family' | 'pseudonym'
  pupil_id: string | null
  about_name: Generated<string>
  category: Generated<string>
  decision: string
  actions: Generated<string>
  agreed_by: Generated<string>
  decided_on: DateColumn
  status: 'awaiting-sign-off' | 'returned' | 'ready' | 'entered'
  sign_off_comment: string | null
  signed_off_by: string | null
  signed_off_at: Timestamp | null
  entered_by: string | null
  entered_by_name: string | null
  entered_at: Timestamp | null
  entered_in: string | null
  entered_reference: string | null
  reminded_at: Timestamp | null
  version: Generated<number>
  created_at: Generated<Timestamp>
  /** Removed under retention (issue 15): its content replaced, its row, dates and hash kept. */
  removed_at: Timestamp | null
  removed_by: string | null
}

/** The school's webhook for decisions (one per school); the secret signs every delivery (HMAC-SHA256). */
export interface DecisionWebhookTable {
  school_id: string
  organisation_id: string
  url: string
  secret: string
  updated_by: string | null
  updated_at: Generated<Timestamp>
}

/** One delivery of a decision to the school's webhook, and its attempts. */
export interface DecisionDeliveryTable {
  id: Generated<string>
  school_id: string
  decision_id: string
  url: string
  status: 'waiting' | 'delivered' | 'failed'
  attempts: Generated<number>
  next_attempt_at: Timestamp | null
  last_attempt_at: Timestamp | null
  response_status: number | null
  error: string | null
  created_at: Generated<Timestamp>
}

/** A signed record, or parts of it, shared with a named person (CA-09, AM-05; issue 15). */
export interface RecordShareTable {
  id: Generated<string>
  school_id: string
  record_id: string
  shared_by: string | null
  recipient_id: string
  reason_id: string
  reason_label: string
  note: string
  /** Null: the whole record. */
  parts: Json<string[] | null>
  supervisee_told: 'before' | 'after'
  shared_at: Timestamp
  opens_at: Timestamp
  withdrawn_at: Timestamp | null
  withdrawn_by: string | null
}

/** Issue 15: a legal hold on a person or one record; released, never deleted. */
export interface RetentionHoldTable {
  id: Generated<string>
  school_id: string
  person_id: string | null
  record_id: string | null
  reason: string
  placed_by: string | null
  placed_at: Generated<Timestamp>
  released_by: string | null
  released_at: Timestamp | null
}

/** Issue 15: what the retention job found due, for the DSL to review and confirm. */
export interface RetentionDueTable {
  school_id: string
  kind: string
  subject_id: string
  due_on: DateColumn
  found_at: Generated<Timestamp>
}

/** Issue 15 item 3 (ADR 0035): a school's API token; only its SHA-256 is kept. */
export interface ApiTokenTable {
  id: Generated<string>
  organisation_id: string
  school_id: string
  name: string
  token_hash: string
  prefix: string
  scopes: string[]
  created_by: string | null
  created_at: Generated<Timestamp>
  expires_on: DateColumn | null
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
  revoked_by: string | null
}
