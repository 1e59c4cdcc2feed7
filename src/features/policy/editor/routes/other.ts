/**
 * Problems in the draft that belong to no section of the editor (a field Haven does not recognise
 * in an uploaded file): every part of the policy has its own section, so this page only lists them.
 */
import type { FastifyInstance } from 'fastify'
import { uneditableProblems } from '../../../../domain/policy/editing.ts'
import { isEditablePath, problemsOf } from '../pages.ts'
import { editorCrumbs } from '../presenters.ts'
import type { EditorTarget } from '../target.ts'
import { contextFor, manage, viewBase } from './shared.ts'

export function otherRoutes(app: FastifyInstance, target: EditorTarget): void {
  app.get(target.paths.other.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply, target)
    if (!ctx) return
    return reply.view('policy/views/editor/other.njk', {
      pageTitle: 'Other problems in the policy file',
      ...viewBase(ctx),
      breadcrumbs: editorCrumbs(target),
      problems: uneditableProblems(problemsOf(ctx.copy.document), isEditablePath),
    })
  })
}
