/** What the policy editor's pages share: their access rule, the school and its working copy. */

import type { FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../../domain/access/permissions.ts'
import { editConflictMessage } from '../../../../forms/form.ts'
import { renderNotFound } from '../../../../plugins/errors.ts'
import { type WorkingCopy, workingCopy } from '../../../../services/policy/drafts.ts'
import type { SchoolSummary } from '../../../../services/staff/schools.ts'
import { currentSchool } from '../../school.ts'
import { type Page, resolvePage } from '../pages.ts'

export const manage = { access: { permission: Permission.PolicyManage } }

export const conflictMessage = editConflictMessage('the draft', 'the draft below')

export interface Context {
  school: SchoolSummary
  copy: WorkingCopy
}

/** The school and its working copy of the policy; answers "not found" (and gives null) without one. */
export async function contextFor(req: FastifyRequest, reply: FastifyReply): Promise<Context | null> {
  const school = await currentSchool(req)
  const copy = school ? await workingCopy(req.server.db, school.id) : null
  if (!school || !copy) {
    await renderNotFound(req, reply)
    return null
  }
  return { school, copy }
}

/** Who saves, for which school: the scope every draft service takes. */
export function scopeOf(req: FastifyRequest, school: SchoolSummary) {
  return { schoolId: school.id, organisationId: school.organisationId, actorId: req.actor!.personId }
}

export type PageParams = { section: string; '*'?: string }

/** The list/index pairs after the section in the URL; null when they cannot name anything. */
export function segmentsOf(params: PageParams): string[] | null {
  const rest = params['*'] ?? ''
  if (rest === '') return []
  const parts = rest.split('/')
  return parts.every((p) => /^[a-z0-9-]{1,40}$/.test(p)) ? parts : null
}

/** The section or item page the URL names, in the school's working copy; "not found" (null) else. */
export async function pageFor(
  req: FastifyRequest<{ Params: PageParams }>,
  reply: FastifyReply,
  segments: string[],
): Promise<{ ctx: Context; page: Page } | null> {
  const ctx = await contextFor(req, reply)
  if (!ctx) return null
  const page = resolvePage(ctx.copy.document, req.params.section, segments)
  if (!page?.section.editable) {
    await renderNotFound(req, reply)
    return null
  }
  return { ctx, page }
}
