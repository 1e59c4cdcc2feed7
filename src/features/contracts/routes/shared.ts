/** What the contract pages share: who may manage a school's contracts, the school in links, today, the years offered. */

import type { FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../../domain/access/permissions.ts'
import { londonDateOf } from '../../../domain/calendar/london.ts'
import { roleNoun } from '../../../domain/policy/index.ts'
import { editConflictMessage } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import type { SaveContractResult } from '../../../services/contracts/issue.ts'
import { schoolStaff } from '../../../services/contracts/prepare.ts'
import { type ContractSetting, issuableYears } from '../../../services/contracts/setting.ts'
import type { FoundSchool } from '../../school-scope.ts'
import type { PersonOption } from '../presenters.ts'

export const manage = { access: { permission: Permission.ContractsManage } }
export const signedIn = { access: 'signed-in' as const }

export const conflictMessage = editConflictMessage('this contract', 'the contract below')

export const noTemplateMessage =
  'The policy does not name a contract template Haven has. Choose one in the policy before issuing contracts.'
export const noPolicyMessage =
  'The school has no supervision policy yet. Choose one under Policy before issuing contracts.'

/** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
export function todayOf(req: FastifyRequest): string {
  return londonDateOf(req.server.clock())
}

/** Whether they manage a school's contracts: by their roles there (none beyond their reach). */
export function canManage(req: FastifyRequest): (schoolId: string) => boolean {
  const actor = req.actor!
  return (schoolId) => can(actor.in(schoolId), Permission.ContractsManage)
}

/** The school's short name for links, only where the person chooses among several schools. */
export function schoolParam(found: FoundSchool): string | undefined {
  return found.schools.length > 1 ? found.school.slug : undefined
}

/** Who signed contracts are returned to, in words: "the DSL or deputy DSL". */
export function returnToText(setting: ContractSetting): string {
  const names = setting.returnTo.map((r) => roleNoun(setting.policy, r))
  return names.length <= 1 ? (names[0] ?? 'the DSL') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}

/** The year asked for: this academic year when none is, null when it is not one contracts may be issued for. */
export function yearOf(req: FastifyRequest, raw: unknown): string | null {
  const years = issuableYears(todayOf(req))
  if (raw === undefined || raw === '') return years[0]!
  return typeof raw === 'string' && years.includes(raw) ? raw : null
}

/** The school's staff who have not left, as options for a contract's person fields. */
export async function staffOptions(req: FastifyRequest, schoolId: string): Promise<PersonOption[]> {
  const rows = await schoolStaff(req.server.db, schoolId, todayOf(req))
  return rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles, detail: r.jobTitle || undefined }))
}

/** The answer to a contract that could not be saved for a reason other than the form's own. */
export function resultFailure(
  req: FastifyRequest,
  reply: FastifyReply,
  result: Exclude<SaveContractResult, { ok: true }>,
) {
  switch (result.kind) {
    case 'not-found':
      return renderNotFound(req, reply)
    case 'has-contract':
      return reply.redirect(paths.contracts.show({ id: result.contractId }, { notice: 'exists' }), 303)
    case 'conflict':
      return renderClientError(reply, 409, { heading: 'This contract has changed', paragraphs: [conflictMessage] })
    default:
      return renderClientError(reply, 400, {
        heading: 'Contracts cannot be issued yet',
        paragraphs: ['The school needs a supervision policy that names a contract template. Choose one under Policy.'],
      })
  }
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )
}
