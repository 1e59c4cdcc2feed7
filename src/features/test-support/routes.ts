import type { FastifyPluginAsync } from 'fastify'

/**
 * Routes that exist only when ENABLE_TEST_ROUTES is true (refused in production by config.ts):
 * a deliberately slow request, used to prove graceful shutdown lets in-flight requests finish.
 */
const testRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { ms?: string } }>('/__test/slow', { config: { access: 'public' } }, async (req) => {
    const ms = Math.min(Number(req.query.ms ?? 1000) || 1000, 10_000)
    await new Promise((resolve) => setTimeout(resolve, ms))
    return { waited: ms }
  })
}

export default testRoutes
