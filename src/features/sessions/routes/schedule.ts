/** The school's sessions by week and by month, and the sessions that did not take place (MW-06). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { formatLongDate, isoWeekday } from '../../../domain/calendar/index.ts'
import { pageOfList, parseListQuery, statusItems } from '../../../domain/lists/list-query.ts'
import {
  managesSessions,
  otherViewKey,
  reasonName,
  type SchedulePage,
  schedulePage,
  seesEveryCancellation,
} from '../../../domain/scheduling/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { formatDateTime } from '../../../presenters/format.ts'
import { cancellationsListSpec, judgeFor, missedSessionsPage } from '../../../services/sessions/overview.ts'
import { sessionsBetween } from '../../../services/sessions/repository.ts'
import {
  cancellationKindNames,
  namesOf,
  policyNotes,
  rebookingTag,
  sessionRow,
  statusTag,
  weekdayNames,
} from '../presenters.ts'
import { schoolFor, schoolPage, schoolQuery, today, withQuery } from '../shared.ts'

const manage = { access: { permission: Permission.SessionsManage } }

/** The most sessions a week or month shows; more, and the page says so and points to the weeks. */
const SCHEDULE_LIMIT = 2000

const cancellationsLabels = {
  noun: ['session', 'sessions'],
  columns: { date: 'Session', recorded: 'Recorded by' },
} as const

const noCancellations = {
  heading: 'You do not have permission to see this page',
  paragraphs: [
    "Every cancelled session of the school is listed for the people the school's policy names and those who manage its sessions. Your own sessions are under Your sessions.",
  ],
}

async function renderSchedule(
  req: FastifyRequest,
  reply: FastifyReply,
  view: 'week' | 'month',
  key: string | undefined,
  slug: string | undefined,
) {
  const db = req.server.db
  const found = await schoolFor(req, slug)
  if (!found) return renderNotFound(req, reply)
  const on = today(req)
  const page = schedulePage(view, key, on)
  if (!page) return renderNotFound(req, reply)
  const { school, schools } = found
  const judge = await judgeFor(db, school.id, on)
  // Issue 16: never cut silently. A week or month holding more than a page can show says so.
  const read = await sessionsBetween(db, school.id, page.start, page.end, SCHEDULE_LIMIT + 1)
  const more = read.length > SCHEDULE_LIMIT
  const sessions = more ? read.slice(0, SCHEDULE_LIMIT) : read
  const sq = schoolQuery(school, schools)
  const href = (v: 'week' | 'month', k: string) =>
    withQuery(v === 'week' ? paths.sessions.week({ date: k }) : paths.sessions.month({ month: k }), sq)
  const neighbour = (k: string): SchedulePage => schedulePage(view, k, on) as SchedulePage
  const n = sessions.length
  return reply.view('sessions/views/schedule.njk', {
    pageTitle: `Sessions: ${page.title}`,
    backLink: { href: paths.sessions.index(sq), text: 'Your sessions' },
    school,
    page,
    more,
    caption: `${more ? `The first ${n.toLocaleString('en-GB')} of more than ${n.toLocaleString('en-GB')} sessions` : `${n} ${n === 1 ? 'session' : 'sessions'}`} ${view === 'week' ? `in the ${page.title.charAt(0).toLowerCase()}${page.title.slice(1)}` : `in ${page.title}`}`,
    rows: sessions.map((s) => ({
      ...sessionRow(s, (typeId) => judge.book.typeName(typeId, s.date), null),
      dayName: weekdayNames[isoWeekday(s.date)],
    })),
    previousTitle: neighbour(page.previousKey).title,
    nextTitle: neighbour(page.nextKey).title,
    links: {
      previous: href(view, page.previousKey),
      next: href(view, page.nextKey),
      otherView: href(view === 'week' ? 'month' : 'week', otherViewKey(page, on)),
      today: (view === 'week' ? paths.sessions.week : paths.sessions.month)(sq),
    },
  })
}

export function scheduleRoutes(app: FastifyInstance) {
  const db = app.db

  app.get<{ Querystring: { date?: string; school?: string } }>(
    paths.sessions.week.pattern,
    { config: manage },
    async (req, reply) => renderSchedule(req, reply, 'week', req.query.date, req.query.school),
  )
  app.get<{ Querystring: { month?: string; school?: string } }>(
    paths.sessions.month.pattern,
    { config: manage },
    async (req, reply) => renderSchedule(req, reply, 'month', req.query.month, req.query.school),
  )

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.sessions.cancellations.pattern,
    // MW-06: those who manage the school's sessions, and the roles the policy names, see every cancellation.
    { config: { access: 'signed-in' } },
    schoolPage(schoolFor, async (req, reply, found) => {
      const { school, schools } = found
      const judge = await judgeFor(db, school.id, today(req))
      const policy = judge.book.on(today(req))
      const actor = req.actor!.in(school.id)
      if (!seesEveryCancellation(policy, actor, managesSessions(actor)))
        return renderClientError(reply, 403, noCancellations)
      const query = parseListQuery(req.query, cancellationsListSpec)
      const page = await missedSessionsPage(db, judge, { schoolId: school.id, list: query })
      const chosen = schools.length > 1 ? school.slug : undefined
      const list = pageOfList(query, cancellationsListSpec, cancellationsLabels, {
        total: page.total,
        shown: page.rows.length,
        href: (params) => paths.sessions.cancellations({ school: chosen, ...params }),
      })
      if (!list) return renderNotFound(req, reply)
      const missed = page.rows
      const types = policy?.sessionTypes ?? []
      return reply.view('sessions/views/cancellations.njk', {
        list,
        hidden: chosen ? [{ name: 'school', value: chosen }] : [],
        selects: [
          {
            name: 'status',
            label: 'What happened',
            items: statusItems(
              cancellationsListSpec,
              query.status,
              (k) => cancellationKindNames[k as keyof typeof cancellationKindNames],
              'Anything',
            ),
          },
          {
            name: 'kind',
            label: 'Kind of session',
            items: [
              { value: '', text: 'Any' },
              ...types.map((t) => ({ value: t.id, text: t.name, selected: t.id === query.kind })),
            ],
          },
        ],
        pageTitle: 'Sessions that did not take place',
        backLink: { href: paths.sessions.index(schoolQuery(school, schools)), text: 'Your sessions' },
        school,
        policyNotes: policyNotes(policy),
        rows: missed.map((m) => ({
          href: paths.sessions.show({ id: m.sessionId }),
          date: formatLongDate(m.date),
          typeName: judge.book.typeName(m.typeId, m.date),
          supervisors: namesOf(m.supervisors),
          supervisees: namesOf(m.supervisees),
          kindTag: statusTag(m.kind === 'did-not-attend' ? 'did-not-attend' : 'cancelled', m.kind),
          reason: `${reasonName(judge.book.versions, m.reasonId)}${m.reasonNote ? `: ${m.reasonNote}` : ''}`,
          returnDate: m.returnDate ? formatLongDate(m.returnDate) : null,
          by: m.cancelledBy?.name ?? 'Unknown',
          at: formatDateTime(m.cancelledAt),
          rebookingTag: rebookingTag(m.rebooking),
          rebookingMessage: m.rebooking.message,
        })),
      })
    }),
  )
}
