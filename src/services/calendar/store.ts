/**
 * The school calendar: academic years of half terms and closures, edited by the school,
 * with the England pattern as the default for any year not yet set.
 */

import type { Db } from '../../db/database.ts'
import {
  schoolRegion,
  storedAcademicYears,
  academicYearVersion as storedVersion,
  writeAcademicYear,
  storedYearIds as yearIds,
} from '../../db/repositories/calendar.ts'
import {
  type AcademicYear,
  academicYearIdFor,
  type BankHolidayRegion,
  englandDefaultYear,
  parseAcademicYearId,
  type SchoolCalendar,
  type ValidationIssue,
  validateAcademicYear,
} from '../../domain/calendar/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { recordAudit } from '../audit.ts'

/** Years either side of today that every calculation may need (history and the year ahead). */
const YEARS_BACK = 6
const YEARS_AHEAD = 2

export async function schoolCalendar(db: Db, schoolId: string, today: IsoDate): Promise<SchoolCalendar> {
  const region = await schoolRegion(db, schoolId)
  if (region === null) throw new Error(`No school ${schoolId}`)
  const rows = await storedAcademicYears(db, schoolId)
  const stored = new Map(rows.map((r) => [r.id, r]))
  const current = parseAcademicYearId(academicYearIdFor(today))!.startYear
  const years: AcademicYear[] = []
  const first = Math.min(current - YEARS_BACK, ...rows.map((r) => parseAcademicYearId(r.id)!.startYear))
  const last = Math.max(current + YEARS_AHEAD, ...rows.map((r) => parseAcademicYearId(r.id)!.startYear))
  for (let y = first; y <= last; y++) {
    const id = `${y}-${String((y + 1) % 100).padStart(2, '0')}`
    years.push(stored.get(id) ?? englandDefaultYear(y))
  }
  return { region: region as BankHolidayRegion, years }
}

export async function storedYearIds(db: Db, schoolId: string): Promise<Set<string>> {
  return yearIds(db, schoolId)
}

export type SaveYearResult = { ok: true } | { ok: false; problems: ValidationIssue[] } | { ok: false; conflict: true }

/** Saves one academic year; `expectedVersion` guards against two people editing it at once. */
export async function saveAcademicYear(
  db: Db,
  input: {
    schoolId: string
    organisationId: string
    year: AcademicYear
    expectedVersion: number | null
    actorId: string
  },
): Promise<SaveYearResult> {
  const problems = validateAcademicYear(input.year)
  if (problems.length > 0) return { ok: false, problems }
  return db.transaction().execute(async (trx) => {
    const existing = await storedVersion(trx, input.schoolId, input.year.id, { forUpdate: true })
    if (existing !== input.expectedVersion) return { ok: false, conflict: true } as const
    await writeAcademicYear(trx, input.schoolId, input.year, existing, new Date())
    await recordAudit(trx, {
      action: 'calendar.year-saved',
      subjectType: 'academic-year',
      subjectId: null,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { yearId: input.year.id, closures: input.year.closures.length },
    })
    return { ok: true } as const
  })
}

export async function academicYearVersion(db: Db, schoolId: string, yearId: string): Promise<number | null> {
  return storedVersion(db, schoolId, yearId)
}

/** The years a person sees and edits: the current, next and previous academic years. */
export function yearsAround(today: IsoDate): { id: string; when: 'previous' | 'current' | 'next' }[] {
  const current = parseAcademicYearId(academicYearIdFor(today))!.startYear
  const id = (y: number) => `${y}-${String((y + 1) % 100).padStart(2, '0')}`
  return [
    { id: id(current), when: 'current' },
    { id: id(current + 1), when: 'next' },
    { id: id(current - 1), when: 'previous' },
  ]
}

/** Whether a year may be edited today: the previous, current or next one. */
export function isEditableYear(yearId: string, today: IsoDate): boolean {
  return parseAcademicYearId(yearId) !== null && yearsAround(today).some((y) => y.id === yearId)
}

/** The England default dates for a year ('2026-27'). */
export function defaultYear(yearId: string): AcademicYear {
  return englandDefaultYear(parseAcademicYearId(yearId)!.startYear)
}

/** One year of the school's calendar (its own dates, else the England default), with its stored version. */
export async function academicYearOf(
  db: Db,
  schoolId: string,
  yearId: string,
  today: IsoDate,
): Promise<{ year: AcademicYear; version: number | null }> {
  const [calendar, version] = await Promise.all([
    schoolCalendar(db, schoolId, today),
    storedVersion(db, schoolId, yearId),
  ])
  return { year: calendar.years.find((y) => y.id === yearId) ?? defaultYear(yearId), version }
}
