/**
 * What a particular person may import, applied to a plan from `planStaffImport` (which knows
 * nothing about who is importing):
 *  - the "Additional support" column is sensitive: someone who may not see the flag may not set it
 *    either, so for them the column is ignored (new people get "no", existing people keep theirs);
 *  - role changes follow `roleChangeProblem` (the administrator role only by an administrator);
 *    the importer's own row is imported except for its roles, which stay as they are, with a
 *    notice: a school's MIS export always includes the DSL who imports it, so refusing the file
 *    would be a dead end (issue 18);
 *  - an email already used by someone elsewhere in the organisation (another school of the trust,
 *    or an external supervisor) cannot be created again here.
 * And a digest of the plan, so the import can refuse a plan that changed since its preview.
 *
 * Pure: no clock, no I/O.
 */
import { createHash } from 'node:crypto'
import type { Actor } from '../access/permissions.ts'
import { roleChangeProblem } from '../access/role-changes.ts'
import { normaliseEmail } from './person-rules.ts'
import type { RoleId } from './roles.ts'
import type { StaffImportError, StaffImportPlan } from './staff-csv/index.ts'

export type ReadyStaffImportPlan = Extract<StaffImportPlan, { ok: true }>

export interface StaffImportGuardOptions {
  /** Whether the importer may see and set "needs additional support" for everyone. */
  canSetAdditionalSupport: boolean
  /** Who is importing; `null` for the command line (run by whoever runs the server). */
  actor: Actor | null
  /** Normalised emails of people elsewhere in the organisation. */
  emailsElsewhere: ReadonlySet<string>
}

/** The importer's own row, when the file gave them other roles: their roles were kept. */
export interface OwnRolesKept {
  name: string
  email: string
  /** The roles they have, which the import keeps. */
  kept: readonly RoleId[]
  /** The roles the file gives them, which the import leaves out. */
  inFile: readonly RoleId[]
}

export type GuardedStaffImportPlan =
  | { ok: false; errors: StaffImportError[] }
  | (ReadyStaffImportPlan & {
      /** True when the file set "Additional support" and the importer may not: the column was ignored. */
      additionalSupportIgnored: boolean
      /** Set when the file would change the importer's own roles: everything else on their row is imported. */
      ownRolesKept: OwnRolesKept | null
    })

export function guardStaffImportPlan(
  plan: ReadyStaffImportPlan,
  options: StaffImportGuardOptions,
): GuardedStaffImportPlan {
  const errors: StaffImportError[] = []
  let additionalSupportIgnored = false
  let ownRolesKept: OwnRolesKept | null = null
  const creates = plan.creates.map((draft) => {
    if (draft.flags.additionalSupport && !options.canSetAdditionalSupport) {
      additionalSupportIgnored = true
      return { ...draft, flags: { ...draft.flags, additionalSupport: false } }
    }
    return draft
  })
  const updates: ReadyStaffImportPlan['updates'] = []
  const unchanged = [...plan.unchanged]
  for (const update of plan.updates) {
    let { after, changedFields } = update
    if (!options.canSetAdditionalSupport && changedFields.includes('flags.additionalSupport')) {
      additionalSupportIgnored = true
      after = { ...after, flags: { ...after.flags, additionalSupport: update.before.flags.additionalSupport } }
      changedFields = changedFields.filter((f) => f !== 'flags.additionalSupport')
    }
    if (options.actor && update.id === options.actor.personId && changedFields.includes('roles')) {
      // Nobody changes their own roles (roleChangeProblem); the rest of their row still imports.
      const { before } = update
      ownRolesKept = { name: before.name, email: before.email, kept: before.roles, inFile: after.roles }
      after = { ...after, roles: before.roles }
      changedFields = changedFields.filter((f) => f !== 'roles')
    }
    if (changedFields.length === 0) unchanged.push(update.before)
    else updates.push({ ...update, after, changedFields })
  }

  if (options.actor) {
    for (const draft of creates) {
      const problem = roleChangeProblem(options.actor, null, [], draft.roles)
      if (problem) errors.push({ row: null, column: 'Roles', message: `${draft.email}: ${problem}` })
    }
    for (const update of updates) {
      if (!update.changedFields.includes('roles')) continue
      const problem = roleChangeProblem(options.actor, update.id, update.before.roles, update.after.roles)
      if (problem) errors.push({ row: null, column: 'Roles', message: `${update.before.email}: ${problem}` })
    }
  }
  for (const draft of creates) {
    if (options.emailsElsewhere.has(normaliseEmail(draft.email)))
      errors.push({
        row: null,
        column: 'Email',
        message: `${draft.email} is already in Haven at another school of the trust or as an external supervisor. Remove them from this file, or change their details in Haven`,
      })
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ...plan, creates, updates, unchanged, additionalSupportIgnored, ownRolesKept }
}

/**
 * A fingerprint of everything an import would write: the same file planned against the same
 * people gives the same digest, and any change to what would be written changes it.
 */
export function staffImportPlanDigest(plan: ReadyStaffImportPlan): string {
  const content = JSON.stringify({
    creates: plan.creates,
    updates: plan.updates.map((u) => ({ id: u.id, changedFields: u.changedFields, after: u.after, before: u.before })),
    unchanged: plan.unchanged.map((p) => p.id),
    scopeDecisions: plan.scopeDecisions,
  })
  return createHash('sha256').update(content, 'utf8').digest('base64url')
}
