/**
 * The policy's life around its versions (issue 14): the roles a published policy declares made
 * the school's own, and the schools whose policy review reminders the background job checks.
 */
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'

/**
 * Adds the roles the policy declares that the organisation does not have yet, as the school's
 * own. A role whose id or name is already taken is left as it is. Returns the ids added.
 */
export async function insertMissingCustomRoles(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string,
  roles: readonly { id: string; name: string; description: string }[],
): Promise<string[]> {
  if (roles.length === 0) return []
  const existing = await db
    .selectFrom('custom_role')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .execute()
  const ids = new Set(existing.map((r) => r.id))
  const names = new Set(existing.map((r) => r.name.toLowerCase()))
  const added: string[] = []
  for (const role of roles) {
    if (ids.has(role.id) || names.has(role.name.toLowerCase())) continue
    await db
      .insertInto('custom_role')
      .values({
        organisation_id: organisationId,
        school_id: schoolId,
        id: role.id,
        name: role.name,
        description: role.description,
      })
      .onConflict((oc) => oc.doNothing())
      .execute()
    ids.add(role.id)
    names.add(role.name.toLowerCase())
    added.push(role.id)
  }
  return added
}

/** Every school with a policy, with its organisation: the review reminder job visits each. */
export async function schoolsWithPolicy(
  db: DbOrTrx,
): Promise<{ schoolId: string; organisationId: string; name: string }[]> {
  const rows = await db
    .selectFrom('school as s')
    .select(['s.id', 's.organisation_id', 's.name'])
    .where((eb) => eb.exists(eb.selectFrom('policy_version as v').select('v.id').whereRef('v.school_id', '=', 's.id')))
    .orderBy('s.name')
    .execute()
  return rows.map((r) => ({ schoolId: r.id, organisationId: r.organisation_id, name: r.name }))
}

/** The school's staff who have not left, with their email: whom a policy review reminder may go to. */
export async function currentStaffForReminders(
  db: DbOrTrx,
  schoolId: string,
  today: IsoDate,
): Promise<{ id: string; name: string; email: string; roles: string[] }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'roles'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .limit(3000)
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, roles: r.roles }))
}
