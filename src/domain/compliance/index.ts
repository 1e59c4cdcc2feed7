/** The compliance engine (issue 5): who must be supervised, who is up to date, what is due, what was missed. */
export { assessCompliance, type ComplianceInput, defaultDueSoonDays } from './assess.ts'
export { rebookingDeadline, rebookingWarnFrom } from './cancellations.ts'
export { DayCalendar, dayCalendarFor, type PeriodSpan } from './day-calendar.ts'
export {
  type Breach,
  type BreachKind,
  type CancellationFact,
  ComplianceStatus,
  DueSource,
  type EscalationState,
  type FrameworkGap,
  type OpenRebooking,
  type PersonCompliance,
  type RequirementCompliance,
  type SessionFact,
  SessionStatus,
  statusRank,
} from './model.ts'
export { type NextDue, type NextDueInput, nextDueDate } from './next-due.ts'
