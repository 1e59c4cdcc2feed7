/**
 * The old list of decisions "to record on children's files" is replaced by the DSL's queue
 * (issue 15, src/features/children/): its address leads there.
 */
import type { FastifyInstance } from 'fastify'
import { paths } from '../../../paths/index.ts'
import { signedIn } from './shared.ts'

export function decisionRoutes(app: FastifyInstance): void {
  app.get(paths.records.transfers.pattern, { config: signedIn }, async (_req, reply) =>
    reply.redirect(paths.children.decisions(), 303),
  )
}
