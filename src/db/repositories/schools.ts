/** The organisation and its schools: what is stored about them, scoped by the organisation. */
import type { DbOrTrx } from './connection.ts'

export interface SchoolSummary {
  id: string
  organisationId: string
  slug: string
  name: string
  region: string
}

export interface SchoolWithCount {
  id: string
  name: string
  slug: string
  region: string
  staffCount: number
}

/** The schools of an organisation, by name. */
export async function schoolsOf(db: DbOrTrx, organisationId: string): Promise<SchoolSummary[]> {
  const rows = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'slug', 'name', 'bank_holiday_region'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    slug: r.slug,
    name: r.name,
    region: r.bank_holiday_region,
  }))
}

/**
 * The school with this short name, of any organisation: for the command line, run on the server
 * by someone who holds the whole installation.
 */
export async function schoolBySlug(db: DbOrTrx, slug: string): Promise<SchoolSummary | null> {
  const r = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'slug', 'name', 'bank_holiday_region'])
    .where('slug', '=', slug)
    .executeTakeFirst()
  return r
    ? { id: r.id, organisationId: r.organisation_id, slug: r.slug, name: r.name, region: r.bank_holiday_region }
    : null
}

/** Whether any school (of any organisation: short names are unique) has this short name. */
export async function slugTaken(db: DbOrTrx, slug: string): Promise<boolean> {
  return (await db.selectFrom('school').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

/** One school of the organisation, for a person's page. */
export async function schoolRef(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string,
): Promise<{ id: string; name: string; slug: string } | null> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'name', 'slug'])
    .where('id', '=', schoolId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row ?? null
}

/** The schools of an organisation with how many people each has, by name. */
export async function schoolsWithCounts(db: DbOrTrx, organisationId: string): Promise<SchoolWithCount[]> {
  const rows = await db
    .selectFrom('school as s')
    .select(['s.id', 's.name', 's.slug', 's.bank_holiday_region'])
    .select((eb) =>
      eb
        .selectFrom('person as p')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('p.school_id', '=', 's.id')
        // Issue 14: people who are not employees are not staff.
        .where('p.kind', '=', 'staff')
        .as('staff_count'),
    )
    .where('s.organisation_id', '=', organisationId)
    .orderBy('s.name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    region: r.bank_holiday_region,
    staffCount: Number(r.staff_count ?? 0),
  }))
}

export interface OrganisationSummary {
  kind: 'trust' | 'single-school'
  name: string
}

export async function organisationSummary(db: DbOrTrx, organisationId: string): Promise<OrganisationSummary> {
  return db
    .selectFrom('organisation')
    .select(['kind', 'name'])
    .where('id', '=', organisationId)
    .executeTakeFirstOrThrow()
}

export async function insertSchool(
  db: DbOrTrx,
  organisationId: string,
  school: { name: string; slug: string; region: string },
): Promise<string> {
  const row = await db
    .insertInto('school')
    .values({
      organisation_id: organisationId,
      name: school.name,
      slug: school.slug,
      bank_holiday_region: school.region,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
