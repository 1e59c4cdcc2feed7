/** Discard the draft, after asking. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { discardDraft } from '../../../../services/policy/drafts.ts'
import { draftVersionOf } from '../../forms.ts'
import type { EditorTarget } from '../target.ts'
import { type Context, conflictMessage, contextFor, manage, viewBase } from './shared.ts'

function renderDiscard(reply: FastifyReply, ctx: Context, draft: { basedOnVersion: number }, conflict = false) {
  return reply.code(conflict ? 409 : 200).view('policy/views/editor/discard.njk', {
    pageTitle: 'Discard the draft',
    ...viewBase(ctx),
    backLink: { href: ctx.target.paths.edit(), text: 'Back' },
    draftVersion: ctx.copy.draftVersion,
    basedOnVersion: draft.basedOnVersion,
    errors: { fields: {}, summary: conflict ? [{ text: conflictMessage, href: '#discard-form' }] : [] },
  })
}

export function discardRoutes(app: FastifyInstance, target: EditorTarget): void {
  app.get(target.paths.discard.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply, target)
    if (!ctx) return
    if (!ctx.copy.draft) return reply.redirect(target.paths.edit(), 303)
    return renderDiscard(reply, ctx, ctx.copy.draft)
  })

  app.post(target.paths.discard.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply, target)
    if (!ctx) return
    const expected = draftVersionOf(req.body)
    const result =
      expected !== null && expected > 0
        ? await discardDraft(req.server.db, { ...ctx.owner.scope, expectedVersion: expected })
        : ({ ok: false, conflict: true } as const)
    if (result.ok) return reply.redirect(target.paths.edit({ discarded: 1 }), 303)
    const fresh = await contextFor(req, reply, target)
    if (!fresh) return
    if (!fresh.copy.draft) return reply.redirect(target.paths.edit(), 303)
    return renderDiscard(reply, fresh, fresh.copy.draft, true)
  })
}
