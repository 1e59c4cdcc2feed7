/**
 * Calendar feeds (issue 6): a person's page to create, replace or turn off their private feed
 * address, and the feed itself at /feeds/<token>.ics. The feed route is public: the token in the
 * address is the secret, and an unknown, replaced or turned-off token gets a plain 404.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { paths } from '../../paths/index.ts'
import { createFeed, feedCalendar, feedStatus, feedUrl, turnOffFeed } from '../../services/calendar-feed/feeds.ts'

const signedIn = { access: 'signed-in' as const }

/** Whose feed, in which organisation and school (for the audit log), from where. */
function ownerOf(req: FastifyRequest) {
  const actor = req.actor!
  return { personId: actor.personId, organisationId: actor.organisationId, schoolId: actor.schoolId, ip: req.ip }
}

const feedPage = { pageTitle: 'Your calendar feed', backLink: { href: paths.account.index(), text: 'Your account' } }

const calendarFeedRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { off?: string } }>(paths.calendar.feed.pattern, { config: signedIn }, async (req, reply) => {
    const status = await feedStatus(app.db, req.actor!.personId)
    return reply.view('calendar-feed/views/feed.njk', {
      ...feedPage,
      status,
      url: null,
      turnedOff: req.query.off === '1',
    })
  })

  app.post(paths.calendar.feed.pattern, { config: signedIn }, async (req, reply) => {
    const { token, replaced } = await createFeed(app.db, ownerOf(req))
    const status = await feedStatus(app.db, req.actor!.personId)
    // The address is shown once, on this response: it is never stored, so it cannot be shown again.
    return reply.view('calendar-feed/views/feed.njk', {
      ...feedPage,
      status,
      url: feedUrl(app.config.baseUrl, token),
      replaced,
      turnedOff: false,
    })
  })

  app.post(paths.calendar.feedTurnOff.pattern, { config: signedIn }, async (req, reply) => {
    await turnOffFeed(app.db, ownerOf(req))
    return reply.redirect(paths.calendar.feed({ off: 1 }), 303)
  })

  app.get<{ Params: { file: string } }>(
    paths.calendar.feedFile.pattern,
    { config: { access: 'public' } },
    async (req, reply) => {
      const file = req.params.file
      const token = file.endsWith('.ics') ? file.slice(0, -4) : ''
      const calendar = token
        ? await feedCalendar(app.db, token, { baseUrl: app.config.baseUrl, now: app.clock() })
        : null
      if (calendar === null) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n')
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="haven.ics"')
        .header('x-robots-tag', 'noindex, nofollow')
        .send(calendar)
    },
  )
}

export default calendarFeedRoutes
