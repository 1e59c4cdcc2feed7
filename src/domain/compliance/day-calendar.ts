/**
 * The school calendar indexed for fast date arithmetic on day numbers (days since 1970-01-01), so
 * that compliance for thousands of people over years of history costs a few array look-ups per
 * session rather than string parsing and scans of the calendar.
 *
 * - Working days follow the calendar exactly (isWorkingDay, including its rule for dates outside
 *   the calendar's years), counted with a prefix sum.
 * - Half terms, terms and "weeks of term time" use the calendar's academic years; a year the
 *   calendar does not hold follows englandDefaultYear, so a due date never runs off into nowhere.
 *
 * Built lazily and extended on demand; results depend only on the calendar, never on the order of
 * the questions asked.
 */
import {
  type AcademicYear,
  addMonths as addMonthsToDate,
  englandDefaultYear,
  formatLongDate,
  fromDayNumber,
  type IsoDate,
  isWorkingDay,
  type SchoolCalendar,
  termsOf,
  toDayNumber,
} from '../calendar/index.ts'
import type { Duration } from '../policy/model.ts'

export type PeriodKind = 'half-terms' | 'terms' | 'academic-years'

/** A half term, term or academic year as day numbers, both ends included. */
export interface PeriodSpan {
  /** '2025-26/autumn-1', '2025-26/autumn', '2025-26' */
  id: string
  /** 'Autumn 1 2025-26', 'Autumn term 2025-26', 'the 2025-26 academic year' */
  name: string
  start: number
  end: number
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48
  return code >= 0 && code <= 9 ? code : Number.NaN
}

/**
 * toDayNumber without a regular expression or any allocation, for the hot path (every session
 * date). Null for anything unusual, which then goes the slow, strict way.
 */
function fastDayNumber(date: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null
  const year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3)
  const month = digit(date, 5) * 10 + digit(date, 6)
  const day = digit(date, 8) * 10 + digit(date, 9)
  if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1)) return null // toDayNumber rejects it
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const monthLength =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  if (day > monthLength) return null
  // Howard Hinnant's days_from_civil, as in dates.ts.
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

function startYearOf(iso: IsoDate): number {
  const year = Number(iso.slice(0, 4))
  return Number(iso.slice(5, 7)) >= 9 ? year : year - 1
}

function firstLastIndex(values: readonly number[], target: number): number {
  // Index of the last value <= target, or -1.
  let low = 0
  let high = values.length - 1
  let found = -1
  while (low <= high) {
    const middle = (low + high) >> 1
    if ((values[middle] as number) <= target) {
      found = middle
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}

export class DayCalendar {
  readonly calendar: SchoolCalendar
  #isoDates = new Map<number, IsoDate>()
  #longDates = new Map<number, string>()
  #months = new Map<number, number>()
  #firstYear: number
  #lastYear: number
  // Rebuilt whenever the covered years grow.
  #halfTerms: PeriodSpan[] = []
  #halfTermStarts: number[] = []
  #terms: PeriodSpan[] = []
  #termStarts: number[] = []
  #years: PeriodSpan[] = []
  #yearStarts: number[] = []
  /** Term days before each half term (for "weeks of term time"). */
  #termDaysBefore: number[] = []
  #firstDay = 0
  #lastDay = -1
  /** #workingBefore[i]: working days in firstDay .. firstDay + i - 1. */
  #workingBefore: Int32Array = new Int32Array(1)

  constructor(calendar: SchoolCalendar) {
    this.calendar = calendar
    const years = calendar.years.map((year) => Number(year.id.slice(0, 4))).filter((year) => Number.isInteger(year))
    this.#firstYear = years.length > 0 ? Math.min(...years) : 2025
    this.#lastYear = years.length > 0 ? Math.max(...years) : 2025
    this.#rebuild()
  }

  /** The day number of an ISO date; throws RangeError if it is not a real date. */
  day(date: IsoDate): number {
    return fastDayNumber(date) ?? toDayNumber(date)
  }

  /** '1 September 2025' for a day number (memoised): dates in messages. */
  long(day: number): string {
    let value = this.#longDates.get(day)
    if (value === undefined) {
      value = formatLongDate(this.iso(day))
      this.#longDates.set(day, value)
    }
    return value
  }

  /** The ISO date of a day number (memoised). */
  iso(day: number): IsoDate {
    let value = this.#isoDates.get(day)
    if (value === undefined) {
      value = fromDayNumber(day)
      this.#isoDates.set(day, value)
    }
    return value
  }

  addMonths(day: number, months: number): number {
    const key = day * 8192 + months + 4096
    let value = this.#months.get(key)
    if (value === undefined) {
      value = this.day(addMonthsToDate(this.iso(day), months))
      this.#months.set(key, value)
    }
    return value
  }

  addDuration(day: number, duration: Duration): number {
    switch (duration.unit) {
      case 'days':
        return day + duration.amount
      case 'weeks':
        return day + duration.amount * 7
      case 'months':
        return this.addMonths(day, duration.amount)
      case 'years':
        return this.addMonths(day, duration.amount * 12)
      case 'working-days':
        return this.addWorkingDays(day, duration.amount)
    }
  }

  /** Makes sure the covered academic years include the one containing `day` (and one either side). */
  cover(day: number): void {
    if (day >= this.#firstDay + 366 && day <= this.#lastDay - 366) return
    const year = startYearOf(this.iso(day))
    let changed = false
    if (year - 1 < this.#firstYear) {
      this.#firstYear = year - 1
      changed = true
    }
    if (year + 1 > this.#lastYear) {
      this.#lastYear = year + 1
      changed = true
    }
    if (changed) this.#rebuild()
  }

  #yearData(startYear: number): AcademicYear {
    const id = `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`
    return this.calendar.years.find((year) => year.id === id) ?? englandDefaultYear(startYear)
  }

  #rebuild(): void {
    const halfTerms: PeriodSpan[] = []
    const terms: PeriodSpan[] = []
    for (let startYear = this.#firstYear; startYear <= this.#lastYear; startYear++) {
      const year = this.#yearData(startYear)
      for (const half of year.halfTerms) {
        halfTerms.push({
          id: `${year.id}/${half.id}`,
          name: `${half.name} ${year.id}`,
          start: this.day(half.start),
          end: this.day(half.end),
        })
      }
      for (const term of termsOf(year)) {
        terms.push({
          id: `${year.id}/${term.id}`,
          name: `${term.name} term ${year.id}`,
          start: this.day(term.start),
          end: this.day(term.end),
        })
      }
    }
    const years: PeriodSpan[] = []
    for (let startYear = this.#firstYear; startYear <= this.#lastYear; startYear++) {
      const year = this.#yearData(startYear)
      const own = halfTerms.filter((period) => period.id.startsWith(`${year.id}/`))
      if (own.length === 0) continue
      years.push({
        id: year.id,
        name: `the ${year.id} academic year`,
        start: Math.min(...own.map((period) => period.start)),
        end: Math.max(...own.map((period) => period.end)),
      })
    }
    halfTerms.sort((a, b) => a.start - b.start)
    terms.sort((a, b) => a.start - b.start)
    years.sort((a, b) => a.start - b.start)
    this.#years = years
    this.#yearStarts = years.map((period) => period.start)
    this.#halfTerms = halfTerms
    this.#halfTermStarts = halfTerms.map((period) => period.start)
    this.#terms = terms
    this.#termStarts = terms.map((period) => period.start)
    let total = 0
    this.#termDaysBefore = halfTerms.map((period) => {
      const before = total
      total += period.end - period.start + 1
      return before
    })

    this.#firstDay = this.day(`${String(this.#firstYear).padStart(4, '0')}-09-01`)
    this.#lastDay = this.day(`${String(this.#lastYear + 1).padStart(4, '0')}-08-31`)
    const length = this.#lastDay - this.#firstDay + 1
    const before = new Int32Array(length + 1)
    for (let i = 0; i < length; i++) {
      before[i + 1] = (before[i] as number) + (isWorkingDay(this.calendar, this.iso(this.#firstDay + i)) ? 1 : 0)
    }
    this.#workingBefore = before
  }

  // -------------------------------------------------------------------------------------------
  // Working days (CA-03)

  /**
   * Working days from the first covered day up to and including `day`. The count is relative to
   * the first covered day, so callers cover every day they compare before reading any count.
   */
  #workingUpTo(day: number): number {
    return this.#workingBefore[day - this.#firstDay + 1] as number
  }

  isWorkingDay(day: number): boolean {
    this.cover(day - 1)
    this.cover(day)
    return this.#workingUpTo(day) - this.#workingUpTo(day - 1) === 1
  }

  /** The nth working day after `day` (day itself never counted), as the calendar's addWorkingDays. */
  addWorkingDays(day: number, n: number): number {
    if (n === 0) return day
    if (n < 0) {
      let current = day
      for (let remaining = -n; remaining > 0; ) {
        current--
        if (this.isWorkingDay(current)) remaining--
      }
      return current
    }
    this.cover(day)
    const target = this.#workingUpTo(day) + n
    // Extend the later end (which leaves earlier counts alone) until it holds the target, then
    // binary search the prefix sums.
    while ((this.#workingBefore[this.#workingBefore.length - 1] as number) < target) {
      this.cover(this.#lastDay + 1)
    }
    let low = day + 1
    let high = this.#lastDay
    while (low < high) {
      const middle = (low + high) >> 1
      if (this.#workingUpTo(middle) >= target) high = middle
      else low = middle + 1
    }
    return low
  }

  /** `day` if it is a working day, otherwise the last working day before it. */
  workingDayOnOrBefore(day: number): number {
    let current = day
    // A school year always has working days; the bound only guards a calendar with none.
    for (let guard = 0; guard < 800; guard++, current--) {
      if (this.isWorkingDay(current)) return current
    }
    return day
  }

  /** `day` if it is a working day, otherwise the first working day after it. */
  workingDayOnOrAfter(day: number): number {
    let current = day
    for (let guard = 0; guard < 800; guard++, current++) {
      if (this.isWorkingDay(current)) return current
    }
    return day
  }

  /**
   * Where a due date computed as `day` lands (X-02, issue 14): on a working day, so never on a
   * weekend, bank holiday, closure day or in a holiday. A day that is not a working day moves back
   * to the previous working day (the last chance before the school closes, not the first after it
   * reopens), unless that is not after `after` (the session or start the due date counts from), in
   * which case it moves on to the next working day.
   */
  dueOnWorkingDay(day: number, after: number): number {
    if (this.isWorkingDay(day)) return day
    const before = this.workingDayOnOrBefore(day)
    if (before > after && before < day) return before
    return this.workingDayOnOrAfter(day)
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not later). */
  workingDaysBetween(from: number, to: number): number {
    if (to <= from) return 0
    this.cover(from)
    this.cover(to)
    return this.#workingUpTo(to) - this.#workingUpTo(from)
  }

  // -------------------------------------------------------------------------------------------
  // Term time (weeks of term time)

  /** Days inside half terms from the first covered day up to and including `day`. */
  #termDaysUpTo(day: number): number {
    const index = firstLastIndex(this.#halfTermStarts, day)
    if (index < 0) return 0
    const period = this.#halfTerms[index] as PeriodSpan
    return (this.#termDaysBefore[index] as number) + Math.min(day, period.end) - period.start + 1
  }

  /**
   * The day by which `days` days of term time have passed after `day`: holidays between half
   * terms are skipped, weekends inside a half term count. With no holiday in the way this is
   * simply `day + days`.
   */
  addTermDays(day: number, days: number): number {
    this.cover(day)
    const target = this.#termDaysUpTo(day) + days
    for (;;) {
      const lastIndex = this.#halfTerms.length - 1
      const last = this.#halfTerms[lastIndex] as PeriodSpan
      if ((this.#termDaysBefore[lastIndex] as number) + last.end - last.start + 1 >= target) break
      this.cover(last.end + 400)
    }
    // The half term holding the target-th term day.
    let low = 0
    let high = this.#halfTerms.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((this.#termDaysBefore[middle] as number) < target) low = middle
      else high = middle - 1
    }
    const period = this.#halfTerms[low] as PeriodSpan
    return period.start + target - (this.#termDaysBefore[low] as number) - 1
  }

  // -------------------------------------------------------------------------------------------
  // Half terms and terms

  /**
   * The period `n` periods after the one `day` belongs to. A day belongs to the last period that
   * started on or before it, so a holiday belongs to the period before it.
   */
  periodAfter(kind: PeriodKind, day: number, n: number): PeriodSpan {
    this.cover(day)
    for (;;) {
      const periods = kind === 'terms' ? this.#terms : kind === 'academic-years' ? this.#years : this.#halfTerms
      const starts =
        kind === 'terms' ? this.#termStarts : kind === 'academic-years' ? this.#yearStarts : this.#halfTermStarts
      const index = firstLastIndex(starts, day) + n
      const found = periods[index]
      if (found !== undefined) return found
      const last = periods[periods.length - 1] as PeriodSpan
      this.cover(last.end + 400)
    }
  }
}

const shared = new WeakMap<SchoolCalendar, DayCalendar>()

/** One DayCalendar per calendar object, reused across calls. */
export function dayCalendarFor(calendar: SchoolCalendar): DayCalendar {
  let dayCalendar = shared.get(calendar)
  if (dayCalendar === undefined) {
    dayCalendar = new DayCalendar(calendar)
    shared.set(calendar, dayCalendar)
  }
  return dayCalendar
}
