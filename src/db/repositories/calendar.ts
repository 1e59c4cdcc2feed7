/**
 * The school calendar: the academic years a school has set (half terms and closures) and
 * its bank holiday region. Every query is scoped by the school. snake_case stays here.
 */
import type { AcademicYear } from '../../domain/calendar/index.ts'
import type { DbOrTrx } from './connection.ts'

/** The school's bank holiday region as stored, or null when there is no such school. */
export async function schoolRegion(db: DbOrTrx, schoolId: string): Promise<string | null> {
  const row = await db.selectFrom('school').select('bank_holiday_region').where('id', '=', schoolId).executeTakeFirst()
  return row?.bank_holiday_region ?? null
}

/** Every academic year the school has set. */
export async function storedAcademicYears(db: DbOrTrx, schoolId: string): Promise<AcademicYear[]> {
  const rows = await db.selectFrom('academic_year').selectAll().where('school_id', '=', schoolId).execute()
  return rows.map((r) => ({ id: r.year_id, halfTerms: r.half_terms, closures: r.closures }) as AcademicYear)
}

/** The ids of the years the school has set ('2026-27'). */
export async function storedYearIds(db: DbOrTrx, schoolId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('academic_year').select('year_id').where('school_id', '=', schoolId).execute()
  return new Set(rows.map((r) => r.year_id))
}

/** The version of a year the school has set (locked when asked), or null when it has not set it. */
export async function academicYearVersion(
  db: DbOrTrx,
  schoolId: string,
  yearId: string,
  options: { forUpdate?: boolean } = {},
): Promise<number | null> {
  let query = db
    .selectFrom('academic_year')
    .select('version')
    .where('school_id', '=', schoolId)
    .where('year_id', '=', yearId)
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row?.version ?? null
}

/** Stores a year: a new row when `version` is null, else the next version of the stored one. */
export async function writeAcademicYear(
  db: DbOrTrx,
  schoolId: string,
  year: AcademicYear,
  version: number | null,
  now: Date,
): Promise<void> {
  const values = { half_terms: JSON.stringify(year.halfTerms), closures: JSON.stringify(year.closures) }
  if (version === null) {
    await db
      .insertInto('academic_year')
      .values({ school_id: schoolId, year_id: year.id, ...values })
      .execute()
    return
  }
  await db
    .updateTable('academic_year')
    .set({ ...values, version: version + 1, updated_at: now })
    .where('school_id', '=', schoolId)
    .where('year_id', '=', year.id)
    .execute()
}
