/**
 * Calendar-date arithmetic on ISO dates (YYYY-MM-DD) with no time zone involved.
 *
 * Every operation converts to a day number (days since 1970-01-01 in the proleptic Gregorian
 * calendar), does integer arithmetic, and converts back. No `Date` object is used, so there is
 * no way for a clock change or the host's time zone to shift a date by a day.
 * Supported years are 0001 to 9999; anything else is not a valid IsoDate.
 */
import type { IsoDate, Weekday } from '../people/person.ts'

export type { IsoDate, Weekday }

export interface DateParts {
  year: number
  /** 1 = January ... 12 = December. */
  month: number
  day: number
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function partsAreValid(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  )
}

/** True for a string of the form YYYY-MM-DD naming a real day (so '2025-02-29' is false). */
export function isValidIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false
  const match = isoDatePattern.exec(value)
  if (!match) return false
  return partsAreValid(Number(match[1]), Number(match[2]), Number(match[3]))
}

/** Splits a date into numbers. Throws RangeError if it is not a valid IsoDate. */
export function parseIsoDate(date: IsoDate): DateParts {
  const match = isoDatePattern.exec(date)
  const parts = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null
  if (!parts || !partsAreValid(parts.year, parts.month, parts.day)) {
    throw new RangeError(`Not a valid ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`)
  }
  return parts
}

/** Builds an IsoDate from numbers. Throws RangeError if they do not name a real day. */
export function formatIsoDate(parts: DateParts): IsoDate {
  const { year, month, day } = parts
  if (!partsAreValid(year, month, day)) {
    throw new RangeError(`Not a real date: ${year}-${month}-${day}`)
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Days since 1970-01-01 (which is day 0). Negative before 1970. */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date)
  // Howard Hinnant's days_from_civil: years start on 1 March so the leap day comes last.
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

/** The inverse of toDayNumber. Throws RangeError outside years 0001 to 9999. */
export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`Day number must be an integer: ${dayNumber}`)
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const dayOfEra = z - era * 146097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return formatIsoDate({ year, month, day })
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days)
}

export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return addDays(date, weeks * 7)
}

/**
 * Same day of the month, `months` later (or earlier if negative), clamped to the end of a
 * shorter month: 31 January + 1 month = 28 February (29 in a leap year).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`Months must be an integer: ${months}`)
  const { year, month, day } = parseIsoDate(date)
  const monthIndex = year * 12 + (month - 1) + months
  const newYear = Math.floor(monthIndex / 12)
  const newMonth = monthIndex - newYear * 12 + 1
  return formatIsoDate({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) })
}

/** Days from `from` to `to`: positive when `to` is later. `diffDays(a, addDays(a, n)) === n`. */
export function diffDays(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from)
}

/** -1, 0 or 1; usable as an Array.prototype.sort comparator. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const difference = toDayNumber(a) - toDayNumber(b)
  return difference < 0 ? -1 : difference > 0 ? 1 : 0
}

export function minDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((earliest, date) => (compareDates(date, earliest) < 0 ? date : earliest), first)
}

export function maxDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((latest, date) => (compareDates(date, latest) > 0 ? date : latest), first)
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: IsoDate): Weekday {
  // Day 0 (1970-01-01) was a Thursday.
  return (((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1) as Weekday
}

/** Saturday or Sunday. */
export function isWeekend(date: IsoDate): boolean {
  return isoWeekday(date) >= 6
}

/** The first date on or after `date` that falls on `weekday`. */
export function weekdayOnOrAfter(date: IsoDate, weekday: Weekday): IsoDate {
  return addDays(date, (weekday - isoWeekday(date) + 7) % 7)
}

/** The last date on or before `date` that falls on `weekday`. */
export function weekdayOnOrBefore(date: IsoDate, weekday: Weekday): IsoDate {
  return addDays(date, -((isoWeekday(date) - weekday + 7) % 7))
}

/** Every date from `from` to `to`, both included; empty if `to` is before `from`. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const first = toDayNumber(from)
  const last = toDayNumber(to)
  const days: IsoDate[] = []
  for (let n = first; n <= last; n++) days.push(fromDayNumber(n))
  return days
}

/** The months' names, January first. */
export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** GOV.UK style long date: '1 September 2025'. The one date formatter (ADR 0017). */
export function formatLongDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date)
  return `${day} ${monthNames[month - 1]} ${year}`
}

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** GOV.UK style date with its weekday: 'Tuesday 1 September 2026'. */
export function formatLongDateWithWeekday(date: IsoDate): string {
  return `${weekdayNames[isoWeekday(date) - 1]} ${formatLongDate(date)}`
}

/** Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return formatIsoDate({ year, month, day })
}
