/**
 * CSRF protection for every state-changing request (ASVS V4.2.2, V50). Each browser gets a random
 * HttpOnly cookie; forms carry a token derived from it (`_csrf`). A POST, PUT, PATCH or DELETE
 * whose token does not match gets 403 and changes nothing: the check runs before any handler.
 */
import crypto from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { randomToken, safeEqual } from '../domain/auth/tokens.ts'
import { renderClientError } from './errors.ts'

export function csrfCookieName(https: boolean): string {
  return https ? '__Host-haven_csrf' : 'haven_csrf'
}

export function csrfTokenFor(secret: string): string {
  return crypto.createHash('sha256').update(`haven-csrf:${secret}`).digest('base64url')
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

declare module 'fastify' {
  interface FastifyRequest {
    csrfSecret: string
  }
}

function submittedToken(req: FastifyRequest): string {
  const body = req.body as Record<string, unknown> | undefined
  const fromBody = body && typeof body._csrf === 'string' ? body._csrf : ''
  const fromHeader = req.headers['x-csrf-token']
  const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf
  return (
    fromBody || (typeof fromHeader === 'string' ? fromHeader : '') || (typeof fromQuery === 'string' ? fromQuery : '')
  )
}

const csrfPlugin: FastifyPluginAsync<{ https: boolean }> = async (app, opts) => {
  const name = csrfCookieName(opts.https)
  app.decorateRequest('csrfSecret', '')
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    let secret = req.cookies[name]
    if (!secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) {
      secret = randomToken()
      if (!UNSAFE.has(req.method)) {
        reply.setCookie(name, secret, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.https })
      }
    }
    req.csrfSecret = secret
    reply.locals.csrfToken = csrfTokenFor(secret)
  })
  app.addHook('preHandler', async (req, reply) => {
    if (!UNSAFE.has(req.method)) return
    const hadCookie = !!req.cookies[name]
    if (!hadCookie || !safeEqual(submittedToken(req), csrfTokenFor(req.csrfSecret))) {
      req.log.info({ path: req.routeOptions.url }, 'CSRF token missing or wrong')
      return renderClientError(reply, 403, {
        heading: 'Your form has expired',
        paragraphs: ['For your security, Haven did not save what you sent. Go back, reload the page and try again.'],
      })
    }
  })
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['view'] })
