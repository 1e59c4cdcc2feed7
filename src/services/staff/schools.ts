/** The schools of an organisation: a trust's administrator adds its schools. */
import type { Db } from '../../db/database.ts'
import {
  insertSchool,
  type OrganisationSummary,
  organisationSummary,
  type SchoolWithCount,
  schoolsWithCounts,
  slugTaken,
} from '../../db/repositories/schools.ts'
import { recordAudit } from '../audit.ts'

export { type SchoolSummary, schoolBySlug, schoolsOf } from '../../db/repositories/schools.ts'

export type SchoolRow = SchoolWithCount
export type { OrganisationSummary }

/** The organisation (its kind and name), for the schools page. */
export async function organisationOf(db: Db, organisationId: string): Promise<OrganisationSummary> {
  return organisationSummary(db, organisationId)
}

export async function listSchoolsWithCounts(db: Db, organisationId: string): Promise<SchoolRow[]> {
  return schoolsWithCounts(db, organisationId)
}

export type AddSchoolResult = { ok: true; id: string } | { ok: false; field: string; message: string }

const slugTakenMessage = 'Short name is already used by another school. Choose another'

export async function addSchool(
  db: Db,
  input: { organisationId: string; name: string; slug: string; region: string; actorId: string },
): Promise<AddSchoolResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<AddSchoolResult> => {
      const organisation = await organisationSummary(trx, input.organisationId)
      if (organisation.kind !== 'trust')
        return { ok: false, field: 'name', message: 'Only a trust can have more than one school' }
      if (await slugTaken(trx, input.slug)) return { ok: false, field: 'slug', message: slugTakenMessage }
      const id = await insertSchool(trx, input.organisationId, input)
      await recordAudit(trx, {
        action: 'organisation.school-added',
        subjectType: 'school',
        subjectId: id,
        actorId: input.actorId,
        organisationId: input.organisationId,
        schoolId: id,
      })
      return { ok: true, id }
    })
  } catch (error) {
    if ((error as { code?: string } | null)?.code === '23505')
      return { ok: false, field: 'slug', message: slugTakenMessage }
    throw error
  }
}
