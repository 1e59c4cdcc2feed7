/**
 * A CSRF token as a browser gets one: from the `_csrf` field of a page fetched with the browser's
 * secret cookie. Tokens made from one secret stay valid for every form sent with that cookie, so a
 * builder that fixes the cookie fetches one token and reuses it (ADR 0014).
 */
import type { FastifyInstance } from 'fastify'
import { csrfCookieName } from '../../src/plugins/csrf.ts'

export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('No CSRF token on the page')
  return token
}

/** A token for `secret` from the sign-in page of an app driven with inject(). */
export async function csrfTokenFor(app: FastifyInstance, secret: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/sign-in', cookies: { [csrfCookieName(false)]: secret } })
  return csrfTokenIn(res.body)
}

/** A token for `secret` from the sign-in page of a listening server. */
export async function csrfTokenFromServer(baseUrl: string, secret: string): Promise<string> {
  const res = await fetch(`${baseUrl}/sign-in`, { headers: { cookie: `${csrfCookieName(false)}=${secret}` } })
  return csrfTokenIn(await res.text())
}
