/**
 * Every route declares who may use it (`config: { access }`); a route that declares nothing is a
 * start-up error, so nothing is reachable by accident (deny by default, ASVS V4).
 * The decision itself is made in one place: the authorisation plugin (plugins/auth.ts).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export type Access =
  /** Anyone, signed in or not: health checks, assets, sign-in pages. */
  | 'public'
  /** Signed in with a password, the second step not yet done: only the two-step pages. */
  | 'second-step'
  /**
   * Any signed-in person with a completed sign-in (password and, where required, a second step),
   * except a governor, who sees the governors' report and nothing else (issue 16).
   */
  | 'signed-in'
  /** Any signed-in person, governors included: their own account (password, two-step, sessions). */
  | 'account'
  /** A signed-in person holding this permission (see domain/access). */
  | { permission: string }
  /**
   * The integration API (ADR 0035): a school's API token holding this scope, sent as
   * `Authorization: Bearer`; never a session cookie, and no CSRF token (no browser sends it).
   */
  | { apiScope: string }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
}

/** The API scope a route needs, or null for every page that is not the integration API's. */
export function apiScopeOf(req: FastifyRequest): string | null {
  const access = (req.routeOptions.config as { access?: Access } | undefined)?.access
  return access && typeof access === 'object' && 'apiScope' in access ? access.apiScope : null
}

export class RouteAccessError extends Error {
  override name = 'RouteAccessError'
}

export interface RegisteredRoute {
  method: string
  url: string
  access: Access | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with what it declared: walked by tests and checked when the app is ready. */
    registeredRoutes(): RegisteredRoute[]
  }
}

const routeAccess: FastifyPluginAsync = async (app) => {
  const routes: { method: string | string[]; url: string; config?: unknown }[] = []
  app.addHook('onRoute', (route) => {
    routes.push(route)
  })
  const list = (): RegisteredRoute[] =>
    routes.map((r) => ({
      method: Array.isArray(r.method) ? r.method.join(',') : r.method,
      url: r.url,
      access: (r.config as { access?: Access } | undefined)?.access,
    }))
  app.decorate('registeredRoutes', list)
  app.addHook('onReady', async () => {
    const undeclared = list().filter((r) => r.access === undefined)
    if (undeclared.length > 0) {
      const names = undeclared.map((r) => `${r.method} ${r.url}`).join(', ')
      throw new RouteAccessError(`Routes without config.access: ${names}`)
    }
  })
}

export default fp(routeAccess, { name: 'route-access' })
