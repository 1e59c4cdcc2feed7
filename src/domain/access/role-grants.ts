/**
 * Roles that open supervision records (issue 12, ADR 0011). Administrators never see supervision
 * records, but an administrator manages staff and so could give someone (even an account they
 * control) a role that does. So such a grant is never silent: it is audited, the school's DSLs are
 * told, and when the person granting it is not a DSL of the school, it waits for one to approve it
 * (four eyes). When the school has no DSL yet (first set-up), it applies, audited.
 *
 * Pure: the caller passes the roles and who the school's DSLs are.
 */
import type { RoleId } from '../people/roles.ts'
import { Permission, permissionsOf } from './permissions.ts'

/** Permissions that open supervision records or what is said about people in them. */
const recordPermissions: readonly Permission[] = [Permission.RecordsReadAll, Permission.SensitiveFlagsRead]

/**
 * Whether a role opens supervision records (records.read-all) or the sensitive flags kept about
 * people: the DSL and the deputy DSL, and any role given those permissions. The deputy DSL counts
 * because they act for the DSL.
 */
export function opensRecords(role: RoleId): boolean {
  const granted = permissionsOf([role])
  return recordPermissions.some((p) => granted.has(p))
}

/** The record-opening roles in `after` that are not in `before`, in the order of `after`. */
export function recordRolesAdded(before: readonly RoleId[], after: readonly RoleId[]): RoleId[] {
  return [...new Set(after)].filter((r) => !before.includes(r) && opensRecords(r))
}

export interface GrantContext {
  /** The person granting it, or null for the command line. */
  actorId: string | null
  /** The current DSLs of the person's school, before this change. */
  schoolDslIds: readonly string[]
}

/** Whether the grant waits for a DSL of the school to approve it: yes unless a DSL grants it, or there is none yet. */
export function grantNeedsApproval(context: GrantContext): boolean {
  if (context.schoolDslIds.length === 0) return false
  return context.actorId === null || !context.schoolDslIds.includes(context.actorId)
}

/** Whether `approverId`, a DSL of the school, may decide a grant: never for themselves or one they asked for. */
export function mayDecideGrant(
  approverId: string,
  grant: { personId: string; requestedBy: string | null },
  schoolDslIds: readonly string[],
): boolean {
  return schoolDslIds.includes(approverId) && approverId !== grant.personId && approverId !== grant.requestedBy
}

/**
 * A staff file asks for roles on every import. A record-opening role already waiting for a DSL's
 * approval is not asked for again: an update whose only change is such roles is no change, so
 * importing the same file twice changes nothing, and the DSLs are not asked twice.
 */
export function withoutPendingRoleRequests<
  P extends { updates: readonly U[]; unchanged: readonly U['before'][] },
  U extends {
    id: string
    before: { roles: readonly RoleId[] }
    after: { roles: readonly RoleId[] }
    changedFields: readonly string[]
  },
>(plan: P, pending: ReadonlyMap<string, ReadonlySet<RoleId>>): P {
  const asked = (u: U) => {
    if (u.changedFields.length !== 1 || u.changedFields[0] !== 'roles') return false
    const waiting = pending.get(u.id)
    if (!waiting) return false
    const removed = u.before.roles.filter((r) => !u.after.roles.includes(r))
    const added = u.after.roles.filter((r) => !u.before.roles.includes(r))
    return removed.length === 0 && added.length > 0 && added.every((r) => waiting.has(r))
  }
  const again = plan.updates.filter(asked)
  if (again.length === 0) return plan
  return {
    ...plan,
    updates: plan.updates.filter((u) => !asked(u)),
    unchanged: [...plan.unchanged, ...again.map((u) => u.before)],
  }
}
