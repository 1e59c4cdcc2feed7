/** A school's own roles: listed with the catalogue, added by people who manage roles. */
import type { Db } from '../../db/database.ts'
import { insertCustomRole, lockOrganisationRoles } from '../../db/repositories/staff/roles.ts'

/** The school's own roles and the trust-wide ones, by name. */
export { type CustomRoleRow, customRolesFor, organisationCustomRoles } from '../../db/repositories/staff/roles.ts'

import { type CustomRoleInput, checkCustomRole } from '../../domain/people/custom-roles.ts'
import { recordAudit } from '../audit.ts'

export type AddRoleResult =
  | { ok: true; id: string }
  | { ok: false; errors: [field: 'name' | 'description', message: string][] }

export async function addCustomRole(
  db: Db,
  input: CustomRoleInput & { organisationId: string; schoolId: string | null; actorId: string },
): Promise<AddRoleResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<AddRoleResult> => {
      const existing = await lockOrganisationRoles(trx, input.organisationId)
      const checked = checkCustomRole(input, existing)
      if (!checked.ok) return checked
      await insertCustomRole(trx, input.organisationId, { ...checked.role, schoolId: input.schoolId })
      await recordAudit(trx, {
        action: 'staff.role-added',
        subjectType: 'custom-role',
        subjectId: checked.role.id,
        actorId: input.actorId,
        organisationId: input.organisationId,
        schoolId: input.schoolId,
      })
      return { ok: true, id: checked.role.id }
    })
  } catch (error) {
    // Two people adding the same role at once: the unique index decides.
    if ((error as { code?: string } | null)?.code === '23505')
      return { ok: false, errors: [['name', 'A role with this name already exists. Choose another name']] }
    throw error
  }
}
