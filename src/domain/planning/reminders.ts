/**
 * When reminders are due (issue 6): the supervisee's preparation reminder a few working days
 * before a session, and the supervisor's reminder when a held session has no record.
 */
import { addWorkingDays, type IsoDate, type SchoolCalendar } from '../calendar/index.ts'

/** Working days before a session that the supervisee is reminded to prepare, unless the school says otherwise. */
export const defaultPreparationWorkingDays = 3

/** Working days after a held session before its supervisor is reminded that it has no record. */
export const recordReminderWorkingDays = 1

/** Held sessions older than this are never chased for a record (history brought into Haven). */
export const recordReminderLookbackDays = 60

/** The day the preparation reminder for a session on `sessionDate` is due. */
export function preparationReminderDate(calendar: SchoolCalendar, sessionDate: IsoDate, workingDays: number): IsoDate {
  return addWorkingDays(calendar, sessionDate, -Math.max(0, workingDays))
}

/**
 * Whether the preparation reminder is due today: from its day until the day before the session
 * (a session booked at short notice is reminded at once; nothing is sent on the day itself).
 */
export function preparationReminderDue(
  calendar: SchoolCalendar,
  sessionDate: IsoDate,
  today: IsoDate,
  workingDays: number,
): boolean {
  return today < sessionDate && today >= preparationReminderDate(calendar, sessionDate, workingDays)
}

/** Whether a held session with no record should be chased today. */
export function recordReminderDue(calendar: SchoolCalendar, sessionDate: IsoDate, today: IsoDate): boolean {
  return today >= addWorkingDays(calendar, sessionDate, recordReminderWorkingDays)
}
