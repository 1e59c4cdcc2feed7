/**
 * Error pages: a styled 404 for anything unknown, a 4xx page for requests Haven refuses, and a 500
 * page that gives the person a reference to quote while the details go only to the log.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify'
import fp from 'fastify-plugin'

export function renderNotFound(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).view('pages/error.njk', {
    pageTitle: 'Page not found',
    heading: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ],
    requestId: req.id,
  })
}

/**
 * A handler for a page about something the request names (a record, a template, the school chosen
 * by `?school=`): `load` finds it, or nothing when it is not there or beyond the person's reach,
 * and the page is then not found; else the handler is given what was found.
 */
export function whenFound<R extends RouteGenericInterface, T>(
  load: (req: FastifyRequest<R>) => Promise<T | null | undefined>,
  handler: (req: FastifyRequest<R>, reply: FastifyReply, found: T) => Promise<unknown>,
) {
  return async (req: FastifyRequest<R>, reply: FastifyReply): Promise<unknown> => {
    const found = await load(req)
    if (found === null || found === undefined) return renderNotFound(req, reply)
    return handler(req, reply, found)
  }
}

const clientErrors: Record<number, { heading: string; paragraphs: string[] }> = {
  400: { heading: 'Sorry, there is a problem with your request', paragraphs: ['Go back and try again.'] },
  403: {
    heading: 'You cannot do that',
    paragraphs: ['Your form may have expired or you may not have permission. Go back, reload the page and try again.'],
  },
  404: { heading: 'Page not found', paragraphs: ['If you typed the web address, check it is correct.'] },
  405: { heading: 'Sorry, there is a problem with your request', paragraphs: ['Go back and try again.'] },
  413: { heading: 'The file or form is too large', paragraphs: ['Files must be 10 MB or smaller.'] },
  415: {
    heading: 'Sorry, there is a problem with your request',
    paragraphs: ['The form was sent in a way Haven does not accept.'],
  },
  429: { heading: 'Too many attempts', paragraphs: ['Wait a few minutes, then try again.'] },
}

/** The page for a form whose CSRF token is missing or wrong (plugins/csrf.ts). */
const formExpired = {
  heading: 'Your form has expired',
  paragraphs: ['For your security, Haven did not save what you sent. Go back, reload the page and try again.'],
}
/** The codes @fastify/csrf-protection refuses a request with. */
const csrfRefusals = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN'])

export function renderClientError(
  reply: FastifyReply,
  status: number,
  override?: { heading?: string; paragraphs?: string[] },
) {
  const page = clientErrors[status] ?? clientErrors[400]!
  const heading = override?.heading ?? page.heading
  return reply.code(status).view('pages/error.njk', {
    pageTitle: heading,
    heading,
    paragraphs: override?.paragraphs ?? page.paragraphs,
  })
}

/** Most of a refused body read (and thrown away) so its sender can finish and read the answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024
const DRAIN_TIMEOUT_MS = 30_000

/**
 * Reads and discards the rest of a request body Haven refused before reading it all (too large,
 * a type it does not take, too many requests). Answering while the client is still sending, then
 * closing, makes its operating system reset the connection, and a browser shows "connection reset"
 * instead of the answer (issue 12). Beyond DRAIN_LIMIT_BYTES or DRAIN_TIMEOUT_MS it gives up and
 * the connection is closed regardless.
 */
export function drainRequest(req: FastifyRequest): Promise<void> {
  const raw = req.raw
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve()
  if (Number(req.headers['content-length']) > DRAIN_LIMIT_BYTES) return Promise.resolve()
  return new Promise((resolve) => {
    let seen = 0
    const finish = () => {
      clearTimeout(timer)
      raw.off('data', onData)
      raw.off('end', finish)
      raw.off('error', finish)
      raw.off('close', finish)
      resolve()
    }
    const onData = (chunk: Buffer) => {
      seen += chunk.length
      if (seen > DRAIN_LIMIT_BYTES) finish()
    }
    const timer = setTimeout(finish, DRAIN_TIMEOUT_MS)
    raw.on('data', onData)
    raw.once('end', finish)
    raw.once('error', finish)
    raw.once('close', finish)
    raw.resume()
  })
}

/** A problem in the integration API: RFC 9457 `application/problem+json`, naming fields or rows in `errors`. */
export interface Problem {
  title: string
  detail?: string
  errors?: { field?: string; row?: number | null; column?: string | null; message: string }[]
}

export function sendProblem(reply: FastifyReply, status: number, problem: Problem) {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="haven"')
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify({ type: 'about:blank', status, ...problem }))
}

/** The integration API's addresses: their errors are JSON, never a page. */
export function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/')
}

const apiTitles: Record<number, string> = {
  404: 'Not found',
  405: 'Method not allowed',
  413: 'The request body is too large',
  415: 'Send JSON (application/json) or CSV (text/csv) as the endpoint says',
  429: 'Too many requests',
}

const errorsPlugin: FastifyPluginAsync = async (app) => {
  app.setNotFoundHandler((req, reply) =>
    isApiUrl(req.url) ? sendProblem(reply, 404, { title: 'Not found' }) : renderNotFound(req, reply),
  )
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500
    if (isApiUrl(req.url)) {
      if (status >= 400 && status < 500) {
        req.log.info({ code: error.code, status }, 'API request refused')
        await drainRequest(req)
        return sendProblem(reply, status, { title: apiTitles[status] ?? 'The request could not be read' })
      }
      req.log.error({ err: error }, 'unhandled error')
      return sendProblem(reply, 500, { title: 'Sorry, there is a problem with Haven', detail: `Reference ${req.id}` })
    }
    if (csrfRefusals.has(error.code)) return renderClientError(reply, 403, formExpired)
    if (status >= 400 && status < 500) {
      req.log.info({ code: error.code, status }, 'request refused')
      await drainRequest(req)
      return renderClientError(reply, status)
    }
    req.log.error({ err: error }, 'unhandled error')
    return reply.code(500).view('pages/error.njk', {
      pageTitle: 'Sorry, there is a problem with Haven',
      heading: 'Sorry, there is a problem with Haven',
      paragraphs: ['Try again later. Nothing you sent has been saved unless Haven told you it was.'],
      reference: req.id,
    })
  })
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['view'] })
