/**
 * buildApp: the whole of Haven as a Fastify instance, from a config and an open database.
 * It never listens: server.ts does that, and tests drive it with inject().
 * Plugins first (cross-cutting concerns), then features, in one explicit list.
 */
import cookie from '@fastify/cookie'
import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import { type Config, fastifyTrustProxy } from './config.ts'
import type { DatabaseHandle } from './db/database.ts'
import accountRoutes from './features/account/routes.ts'
import actionsRoutes from './features/actions/routes.ts'
import adminRoutes from './features/admin/routes.ts'
import apiRoutes from './features/api/routes.ts'
import apiTokenRoutes from './features/api-tokens/routes.ts'
import authRoutes from './features/auth/routes.ts'
import calendarRoutes from './features/calendar/routes.ts'
import calendarFeedRoutes from './features/calendar-feed/routes.ts'
import childrenRoutes from './features/children/routes.ts'
import contractsRoutes from './features/contracts/routes.ts'
import escalationRoutes from './features/escalations/routes.ts'
import evidencePackRoutes from './features/evidence-pack/routes.ts'
import governorsRoutes from './features/governors/routes.ts'
import healthRoutes from './features/health/routes.ts'
import homeRoutes from './features/home/routes.ts'
import outboxRoutes from './features/outbox/routes.ts'
import overviewRoutes from './features/overview/routes.ts'
import plannerRoutes from './features/planner/routes.ts'
import policyRoutes from './features/policy/routes.ts'
import recordsRoutes from './features/records/routes.ts'
import retentionRoutes from './features/retention/routes.ts'
import schoolBundleRoutes from './features/school-bundle/routes.ts'
import schoolsRoutes from './features/schools/routes.ts'
import sessionsRoutes from './features/sessions/routes.ts'
import setupRoutes from './features/setup/routes.ts'
import staffRoutes from './features/staff/routes.ts'
import templatesRoutes from './features/templates/routes.ts'
import testRoutes from './features/test-support/routes.ts'
import trustPolicyRoutes from './features/trust-policy/routes.ts'
import trustRollupRoutes from './features/trust-rollup/routes.ts'
import wellbeingRoutes from './features/wellbeing/routes.ts'
import authPlugin from './plugins/auth.ts'
import csrfPlugin from './plugins/csrf.ts'
import dbPlugin from './plugins/db.ts'
import errorsPlugin from './plugins/errors.ts'
import inputGuard from './plugins/input-guard.ts'
import { loggerOptions } from './plugins/logging.ts'
import movedAway from './plugins/moved-away.ts'
import routeAccess from './plugins/route-access.ts'
import securityHeaders from './plugins/security-headers.ts'
import staticAssets from './plugins/static-assets.ts'
import viewPlugin from './plugins/view.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** The time now. Real time in the server; tests pass a set clock (ADR 0017). */
    clock: () => Date
  }
}

export interface BuildAppOptions {
  config: Config
  database: DatabaseHandle
  /** Close the database when the app closes (true for the server; tests manage their own). */
  closeDatabase?: boolean
  /** Where the app reads "now" from (features that read it through app.clock); real time by default. */
  clock?: () => Date
}

export async function buildApp({
  config,
  database,
  closeDatabase = true,
  clock = () => new Date(),
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    // A hop count or the proxies' addresses, never every address (src/config.ts, issue 12).
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 11 * 1024 * 1024,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  })

  // While shutting down, answer in-flight requests with Connection: close so keep-alive sockets
  // end with their last response and the server can stop promptly.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close')
  })

  const https = config.baseUrl.startsWith('https:')
  app.decorate('config', config)
  app.decorate('clock', clock)
  await app.register(routeAccess)
  await app.register(dbPlugin, { database, closeOnShutdown: closeDatabase })
  await app.register(viewPlugin)
  await app.register(securityHeaders, { https })
  await app.register(errorsPlugin)
  await app.register(cookie)
  // A coarse per-address ceiling against floods; sign-in has its own growing delays (plugins/auth).
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => req.url.startsWith('/public/') || req.url.startsWith('/assets/'),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      error: 'Too Many Requests',
      message: `Retry in ${ctx.after}`,
    }),
  })
  await app.register(staticAssets)
  await app.register(csrfPlugin, { https })
  await app.register(authPlugin, { config })
  // Urlencoded forms only (no JSON), strictly UTF-8; refuses NUL and unreadable text after the
  // access and CSRF checks, before any handler (issue 12, ADR 0012).
  await app.register(inputGuard)
  // A school that moved to its trust's Haven elsewhere is read-only here (issue 14, ADR 0052).
  await app.register(movedAway)

  await app.register(healthRoutes)
  await app.register(setupRoutes)
  await app.register(authRoutes)
  await app.register(accountRoutes)
  await app.register(adminRoutes)
  await app.register(homeRoutes)
  await app.register(overviewRoutes)
  await app.register(governorsRoutes)
  await app.register(evidencePackRoutes)
  await app.register(escalationRoutes)
  await app.register(outboxRoutes, { smtpConfigured: Boolean(config.smtpUrl) })
  await app.register(staffRoutes)
  await app.register(schoolsRoutes)
  await app.register(sessionsRoutes)
  await app.register(policyRoutes)
  await app.register(trustPolicyRoutes)
  await app.register(schoolBundleRoutes)
  await app.register(trustRollupRoutes)
  await app.register(calendarRoutes)
  await app.register(contractsRoutes)
  await app.register(childrenRoutes)
  await app.register(plannerRoutes)
  await app.register(calendarFeedRoutes)
  await app.register(recordsRoutes)
  await app.register(retentionRoutes)
  await app.register(actionsRoutes)
  await app.register(templatesRoutes)
  await app.register(wellbeingRoutes)
  // The integration API (ADR 0035): bearer tokens, JSON and CSV bodies, its OpenAPI document.
  await app.register(apiTokenRoutes)
  await app.register(apiRoutes)
  if (config.enableTestRoutes) await app.register(testRoutes)

  return app
}
