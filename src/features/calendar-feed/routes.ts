/**
 * Calendar feeds (issue 6): a person's page to create, replace or turn off their private feed
 * address, and the feed itself at /feeds/<token>.ics. The feed route is public: the token in the
 * address is the secret, and an unknown, replaced or turned-off token gets a plain 404.
 */
import type { FastifyPluginAsync } from 'fastify'
import { createFeed, feedCalendar, feedStatus, feedUrl, turnOffFeed } from '../../services/calendar-feed/feeds.ts'

const signedIn = { access: 'signed-in' as const }

const calendarFeedRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { off?: string } }>('/account/calendar-feed', { config: signedIn }, async (req, reply) => {
    const person = req.session!.person
    const status = await feedStatus(app.db, person.id)
    return reply.view('calendar-feed/views/feed.njk', {
      pageTitle: 'Your calendar feed',
      backLink: { href: '/account', text: 'Your account' },
      status,
      url: null,
      turnedOff: req.query.off === '1',
    })
  })

  app.post('/account/calendar-feed', { config: signedIn }, async (req, reply) => {
    const person = req.session!.person
    const { token, replaced } = await createFeed(app.db, {
      personId: person.id,
      organisationId: person.organisationId,
      schoolId: person.schoolId,
      ip: req.ip,
    })
    const status = await feedStatus(app.db, person.id)
    // The address is shown once, on this response: it is never stored, so it cannot be shown again.
    return reply.view('calendar-feed/views/feed.njk', {
      pageTitle: 'Your calendar feed',
      backLink: { href: '/account', text: 'Your account' },
      status,
      url: feedUrl(app.config.baseUrl, token),
      replaced,
      turnedOff: false,
    })
  })

  app.post('/account/calendar-feed/turn-off', { config: signedIn }, async (req, reply) => {
    const person = req.session!.person
    await turnOffFeed(app.db, {
      personId: person.id,
      organisationId: person.organisationId,
      schoolId: person.schoolId,
      ip: req.ip,
    })
    return reply.redirect('/account/calendar-feed?off=1', 303)
  })

  app.get<{ Params: { file: string } }>('/feeds/:file', { config: { access: 'public' } }, async (req, reply) => {
    const file = req.params.file
    const token = file.endsWith('.ics') ? file.slice(0, -4) : ''
    const calendar = token ? await feedCalendar(app.db, token, { baseUrl: app.config.baseUrl }) : null
    if (calendar === null) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n')
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="haven.ics"')
      .header('x-robots-tag', 'noindex, nofollow')
      .send(calendar)
  })
}

export default calendarFeedRoutes
