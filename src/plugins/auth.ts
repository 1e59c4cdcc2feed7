/**
 * Authentication and authorisation for every request. Loads the server-side session from the
 * cookie, then enforces the route's declared access in one place, denying by default:
 *  - 'public': anyone;
 *  - 'second-step': signed in with a password, second step not yet done (two-step pages);
 *  - 'signed-in': fully signed in, and not only a governor (issue 16: governors see their report
 *    and their own account, nothing else);
 *  - 'account': fully signed in, governors included (their own account);
 *  - { permission }: fully signed in and granted that permission (domain/access/permissions.ts).
 */

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import { type RequestActor, requestActor } from '../domain/access/actor.ts'
import { type Actor, can, governorOnly, permissionsOf } from '../domain/access/permissions.ts'
import { readsTrustRollup } from '../domain/access/schools.ts'
import { type ApiScope, hasScope } from '../domain/api/tokens.ts'
import { londonDateOf } from '../domain/calendar/london.ts'
import { paths } from '../paths/index.ts'
import type { ApiClient } from '../services/api/tokens.ts'
import { type LoadedSession, loadSignInSession } from '../services/auth/sessions.ts'
import { renderClientError, sendProblem } from './errors.ts'
import { type Access, apiScopeOf } from './route-access.ts'

export function sessionCookieName(https: boolean): string {
  return https ? '__Host-haven_session' : 'haven_session'
}

declare module 'fastify' {
  interface FastifyRequest {
    session: LoadedSession | null
    /**
     * The one request-scoped actor: who is signed in, their organisation and school, and their
     * roles for any school (null when signed out or before the second step).
     */
    actor: RequestActor | null
    /** The integration API's caller: a school's token (features/api, ADR 0035); null elsewhere. */
    apiClient: ApiClient | null
  }
  interface FastifyReply {
    setSessionCookie(token: string): FastifyReply
    clearSessionCookie(): FastifyReply
  }
}

function accessOf(req: FastifyRequest): Access | undefined {
  return (req.routeOptions.config as { access?: Access } | undefined)?.access
}

function deny(req: FastifyRequest, reply: FastifyReply, signedIn: boolean) {
  if (!signedIn) {
    if (req.method === 'GET') {
      const next = req.url.startsWith('/') && !req.url.startsWith('//') ? req.url : paths.home.index()
      return reply.redirect(paths.auth.signIn({ next }))
    }
    return renderClientError(reply, 401 as never, {
      heading: 'You have been signed out',
      paragraphs: [
        'For your security, Haven signs you out after a period without activity. Sign in again to continue.',
      ],
    })
  }
  return renderClientError(reply, 403, {
    heading: 'You do not have permission to see this page',
    paragraphs: ['If you think you should, ask your school administrator.'],
  })
}

const authPlugin: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const https = config.baseUrl.startsWith('https:')
  const cookieName = sessionCookieName(https)
  const settings = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours }

  app.decorateRequest('session', null)
  app.decorateRequest('actor', null)
  app.decorateRequest('apiClient', null)
  app.decorateReply('setSessionCookie', function (this: FastifyReply, token: string) {
    return this.setCookie(cookieName, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: https })
  })
  app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
    return this.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: https })
  })

  app.addHook('onRequest', async (req, reply) => {
    // Static files never need the session; the integration API never reads the cookie (ADR 0035).
    if (req.url.startsWith('/public/') || req.url.startsWith('/assets/')) return
    if (apiScopeOf(req) !== null) return
    const token = req.cookies[cookieName]
    if (token) {
      try {
        // Real time, not app.clock: sessions expire after time that has really passed (services/auth/sessions.ts);
        // the last day of someone's access is a date, judged on the app's clock like every other date.
        req.session = await loadSignInSession(app.db, token, new Date(), settings, londonDateOf(app.clock()))
      } catch (error) {
        req.log.error({ err: error }, 'could not load session')
        req.session = null
      }
      if (!req.session) reply.clearSessionCookie()
    }
    const complete = req.session?.secondStepDone ?? false
    if (req.session && complete) req.actor = requestActor(req.session.person)
    reply.locals.signedIn = complete
    reply.locals.currentPerson = req.actor ? { name: req.actor.name } : null
    reply.locals.navigation = complete ? navigationFor(req.actor!, req.url) : []
  })

  app.addHook('preHandler', async (req, reply) => {
    const access = accessOf(req)
    // Unknown pages get the 404 page whoever asks; it reveals nothing.
    if (access === 'public' || req.is404) return
    // The integration API: the request's token was checked for this scope (features/api); deny otherwise.
    if (access && typeof access === 'object' && 'apiScope' in access) {
      if (req.apiClient && hasScope(req.apiClient.scopes, access.apiScope as ApiScope)) return
      return sendProblem(reply, 401, { title: 'An API token is needed', detail: 'Send Authorization: Bearer <token>' })
    }
    const session = req.session
    if (access === 'second-step') {
      if (!session) return deny(req, reply, false)
      return
    }
    if (!session) return deny(req, reply, false)
    if (!session.secondStepDone) {
      if (req.method === 'GET') return reply.redirect(secondStepPage(session))
      return deny(req, reply, false)
    }
    if (access === 'account') return
    if (access === 'signed-in' && !governorOnly(req.actor!.roles)) return
    if (access && typeof access === 'object' && 'permission' in access && can(req.actor, access.permission)) return
    // Anything else, including a route that somehow declared nothing, is refused.
    return deny(req, reply, true)
  })
}

/** Where someone signed in with a password goes next: the code from their app, or setting it up. */
export function secondStepPage(session: { twoStepEnabled: boolean }): string {
  return session.twoStepEnabled ? paths.auth.twoStep() : paths.account.twoStepSetUp()
}

function navigationFor(actor: Actor & { schoolId: string | null }, url: string) {
  const permissions = permissionsOf(actor.roles)
  const home = paths.home.index()
  if (governorOnly(actor.roles)) {
    const report = paths.governors.report()
    const account = paths.account.index()
    return [
      { href: report, text: 'Governors’ report', active: url.startsWith(report) },
      { href: account, text: 'Your account', active: url.startsWith(account) },
    ]
  }
  const items: { href: string; text: string }[] = [{ href: home, text: 'Home' }]
  if (permissions.has('compliance.read')) items.push({ href: paths.overview.index(), text: 'Overview' })
  if (readsTrustRollup(actor)) items.push({ href: paths.trustRollup.index(), text: 'Academies' })
  if (permissions.has('governors-report.send'))
    items.push({ href: paths.governors.report(), text: 'Governors’ report' })
  items.push({ href: paths.sessions.index(), text: 'Sessions' })
  items.push({ href: paths.records.index(), text: 'Records' })
  if (permissions.has('sessions.manage')) items.push({ href: paths.planner.index(), text: 'Planner' })
  if (permissions.has('staff.read')) items.push({ href: paths.staff.index(), text: 'Staff' })
  if (permissions.has('policy.read')) items.push({ href: paths.policy.index(), text: 'Policy' })
  if (permissions.has('policy.read')) items.push({ href: paths.calendar.index(), text: 'Calendar' })
  if (permissions.has('organisation.manage')) items.push({ href: paths.admin.index(), text: 'Administration' })
  items.push(
    permissions.has('contracts.manage')
      ? { href: paths.contracts.index(), text: 'Contracts' }
      : { href: paths.contracts.mine(), text: 'Your contracts' },
  )
  items.push({ href: paths.account.index(), text: 'Your account' })
  return items.map((i) => ({ ...i, active: i.href === home ? url === home : url.startsWith(i.href) }))
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db', 'view'] })
