/**
 * A browser-like client over inject(): keeps cookies, fetches the CSRF token from a page as a
 * browser would (CSRF is never switched off in tests), and posts urlencoded forms.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { parse } from 'node-html-parser'

export interface Client {
  cookies: Map<string, string>
  get(url: string): Promise<LightMyRequestResponse>
  /** GETs `formPage` (default: `url`), reads its CSRF token, then POSTs the fields to `url`. */
  post(
    url: string,
    fields: Record<string, string | string[]>,
    options?: { formPage?: string; csrf?: string | null },
  ): Promise<LightMyRequestResponse>
  csrfToken(page: string): Promise<string>
}

function encode(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value)
  return params.toString()
}

export function client(
  app: FastifyInstance,
  { ip = '127.0.0.1', userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36' } = {},
): Client {
  const cookies = new Map<string, string>()
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const remember = (res: LightMyRequestResponse) => {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0
      if (expired) cookies.delete(c.name)
      else cookies.set(c.name, c.value)
    }
    return res
  }
  const self: Client = {
    cookies,
    async get(url) {
      return remember(
        await app.inject({
          method: 'GET',
          url,
          remoteAddress: ip,
          headers: { cookie: cookieHeader(), 'user-agent': userAgent },
        }),
      )
    },
    async csrfToken(page) {
      const res = await self.get(page)
      const token = parse(res.body).querySelector('input[name=_csrf]')?.getAttribute('value')
      if (!token) throw new Error(`No CSRF token on ${page} (status ${res.statusCode})`)
      return token
    },
    async post(url, fields, options = {}) {
      const csrf = options.csrf === undefined ? await self.csrfToken(options.formPage ?? url) : options.csrf
      const body = encode(csrf === null ? fields : { _csrf: csrf, ...fields })
      return remember(
        await app.inject({
          method: 'POST',
          url,
          remoteAddress: ip,
          headers: {
            cookie: cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
            'user-agent': userAgent,
          },
          payload: body,
        }),
      )
    },
  }
  return self
}
