/** "Your sessions": upcoming and past, rebookings that need doing, and the ways in to the rest. */
import type { FastifyInstance } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { managesSessions, mayBookAny, seesEveryCancellation } from '../../../domain/scheduling/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { type PolicyBook, policyBook } from '../../../services/policy/on-date.ts'
import { ownSupervisees } from '../../../services/sessions/context.ts'
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
      const mine = await mySessions(db, school, actor.personId, judge)
      // A trust's sessions may be of other schools: each is named by its own school's policy (ADR 0021).
      const books = new Map<string, PolicyBook>([[school.id, judge.book]])
      for (const s of [...mine.upcoming, ...mine.past])
        if (!books.has(s.schoolId)) books.set(s.schoolId, await policyBook(db, s.schoolId))
      const row = (s: (typeof mine.upcoming)[number]) =>
        sessionRow(s, (typeId) => (books.get(s.schoolId) ?? judge.book).typeName(typeId, s.date), actor.personId)
      const own = await ownSupervisees(db, actor.personId)
      const sq = schoolQuery(school, schools)
      return reply.view('sessions/views/my-sessions.njk', {
        pageTitle: 'Your sessions',
        school,
        upcoming: mine.upcoming.map(row),
        past: mine.past.map(row),
        rebookingWarnings: mine.rebookingWarnings.map((m) => ({
          sessionId: m.sessionId,
          title: `${judge.book.typeName(m.typeId, m.date)} on ${formatLongDate(m.date)} with ${namesOf(m.supervisees)}`,
          message: m.rebooking.message,
        })),
        requestsWaiting: await openRequestCount(db, school.id, actor),
        canBook: mayBookAny(actor, own.size),
        canManage: managesSessions(actor),
        hasGroups: (judge.book.on(today(req))?.standingGroups.length ?? 0) > 0,
        seesCancellations: seesEveryCancellation(
          judge.book.on(today(req)),
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
