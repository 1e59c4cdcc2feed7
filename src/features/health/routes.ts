import type { FastifyPluginAsync } from 'fastify'
import { databaseAnswers } from '../../db/database.ts'
import { paths } from '../../paths/index.ts'

/** GET /healthz: 200 when the database answers, 503 when it does not. Carries no personal data. */
const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(paths.home.health.pattern, { config: { access: 'public' }, logLevel: 'warn' }, async (_req, reply) => {
    const ok = await databaseAnswers(app.db)
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unavailable' })
  })
}

export default healthRoutes
