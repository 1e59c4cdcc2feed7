/** Scheduling (issue 6): booking rules, clashes, rebooking deadlines as people see them, the school's week and month, and who may do what. */
export {
  type BookingPermission,
  managesSessions,
  mayAnswerRequest,
  mayAskOnBehalf,
  mayBook,
  mayBookAny,
  mayViewRequest,
  type RequestFacts,
  type SessionAbilities,
  type SessionFacts,
  type SessionPeople,
  sessionAbilities,
} from './access.ts'
export {
  type BookingCheck,
  type BookingContext,
  BookingField,
  type BookingProblem,
  type BookingRequest,
  bookingFieldOrder,
  checkBooking,
  chosenFocus,
  defaultDurationMinutes,
  durationLimitMinutes,
  fallbackMinutes,
  type GridContext,
  gridApplies,
  isWebAddress,
  maxDaysAhead,
  maxSupervisees,
  maxSupervisors,
  onlineLinkLimit,
  sessionFocusProblem,
  supervisorRefusal,
  venueLimit,
} from './booking.ts'
export {
  CancellationField,
  type CancellationProblem,
  type CancellationRequest,
  cancellationReasons,
  checkCancellation,
  isAbsenceReason,
  noReasonGiven,
  reasonName,
  reasonNoteLimit,
  reasonRequired,
  seesEveryCancellation,
} from './cancellation.ts'
export { assumedMinutes, type Clash, type ClashCandidate, findClashes, type ScheduledSession } from './clashes.ts'
export { closedDayWarning } from './closed-days.ts'
export { dueSoonWorkingDays, RebookingState, type RebookingView, rebookingView } from './rebooking.ts'
export { monthPage, otherViewKey, type SchedulePage, ScheduleView, schedulePage, weekPage } from './schedule.ts'
export {
  mayAskForSupervision,
  receivesCarryForward,
  requestTopics,
  requestTypes,
  unplannedTypes,
} from './session-types.ts'
export {
  clockTimeOf,
  endsByMidnight,
  formatClockTime,
  formatSpan,
  minutesOf,
  parseClockTime,
  spansOverlap,
} from './times.ts'
