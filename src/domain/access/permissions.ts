/**
 * Who may do what: the one place that decides (deny by default). Routes declare a permission in
 * `config.access`; the auth plugin asks `can()`. Record-level rules (who may open a particular
 * supervision record) build on this in their own domain modules.
 */
import type { RoleId } from '../people/roles.ts'

export const Permission = {
  /** Read the mail outbox (administrators, when no SMTP server is configured). */
  OutboxRead: 'outbox.read',
  /** Manage the organisation: schools, settings, two-step verification policy. */
  OrganisationManage: 'organisation.manage',
  /** Read the audit log. */
  AuditRead: 'audit.read',
  /** Manage staff: import, edit, invite, end employment. */
  StaffManage: 'staff.manage',
  /** See the staff list and people's pages. */
  StaffRead: 'staff.read',
  /** See the sensitive "needs additional support" flag of anyone (supervisors see their own supervisees'). */
  SensitiveFlagsRead: 'staff.sensitive.read',
  /** Manage roles (add a school's own roles). */
  RolesManage: 'roles.manage',
  /** Edit the supervision policy and the school calendar. */
  PolicyManage: 'policy.manage',
  /** Read the supervision policy in force. */
  PolicyRead: 'policy.read',
  /** See compliance figures for the whole school (DSL, deputy DSL, headteacher). */
  ComplianceRead: 'compliance.read',
  /** Book and manage any session in the school (DSL, deputy DSL, administrators). */
  SessionsManage: 'sessions.manage',
  /** Issue supervision contracts, see every contract of the school and who has still to sign (MW-02). */
  ContractsManage: 'contracts.manage',
  /** Open every supervision record of the school (the DSL); others open only records they took part in. */
  RecordsReadAll: 'records.read-all',
  /** Read the governors' termly report: content-blind figures, small numbers hidden (issue 16). */
  GovernorsReportRead: 'governors-report.read',
  /** Send the governors' report to the school's governors (the DSL and the headteacher). */
  GovernorsReportSend: 'governors-report.send',
  /** Download the inspection evidence pack of the school: metadata only (the DSL and the headteacher; issue 16). */
  EvidencePackRead: 'evidence-pack.read',
  /** Add what was written in supervision records to an evidence pack, with a reason, confirmed and audited (the DSL). */
  EvidencePackContent: 'evidence-pack.content',
  /**
   * Make and revoke the school's API tokens for its integrations (ADR 0035): administrators and
   * the DSL; each gives a token only the scopes they hold themselves (domain/api/tokens.ts).
   */
  ApiTokensManage: 'api-tokens.manage',
} as const
export type Permission = (typeof Permission)[keyof typeof Permission]

const all = Object.values(Permission)

/** Permissions each role grants. A person holds the union of their roles' permissions. */
export const rolePermissions: Readonly<Record<string, readonly Permission[]>> = Object.freeze({
  administrator: [
    Permission.OutboxRead,
    Permission.OrganisationManage,
    Permission.AuditRead,
    Permission.StaffManage,
    Permission.StaffRead,
    Permission.RolesManage,
    Permission.PolicyManage,
    Permission.PolicyRead,
    Permission.SessionsManage,
    Permission.ContractsManage,
    Permission.ApiTokensManage,
  ],
  dsl: all.filter((p) => p !== Permission.OrganisationManage && p !== Permission.OutboxRead),
  'deputy-dsl': [
    Permission.StaffRead,
    Permission.SensitiveFlagsRead,
    Permission.PolicyRead,
    Permission.ComplianceRead,
    Permission.SessionsManage,
    Permission.ContractsManage,
    Permission.GovernorsReportRead,
  ],
  headteacher: [
    Permission.StaffRead,
    Permission.PolicyRead,
    Permission.ComplianceRead,
    Permission.AuditRead,
    Permission.GovernorsReportRead,
    Permission.GovernorsReportSend,
    Permission.EvidencePackRead,
  ],
  'associate-headteacher': [
    Permission.StaffRead,
    Permission.PolicyRead,
    Permission.ComplianceRead,
    Permission.GovernorsReportRead,
  ],
  // Governors see the governors' report and nothing else (issue 16; see governorOnly).
  'chair-of-governors': [Permission.GovernorsReportRead],
  'safeguarding-governor': [Permission.GovernorsReportRead],
})

/** The governors' roles: a person holding only these sees the governors' report and their own account, nothing else. */
export const governorRoles: readonly RoleId[] = Object.freeze(['chair-of-governors', 'safeguarding-governor'])

/**
 * True for a governor and nothing more (issue 16): every role they hold is a governor's role. Pages
 * open to "any signed-in person" (sessions, records, actions, contracts) are refused to them.
 */
export function governorOnly(roles: readonly RoleId[]): boolean {
  return roles.length > 0 && roles.every((role) => governorRoles.includes(role))
}

export interface Actor {
  personId: string
  roles: readonly RoleId[]
}

export function permissionsOf(roles: readonly RoleId[]): Set<Permission> {
  const granted = new Set<Permission>()
  for (const role of roles) for (const p of rolePermissions[role] ?? []) granted.add(p)
  return granted
}

/** True only when one of the actor's roles grants the permission. */
export function can(actor: Actor | null | undefined, permission: Permission | string): boolean {
  if (!actor) return false
  return permissionsOf(actor.roles).has(permission as Permission)
}

/** Roles that see safeguarding content: two-step verification is required for them by default. */
export const defaultTwoStepRoles: readonly RoleId[] = Object.freeze([
  'dsl',
  'deputy-dsl',
  'headteacher',
  'administrator',
])

export type TwoStepPolicy = { mode: 'everyone' } | { mode: 'roles'; roles: readonly RoleId[] }

export function twoStepRequired(policy: TwoStepPolicy, roles: readonly RoleId[]): boolean {
  if (policy.mode === 'everyone') return true
  return roles.some((r) => policy.roles.includes(r))
}
