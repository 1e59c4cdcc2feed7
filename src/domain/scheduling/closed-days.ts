/**
 * Issue 18: a session booked on a day the school is closed is allowed, but the person booking is
 * warned and asked to confirm. Closed means: a Saturday or Sunday, a bank holiday of the school's
 * region, a closure day the school calendar marks, or a day of the school holidays (a date of an
 * academic year the calendar holds that falls outside its half terms). INSET days are working days
 * for staff: no warning. A date the calendar does not cover is judged by weekends and bank holidays
 * only. One rule for every way of booking. Pure.
 */
import {
  bankHolidayOn,
  closureOn,
  formatLongDateWithWeekday,
  type IsoDate,
  isCovered,
  isTermTime,
  isWeekend,
  type SchoolCalendar,
} from '../calendar/index.ts'

/** Why the school is closed on this date, as a warning to confirm, or null. */
export function closedDayWarning(calendar: SchoolCalendar, date: IsoDate): string | null {
  const day = formatLongDateWithWeekday(date)
  if (isWeekend(date)) return `${day} is a weekend: the school is closed`
  const bankHoliday = bankHolidayOn(calendar.region, date)
  if (bankHoliday) return `${day} is a bank holiday (${bankHoliday.title}): the school is closed`
  const closure = closureOn(calendar, date)
  if (closure && closure.kind === 'closure')
    return `The school is closed on ${day}${closure.description ? ` (${closure.description})` : ''}`
  if (isCovered(calendar, date) && !isTermTime(calendar, date)) return `${day} is in the school holidays`
  return null
}
