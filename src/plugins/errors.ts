/**
 * Error pages: a styled 404 for anything unknown, a 4xx page for requests Haven refuses, and a 500
 * page that gives the person a reference to quote while the details go only to the log.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
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

const errorsPlugin: FastifyPluginAsync = async (app) => {
  app.setNotFoundHandler(renderNotFound)
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500
    if (csrfRefusals.has(error.code)) return renderClientError(reply, 403, formExpired)
    if (status >= 400 && status < 500) {
      req.log.info({ code: error.code, status }, 'request refused')
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
