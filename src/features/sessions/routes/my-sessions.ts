/** "Your sessions": upcoming and past, rebookings that need doing, and the ways in to the rest. */
import type { FastifyInstance } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { pagedTitle, pageOfList, parseListQuery, statusItems } from '../../../domain/lists/list-query.ts'
import { managesSessions, mayBookAny, seesEveryCancellation } from '../../../domain/scheduling/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { type PolicyBook, policyBook } from '../../../services/policy/on-date.ts'
import { ownSupervisees } from '../../../services/sessions/context.ts'
import { judgeFor, mySessions, mySessionsListSpec } from '../../../services/sessions/overview.ts'
import { openRequestCount } from '../../../services/sessions/requests.ts'
import { namesOf, sessionRow, sessionStatusNames } from '../presenters.ts'
import { schoolFor, schoolPage, schoolQuery, today } from '../shared.ts'

const upcomingLabels = {
  noun: ['upcoming session', 'upcoming sessions'],
  columns: { date: 'Date', type: 'Session' },
} as const
const pastLabels = { noun: ['past session', 'past sessions'], columns: { date: 'Date', type: 'Session' } } as const

export function mySessionsRoutes(app: FastifyInstance) {
  const db = app.db

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.sessions.index.pattern,
    { config: { access: 'signed-in' } },
    schoolPage(schoolFor, async (req, reply, found) => {
      const { school, schools } = found
      const actor = req.actor!
      const judge = await judgeFor(db, school.id, today(req))
      // Issue 16: upcoming or past, a page at a time, filtered, searched and sorted.
      const show = req.query.show === 'past' ? 'past' : 'upcoming'
      const spec = mySessionsListSpec(show)
      const query = parseListQuery(req.query, spec)
      const mine = await mySessions(db, school, actor.personId, judge, show, query)
      const chosen = schools.length > 1 ? school.slug : undefined
      const at = (params: Record<string, string | number | undefined>) =>
        paths.sessions.index({ school: chosen, show: show === 'past' ? 'past' : undefined, ...params })
      const list = pageOfList(query, spec, show === 'past' ? pastLabels : upcomingLabels, {
        total: mine.total,
        shown: mine.sessions.length,
        href: at,
      })
      if (!list) return renderNotFound(req, reply)
      // A trust's sessions may be of other schools: each is named by its own school's policy (ADR 0021).
      const books = new Map<string, PolicyBook>([[school.id, judge.book]])
      for (const s of mine.sessions) if (!books.has(s.schoolId)) books.set(s.schoolId, await policyBook(db, s.schoolId))
      const row = (s: (typeof mine.sessions)[number]) =>
        sessionRow(s, (typeId) => (books.get(s.schoolId) ?? judge.book).typeName(typeId, s.date), actor.personId)
      const own = await ownSupervisees(db, actor.personId)
      const sq = schoolQuery(school, schools)
      const select = (chosenId: string | null, items: { value: string; text: string }[], any: string) => [
        { value: '', text: any },
        ...items.map((i) => ({ ...i, selected: i.value === chosenId })),
      ]
      const people = (role: 'supervisor' | 'supervisee') =>
        mine.people.filter((p) => p.role === role).map((p) => ({ value: p.id, text: p.name }))
      return reply.view('sessions/views/my-sessions.njk', {
        pageTitle: pagedTitle('Your sessions', list),
        school,
        show,
        list,
        tabs: {
          upcoming: paths.sessions.index({ school: chosen }),
          past: paths.sessions.index({ school: chosen, show: 'past' }),
        },
        hidden: [
          ...(chosen ? [{ name: 'school', value: chosen }] : []),
          ...(show === 'past' ? [{ name: 'show', value: 'past' }] : []),
        ],
        selects: [
          { name: 'person', label: 'Supervisee', items: select(query.person, people('supervisee'), 'Anyone') },
          { name: 'supervisor', label: 'Supervisor', items: select(query.supervisor, people('supervisor'), 'Anyone') },
          {
            name: 'kind',
            label: 'Kind of session',
            items: select(
              query.kind,
              mine.typeIds.map((id) => ({ value: id, text: judge.book.typeName(id, today(req)) })),
              'Any',
            ),
          },
          {
            name: 'status',
            label: 'Status',
            items: statusItems(spec, query.status, (s) => sessionStatusNames[s as keyof typeof sessionStatusNames]),
          },
        ],
        sessions: mine.sessions.map(row),
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
    }),
  )
}
