/**
 * Guards on changing someone's roles, which is how permissions are granted: nobody changes their
 * own roles (no granting yourself more, no locking yourself out), and only someone who manages the
 * organisation gives or takes away the administrator role.
 */
import type { RoleId } from '../people/roles.ts'
import { type Actor, can, Permission } from './permissions.ts'

function sameRoles(a: readonly RoleId[], b: readonly RoleId[]): boolean {
  const setA = new Set(a)
  const setB = new Set(b)
  return setA.size === setB.size && [...setA].every((r) => setB.has(r))
}

/**
 * Why `actor` may not change the roles of `subjectId` (null for someone new) from `before` to
 * `after`, or `null` when they may.
 */
export function roleChangeProblem(
  actor: Actor,
  subjectId: string | null,
  before: readonly RoleId[],
  after: readonly RoleId[],
): string | null {
  if (sameRoles(before, after)) return null
  if (subjectId !== null && subjectId === actor.personId)
    return 'You cannot change your own roles. Ask another administrator to do it'
  const adminBefore = before.includes('administrator')
  const adminAfter = after.includes('administrator')
  if (adminBefore !== adminAfter && !can(actor, Permission.OrganisationManage))
    return 'Only an administrator can give or take away the administrator role'
  return null
}
