/**
 * Issue 18: a session booked on a day the school is not open (a Saturday or Sunday, a bank
 * holiday, a closure day, or the school holidays) is allowed, but the person booking is warned and
 * asked to confirm. INSET days are working days for staff: no warning. Pure.
 */
import {
  bankHolidayOn,
  closureOn,
  formatLongDateWithWeekday,
  type IsoDate,
  isStaffWorkingDay,
  isWeekend,
  type SchoolCalendar,
} from '../calendar/index.ts'

/** Why the school is not open on this date, as a warning to confirm, or null on a working day. */
export function closedDayWarning(calendar: SchoolCalendar, date: IsoDate): string | null {
  if (isStaffWorkingDay(calendar, date)) return null
  const day = formatLongDateWithWeekday(date)
  if (isWeekend(date)) return `${day} is a weekend: the school is closed`
  const holiday = bankHolidayOn(calendar.region, date)
  if (holiday) return `${day} is a bank holiday (${holiday.title}): the school is closed`
  const closure = closureOn(calendar, date)
  if (closure) return `The school is closed on ${day}${closure.description ? ` (${closure.description})` : ''}`
  return `${day} is in the school holidays: the school is closed`
}
