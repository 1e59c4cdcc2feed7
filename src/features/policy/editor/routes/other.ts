/** The other parts of the policy: read only in the editor, with their problems. */
import type { FastifyInstance } from 'fastify'
import { uneditableProblems } from '../../../../domain/policy/editing.ts'
import { summarisePolicy } from '../../../../domain/policy/index.ts'
import { paths } from '../../../../paths/index.ts'
import { isEditablePath, problemsOf } from '../pages.ts'
import { editorCrumbs } from '../presenters.ts'
import { contextFor, manage } from './shared.ts'

/** The summary's sections for the parts of the policy the editor does not change. */
const otherSummaryIds = new Set([
  'purpose',
  'contract',
  'preparation',
  'records',
  'confidentiality',
  'disagreements',
  'support',
  'principles',
  'other',
])

export function otherRoutes(app: FastifyInstance): void {
  app.get(paths.policy.other.pattern, { config: manage }, async (req, reply) => {
    const ctx = await contextFor(req, reply)
    if (!ctx) return
    const problems = uneditableProblems(problemsOf(ctx.copy.document), isEditablePath)
    let summarySections: { heading: string; paragraphs: string[]; items: string[] }[] = []
    try {
      summarySections = summarisePolicy(ctx.copy.document).sections.filter((s) => otherSummaryIds.has(s.id))
    } catch {
      summarySections = []
    }
    return reply.view('policy/views/editor/other.njk', {
      pageTitle: 'Other parts of the policy',
      school: ctx.school,
      breadcrumbs: editorCrumbs(),
      problems,
      summarySections,
    })
  })
}
