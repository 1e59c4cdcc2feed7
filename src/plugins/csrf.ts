/**
 * CSRF protection for every state-changing request (ASVS V4.2.2, V50), by @fastify/csrf-protection
 * (ADR 0014) with Haven's settings: each browser gets a random secret in an HttpOnly, SameSite=Lax
 * cookie (`__Host-` and Secure under HTTPS); every page carries a fresh token made from it
 * (`reply.locals.csrfToken`, sent back as the form field `_csrf` or, from scripts, the
 * `x-csrf-token` header). Deny by default: a POST, PUT, PATCH or DELETE whose token does not fit
 * the cookie is refused (403, "Your form has expired") before any handler runs. The check runs
 * after body parsing, so multipart uploads are checked on their `_csrf` field like any form.
 */
import csrfProtection from '@fastify/csrf-protection'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { apiScopeOf } from './route-access.ts'

export function csrfCookieName(https: boolean): string {
  return https ? '__Host-haven_csrf' : 'haven_csrf'
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The token from the form or the header; never from the address, which leaks into logs and Referer. */
function submittedToken(req: FastifyRequest): string {
  const body = req.body as Record<string, unknown> | undefined
  if (body && typeof body._csrf === 'string' && body._csrf) return body._csrf
  const header = req.headers['x-csrf-token']
  return typeof header === 'string' ? header : ''
}

const csrfPlugin: FastifyPluginAsync<{ https: boolean }> = async (app, opts) => {
  const cookieKey = csrfCookieName(opts.https)
  await app.register(csrfProtection, {
    cookieKey,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.https },
    getToken: submittedToken,
    csrfOpts: { secretLength: 32 },
    logLevel: 'info',
  })
  app.addHook('onRequest', async (req, reply) => {
    // The integration API is called with a token in a header, never by a browser's cookie (ADR 0035).
    if (apiScopeOf(req) !== null) return
    // Only a page fetched safely starts a browser's secret: a POST without one is refused anyway.
    if (UNSAFE.has(req.method) && !req.cookies[cookieKey]) return
    reply.locals.csrfToken = reply.generateCsrf()
  })
  app.addHook('preHandler', (req, reply, done) => {
    if (!UNSAFE.has(req.method) || apiScopeOf(req) !== null) return done()
    app.csrfProtection(req, reply, done)
  })
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['view', 'errors'] })
