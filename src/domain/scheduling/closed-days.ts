/**
 * Issue 18: a session booked on a day the school is closed (a Saturday or Sunday, or a closure day
 * the school calendar marks) is allowed, but the person booking is warned and asked to confirm.
 * INSET days are working days for staff: no warning. Holidays between half terms and bank holidays
 * are not warned about here (staff book supervision in them on purpose, and the policy's own rules
 * judge them). Pure.
 */
import {
  closureOn,
  formatLongDateWithWeekday,
  type IsoDate,
  isWeekend,
  type SchoolCalendar,
} from '../calendar/index.ts'

/** Why the school is closed on this date, as a warning to confirm, or null. */
export function closedDayWarning(calendar: SchoolCalendar, date: IsoDate): string | null {
  const day = formatLongDateWithWeekday(date)
  if (isWeekend(date)) return `${day} is a weekend: the school is closed`
  const closure = closureOn(calendar, date)
  if (closure && closure.kind === 'closure')
    return `The school is closed on ${day}${closure.description ? ` (${closure.description})` : ''}`
  return null
}
