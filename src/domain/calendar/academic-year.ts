/**
 * Academic years: 1 September to 31 August, made of six half terms plus closure days.
 * A school edits its own dates; englandDefaultYear gives a plausible starting point.
 */
import {
  addDays,
  compareDates,
  easterSunday,
  formatIsoDate,
  formatLongDate,
  type IsoDate,
  isoWeekday,
  isValidIsoDate,
  parseIsoDate,
  weekdayOnOrAfter,
  weekdayOnOrBefore,
} from './dates.ts'

export const HalfTermName = {
  Autumn1: 'autumn-1',
  Autumn2: 'autumn-2',
  Spring1: 'spring-1',
  Spring2: 'spring-2',
  Summer1: 'summer-1',
  Summer2: 'summer-2',
} as const
export type HalfTermName = (typeof HalfTermName)[keyof typeof HalfTermName]

/** The six half terms in the order they fall in a year. */
export const halfTermNames: readonly HalfTermName[] = Object.values(HalfTermName)

export const halfTermLabels: Readonly<Record<HalfTermName, string>> = {
  'autumn-1': 'Autumn 1',
  'autumn-2': 'Autumn 2',
  'spring-1': 'Spring 1',
  'spring-2': 'Spring 2',
  'summer-1': 'Summer 1',
  'summer-2': 'Summer 2',
}

export const TermName = { Autumn: 'autumn', Spring: 'spring', Summer: 'summer' } as const
export type TermName = (typeof TermName)[keyof typeof TermName]

export const termNames: readonly TermName[] = Object.values(TermName)

export const termLabels: Readonly<Record<TermName, string>> = {
  autumn: 'Autumn',
  spring: 'Spring',
  summer: 'Summer',
}

/** The two half terms that make up each term. */
export const halfTermsOfTerm: Readonly<Record<TermName, readonly [HalfTermName, HalfTermName]>> = {
  autumn: ['autumn-1', 'autumn-2'],
  spring: ['spring-1', 'spring-2'],
  summer: ['summer-1', 'summer-2'],
}

export const ClosureKind = {
  /** Staff training day: staff work, pupils do not attend. */
  Inset: 'inset',
  /** The school is closed to everyone (for example a polling day or an emergency). */
  Closure: 'closure',
} as const
export type ClosureKind = (typeof ClosureKind)[keyof typeof ClosureKind]

export interface HalfTerm {
  id: HalfTermName
  /** Display name, e.g. 'Autumn 1'. */
  name: string
  /** First day, inclusive. */
  start: IsoDate
  /** Last day, inclusive. */
  end: IsoDate
}

export interface Closure {
  date: IsoDate
  kind: ClosureKind
  description: string
}

export interface AcademicYear {
  /** '2025-26' */
  id: string
  /** Exactly six, in order: autumn-1 ... summer-2. */
  halfTerms: HalfTerm[]
  closures: Closure[]
}

/** A term: its two half terms and the half-term holiday between them. */
export interface Term {
  id: TermName
  /** 'Autumn' */
  name: string
  start: IsoDate
  end: IsoDate
}

export interface AcademicYearBounds {
  id: string
  startYear: number
  /** 1 September of startYear. */
  start: IsoDate
  /** 31 August of the following year. */
  end: IsoDate
}

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. 'halfTerms.2.end'. */
  path: string
  /** GOV.UK style message for the error summary. */
  message: string
}

const academicYearIdPattern = /^(\d{4})-(\d{2})$/

/** Bounds of the academic year starting in September of `startYear`. */
export function academicYearBounds(startYear: number): AcademicYearBounds {
  if (!Number.isInteger(startYear) || startYear < 1 || startYear > 9998) {
    throw new RangeError(`Academic year must start between 0001 and 9998: ${startYear}`)
  }
  const id = `${String(startYear).padStart(4, '0')}-${String((startYear + 1) % 100).padStart(2, '0')}`
  return {
    id,
    startYear,
    start: formatIsoDate({ year: startYear, month: 9, day: 1 }),
    end: formatIsoDate({ year: startYear + 1, month: 8, day: 31 }),
  }
}

/** '2025-26' for any date from 1 September 2025 to 31 August 2026. */
export function academicYearIdFor(date: IsoDate): string {
  const { year, month } = parseIsoDate(date)
  return academicYearBounds(month >= 9 ? year : year - 1).id
}

/** Parses '2025-26'; null unless the second part is the year after the first. */
export function parseAcademicYearId(id: string): AcademicYearBounds | null {
  const match = academicYearIdPattern.exec(id)
  if (!match) return null
  const startYear = Number(match[1])
  if (startYear < 1 || startYear > 9998 || (startYear + 1) % 100 !== Number(match[2])) return null
  return academicYearBounds(startYear)
}

/** The three terms of a year, each spanning its two half terms and the holiday between them. */
export function termsOf(year: AcademicYear): Term[] {
  return termNames.flatMap((term) => {
    const [firstName, secondName] = halfTermsOfTerm[term]
    const first = year.halfTerms.find((halfTerm) => halfTerm.id === firstName)
    const second = year.halfTerms.find((halfTerm) => halfTerm.id === secondName)
    if (!first || !second) return []
    return [{ id: term, name: termLabels[term], start: first.start, end: second.end }]
  })
}

/**
 * A plausible England academic year, as an editable default. No local authority's dates are
 * copied; the rule (Monday = 1 ... Friday = 5) is:
 * - Autumn 1 starts on 1 September, or on the following Monday if 1 September is a Friday,
 *   Saturday or Sunday. (Schools usually hold INSET days in the first days; add them as closures.)
 * - October half term is the Monday-to-Friday week whose Monday falls between 23 and 29 October.
 * - Autumn 2 ends on the last Friday on or before 22 December.
 * - Spring 1 starts on the first Monday on or after 2 January.
 * - February half term is the week of the third Monday in February.
 * - The Easter holiday is the two weeks around Easter Sunday: Holy Week and Easter week, so
 *   Spring 2 ends on the Friday 9 days before Easter Sunday and Summer 1 starts 8 days after it.
 * - May half term is the week of the spring bank holiday (last Monday in May).
 * - Summer 2 ends on the last Friday on or before 22 July.
 * That gives 190 to 196 weekdays in term, less bank holidays. Closures are left empty.
 */
export function englandDefaultYear(startYear: number): AcademicYear {
  const { id } = academicYearBounds(startYear)
  const endYear = startYear + 1
  const on = (year: number, month: number, day: number): IsoDate => formatIsoDate({ year, month, day })

  const firstOfSeptember = on(startYear, 9, 1)
  const autumnStart = isoWeekday(firstOfSeptember) <= 4 ? firstOfSeptember : weekdayOnOrAfter(firstOfSeptember, 1)
  const octoberBreak = weekdayOnOrAfter(on(startYear, 10, 23), 1)
  const februaryBreak = weekdayOnOrAfter(on(endYear, 2, 15), 1)
  const easter = easterSunday(endYear)
  const mayBreak = weekdayOnOrBefore(on(endYear, 5, 31), 1)

  const dates: Record<HalfTermName, [IsoDate, IsoDate]> = {
    'autumn-1': [autumnStart, addDays(octoberBreak, -3)],
    'autumn-2': [addDays(octoberBreak, 7), weekdayOnOrBefore(on(startYear, 12, 22), 5)],
    'spring-1': [weekdayOnOrAfter(on(endYear, 1, 2), 1), addDays(februaryBreak, -3)],
    'spring-2': [addDays(februaryBreak, 7), addDays(easter, -9)],
    'summer-1': [addDays(easter, 8), addDays(mayBreak, -3)],
    'summer-2': [addDays(mayBreak, 7), weekdayOnOrBefore(on(endYear, 7, 22), 5)],
  }
  return {
    id,
    halfTerms: halfTermNames.map((name) => ({
      id: name,
      name: halfTermLabels[name],
      start: dates[name][0],
      end: dates[name][1],
    })),
    closures: [],
  }
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === ''
}

/** Problems with a (possibly user-edited) year; an empty list means it is valid. */
export function validateAcademicYear(year: AcademicYear): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const issue = (path: string, message: string): void => {
    issues.push({ path, message })
  }
  const bounds = parseAcademicYearId(year.id)
  if (!bounds) issue('id', 'Academic year must be written as 2 years, like 2025-26')
  const withinYear = bounds
    ? `between ${formatLongDate(bounds.start)} and ${formatLongDate(bounds.end)}`
    : 'within the academic year'

  if (year.halfTerms.length !== 6) issue('halfTerms', 'An academic year must have 6 half terms')
  let previous: { label: string; end: IsoDate } | null = null
  year.halfTerms.forEach((halfTerm, index) => {
    const path = `halfTerms.${index}`
    const expected = halfTermNames[index]
    const label = halfTermLabels[halfTerm.id] ?? `Half term ${index + 1}`
    if (expected === undefined || halfTerm.id !== expected) {
      issue(`${path}.id`, expected ? `Half term ${index + 1} must be ${halfTermLabels[expected]}` : `${label} is extra`)
    }
    if (isBlank(halfTerm.name)) issue(`${path}.name`, `Enter a name for ${label}`)
    const startValid = isValidIsoDate(halfTerm.start)
    const endValid = isValidIsoDate(halfTerm.end)
    if (!startValid) issue(`${path}.start`, `${label} start date must be a real date`)
    if (!endValid) issue(`${path}.end`, `${label} end date must be a real date`)
    if (startValid && bounds && compareDates(halfTerm.start, bounds.start) < 0) {
      issue(`${path}.start`, `${label} must start on or after ${formatLongDate(bounds.start)}`)
    }
    if (endValid && bounds && compareDates(halfTerm.end, bounds.end) > 0) {
      issue(`${path}.end`, `${label} must end on or before ${formatLongDate(bounds.end)}`)
    }
    if (startValid && endValid && compareDates(halfTerm.end, halfTerm.start) < 0) {
      issue(`${path}.end`, `${label} must end after it starts`)
    }
    if (startValid && previous && compareDates(halfTerm.start, previous.end) <= 0) {
      issue(`${path}.start`, `${label} must start after ${previous.label} ends`)
    }
    if (endValid) previous = { label, end: halfTerm.end }
  })

  const closureDates = new Map<IsoDate, number>()
  year.closures.forEach((closure, index) => {
    const path = `closures.${index}`
    const label = `closure ${index + 1}`
    if (!isValidIsoDate(closure.date)) {
      issue(`${path}.date`, `Date of ${label} must be a real date`)
    } else {
      if (bounds && (compareDates(closure.date, bounds.start) < 0 || compareDates(closure.date, bounds.end) > 0)) {
        issue(`${path}.date`, `Date of ${label} must be ${withinYear}`)
      }
      const earlier = closureDates.get(closure.date)
      if (earlier !== undefined) {
        issue(`${path}.date`, `Closure ${index + 1} is on the same date as closure ${earlier + 1}`)
      } else {
        closureDates.set(closure.date, index)
      }
    }
    if (closure.kind !== ClosureKind.Inset && closure.kind !== ClosureKind.Closure) {
      issue(`${path}.kind`, `Select whether ${label} is an INSET day or a closure`)
    }
    if (isBlank(closure.description)) issue(`${path}.description`, `Enter a description for ${label}`)
  })
  return issues
}
