/**
 * Issue 14 (ADR 0052): once a school has moved to a trust on another Haven installation, its data
 * here is read-only: every change is refused with a page that says where the school went, except
 * signing out and the move's own pages (its file, or cancelling the move). Reading stays, for
 * people and for integrations through the API alike.
 */
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { paths } from '../paths/index.ts'
import { hasMovedAway } from '../services/trust/school-bundle.ts'
import { renderClientError, sendProblem } from './errors.ts'

const stillAllowed = [paths.auth.signOut(), paths.schoolBundle.move(), paths.schoolBundle.cancel()]

const movedAwayPlugin: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', async (req, reply) => {
    // Whoever is asking: a person signed in, or an integration with an API token.
    const organisationId = req.actor?.organisationId ?? req.apiClient?.organisationId
    if (!organisationId || req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return
    const url = req.url.split('?')[0]
    if (stillAllowed.includes(url ?? '')) return
    if (!(await hasMovedAway(app.db, organisationId))) return
    if (req.apiClient)
      return sendProblem(reply, 409, {
        title: 'The school has moved to its trust’s Haven',
        detail: 'What the school had here can still be read, but not changed. Use the trust’s Haven.',
      })
    return renderClientError(reply, 409, {
      heading: 'The school has moved to its trust’s Haven',
      paragraphs: [
        'The school now uses Haven on its trust’s service. What it had here can still be read, but not changed.',
        'Sign in to the trust’s Haven to carry on.',
      ],
    })
  })
}

export default fp(movedAwayPlugin, { name: 'moved-away', dependencies: ['auth'] })
