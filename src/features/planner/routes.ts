/**
 * The annual planner (CA-02, MW-01, MW-04; issue 6): the DSL asks Haven to propose every required
 * session for the year, checks the proposal half term by half term, changes a date or removes a
 * session, and confirms the rest in one go. Also the planner's settings (limits per supervisor,
 * the hours of the school day, the preparation reminder). Every form works without JavaScript.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { academicYearBounds, formatLongDate, parseAcademicYearId } from '../../domain/calendar/index.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { isUuid } from '../../domain/ids.ts'
import { type FormErrors, field, noErrors } from '../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { schoolCalendar } from '../../services/calendar/store.ts'
import {
  changeDraftRowDate,
  confirmDraft,
  type DraftRow,
  type DraftRowDetail,
  type DraftView,
  discardDraft,
  draftGaps,
  getDraft,
  getDraftRow,
  plannedSessions,
  proposeDraft,
  removeDraftRow,
} from '../../services/planning/drafts.ts'
import { defaultPlanYear, loadPlanInput, PlanningError } from '../../services/planning/inputs.ts'
import { plannerSettings, savePlannerSettings } from '../../services/planning/settings.ts'
import { clockText, longDayDate } from '../../services/planning/wording.ts'
import type { SchoolSummary } from '../../services/staff/schools.ts'
import { schoolFor } from '../school-scope.ts'
import {
  changeDateHrefs,
  changeDateSchema,
  confirmSchema,
  type DateParts,
  datePartsFrom,
  datePartsOf,
  readYear,
  settingsSchema,
  settingsValues,
} from './forms.ts'

const manage = { access: { permission: Permission.SessionsManage } }
/** Above this many proposals, the page shows one half term at a time. */
const ROWS_ON_ONE_PAGE = 600

export const conflictMessage =
  'Someone else changed this plan while you were looking at it. Nothing has been confirmed. Check the sessions below, then confirm again.'

type Found = { school: SchoolSummary; schools: SchoolSummary[] }

/** The school chosen, for someone choosing among the trust's schools; else nothing. */
function schoolParam(found: Found): string | undefined {
  return found.schools.length > 1 ? found.school.slug : undefined
}

function plannerHref(found: Found, yearId: string, extra: Record<string, string> = {}): string {
  return paths.planner.index({ school: schoolParam(found), year: yearId, ...extra })
}

function nextYearId(yearId: string, by: number): string {
  const bounds = parseAcademicYearId(yearId)!
  return academicYearBounds(bounds.startYear + by).id
}

interface HalfTermGroup {
  id: string
  name: string
  anchor: string
  rows: (DraftRow & { when: string; time: string })[]
}

function groupRows(rows: readonly DraftRow[]): HalfTermGroup[] {
  const groups: HalfTermGroup[] = []
  for (const row of rows) {
    let group = groups.find((g) => g.id === row.halfTermId)
    if (!group) {
      group = {
        id: row.halfTermId,
        name: row.halfTermName,
        anchor: `half-term-${row.halfTermId.split('/')[1] ?? 'other'}`,
        rows: [],
      }
      groups.push(group)
    }
    group.rows.push({ ...row, when: longDayDate(row.date), time: clockText(row.startTime) })
  }
  return groups
}

function count(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : null
}

const plannerRoutes: FastifyPluginAsync = async (app) => {
  /** Today in London, from the app's clock (ADR 0017) so that tests can set it. */
  const today = (): string => londonDateOf(app.clock())

  async function renderPlanner(
    reply: FastifyReply,
    found: Found,
    yearId: string,
    extra: { errors?: FormErrors; status?: number; half?: string | null; banner?: Record<string, unknown> } = {},
  ) {
    const { school } = found
    const bounds = parseAcademicYearId(yearId)!
    const calendar = await schoolCalendar(app.db, school.id, bounds.start)
    const settings = await plannerSettings(app.db, school.id)
    const draft: DraftView | null = await getDraft(app.db, school.id, yearId, calendar)
    let problem: string | null = null
    let gaps: { name: string; message: string }[] = []
    if (draft) {
      try {
        const loaded = await loadPlanInput(app.db, school.id, yearId, today())
        gaps = draftGaps(loaded, draft).slice(0, 200)
      } catch (error) {
        if (!(error instanceof PlanningError)) throw error
        problem = error.message
      }
    } else {
      try {
        await loadPlanInput(app.db, school.id, yearId, today())
      } catch (error) {
        if (!(error instanceof PlanningError)) throw error
        problem = error.message
      }
    }
    const groups = draft ? groupRows(draft.rows) : []
    const paged = draft !== null && draft.rows.length > ROWS_ON_ONE_PAGE
    const shownHalf = paged ? (groups.find((g) => g.anchor === extra.half) ?? groups[0])?.anchor : null
    const planned =
      draft === null ? await plannedSessions(app.db, school.id, bounds.start, bounds.end, calendar, 1000) : null
    const plannedGroups: { name: string; sessions: Record<string, unknown>[] }[] = []
    for (const session of planned?.sessions ?? []) {
      let group = plannedGroups.find((g) => g.name === session.halfTermName)
      if (!group) {
        group = { name: session.halfTermName, sessions: [] }
        plannedGroups.push(group)
      }
      group.sessions.push({
        ...session,
        when: longDayDate(session.date),
        time: session.startTime ? clockText(session.startTime) : '',
      })
    }
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
      schoolField: found.schools.length > 1 ? found.school.slug : '',
      yearId,
      years: [-1, 0, 1].map((by) => {
        const id = nextYearId(yearId, by)
        return { id, href: plannerHref(found, id), current: by === 0 }
      }),
      settings: {
        ...settings,
        dayStartsText: clockText(settings.dayStartsAt),
        dayEndsText: clockText(settings.dayEndsAt),
      },
      settingsHref: paths.planner.settings({ school: schoolParam(found), year: yearId }),
      problem,
      draft: draft && {
        ...draft,
        fromText: formatLongDate(draft.from),
        untilText: formatLongDate(draft.until),
        people,
      },
      groups: paged ? groups.filter((g) => g.anchor === shownHalf) : groups,
      halfTermLinks: paged
        ? groups.map((g) => ({
            text: `${g.name} (${g.rows.length})`,
            href: plannerHref(found, yearId, { half: g.anchor }),
            current: g.anchor === shownHalf,
          }))
        : [],
      gaps,
      planned: planned && { ...planned, groups: plannedGroups },
      errors: extra.errors ?? noErrors,
      banner: extra.banner ?? {},
    })
  }

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.planner.index.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      let yearId = readYear(req.query.year)
      if (req.query.year !== undefined && yearId === null) return renderNotFound(req, reply)
      if (yearId === null) {
        const now = today()
        const calendar = await schoolCalendar(app.db, found.school.id, now)
        yearId = defaultPlanYear(now, (id) => {
          const year = calendar.years.find((y) => y.id === id)
          return year
            ? ([...year.halfTerms]
                .map((h) => h.end)
                .sort()
                .at(-1) ?? null)
            : null
        })
      }
      return renderPlanner(reply, found, yearId, {
        half: req.query.half ?? null,
        banner: {
          proposed: count(req.query.proposed),
          unplaceable: count(req.query.unplaceable),
          removed: req.query.removed === '1',
          changed: req.query.changed === '1',
          confirmed: count(req.query.confirmed),
          discarded: req.query.discarded === '1',
          saved: req.query.saved === '1',
        },
      })
    },
  )

  app.post(paths.planner.propose.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    const yearId = readYear(field(req.body, 'year'))
    if (!found || !yearId) return renderNotFound(req, reply)
    try {
      const result = await proposeDraft(app.db, {
        schoolId: found.school.id,
        yearId,
        today: today(),
        actorId: req.actor!.personId,
      })
      return reply.redirect(
        plannerHref(found, yearId, { proposed: String(result.proposals), unplaceable: String(result.unplaceable) }),
        303,
      )
    } catch (error) {
      if (!(error instanceof PlanningError)) throw error
      return renderPlanner(reply, found, yearId, {
        errors: problemErrors([{ field: 'propose', message: error.message }], { propose: 'problem' }),
        status: 400,
      })
    }
  })

  app.post(paths.planner.confirm.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    const yearId = readYear(field(req.body, 'year'))
    if (!found || !yearId) return renderNotFound(req, reply)
    const form = parseForm(confirmSchema, req.body)
    const result = await confirmDraft(app.db, {
      schoolId: found.school.id,
      organisationId: found.school.organisationId,
      yearId,
      expectedVersion: form.ok ? form.value.version : -1,
      actorId: req.actor!.personId,
      baseUrl: app.config.baseUrl,
    })
    if (result.ok) return reply.redirect(plannerHref(found, yearId, { confirmed: String(result.created) }), 303)
    if (result.kind === 'not-found') return reply.redirect(plannerHref(found, yearId), 303)
    const message =
      result.kind === 'conflict'
        ? conflictMessage
        : 'There are no sessions left to confirm. Propose sessions again, or start again'
    return renderPlanner(reply, found, yearId, { errors: problemErrors([{ field: 'confirm', message }]), status: 409 })
  })

  app.post(paths.planner.discard.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    const yearId = readYear(field(req.body, 'year'))
    if (!found || !yearId) return renderNotFound(req, reply)
    await discardDraft(app.db, {
      schoolId: found.school.id,
      organisationId: found.school.organisationId,
      yearId,
      actorId: req.actor!.personId,
    })
    return reply.redirect(plannerHref(found, yearId, { discarded: '1' }), 303)
  })

  app.post<{ Params: { id: string } }>(paths.planner.removeRow.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    if (!found || !isUuid(req.params.id)) return renderNotFound(req, reply)
    const row = await getDraftRow(app.db, found.school.id, req.params.id)
    if (!row) {
      const yearId = readYear(field(req.body, 'year'))
      return yearId ? reply.redirect(plannerHref(found, yearId), 303) : renderNotFound(req, reply)
    }
    await removeDraftRow(app.db, { schoolId: found.school.id, rowId: row.id })
    return reply.redirect(plannerHref(found, row.yearId, { removed: '1' }), 303)
  })

  function dateFormContext(found: Found, row: DraftRowDetail, values: DateParts) {
    return {
      pageTitle: 'Change the date',
      backLink: { href: plannerHref(found, row.yearId), text: 'Back to the plan' },
      row: { ...row, when: longDayDate(row.date), time: clockText(row.startTime) },
      action: paths.planner.changeDate({ id: row.id }),
      schoolField: found.schools.length > 1 ? found.school.slug : '',
      fromText: formatLongDate(row.from),
      untilText: formatLongDate(row.until),
      values,
    }
  }

  app.get<{ Params: { id: string }; Querystring: { school?: string } }>(
    paths.planner.changeDate.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found || !isUuid(req.params.id)) return renderNotFound(req, reply)
      const row = await getDraftRow(app.db, found.school.id, req.params.id)
      if (!row) return renderNotFound(req, reply)
      return reply.view('planner/views/change-date.njk', {
        ...dateFormContext(found, row, datePartsOf(row.date)),
        errors: noErrors,
      })
    },
  )

  app.post<{ Params: { id: string } }>(paths.planner.changeDate.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    if (!found || !isUuid(req.params.id)) return renderNotFound(req, reply)
    const row = await getDraftRow(app.db, found.school.id, req.params.id)
    if (!row) return renderNotFound(req, reply)
    const context = dateFormContext(found, row, datePartsFrom(req.body, 'date'))
    const form = parseForm(changeDateSchema, req.body, changeDateHrefs)
    if (!form.ok) return renderInvalid(reply, 'planner/views/change-date.njk', context, form.errors)
    const date = form.value.date
    const result = await changeDraftRowDate(app.db, { schoolId: found.school.id, rowId: row.id, date })
    if (result.ok) return reply.redirect(plannerHref(found, row.yearId, { changed: '1' }), 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    return renderInvalid(
      reply,
      'planner/views/change-date.njk',
      context,
      problemErrors([{ field: 'date', message: result.message }], changeDateHrefs),
    )
  })

  // -------------------------------------------------------------------------------------------
  // Settings
  // -------------------------------------------------------------------------------------------

  function settingsContext(found: Found, yearId: string | null, values: Record<string, string>) {
    return {
      pageTitle: 'Planner settings',
      backLink: {
        href: yearId ? plannerHref(found, yearId) : paths.planner.index({ school: schoolParam(found) }),
        text: 'Back to the plan',
      },
      school: found.school,
      schoolField: found.schools.length > 1 ? found.school.slug : '',
      yearField: yearId ?? '',
      values,
    }
  }

  app.get<{ Querystring: { school?: string; year?: string } }>(
    paths.planner.settings.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found) return renderNotFound(req, reply)
      const settings = await plannerSettings(app.db, found.school.id)
      return reply.view('planner/views/settings.njk', {
        ...settingsContext(found, readYear(req.query.year), {
          maxPerDay: String(settings.maxPerDay),
          maxPerWeek: String(settings.maxPerWeek),
          dayStartsAt: settings.dayStartsAt,
          dayEndsAt: settings.dayEndsAt,
          preparationWorkingDays: String(settings.preparationWorkingDays),
          version: String(settings.version),
        }),
        errors: noErrors,
      })
    },
  )

  app.post(paths.planner.settings.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    if (!found) return renderNotFound(req, reply)
    const yearId = readYear(field(req.body, 'year'))
    const values = settingsValues(req.body)
    const form = parseForm(settingsSchema, values)
    if (!form.ok)
      return renderInvalid(reply, 'planner/views/settings.njk', settingsContext(found, yearId, values), form.errors)
    const { version, ...settings } = form.value
    const result = await savePlannerSettings(app.db, {
      schoolId: found.school.id,
      organisationId: found.school.organisationId,
      actorId: req.actor!.personId,
      settings,
      expectedVersion: version,
    })
    if (!result.ok) {
      const current = await plannerSettings(app.db, found.school.id)
      return renderInvalid(
        reply,
        'planner/views/settings.njk',
        settingsContext(found, yearId, { ...values, version: String(current.version) }),
        problemErrors([
          {
            field: 'maxPerDay',
            message:
              'Someone else changed these settings while you were editing them. Your changes have not been saved. Check them, then save again',
          },
        ]),
        409,
      )
    }
    const back = yearId
      ? plannerHref(found, yearId, { saved: '1' })
      : paths.planner.index({ school: schoolParam(found) })
    return reply.redirect(back, 303)
  })
}

export default plannerRoutes
