/** The schools of an organisation: a trust's administrator adds its schools. */
import type { Db } from '../../db/database.ts'
import { recordAudit } from '../audit.ts'

export interface SchoolRow {
  id: string
  name: string
  slug: string
  region: string
  staffCount: number
}

export async function listSchoolsWithCounts(db: Db, organisationId: string): Promise<SchoolRow[]> {
  const rows = await db
    .selectFrom('school as s')
    .select(['s.id', 's.name', 's.slug', 's.bank_holiday_region'])
    .select((eb) =>
      eb
        .selectFrom('person as p')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('p.school_id', '=', 's.id')
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

export type AddSchoolResult = { ok: true; id: string } | { ok: false; field: string; message: string }

export async function addSchool(
  db: Db,
  input: { organisationId: string; name: string; slug: string; region: string; actorId: string },
): Promise<AddSchoolResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<AddSchoolResult> => {
      const organisation = await trx
        .selectFrom('organisation')
        .select('kind')
        .where('id', '=', input.organisationId)
        .executeTakeFirstOrThrow()
      if (organisation.kind !== 'trust')
        return { ok: false, field: 'name', message: 'Only a trust can have more than one school' }
      const taken = await trx.selectFrom('school').select('id').where('slug', '=', input.slug).executeTakeFirst()
      if (taken)
        return { ok: false, field: 'slug', message: 'Short name is already used by another school. Choose another' }
      const school = await trx
        .insertInto('school')
        .values({
          organisation_id: input.organisationId,
          name: input.name,
          slug: input.slug,
          bank_holiday_region: input.region,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, {
        action: 'organisation.school-added',
        subjectType: 'school',
        subjectId: school.id,
        actorId: input.actorId,
        organisationId: input.organisationId,
        schoolId: school.id,
      })
      return { ok: true, id: school.id }
    })
  } catch (error) {
    if ((error as { code?: string } | null)?.code === '23505')
      return { ok: false, field: 'slug', message: 'Short name is already used by another school. Choose another' }
    throw error
  }
}
