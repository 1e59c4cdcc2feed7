/**
 * How planned sessions read in emails and pages: "Tuesday 15 September 2026 at 9am".
 * The words come from the one set of formatters (ADR 0017).
 */
import { formatClockTime, formatLongDateWithWeekday, type IsoDate } from '../../domain/calendar/index.ts'

/** 'Tuesday 15 September 2026' */
export const longDayDate: (date: IsoDate) => string = formatLongDateWithWeekday

/** '9am', '2:30pm', 'midday' from 'HH:MM'. */
export const clockText: (time: string) => string = formatClockTime

/** 'Tuesday 15 September 2026 at 9am' (or just the day when there is no time). */
export function sessionWhen(date: IsoDate, time: string | null): string {
  return time ? `${longDayDate(date)} at ${clockText(time)}` : longDayDate(date)
}
