/**
 * A school's calendar: its academic years plus the bank holidays of its region.
 * Everything "per term", "per half term" and "N working days" (CA-03, LH-03, MW-03) is worked
 * out here.
 *
 * Dates outside every academic year in the calendar ("uncovered" dates) are treated as
 * follows, so that a deadline never runs off into nowhere:
 * - halfTermOn, termOn and yearFor return null and isTermTime is false;
 * - isWorkingDay, isStaffWorkingDay and isSchoolDay fall back to "a weekday that is not a bank
 *   holiday", so addWorkingDays and workingDaysBetween still count sensibly;
 * - periodsFor only lists periods of the years the calendar holds.
 * Use isCovered to warn the user when a calculation strays outside the calendar.
 */
import {
  type AcademicYear,
  academicYearIdFor,
  type Closure,
  englandDefaultYear,
  type HalfTerm,
  type Term,
  termsOf,
  type ValidationIssue,
  validateAcademicYear,
} from './academic-year.ts'
import { type BankHolidayRegion, isBankHoliday } from './bank-holidays.ts'
import { addDays, compareDates, type IsoDate, isWeekend } from './dates.ts'

export interface SchoolCalendar {
  region: BankHolidayRegion
  years: AcademicYear[]
}

export const PeriodUnit = { HalfTerm: 'half-term', Term: 'term' } as const
export type PeriodUnit = (typeof PeriodUnit)[keyof typeof PeriodUnit]

/** A half term or a term, as used by "once per term" and "once per half term" rules. */
export interface Period {
  /** Stable id, e.g. '2025-26/autumn-1' or '2025-26/autumn'. */
  id: string
  academicYearId: string
  /** 'Autumn 1' or 'Autumn' (a half term's name is the school's own). */
  name: string
  start: IsoDate
  end: IsoDate
}

/** Valid IsoDates (four-digit years) sort as strings, which keeps the day-by-day loops fast. */
function isWithin(date: IsoDate, start: IsoDate, end: IsoDate): boolean {
  return start <= date && date <= end
}

/** The calendar's academic year containing this date, or null if the calendar lacks it. */
export function yearFor(cal: SchoolCalendar, date: IsoDate): AcademicYear | null {
  const id = academicYearIdFor(date)
  return cal.years.find((year) => year.id === id) ?? null
}

/** True when the date lies in an academic year that the calendar holds. */
export function isCovered(cal: SchoolCalendar, date: IsoDate): boolean {
  return yearFor(cal, date) !== null
}

export function halfTermOn(cal: SchoolCalendar, date: IsoDate): { year: AcademicYear; halfTerm: HalfTerm } | null {
  const year = yearFor(cal, date)
  const halfTerm = year?.halfTerms.find((candidate) => isWithin(date, candidate.start, candidate.end))
  return year && halfTerm ? { year, halfTerm } : null
}

/** The term containing this date, counting the half-term holiday inside a term as part of it. */
export function termOn(cal: SchoolCalendar, date: IsoDate): { year: AcademicYear; term: Term } | null {
  const year = yearFor(cal, date)
  const term = year ? termsOf(year).find((candidate) => isWithin(date, candidate.start, candidate.end)) : undefined
  return year && term ? { year, term } : null
}

/** Inside a half term (any day of the week). False in holidays and on uncovered dates. */
export function isTermTime(cal: SchoolCalendar, date: IsoDate): boolean {
  return halfTermOn(cal, date) !== null
}

/** The closure (INSET day or full closure) on this date, or null. */
export function closureOn(cal: SchoolCalendar, date: IsoDate): Closure | null {
  return yearFor(cal, date)?.closures.find((closure) => closure.date === date) ?? null
}

function isOpenWeekday(cal: SchoolCalendar, date: IsoDate): boolean {
  return !isWeekend(date) && !isBankHoliday(cal.region, date)
}

/**
 * A day staff work: a weekday inside a half term that is neither a bank holiday nor a closure.
 * INSET days count. On uncovered dates: any weekday that is not a bank holiday.
 */
export function isStaffWorkingDay(cal: SchoolCalendar, date: IsoDate): boolean {
  if (!isOpenWeekday(cal, date)) return false
  const year = yearFor(cal, date)
  if (!year) return true
  if (!year.halfTerms.some((halfTerm) => isWithin(date, halfTerm.start, halfTerm.end))) return false
  return !year.closures.some((closure) => closure.date === date && closure.kind === 'closure')
}

/** The "working day" of "N working days" (CA-03): the same as isStaffWorkingDay. */
export const isWorkingDay: (cal: SchoolCalendar, date: IsoDate) => boolean = isStaffWorkingDay

/**
 * A day pupils attend: a staff working day that is not an INSET day either.
 * On uncovered dates: any weekday that is not a bank holiday.
 */
export function isSchoolDay(cal: SchoolCalendar, date: IsoDate): boolean {
  return isStaffWorkingDay(cal, date) && closureOn(cal, date) === null
}

/**
 * The nth working day after `date` (which itself is never counted); with negative n, the
 * |n|th working day before it; with 0, `date` itself. Weekends, holidays between half terms,
 * bank holidays and closures are skipped. `n` must be an integer.
 */
export function addWorkingDays(cal: SchoolCalendar, date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`Number of working days must be a whole number: ${n}`)
  const step = n < 0 ? -1 : 1
  let remaining = Math.abs(n)
  let current = date
  while (remaining > 0) {
    current = addDays(current, step)
    if (isWorkingDay(cal, current)) remaining--
  }
  return current
}

/**
 * Working days from `from` to `to`: those after `from` up to and including `to`, so that
 * workingDaysBetween(cal, d, addWorkingDays(cal, d, n)) === n for n >= 0 (and for n < 0 when d
 * is itself a working day). When `to` is earlier the result is negative:
 * workingDaysBetween(cal, a, b) === -workingDaysBetween(cal, b, a), and counts add up:
 * between(a, b) + between(b, c) === between(a, c).
 */
export function workingDaysBetween(cal: SchoolCalendar, from: IsoDate, to: IsoDate): number {
  const order = compareDates(from, to)
  if (order === 0) return 0
  const [first, last] = order < 0 ? [from, to] : [to, from]
  let count = 0
  for (let day = addDays(first, 1); compareDates(day, last) <= 0; day = addDays(day, 1)) {
    if (isWorkingDay(cal, day)) count++
  }
  return order < 0 ? count : 0 - count // never -0
}

/**
 * The half terms or terms (as set in the calendar's years) that overlap `from`..`to`, both
 * inclusive, in date order. Terms include their half-term holiday. Years missing from the
 * calendar contribute nothing.
 */
export function periodsFor(cal: SchoolCalendar, unit: PeriodUnit, from: IsoDate, to: IsoDate): Period[] {
  const periods = cal.years.flatMap((year): Period[] => {
    const parts: (HalfTerm | Term)[] = unit === 'term' ? termsOf(year) : year.halfTerms
    return parts.map((part) => ({
      id: `${year.id}/${part.id}`,
      academicYearId: year.id,
      name: part.name,
      start: part.start,
      end: part.end,
    }))
  })
  return periods
    .filter((period) => compareDates(period.start, to) <= 0 && compareDates(from, period.end) <= 0)
    .sort((a, b) => compareDates(a.start, b.start))
}

/** A calendar of England default years for the academic years starting fromYear..toYear. */
export function englandDefaultCalendar(region: BankHolidayRegion, fromYear: number, toYear: number): SchoolCalendar {
  const years: AcademicYear[] = []
  for (let startYear = fromYear; startYear <= toYear; startYear++) years.push(englandDefaultYear(startYear))
  return { region, years }
}

/** Problems with every year of the calendar (paths prefixed 'years.N.'), plus duplicate years. */
export function validateSchoolCalendar(cal: SchoolCalendar): ValidationIssue[] {
  const seen = new Set<string>()
  return cal.years.flatMap((year, index) => {
    const issues = validateAcademicYear(year).map((issue) => ({ ...issue, path: `years.${index}.${issue.path}` }))
    if (seen.has(year.id))
      issues.push({ path: `years.${index}.id`, message: `Academic year ${year.id} is entered twice` })
    seen.add(year.id)
    return issues
  })
}
