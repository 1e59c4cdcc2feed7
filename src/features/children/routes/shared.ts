/** What the children pages share: who may open them, and the school a page is about. */
import type { FastifyRequest } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import type { DecisionActor } from '../../../services/children/decisions.ts'
import { type FoundSchool, schoolFor } from '../../school-scope.ts'

/** The decision queue, the webhook and the per-child PDF: the DSL (who opens every record of the school). */
export const dslOnly = { access: { permission: Permission.RecordsReadAll } }
/** The pupil register and its import: whoever manages staff (administrators and the DSL). */
export const manageRegister = { access: { permission: Permission.StaffManage } }

/** The school chosen by `?school=`, when the person holds `permission` there; else null (not found). */
export async function schoolWith(
  req: FastifyRequest,
  slug: unknown,
  permission: Permission = Permission.RecordsReadAll,
): Promise<FoundSchool | null> {
  const found = await schoolFor(req, slug)
  if (!found || !can(req.actor!.in(found.school.id), permission)) return null
  return found
}

/** `school=<slug>` for links, only where the person chooses among several schools. */
export function schoolParam(found: FoundSchool): string | undefined {
  return found.schools.length > 1 ? found.school.slug : undefined
}

export function decisionActorOf(req: FastifyRequest, schoolId: string): DecisionActor {
  const actor = req.actor!
  return {
    personId: actor.personId,
    organisationId: actor.organisationId,
    roles: actor.rolesIn(schoolId),
    ip: req.ip,
  }
}
