/** What the policy editor's pages share: their access rule, whose policy it is and its working copy. */

import type { FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../../domain/access/permissions.ts'
import { editConflictMessage } from '../../../../forms/form.ts'
import { renderNotFound } from '../../../../plugins/errors.ts'
import { ownerOf, type WorkingCopy, workingCopy } from '../../../../services/policy/drafts.ts'
import { type Page, resolvePage } from '../pages.ts'
import type { EditorOwner, EditorTarget } from '../target.ts'

export const manage = { access: { permission: Permission.PolicyManage } }

export const conflictMessage = editConflictMessage('the draft', 'the draft below')

export interface Context {
  /** Whose policy: its name (shown above headings) and who saves (the scope every draft service takes). */
  owner: EditorOwner
  copy: WorkingCopy
  target: EditorTarget
}

/**
 * The owner (a school, or its trust: issue 14) and its working copy of the policy; answers "not
 * found" (and gives null) without one.
 */
export async function contextFor(
  req: FastifyRequest,
  reply: FastifyReply,
  target: EditorTarget,
): Promise<Context | null> {
  const owner = await target.ownerOf(req, reply)
  if (!owner) return null
  const copy = await workingCopy(req.server.db, ownerOf(owner.scope))
  if (!copy) {
    await renderNotFound(req, reply)
    return null
  }
  return { owner, copy, target }
}

/** What every editor page gives its view: the owner's name above the heading and the editor's addresses. */
export function viewBase(ctx: Context) {
  return { school: { name: ctx.owner.name }, editorPaths: ctx.target.paths, reachNote: ctx.target.reachNote ?? null }
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
  target: EditorTarget,
): Promise<{ ctx: Context; page: Page } | null> {
  const ctx = await contextFor(req, reply, target)
  if (!ctx) return null
  const page = resolvePage(ctx.copy.document, req.params.section, segments, target.paths)
  if (!page?.section.editable) {
    await renderNotFound(req, reply)
    return null
  }
  return { ctx, page }
}
