/**
 * Giving someone a role that opens supervision records (issue 12, ADR 0011): by any path (adding
 * or editing a person, the staff import, first set-up), the grant is audited and the school's DSLs
 * are emailed; given by anyone but a DSL of the school, it waits as an `access_change` of kind
 * 'role' until a DSL approves or refuses it (access-changes.ts). Runs in the caller's transaction.
 */
import { insertRoleRequest, waitingRoleRequests } from '../../db/repositories/auth/access-changes.ts'
import { addRole } from '../../db/repositories/auth/people.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { grantNeedsApproval, opensRecords, recordRolesAdded } from '../../domain/access/role-grants.ts'
import { type RoleId, roleCatalogue } from '../../domain/people/roles.ts'
import { recordAudit } from '../audit.ts'
import { requesterName, type SchoolDsl, tellDsls } from './school-dsls.ts'

type Db = DbOrTrx

export function roleName(role: string): string {
  return roleCatalogue.find((r) => r.id === role)?.name ?? role
}

export interface RoleChange {
  organisationId: string
  schoolId: string | null
  personId: string
  personName: string
  before: readonly string[]
  after: readonly string[]
}

export interface GrantWho {
  /** The person making the change, or null for the command line. */
  actorId: string | null
  /** The school's DSLs before the change (schoolDsls). */
  dsls: readonly SchoolDsl[]
}

/**
 * Applies the rule to one change of roles: returns the roles to save now (without any record-opening
 * role that must wait for approval), having audited each grant, recorded what waits, and emailed the
 * school's DSLs (not the person making the change, nor the person given the role).
 */
export async function applyRecordRoleRule(trx: Db, change: RoleChange, who: GrantWho): Promise<string[]> {
  const added = recordRolesAdded(change.before, change.after)
  if (added.length === 0) return [...change.after]
  const waits = grantNeedsApproval({ actorId: who.actorId, schoolDslIds: who.dsls.map((d) => d.id) })
  // A role already waiting for approval is not asked for again (nor audited, nor emailed twice).
  const asked: RoleId[] = []
  for (const role of added) {
    let grantId: string | null = null
    if (waits) {
      grantId = await insertRoleRequest(trx, {
        organisationId: change.organisationId,
        schoolId: change.schoolId,
        personId: change.personId,
        role,
        requestedBy: who.actorId,
      })
      if (grantId === null) continue
    }
    asked.push(role)
    await recordAudit(trx, {
      action: waits ? 'staff.record-access-role-requested' : 'staff.record-access-role-granted',
      subjectType: 'person',
      subjectId: change.personId,
      actorId: who.actorId,
      organisationId: change.organisationId,
      schoolId: change.schoolId,
      detail: { role, ...(grantId ? { grantId } : {}) },
    })
  }
  if (asked.length === 0) return change.after.filter((r) => !added.includes(r))
  const by = await requesterName(trx, change.organisationId, who.actorId)
  const roles = asked.map(roleName).join(' and ')
  await tellDsls(trx, who.dsls, [who.actorId, change.personId], {
    organisationId: change.organisationId,
    subject: waits
      ? `Haven: approve or refuse a new ${roles} for your school`
      : `Haven: ${change.personName} has been given the role ${roles}`,
    text: (waits
      ? [
          `${by} asked for ${change.personName} to be given the role ${roles} in Haven.`,
          'This role opens supervision records, so it does not take effect until a DSL of the school approves it.',
          '',
          'Sign in to Haven and open Staff, then "Roles waiting for approval", to approve or refuse it.',
        ]
      : [
          `${by} gave ${change.personName} the role ${roles} in Haven.`,
          'This role opens supervision records.',
          '',
          'If you did not expect this, check the person’s page under Staff in Haven and tell your headteacher.',
        ]
    ).join('\n'),
  })
  return waits ? change.after.filter((r) => !added.includes(r)) : [...change.after]
}

/** Adds an approved record-opening role to the person of the organisation (once). */
export async function grantRole(
  trx: Db,
  person: { organisationId: string; personId: string },
  role: string,
): Promise<void> {
  if (!opensRecords(role)) return
  await addRole(trx, person.organisationId, person.personId, role)
}

/** The record-opening roles waiting for a DSL's approval, by person, in one school. */
export async function pendingRolesOf(
  db: Db,
  target: { organisationId: string; schoolId: string },
): Promise<Map<string, Set<RoleId>>> {
  const rows = await waitingRoleRequests(db, target)
  const pending = new Map<string, Set<RoleId>>()
  for (const row of rows) {
    if (row.role === null) continue
    const roles = pending.get(row.personId) ?? new Set<RoleId>()
    roles.add(row.role)
    pending.set(row.personId, roles)
  }
  return pending
}
