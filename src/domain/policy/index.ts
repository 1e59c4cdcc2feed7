/** Supervision policy as data (X-01, X-04, X-08, issue 5): model, validation, versions, scope, supervisors, summary. */

export {
  adoptForSchool,
  backdatingChange,
  carryReview,
  checkEffectiveDate,
  type EffectiveDateDecision,
  type ExistingVersion,
  isApproved,
  type LifecycleWarning,
  lifecycleWarnings,
  ownerWords,
  policyReviewReminderKey,
  type ReviewInput,
  reviewProblems,
  reviewReminderRecipients,
  type SchoolIdentity,
  templateReferenceProblems,
  withReview,
} from './lifecycle.ts'
export * from './model.ts'
export {
  durationSchema,
  frequencySchema,
  personOverrideSchema,
  policyDocumentSchema,
  selectorSchema,
} from './schema.ts'
export {
  conditionHolds,
  decideScope,
  identificationDay,
  isTrainedSupervisor,
  requirementsForRules,
  type ScopeDecision,
  selectorMatches,
  selectorMatchesSince,
} from './scope.ts'
export { contractPhrases, type PolicySummary, type SummarySection, summarisePolicy } from './summary.ts'
export {
  type Delegation,
  describeSupervisorRule,
  type ExternalSupervisor,
  maySupervise,
  ruleAppliesToType,
  ruleSessionTypeNames,
  rulesForSupervisee,
  type SupervisionContext,
  type SupervisionPermission,
  type SupervisorCandidate,
  type SupervisorRuleMatch,
  supervisorEligibility,
} from './supervisors.ts'
export { addDuration, type PolicyReview, policyReview, ReviewState, subtractDuration } from './time.ts'
export {
  TRAINING_EXPIRING_WITHIN_DAYS,
  TrainingState,
  type TrainingStatus,
  trainingExpiry,
  trainingInDate,
  trainingStatus,
  type UntrainedProblem,
  untrainedSupervisorCheck,
} from './training.ts'
export { formatPath, type PolicyProblem, type PolicyValidation, parsePolicy, validatePolicy } from './validate.ts'
export { checkVersionHistory, type PolicyBook, policyBookOf, sortVersions } from './versions.ts'
export {
  describeCondition,
  describeDuration,
  describeFrequency,
  describeFrequencyExactly,
  describeMinutes,
  describeSelector,
  describeSupervisorSpec,
  roleName,
  roleNoun,
} from './wording.ts'
