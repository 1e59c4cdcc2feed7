/** "Your sessions": upcoming and past, rebookings that need doing, and the ways in to the rest. */
import type { FastifyInstance } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { managesSessions, mayBookAny, seesEveryCancellation } from '../../../domain/scheduling/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { ownSupervisees, policyOn, typeNamer } from '../../../services/sessions/context.ts'
import { judgeFor, mySessions } from '../../../services/sessions/overview.ts'
import { openRequestCount } from '../../../services/sessions/requests.ts'
import { namesOf, sessionRow } from '../presenters.ts'
import { schoolFor, schoolQuery, today } from '../shared.ts'

export function mySessionsRoutes(app: FastifyInstance) {
  const db = app.db

  app.get<{ Querystring: { school?: string } }>(
    paths.sessions.index.pattern,
    { config: { access: 'signed-in' } },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const { school, schools } = found
      const actor = req.actor!
      const judge = await judgeFor(db, school.id, today(req))
      const typeName = typeNamer(judge.versions)
      const mine = await mySessions(db, school, actor.personId, judge)
      const own = await ownSupervisees(db, actor.personId)
      const sq = schoolQuery(school, schools)
      return reply.view('sessions/views/my-sessions.njk', {
        pageTitle: 'Your sessions',
        school,
        upcoming: mine.upcoming.map((s) => sessionRow(s, typeName, actor.personId)),
        past: mine.past.map((s) => sessionRow(s, typeName, actor.personId)),
        rebookingWarnings: mine.rebookingWarnings.map((m) => ({
          sessionId: m.sessionId,
          title: `${typeName(m.typeId)} on ${formatLongDate(m.date)} with ${namesOf(m.supervisees)}`,
          message: m.rebooking.message,
        })),
        requestsWaiting: await openRequestCount(db, school.id, actor),
        canBook: mayBookAny(actor, own.size),
        canManage: managesSessions(actor),
        hasGroups: (policyOn(judge.versions, today(req))?.standingGroups.length ?? 0) > 0,
        seesCancellations: seesEveryCancellation(
          policyOn(judge.versions, today(req)),
          actor.in(school.id),
          managesSessions(actor.in(school.id)),
        ),
        links: {
          book: paths.sessions.book(sq),
          unplanned: paths.sessions.unplanned(sq),
          request: paths.sessions.newRequest(),
          week: paths.sessions.week(sq),
          month: paths.sessions.month(sq),
          cancellations: paths.sessions.cancellations(sq),
          groups: paths.sessions.groups(sq),
        },
      })
    },
  )
}
