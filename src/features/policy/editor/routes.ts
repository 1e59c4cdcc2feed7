/**
 * The policy editor (issue 5, X-01): forms over a draft copy of the policy, for the DSL or an
 * administrator. A task list of sections; each section a page of forms, its lists edited one item
 * per page. Saving validates the whole draft (validatePolicy) and refuses only problems in the
 * fields being saved; publishing refuses until there are none at all, and then writes a new
 * version. Every form carries the draft version it was made from: a second person saving over
 * someone else's change is told so, and nothing is overwritten. One module per page under
 * routes/; the rules of a save or a removal are in pages.ts and domain/policy/editing.ts.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { discardRoutes } from './routes/discard.ts'
import { otherRoutes } from './routes/other.ts'
import { publishRoutes } from './routes/publish.ts'
import { sectionRoutes } from './routes/section.ts'
import { taskListRoutes } from './routes/task-list.ts'

import { type EditorTarget, schoolTarget } from './target.ts'

export { conflictMessage } from './routes/shared.ts'
export type { EditorTarget }

/** The editor's pages for one target: a school's policy, or its trust's (issue 14, ADR 0041). */
export function registerEditor(app: FastifyInstance, target: EditorTarget): void {
  taskListRoutes(app, target)
  publishRoutes(app, target)
  discardRoutes(app, target)
  otherRoutes(app, target)
  sectionRoutes(app, target)
}

const editorRoutes: FastifyPluginAsync = async (app) => {
  registerEditor(app, schoolTarget)
}

export default editorRoutes
