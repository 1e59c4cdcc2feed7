/** What the staff pages share: who may open them, today, the organisation, and choosing a person. */

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { londonDateOf } from '../../../domain/calendar/london.ts'
import { roleCatalogue } from '../../../domain/people/roles.ts'
import { editConflictMessage } from '../../../forms/form.ts'
import type { Candidate } from '../../../services/staff/supervision.ts'

export const read = { access: { permission: Permission.StaffRead } }
export const manage = { access: { permission: Permission.StaffManage } }
export const manageRoles = { access: { permission: Permission.RolesManage } }
/** Deciding a grant of a record-opening role is for a DSL (who also must be a DSL of the person's school). */
export const decideGrants = { access: { permission: Permission.RecordsReadAll } }

export const conflictMessage = editConflictMessage('this person', 'their details below')

/** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
export function todayOf(app: FastifyInstance): string {
  return londonDateOf(app.clock())
}

/** The signed-in person's organisation. */
export function organisationOf(req: FastifyRequest): string {
  return req.actor!.organisationId
}

/** Options for choosing a person: "Name (job title)", with their school when it is another one. */
export function candidateItems(
  candidates: readonly Candidate[],
  selected: string,
  noneText: string | null,
  homeSchoolId: string | null,
) {
  const items = candidates.map((c) => {
    const where = c.externalOrganisation
      ? `external: ${c.externalOrganisation}`
      : [c.jobTitle, c.schoolId === homeSchoolId ? null : c.schoolName].filter((x) => x).join(', ')
    return { value: c.id, text: where ? `${c.name} (${where})` : c.name, selected: c.id === selected }
  })
  return [{ value: '', text: noneText ?? 'Choose someone', selected: selected === '' }, ...items]
}

/** The catalogue's roles and the school's own, as options for a select. */
export function roleOptions(customRoles: readonly { id: string; name: string }[], selected: string | null) {
  return [
    { value: '', text: 'Any role' },
    ...[...roleCatalogue, ...customRoles].map((r) => ({ value: r.id, text: r.name, selected: r.id === selected })),
  ]
}
