/** Remove an item from a section's list, after showing what else its removal would change. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { renderNotFound } from '../../../../plugins/errors.ts'
import { saveDraft } from '../../../../services/policy/drafts.ts'
import { draftVersionOf } from '../../forms.ts'
import { checkRemoval, type Page, removalConsequences } from '../pages.ts'
import { breadcrumbs } from '../presenters.ts'
import type { EditorTarget } from '../target.ts'
import { type Context, conflictMessage, type PageParams, pageFor, viewBase } from './shared.ts'

function renderRemove(
  reply: FastifyReply,
  ctx: Context,
  page: Page,
  extra: { status?: number; errors?: { text: string; href: string }[] } = {},
) {
  const doc = ctx.copy.document
  const link = page.chain.at(-1)!
  return reply.code(extra.status ?? 200).view('policy/views/editor/remove.njk', {
    pageTitle: `Remove ${link.list.noun}`,
    ...viewBase(ctx),
    breadcrumbs: breadcrumbs(page, doc, ctx.target),
    noun: link.list.noun,
    title: page.item ? link.list.title(page.item, doc) : link.list.noun,
    action: `${page.href}/remove`,
    cancelHref: page.href,
    consequences: removalConsequences(doc, page),
    draftVersion: ctx.copy.draftVersion,
    errors: { fields: {}, summary: extra.errors ?? [] },
  })
}

const conflict = [{ text: conflictMessage, href: '#remove-form' }]

/** GET .../remove: the question. */
export async function showRemove(
  req: FastifyRequest<{ Params: PageParams }>,
  reply: FastifyReply,
  segments: string[],
  target: EditorTarget,
) {
  const found = await pageFor(req, reply, segments, target)
  if (!found) return
  if (found.page.chain.length === 0 || found.page.isNew) return renderNotFound(req, reply)
  return renderRemove(reply, found.ctx, found.page)
}

/** POST .../remove: the removal, refused when it would leave its list or other parts wrong. */
export async function removeItem(
  req: FastifyRequest<{ Params: PageParams }>,
  reply: FastifyReply,
  segments: string[],
  target: EditorTarget,
) {
  const found = await pageFor(req, reply, segments, target)
  if (!found) return
  const { ctx, page } = found
  if (page.chain.length === 0 || page.isNew) return renderNotFound(req, reply)
  const expected = draftVersionOf(req.body)
  if (expected === null || expected !== ctx.copy.draftVersion) {
    return renderRemove(reply, ctx, page, { status: 409, errors: conflict })
  }
  const check = checkRemoval(ctx.copy.document, page)
  if (!check.ok) {
    return renderRemove(reply, ctx, page, {
      status: 400,
      errors: check.refusals.map((text) => ({ text, href: '#remove-form' })),
    })
  }
  const result = await saveDraft(req.server.db, {
    ...ctx.owner.scope,
    document: check.changed,
    expectedVersion: expected,
    section: page.section.id,
  })
  if (!result.ok) return renderRemove(reply, ctx, page, { status: 409, errors: conflict })
  return reply.redirect(`${page.parentHref}?saved=1`, 303)
}
