/**
 * Structured JSON logs with no personal data: requests are logged by method, path (never the
 * query string, which may hold a search for a name or an email) and status; cookies, credentials
 * and form bodies are never logged.
 */
import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config.ts'

export function pathOnly(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    base: { service: 'haven' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.email'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOnly(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  }
}
