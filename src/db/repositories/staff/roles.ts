/** The organisation's own roles: a school's, or trust-wide (no school). */
import type { DbOrTrx } from '../connection.ts'

export interface CustomRoleRow {
  id: string
  name: string
  description: string
  /** Null for a trust-wide role. */
  schoolId: string | null
}

/** The school's own roles and the trust-wide ones (only the trust-wide ones for no school), by name. */
export async function customRolesFor(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string | null,
): Promise<CustomRoleRow[]> {
  let query = db
    .selectFrom('custom_role')
    .select(['id', 'name', 'description', 'school_id'])
    .where('organisation_id', '=', organisationId)
  query =
    schoolId === null
      ? query.where('school_id', 'is', null)
      : query.where((eb) => eb.or([eb('school_id', 'is', null), eb('school_id', '=', schoolId)]))
  const rows = await query.orderBy('name').execute()
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, schoolId: r.school_id }))
}

/** Issue 14: every role of the organisation, whichever school keeps it (for the trust's own people, who belong to none). */
export async function organisationCustomRoles(db: DbOrTrx, organisationId: string): Promise<CustomRoleRow[]> {
  const rows = await db
    .selectFrom('custom_role')
    .select(['id', 'name', 'description', 'school_id'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, schoolId: r.school_id }))
}

/** Every role of the organisation, locked until the transaction ends (adding one checks them all). */
export async function lockOrganisationRoles(
  db: DbOrTrx,
  organisationId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('custom_role')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .execute()
}

export async function insertCustomRole(
  db: DbOrTrx,
  organisationId: string,
  role: { id: string; name: string; description: string; schoolId: string | null },
): Promise<void> {
  await db
    .insertInto('custom_role')
    .values({
      organisation_id: organisationId,
      school_id: role.schoolId,
      id: role.id,
      name: role.name,
      description: role.description,
    })
    .execute()
}
