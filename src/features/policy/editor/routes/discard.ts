/** Discard the draft, after asking. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { paths } from '../../../../paths/index.ts'
import { discardDraft } from '../../../../services/policy/drafts.ts'
import { draftVersionOf } from '../../forms.ts'
import { type Context, conflictMessage, contextFor, manage, scopeOf } from './shared.ts'

function renderDiscard(reply: FastifyReply, ctx: Context, draft: { basedOnVersion: number }, conflict = false) {
  return reply.code(conflict ? 409 : 200).view('policy/views/editor/discard.njk', {
    pageTitle: 'Discard the draft',
    school: ctx.school,
    backLink: { href: paths.policy.edit(), text: 'Back' },
    draftVersion: ctx.copy.draftVersion,
    basedOnVersion: draft.basedOnVersion,
    errors: { fields: {}, summary: conflict ? [{ text: conflictMessage, href: '#discard-form' }] : [] },
  })
}

export function discardRoutes(app: FastifyInstance): void {
  app.get(paths.policy.discard.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    if (!ctx.copy.draft) return reply.redirect(paths.policy.edit(), 303)
    return renderDiscard(reply, ctx, ctx.copy.draft)
  })

  app.post(paths.policy.discard.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    const expected = draftVersionOf(req.body)
    const result =
      expected !== null && expected > 0
        ? await discardDraft(req.server.db, { ...scopeOf(req, ctx.school), expectedVersion: expected })
        : ({ ok: false, conflict: true } as const)
    if (result.ok) return reply.redirect(paths.policy.edit({ discarded: 1 }), 303)
    const fresh = await contextFor(req, reply)
    if (!fresh) return
    if (!fresh.copy.draft) return reply.redirect(paths.policy.edit(), 303)
    return renderDiscard(reply, fresh, fresh.copy.draft, true)
  })
}
