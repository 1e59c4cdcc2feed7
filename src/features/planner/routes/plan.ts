/** The plan of the year: the proposal half term by half term, or the sessions already planned. */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import {
  countParam,
  groupByHalfTerm,
  groupByHalfTermName,
  shownHalfTerm,
  yearAfter,
} from '../../../domain/planning/index.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { plannerPage, plannerYearFor } from '../../../services/planning/page.ts'
import { clockText, longDayDate } from '../../../services/planning/wording.ts'
import { schoolFor, schoolPage } from '../../school-scope.ts'
import { readYear } from '../forms.ts'
import { type Found, manage, plannerHref, schoolField, schoolParam, todayOf } from './shared.ts'

export interface PlannerExtra {
  errors?: FormErrors
  status?: number
  half?: string | null
  banner?: Record<string, unknown>
}

/** The planner page for one school and year; also answers a refused propose or confirm. */
export async function renderPlanner(
  app: FastifyInstance,
  reply: FastifyReply,
  found: Found,
  yearId: string,
  extra: PlannerExtra = {},
) {
  const { school } = found
  const { settings, draft, problem, gaps, planned, startOfYear } = await plannerPage(
    app.db,
    school.id,
    yearId,
    todayOf(app),
  )
  const groups = draft
    ? groupByHalfTerm(draft.rows, (row) => ({ ...row, when: longDayDate(row.date), time: clockText(row.startTime) }))
    : []
  const shownHalf = draft ? shownHalfTerm(groups, draft.rows.length, extra.half) : null
  const plannedGroups = groupByHalfTermName(planned?.sessions ?? [], (session) => ({
    ...session,
    when: longDayDate(session.date),
    time: session.startTime ? clockText(session.startTime) : '',
  }))
  const people = draft ? new Set(draft.rows.map((r) => r.superviseeId)).size : 0
  return reply.code(extra.status ?? 200).view('planner/views/planner.njk', {
    pageTitle: `Plan the year ${yearId}`,
    school,
    trust: found.schools.length > 1,
    otherSchools:
      found.schools.length > 1
        ? found.schools
            .filter((s) => s.id !== school.id)
            .map((s) => ({ name: s.name, href: plannerHref({ school: s, schools: found.schools }, yearId) }))
        : [],
    schoolField: schoolField(found),
    yearId,
    years: [-1, 0, 1].map((by) => {
      const id = yearAfter(yearId, by)
      return { id, href: plannerHref(found, id), current: by === 0 }
    }),
    settings: {
      ...settings,
      dayStartsText: clockText(settings.dayStartsAt),
      dayEndsText: clockText(settings.dayEndsAt),
    },
    settingsHref: paths.planner.settings({ school: schoolParam(found), year: yearId }),
    teamsHref: paths.planner.teams({ school: schoolParam(found) }),
    problem,
    startOfYear,
    draft: draft && {
      ...draft,
      fromText: formatLongDate(draft.from),
      untilText: formatLongDate(draft.until),
      people,
    },
    groups: shownHalf === null ? groups : groups.filter((g) => g.anchor === shownHalf),
    halfTermLinks:
      shownHalf === null
        ? []
        : groups.map((g) => ({
            text: `${g.name} (${g.rows.length})`,
            href: plannerHref(found, yearId, { half: g.anchor }),
            current: g.anchor === shownHalf,
          })),
    gaps,
    planned: planned && { ...planned, groups: plannedGroups },
    errors: extra.errors ?? noErrors,
    banner: extra.banner ?? {},
  })
}

export function planRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.planner.index.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      const asked = readYear(req.query.year)
      if (req.query.year !== undefined && asked === null) return renderNotFound(req, reply)
      const yearId = asked ?? (await plannerYearFor(app.db, found.school.id, todayOf(app)))
      return renderPlanner(app, reply, found, yearId, {
        half: req.query.half ?? null,
        banner: {
          proposed: countParam(req.query.proposed),
          unplaceable: countParam(req.query.unplaceable),
          removed: req.query.removed === '1',
          changed: req.query.changed === '1',
          confirmed: countParam(req.query.confirmed),
          discarded: req.query.discarded === '1',
          saved: req.query.saved === '1',
        },
      })
    }),
  )
}
