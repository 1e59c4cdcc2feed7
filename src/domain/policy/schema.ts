/**
 * The Zod 4 schema for a policy document (model.ts). It checks shape and values field by field,
 * with messages in the GOV.UK Design System's wording; checks that span fields (ids that must
 * exist, ids used twice) are in validate.ts. Optional fields get their defaults here, so a pack
 * need not spell out every false and every empty list.
 */
import * as z from 'zod'
import { EmploymentType, FlagName } from '../people/person.ts'
import {
  type AgreedFrequency,
  AgreedFrequencyAllowance,
  CommitmentTopic,
  ContractIssue,
  DurationUnit,
  EscalationTrigger,
  ExternalBody,
  FeedbackTiming,
  FrameworkKind,
  FrequencyUnit,
  HeadteacherFeedback,
  OwnerKind,
  Party,
  type PersonOverride,
  type PolicyDocument,
  policySchemaVersion,
  Recorder,
  RetentionFrom,
  ScopeIdentification,
  SelectorConditionKind,
  SessionPlanning,
  SuperviseeTold,
  UntrainedAction,
} from './model.ts'
import { listWithOr, upperFirst } from './wording.ts'

const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

const capitalise = upperFirst

function quotedList(values: readonly string[]): string {
  return listWithOr(values.map((value) => `'${value}'`))
}

function isRealDate(value: string): boolean {
  const match = isoDatePattern.exec(value)
  if (!match) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return day <= days
}

// ---------------------------------------------------------------------------------------------
// Field builders: each takes the field's label as it reads inside a sentence ("the policy title").

function text(label: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `Enter ${label}` : `${capitalise(label)} must be text`) })
    .trim()
    .min(1, { error: `Enter ${label}` })
}

function optionalText(label: string) {
  return z
    .string({ error: `${capitalise(label)} must be text, or null` })
    .trim()
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .default(null)
}

function id(label: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `Enter ${label}` : `${capitalise(label)} must be text`) })
    .regex(idPattern, {
      error: `${capitalise(label)} must use only lower-case letters, numbers and single hyphens, like one-to-one`,
    })
}

function whole(label: string, min: number, max: number) {
  return z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `Enter ${label}`
          : `${capitalise(label)} must be a number, like ${Math.max(min, 1)}`,
    })
    .int({ error: `${capitalise(label)} must be a whole number` })
    .min(min, { error: `${capitalise(label)} must be ${min} or more` })
    .max(max, { error: `${capitalise(label)} must be ${max} or fewer` })
}

function date(label: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `Enter ${label}` : `${capitalise(label)} must be text`) })
    .refine(isRealDate, { error: `${capitalise(label)} must be a real date in the format YYYY-MM-DD, like 2025-09-01` })
}

function optionalDate(label: string) {
  return date(label).nullable().default(null)
}

function yesNo(label: string) {
  return z.boolean({
    error: (issue) =>
      issue.input === undefined ? `Say whether ${label} (true or false)` : `${capitalise(label)} must be true or false`,
  })
}

function flag(label: string, fallback = false) {
  return yesNo(label).default(fallback)
}

function oneOf<const T extends Record<string, string>>(label: string, values: T) {
  const allowed = quotedList(Object.values(values))
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? `Enter ${label}: ${allowed}` : `${capitalise(label)} must be ${allowed}`,
  })
}

function list<T extends z.ZodType>(item: T, label: string) {
  return z.array(item, {
    error: (issue) =>
      issue.input === undefined ? `Enter ${label}` : `${capitalise(label)} must be a list, written [ ... ]`,
  })
}

function nonEmptyList<T extends z.ZodType>(item: T, label: string, oneItem: string) {
  return list(item, label).min(1, { error: `Add at least one ${oneItem}` })
}

function object<T extends z.core.$ZodLooseShape>(label: string, shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return undefined
      return issue.input === undefined
        ? `Enter ${label}`
        : `${capitalise(label)} must be a set of named fields, written { ... }`
    },
  })
}

// ---------------------------------------------------------------------------------------------
// Parts

const roleId = (label: string) => id(label)

export const frequencySchema = object('the frequency', {
  every: whole('how many units apart sessions are (every)', 1, 104),
  unit: oneOf('the unit of the frequency', FrequencyUnit),
  termTimeOnly: flag('only term time counts'),
  times: whole('how many times sessions must happen in each period (times)', 1, 200).nullable().optional(),
  wording: optionalText("the school's wording for the frequency"),
})

export const durationSchema = object('the length of time', {
  amount: whole('the amount of time', 0, 1000),
  unit: oneOf('the unit of time', DurationUnit),
})

/** The length of time a date-derived condition lasts: at least one unit. */
const conditionDurationSchema = object('how long the condition lasts', {
  amount: whole('how long the condition lasts (amount)', 1, 1000),
  unit: oneOf('the unit of how long the condition lasts', DurationUnit),
})

/** A condition worked out from dates (issue 14): newly in post, or flagged for less than a time. */
export const selectorConditionSchema = z.discriminatedUnion(
  'kind',
  [
    object('the condition', {
      kind: z.literal(SelectorConditionKind.InPostForLessThan),
      duration: conditionDurationSchema,
    }),
    object('the condition', {
      kind: z.literal(SelectorConditionKind.FlagForLessThan),
      flag: oneOf('the flag of the condition', FlagName),
      duration: conditionDurationSchema,
    }),
  ],
  { error: `The kind of condition must be ${quotedList(Object.values(SelectorConditionKind))}` },
)

export const selectorSchema = object('who this applies to', {
  everyone: flag('it applies to everyone'),
  roles: list(roleId('the role id'), 'the roles').default([]),
  flags: list(oneOf('the flag', FlagName), 'the flags').default([]),
  trainedSupervisors: flag('it applies to everyone with supervisor training'),
  conditions: list(selectorConditionSchema, 'the conditions').default([]),
})

const employmentTypes = list(oneOf('the employment type', EmploymentType), 'the employment types')

const metadataSchema = object('the policy details', {
  title: text('the policy title'),
  school: text('the name of the school'),
  trust: optionalText('the name of the trust'),
  description: optionalText('the description of the policy'),
  provenance: optionalText('where the policy comes from'),
  owner: object('the policy owner', {
    kind: oneOf('the kind of policy owner', OwnerKind).default('person'),
    name: optionalText("the policy owner's name"),
    role: roleId("the policy owner's role").nullable().default(null),
  }),
  createdOn: optionalDate('the date the policy was created'),
  consultation: object('the staff consultation', {
    who: text('who was consulted'),
    consultedOn: date('the date staff were consulted'),
  })
    .nullable()
    .default(null),
  approvedBy: optionalText('who approved the policy'),
  governorCommittee: optionalText('the governor committee'),
  approvedOn: optionalDate('the date the policy was approved'),
  lastReviewedOn: optionalDate('the date the policy was last reviewed'),
  lastReviewedBy: optionalText('who last reviewed the policy'),
  reviewEvery: durationSchema.nullable().default(null),
  nextReviewDue: optionalDate('the date the next review is due'),
  reviewReminder: durationSchema.prefault({ amount: 1, unit: 'months' }),
})

const sessionTypeSchema = object('the session type', {
  id: id('the session type id'),
  name: text('the name of the session type'),
  description: text('a description of the session type'),
  countsTowardEntitlement: yesNo('the session type counts towards the entitlement'),
  group: yesNo('the session type is a group session'),
  planned: yesNo('the session type is planned'),
  formal: yesNo('the session type is formal'),
  onRequest: flag('the session type is arranged on request'),
  carriesForwardToNextFormal: flag('issues are carried forward to the next formal session'),
  decisionsToChildRecord: flag("decisions must reach the child's record"),
  recordsConfidentialityBoundary: flag("the group's confidentiality boundary is recorded"),
  focuses: list(
    object('the focus', { id: id('the focus id'), name: text('the name of the focus') }),
    'the focuses',
  ).default([]),
})

const scopeRuleSchema = object('the scope rule', {
  id: id('the scope rule id'),
  description: text('a description of who the rule covers'),
  who: selectorSchema,
})

const qualifyingPeriodSchema = object('the qualifying period', {
  id: id('the qualifying period id'),
  description: text('a description of the qualifying period'),
  employmentTypes: employmentTypes.min(1, { error: 'Add at least one employment type' }),
  after: durationSchema,
})

/**
 * Earlier versions of the format stated `partTimeStaff: 'same-frequency'` (MW-04), the only value
 * Haven ever supported: part-time staff are never supervised pro rata, whatever the policy says.
 * A setting that can take one value changes nothing, so it was removed (issue 14); documents that
 * still state it (stored versions, drafts, files) are read without it.
 */
function withoutLegacyScopeKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('partTimeStaff' in value)) return value
  const { partTimeStaff, ...rest } = value as Record<string, unknown>
  return partTimeStaff === 'same-frequency' ? rest : value
}

const scopeObjectSchema = object('the scope', {
  identifiedAt: oneOf('when staff are identified', ScopeIdentification).default('continuously'),
  rules: list(scopeRuleSchema, 'the scope rules'),
  qualifyingPeriods: list(qualifyingPeriodSchema, 'the qualifying periods').default([]),
  excludedEmploymentTypes: employmentTypes.default([]),
  manualInclusion: optionalText('who else is brought into scope by name'),
})

const scopeSchema = z.preprocess(withoutLegacyScopeKeys, scopeObjectSchema)

const stricterRuleSchema = object('the stricter rule', {
  id: id('the stricter rule id'),
  description: text('a description of the stricter rule'),
  who: selectorSchema,
  frequency: frequencySchema,
  maximumGap: durationSchema.nullable().default(null),
})

const agreedFrequencySchema = object('the agreed frequency', {
  allowed: oneOf('whether a frequency may be agreed', AgreedFrequencyAllowance),
  options: list(frequencySchema, 'the frequencies that may be agreed').default([]),
  description: optionalText('a description of what may be agreed'),
})

const noAgreedFrequency: AgreedFrequency = { allowed: 'none', options: [], description: null }

const requirementSchema = object('the requirement', {
  id: id('the requirement id'),
  description: text('a description of the requirement'),
  scopeRules: list(id('the scope rule id'), 'the scope rules').default([]),
  sessionTypes: nonEmptyList(id('the session type id'), 'the session types that count', 'session type that counts'),
  frequency: frequencySchema.nullable(),
  maximumGap: durationSchema.nullable().default(null),
  expectedMinutes: whole('the expected length of a session in minutes', 5, 600).nullable().default(null),
  planning: oneOf('how sessions are planned', SessionPlanning).default('rolling'),
  stricterFor: list(stricterRuleSchema, 'the stricter rules').default([]),
  agreedFrequency: agreedFrequencySchema.default(noAgreedFrequency),
})

export const supervisorSpecSchema = z.discriminatedUnion(
  'kind',
  [
    object('the supervisor', { kind: z.literal('role'), role: roleId('the supervisor role') }),
    object('the supervisor', { kind: z.literal('line-manager') }),
    object('the supervisor', {
      kind: z.literal('line-manager-delegate'),
      roles: list(roleId('the role id'), 'the roles a delegate may hold').default([]),
    }),
    object('the supervisor', { kind: z.literal('another-school-in-trust'), role: roleId('the supervisor role') }),
    object('the supervisor', { kind: z.literal('another-school'), role: roleId('the supervisor role') }),
    object('the supervisor', { kind: z.literal('trust-central'), role: roleId('the supervisor role') }),
    object('the supervisor', { kind: z.literal('external'), body: oneOf('the external body', ExternalBody) }),
    object('the supervisor', { kind: z.literal('any-staff') }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `The kind of supervisor must be ${quotedList(['role', 'line-manager', 'line-manager-delegate', 'another-school-in-trust', 'another-school', 'trust-central', 'external', 'any-staff'])}`
        : 'Enter the supervisor as a set of named fields, like { "kind": "line-manager" }',
  },
)

const supervisorRuleSchema = object('the supervisor rule', {
  id: id('the supervisor rule id'),
  description: optionalText('a description of the supervisor rule'),
  supervisees: selectorSchema,
  supervisors: nonEmptyList(supervisorSpecSchema, 'the allowed supervisors', 'allowed supervisor'),
  fallback: flag('the rule applies only when no other rule does'),
  sessionTypes: list(id('the session type id'), 'the kinds of supervision the rule is for').default([]),
})

const supervisorsSchema = object('who may supervise whom', {
  rules: nonEmptyList(supervisorRuleSchema, 'the supervisor rules', 'rule for who may supervise whom'),
  trainingRequired: flag('supervisors must be trained'),
  trainingDescription: optionalText('a description of the supervisor training'),
  trainingValidFor: object('how long supervisor training stays valid', {
    amount: whole('how long supervisor training stays valid (amount)', 1, 1000),
    unit: oneOf('the unit of how long supervisor training stays valid', DurationUnit),
  })
    .nullable()
    .default(null),
  onUntrained: oneOf('what happens with an untrained supervisor', UntrainedAction).nullable().default(null),
  accountability: optionalText('who stays accountable'),
})

const cancellationSchema = object('the cancellation rules', {
  exceptionalOnly: flag('sessions are cancelled only in exceptional circumstances'),
  reasonRequired: flag('a cancellation needs a reason', true),
  reasons: nonEmptyList(
    object('the cancellation reason', {
      id: id('the cancellation reason id'),
      name: text('the name of the cancellation reason'),
      absence: flag('the reason is staff absence or illness'),
    }),
    'the cancellation reasons',
    'cancellation reason',
  ),
  visibleTo: list(roleId('the role id'), 'the roles who see cancellations').default([]),
  notifyOtherParty: flag('whoever cancels tells the other party'),
  notifyRoles: list(roleId('the role id'), 'the roles told of cancellations').default([]),
  rebooking: object('the rebooking rule', {
    within: durationSchema.nullable(),
    warnAfter: durationSchema.nullable().optional(),
    afterAbsence: durationSchema.nullable().default(null),
    sessionTypes: list(id('the session type id'), 'the session types').default([]),
  })
    .nullable()
    .default(null),
})

export const escalationTargetSchema = z.discriminatedUnion(
  'kind',
  [
    object('the escalation target', { kind: z.literal('supervisor') }),
    object('the escalation target', { kind: z.literal('line-manager') }),
    object('the escalation target', { kind: z.literal('supervisors-line-manager') }),
    object('the escalation target', { kind: z.literal('next-manager-up') }),
    object('the escalation target', { kind: z.literal('role'), role: roleId('the role escalated to') }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `The kind of escalation target must be ${quotedList(['supervisor', 'line-manager', 'supervisors-line-manager', 'next-manager-up', 'role'])}`
        : 'Enter the escalation target as a set of named fields, like { "kind": "supervisor" }',
  },
)

const escalationChainSchema = object('the escalation chain', {
  id: id('the escalation chain id'),
  trigger: oneOf('what starts the escalation', EscalationTrigger),
  description: text('a description of the escalation'),
  steps: nonEmptyList(
    object('the escalation step', {
      id: id('the escalation step id'),
      afterWorkingDays: whole('the number of working days before this step', 0, 365),
      target: escalationTargetSchema,
      action: text('what happens at this step'),
      repeatEveryWorkingDays: whole('the number of working days between repeats', 1, 365).nullable().default(null),
    }),
    'the escalation steps',
    'escalation step',
  ),
})

const templatesSchema = object('the templates', {
  contract: id('the contract template id').nullable().default(null),
  agenda: id('the agenda template id').nullable().default(null),
  preparation: id('the preparation template id').nullable().default(null),
  records: list(
    object('the record template', {
      templateId: id('the record template id'),
      description: text('a description of when the record template is used'),
      sessionTypes: list(id('the session type id'), 'the session types').default([]),
      perChildOrFamily: flag('there is one record per child or family'),
    }),
    'the record templates',
  ).default([]),
})

const parties = list(oneOf('the party', Party), 'the parties')

const contractSchema = object('the contract rules', {
  issuedAt: oneOf('when contracts are issued', ContractIssue),
  signedBy: parties.default(['supervisee', 'supervisor']),
  returnTo: list(roleId('the role id'), 'the roles the contract is returned to').default([]),
  reviewEvery: durationSchema.nullable().default(null),
  venue: optionalText('the venue'),
  preparation: optionalText('the preparation'),
})

const frameworkSchema = object('the framework', {
  id: id('the framework id'),
  name: text('the name of the framework'),
  kind: oneOf('the kind of framework', FrameworkKind),
  description: text('a description of the framework'),
  tagSessions: flag('sessions can be tagged with the framework'),
  coverageLookback: durationSchema.nullable().default(null),
  items: nonEmptyList(
    object('the framework item', {
      id: id('the framework item id'),
      name: text('the name of the framework item'),
      description: text('a description of the framework item'),
      prompts: list(text('the prompt'), 'the prompts').default([]),
      duties: object('the duties', {
        supervisee: list(text("the supervisee's duty"), "the supervisee's duties"),
        supervisor: list(text("the supervisor's duty"), "the supervisor's duties"),
        management: list(text("management's duty"), "management's duties"),
      })
        .nullable()
        .default(null),
    }),
    'the framework items',
    'framework item',
  ),
})

/** CA-09, AM-05: the exceptions a supervisor may share a signed record under, and with whom. */
const disclosureSchema = object('the rules for sharing a record', {
  reasons: nonEmptyList(
    object('the reason for sharing', {
      id: id('the reason for sharing id'),
      label: text('the reason for sharing, as the supervisor chooses it'),
    }),
    'the reasons for sharing',
    'reason for sharing',
  ),
  toSupervisorsLineManager: flag("a record may be shared with the supervisor's own line manager"),
  toRoles: list(roleId('the role id'), 'the roles a record may be shared with').default([]),
  superviseeTold: oneOf('when the supervisee is told', SuperviseeTold).default('before'),
  noticeDays: whole('how many days the supervisee is told before the record is shared', 0, 30).default(0),
})

const confidentialitySchema = object('the confidentiality rules', {
  summary: text('a summary of the confidentiality rules'),
  exceptions: list(text('the exception'), 'the exceptions').default([]),
  sharing: optionalText('who else may see the content'),
  disclosure: disclosureSchema.nullable().default(null),
})

const disputeSchema = object('the dispute resolution route', {
  steps: nonEmptyList(
    object('the dispute resolution step', {
      id: id('the dispute resolution step id'),
      description: text('a description of the dispute resolution step'),
      when: optionalText('when the step applies'),
      whenWithRoles: list(roleId('the role id'), 'the roles the step is for').default([]),
      meetingWithRole: roleId('the role the meeting is with').nullable().default(null),
      meetingWithTeam: optionalText('the team the meeting is with'),
      bothPartiesAgree: flag('both parties agree to the meeting'),
    }),
    'the dispute resolution steps',
    'dispute resolution step',
  ),
  bothPartiesToldInAdvance: flag('both parties are told in advance'),
})

const recordingSchema = object('the recording rules', {
  recordedBy: oneOf('who records the session', Recorder).default('supervisor'),
  signedBy: parties.default(['supervisor', 'supervisee']),
  copiesHeldBy: parties.default([]),
  actionsReviewedAtNextSession: flag('actions are reviewed at the next session', true),
  actionSummaryDuringSession: flag('a summary of actions is completed during the session'),
  headteacherFeedback: oneOf('what the headteacher is told', HeadteacherFeedback).default('none'),
  evidenceUses: list(text('the evidence use'), 'the evidence uses').default([]),
  storage: optionalText('how records are stored'),
})

const childRecordSchema = object("the child's record rules", {
  system: optionalText("the system for children's records"),
  decisionsMustReachChildRecord: flag("decisions must reach the child's record", true),
  caseDiscussionsOnChildRecord: flag("case discussions are recorded on the child's record"),
  signOffRole: roleId('the role that signs off decisions').nullable().default(null),
  remindAfterDays: whole('how many days a decision may wait before a reminder', 1, 365).nullable().default(null),
})

function retentionPeriod(kind: string, years: number, from: RetentionFrom) {
  return object(`how long ${kind} are kept`, {
    years: whole(`how many years ${kind} are kept`, 1, 100),
    from: oneOf(`what the years for ${kind} count from`, RetentionFrom),
  }).prefault({ years, from })
}

/** Issue 15: how long each kind of record is kept (model.ts: RetentionPolicy). */
const retentionSchema = object('the retention periods', {
  supervisionRecords: retentionPeriod('supervision records', 6, 'leaving'),
  contracts: retentionPeriod('supervision contracts', 6, 'leaving'),
  stressRiskAssessments: retentionPeriod('stress risk assessments', 6, 'leaving'),
  referrals: retentionPeriod('referrals', 6, 'leaving'),
  decisionsAboutChildren: retentionPeriod('decisions about children', 25, 'record'),
  childProtection: retentionPeriod('records with child-protection content', 25, 'record'),
})

const requestsSchema = object('the request rules', {
  anyStaffMayRequest: yesNo('any member of staff may request supervision'),
  topics: list(text('the topic'), 'the topics').default([]),
  sessionTypes: list(id('the session type id'), 'the session types').default([]),
  description: optionalText('a description of requests'),
})

const standingGroupSchema = object('the standing group', {
  id: id('the standing group id'),
  name: text('the name of the group'),
  description: text('a description of the group'),
  sessionTypeId: id('the session type id'),
  ledBy: nonEmptyList(supervisorSpecSchema, 'who leads the group', 'person who leads the group'),
  members: selectorSchema.nullable().default(null),
  frequency: frequencySchema.nullable().default(null),
})

const furtherSupportSchema = object('the further support', {
  id: id('the further support id'),
  name: text('the name of the further support'),
  providedBy: text('who provides the further support'),
  description: text('a description of the further support'),
})

const practiceSchema = object('the practice rules', {
  handoverOnLineManagerChange: flag('a handover is recorded when line management changes'),
  feedbackFromSupervisees: flag('supervisees are asked for feedback'),
  workloadMonitored: flag('workload is monitored'),
  feedbackAsked: oneOf('when supervisees are asked for feedback', FeedbackTiming).default('after-each-session'),
  feedbackQuestions: list(
    object('the feedback question', {
      id: id('the feedback question id'),
      text: text('the text of the feedback question'),
    }),
    'the feedback questions',
  )
    .refine((questions) => questions.length <= 10, { error: 'Ask no more than 10 feedback questions' })
    .default([]),
  feedbackComment: flag('supervisees may add a comment', true),
  feedbackWorkloadQuestion: id('the workload question id').nullable().default(null),
  workloadFlagAt: whole('how many supervisees must say workload exceeds capacity', 1, 1000).default(3),
  feedbackReminderAfterDays: whole('the days before a supervisee is reminded to give feedback', 0, 60).default(7),
  developmentNeedsFeedPlanning: flag('development needs feed professional development planning'),
  caseEscalationProcedure: optionalText('the case escalation procedure'),
  caseEscalationStages: list(
    object('the case escalation stage', {
      id: id('the case escalation stage id'),
      name: text('the name of the case escalation stage'),
      days: whole('the working days allowed at the stage', 1, 120),
    }),
    'the case escalation stages',
  ).default([]),
  sessionOutline: list(text('the item'), 'the session outline').default([]),
})

const commitmentSchema = object('the commitment', {
  id: id('the commitment id'),
  topic: oneOf('the topic of the commitment', CommitmentTopic),
  text: text('the text of the commitment'),
})

const customRoleSchema = object('the custom role', {
  id: roleId('the custom role id'),
  name: text('the name of the custom role'),
  description: text('a description of the custom role'),
})

export const policyDocumentSchema = object('the policy', {
  schemaVersion: z.literal(policySchemaVersion, {
    error: `The schema version must be ${policySchemaVersion}`,
  }),
  id: id('the policy id'),
  version: whole('the version number', 1, 100000),
  effectiveFrom: date('the date this version takes effect'),
  metadata: metadataSchema,
  notes: list(text('the note'), 'the notes').default([]),
  customRoles: list(customRoleSchema, 'the custom roles').default([]),
  sessionTypes: nonEmptyList(sessionTypeSchema, 'the session types', 'session type'),
  scope: scopeSchema,
  requirements: list(requirementSchema, 'the requirements'),
  supervisors: supervisorsSchema,
  cancellation: cancellationSchema,
  escalation: list(escalationChainSchema, 'the escalation chains').default([]),
  templates: templatesSchema.prefault({}),
  contract: contractSchema.nullable().default(null),
  frameworks: list(frameworkSchema, 'the frameworks').default([]),
  confidentiality: confidentialitySchema.nullable().default(null),
  disputeResolution: disputeSchema.nullable().default(null),
  recording: recordingSchema.prefault({}),
  childRecord: childRecordSchema.prefault({}),
  retention: retentionSchema.prefault({}),
  requests: requestsSchema.nullable().default(null),
  standingGroups: list(standingGroupSchema, 'the standing groups').default([]),
  furtherSupport: list(furtherSupportSchema, 'the further support').default([]),
  practice: practiceSchema.prefault({}),
  commitments: list(commitmentSchema, 'the commitments').default([]),
})

export const personOverrideSchema = z.discriminatedUnion(
  'kind',
  [
    object('the override', {
      kind: z.literal('scope'),
      personId: text('the person'),
      required: yesNo('the person must be supervised'),
      reason: text('the reason for the override'),
      from: optionalDate('the date the override starts'),
      until: optionalDate('the date the override ends'),
      requirementIds: list(id('the requirement id'), 'the requirements').nullable().default(null),
    }),
    object('the override', {
      kind: z.literal('frequency'),
      personId: text('the person'),
      requirementId: id('the requirement id').nullable().default(null),
      frequency: frequencySchema,
      reason: text('the reason for the agreed frequency'),
      from: optionalDate('the date the agreed frequency starts'),
      source: z.enum(['contract', 'agreement'], { error: "The source must be 'contract' or 'agreement'" }),
    }),
  ],
  { error: "The kind of override must be 'scope' or 'frequency'" },
)

// The schema's output must be exactly the model's types, so that the two cannot drift apart.
type SchemaOutput = z.output<typeof policyDocumentSchema>
const outputIsModel = (value: SchemaOutput): PolicyDocument => value
const modelIsOutput = (value: PolicyDocument): SchemaOutput => value
const overrideOutputIsModel = (value: z.output<typeof personOverrideSchema>): PersonOverride => value
const overrideModelIsOutput = (value: PersonOverride): z.output<typeof personOverrideSchema> => value
void [outputIsModel, modelIsOutput, overrideOutputIsModel, overrideModelIsOutput]
