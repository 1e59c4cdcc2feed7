/** Planning (issue 6): the annual planner (CA-02, MW-01, MW-04), reminders and escalation targets (LH-09, AM-09). */
export { type PlanGap, planGaps, startOfYearGaps } from './check.ts'
export { type DateCheck, proposalDateProblem, supervisorLimitProblem } from './dates.ts'
export { type EscalationRecipients, escalationRecipients, type ReportingLines, supervisorFor } from './escalation.ts'
export {
  countParam,
  groupByHalfTerm,
  groupByHalfTermName,
  type HalfTermGroup,
  halfTermAnchor,
  lastDayOfYear,
  ROWS_ON_ONE_PAGE,
  shownHalfTerm,
  yearAfter,
} from './half-terms.ts'
export {
  defaultPlanLimits,
  type ExistingSession,
  fallbackDurationMinutes,
  gapBetweenSessionsMinutes,
  type PlanInput,
  type PlanLimits,
  type PlanResult,
  type PlanWarning,
  type Proposal,
  type Unplaceable,
  workingDaysOf,
} from './model.ts'
export {
  Diary,
  minutesOfTime,
  type PersonDiary,
  PlaceableDays,
  plannableType,
  planYear,
  timeOfMinutes,
  weekdayOfDay,
  weekOfDay,
  type YearSpan,
  yearSpan,
} from './plan.ts'
export {
  defaultPreparationWorkingDays,
  preparationReminderDate,
  preparationReminderDue,
  recordReminderDue,
  recordReminderLookbackDays,
  recordReminderWorkingDays,
} from './reminders.ts'
export {
  coveredByTeam,
  planTeam,
  type SupervisionTeam,
  teamLeaderProblem,
  teamRequirement,
  teamTypeName,
} from './teams.ts'
