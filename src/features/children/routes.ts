/**
 * Children (issue 15): the pupil register imported from the MIS (routes/pupils.ts), the queue of
 * decisions about children for their own safeguarding records (routes/decisions.ts), and the
 * school's webhook with its delivery log (routes/webhook.ts).
 */
import type { FastifyPluginAsync } from 'fastify'
import { registerPageModules } from '../page-modules.ts'
import decisionRoutes from './routes/decisions.ts'
import pupilRoutes from './routes/pupils.ts'
import webhookRoutes from './routes/webhook.ts'

const childrenRoutes: FastifyPluginAsync = async (app) => {
  // The fixed addresses (/children/decisions, /children/webhook, /children/import) before /children/:pupilId.
  await registerPageModules(app, [decisionRoutes, webhookRoutes, pupilRoutes])
}

export default childrenRoutes
