/**
 * The school calendar: academic years of half terms and closures, edited by the school,
 * with the England pattern as the default for any year not yet set.
 */

import type { Db } from '../../db/database.ts'
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
  const school = await db
    .selectFrom('school')
    .select('bank_holiday_region')
    .where('id', '=', schoolId)
    .executeTakeFirstOrThrow()
  const rows = await db.selectFrom('academic_year').selectAll().where('school_id', '=', schoolId).execute()
  const stored = new Map(
    rows.map((r) => [r.year_id, { id: r.year_id, halfTerms: r.half_terms, closures: r.closures } as AcademicYear]),
  )
  const current = parseAcademicYearId(academicYearIdFor(today))!.startYear
  const years: AcademicYear[] = []
  const first = Math.min(current - YEARS_BACK, ...rows.map((r) => parseAcademicYearId(r.year_id)!.startYear))
  const last = Math.max(current + YEARS_AHEAD, ...rows.map((r) => parseAcademicYearId(r.year_id)!.startYear))
  for (let y = first; y <= last; y++) {
    const id = `${y}-${String((y + 1) % 100).padStart(2, '0')}`
    years.push(stored.get(id) ?? englandDefaultYear(y))
  }
  return { region: school.bank_holiday_region as BankHolidayRegion, years }
}

export async function storedYearIds(db: Db, schoolId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('academic_year').select('year_id').where('school_id', '=', schoolId).execute()
  return new Set(rows.map((r) => r.year_id))
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
    const existing = await trx
      .selectFrom('academic_year')
      .select('version')
      .where('school_id', '=', input.schoolId)
      .where('year_id', '=', input.year.id)
      .forUpdate()
      .executeTakeFirst()
    if ((existing?.version ?? null) !== input.expectedVersion) return { ok: false, conflict: true } as const
    const values = { half_terms: JSON.stringify(input.year.halfTerms), closures: JSON.stringify(input.year.closures) }
    if (existing) {
      await trx
        .updateTable('academic_year')
        .set({ ...values, version: existing.version + 1, updated_at: new Date() })
        .where('school_id', '=', input.schoolId)
        .where('year_id', '=', input.year.id)
        .execute()
    } else {
      await trx
        .insertInto('academic_year')
        .values({ school_id: input.schoolId, year_id: input.year.id, ...values })
        .execute()
    }
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
  const row = await db
    .selectFrom('academic_year')
    .select('version')
    .where('school_id', '=', schoolId)
    .where('year_id', '=', yearId)
    .executeTakeFirst()
  return row?.version ?? null
}
