/**
 * The school calendar: the previous, current and next academic years with their six half
 * terms, closure and INSET days, and the bank holidays of the school's region. The DSL or an
 * administrator edits a year (validateAcademicYear, per field) or resets it to the England
 * default; saving is guarded by the year's version, so two people cannot overwrite each other.
 */

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../domain/access/permissions.ts'
import {
  halfTermLabels,
  halfTermNames,
  isBankHolidayRegion,
  londonDateOf,
  parseAcademicYearId,
} from '../../domain/calendar/index.ts'
import { type FormErrors, noErrors } from '../../forms/errors.ts'
import { editConflictMessage, parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import {
  academicYearOf,
  academicYearVersion,
  defaultYear,
  isEditableYear,
  saveAcademicYear,
  schoolCalendar,
  storedYearIds,
  yearsAround,
} from '../../services/calendar/store.ts'
import type { SchoolSummary } from '../../services/staff/schools.ts'
import { currentSchool } from '../policy/school.ts'
import {
  blankClosure,
  MAX_CLOSURES,
  resetFormSchema,
  type YearFormValues,
  yearFormHrefs,
  yearFormSchema,
  yearFormValues,
  yearValuesSchema,
} from './forms.ts'
import { halfTermRows, regionNames, yearLabel, yearSummary } from './presenters.ts'

const read = { access: { permission: Permission.PolicyRead } }
const manage = { access: { permission: Permission.PolicyManage } }

type Year = { Params: { yearId: string } }

export const conflictMessage = editConflictMessage('this year', 'the dates below')

/** Today in London, from the app's clock (ADR 0017). */
function todayOf(req: FastifyRequest): string {
  return londonDateOf(req.server.clock())
}

/** The school, when the year asked for is one that may be edited today; else null. */
async function editableSchool(req: FastifyRequest<Year>): Promise<SchoolSummary | null> {
  const school = await currentSchool(req)
  return school && isEditableYear(req.params.yearId, todayOf(req)) ? school : null
}

function renderEdit(
  reply: FastifyReply,
  school: SchoolSummary,
  yearId: string,
  values: YearFormValues,
  extra: { status?: 400 | 409; errors?: FormErrors; isDefault?: boolean } = {},
) {
  const errors = extra.errors ?? noErrors
  const message = (key: string) => errors.fields[key]
  const context = {
    pageTitle: `Change the dates for ${yearLabel(yearId)}`,
    school,
    backLink: { href: paths.calendar.index(), text: 'School calendar' },
    yearId,
    label: yearLabel(yearId),
    isDefault: extra.isDefault ?? false,
    version: values.version,
    halfTerms: halfTermNames.map((name, i) => ({
      label: halfTermLabels[name],
      start: { id: `halfTerms-${i}-start`, values: values.halfTerms[i]?.start, error: message(`halfTerms-${i}-start`) },
      end: { id: `halfTerms-${i}-end`, values: values.halfTerms[i]?.end, error: message(`halfTerms-${i}-end`) },
    })),
    closures: values.closures.map((row, i) => ({
      number: i + 1,
      date: { id: `closures-${i}-date`, values: row.date, error: message(`closures-${i}-date`) },
      kind: { id: `closures-${i}-kind`, value: row.kind, error: message(`closures-${i}-kind`) },
      description: {
        id: `closures-${i}-description`,
        value: row.description,
        error: message(`closures-${i}-description`),
      },
    })),
    closureCount: values.closures.length,
    canAdd: values.closures.length < MAX_CLOSURES,
  }
  return extra.status
    ? renderInvalid(reply, 'calendar/views/edit.njk', context, errors, extra.status)
    : reply.view('calendar/views/edit.njk', { ...context, errors })
}

function renderReset(
  reply: FastifyReply,
  school: SchoolSummary,
  yearId: string,
  version: number | null,
  errors?: FormErrors,
) {
  const context = {
    pageTitle: `Reset ${yearLabel(yearId)} to the England default`,
    school,
    backLink: { href: paths.calendar.year({ yearId }), text: 'Back' },
    yearId,
    label: yearLabel(yearId),
    version: version === null ? '' : String(version),
    halfTerms: halfTermRows(defaultYear(yearId)),
  }
  return errors
    ? renderInvalid(reply, 'calendar/views/reset.njk', context, errors, 409)
    : reply.view('calendar/views/reset.njk', { ...context, errors: noErrors })
}

const calendarRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { saved?: string; reset?: string } }>(
    paths.calendar.index.pattern,
    { config: read },
    async (req, reply) => {
      const school = await currentSchool(req)
      if (!school) return renderNotFound(req, reply)
      const today = todayOf(req)
      const calendar = await schoolCalendar(app.db, school.id, today)
      const stored = await storedYearIds(app.db, school.id)
      const region = isBankHolidayRegion(school.region) ? school.region : 'england-and-wales'
      const canManage = can(req.actor, Permission.PolicyManage)
      const years = yearsAround(today).map(({ id, when }) =>
        yearSummary(calendar.years.find((y) => y.id === id) ?? defaultYear(id), {
          when,
          isDefault: !stored.has(id),
          region,
          editHref: canManage ? paths.calendar.year({ yearId: id }) : null,
        }),
      )
      const savedId = [req.query.saved, req.query.reset].find((v) => typeof v === 'string' && parseAcademicYearId(v))
      return reply.view('calendar/views/index.njk', {
        pageTitle: 'School calendar',
        school,
        region: regionNames[region] ?? region,
        years,
        banner: savedId
          ? req.query.reset
            ? `${yearLabel(savedId)} has been reset to the England default dates.`
            : `The dates for ${yearLabel(savedId)} have been saved.`
          : null,
      })
    },
  )

  app.get<Year>(paths.calendar.year.pattern, { config: manage }, async (req, reply) => {
    const school = await editableSchool(req)
    if (!school) return renderNotFound(req, reply)
    const yearId = req.params.yearId
    const { year, version } = await academicYearOf(app.db, school.id, yearId, todayOf(req))
    const values = yearFormValues(year, version)
    // One empty row to add a closure without JavaScript.
    values.closures.push(blankClosure())
    return renderEdit(reply, school, yearId, values, { isDefault: version === null })
  })

  app.post<Year>(paths.calendar.year.pattern, { config: manage }, async (req, reply) => {
    const school = await editableSchool(req)
    if (!school) return renderNotFound(req, reply)
    const yearId = req.params.yearId
    const typed = parseForm(yearValuesSchema, req.body)
    if (!typed.ok) return renderNotFound(req, reply)
    const { values, action } = typed.value
    const isDefault = values.version === ''
    // Adding or removing a row only redraws the form; nothing is saved until "Save".
    if (action === 'add-closure') {
      if (values.closures.length < MAX_CLOSURES) values.closures.push(blankClosure())
      return renderEdit(reply, school, yearId, values, { isDefault })
    }
    const remove = /^remove-closure-(\d{1,3})$/.exec(action)
    if (remove) {
      values.closures.splice(Number(remove[1]), 1)
      return renderEdit(reply, school, yearId, values, { isDefault })
    }
    const hrefs = yearFormHrefs(values)
    const form = parseForm(yearFormSchema(yearId), req.body, hrefs)
    if (!form.ok) return renderEdit(reply, school, yearId, values, { status: 400, errors: form.errors, isDefault })
    const saved = await saveAcademicYear(app.db, {
      schoolId: school.id,
      organisationId: school.organisationId,
      year: form.value.year,
      expectedVersion: form.value.expectedVersion,
      actorId: req.actor!.personId,
    })
    if (saved.ok) return reply.redirect(paths.calendar.index({ saved: yearId }), 303)
    if ('conflict' in saved) {
      const { year, version } = await academicYearOf(app.db, school.id, yearId, todayOf(req))
      const fresh = yearFormValues(year, version)
      fresh.closures.push(blankClosure())
      return renderEdit(reply, school, yearId, fresh, {
        status: 409,
        errors: problemErrors([{ field: 'year-form', message: conflictMessage }]),
        isDefault: version === null,
      })
    }
    // validateAcademicYear already ran; this is a safety net.
    return renderEdit(reply, school, yearId, values, {
      status: 400,
      errors: problemErrors(
        saved.problems.map((p) => ({ field: p.path.replace(/\./g, '-'), message: p.message })),
        hrefs,
      ),
      isDefault,
    })
  })

  app.get<Year>(paths.calendar.reset.pattern, { config: manage }, async (req, reply) => {
    const school = await editableSchool(req)
    if (!school) return renderNotFound(req, reply)
    const version = await academicYearVersion(app.db, school.id, req.params.yearId)
    return renderReset(reply, school, req.params.yearId, version)
  })

  app.post<Year>(paths.calendar.reset.pattern, { config: manage }, async (req, reply) => {
    const school = await editableSchool(req)
    if (!school) return renderNotFound(req, reply)
    const yearId = req.params.yearId
    const form = parseForm(resetFormSchema, req.body)
    const saved = await saveAcademicYear(app.db, {
      schoolId: school.id,
      organisationId: school.organisationId,
      year: defaultYear(yearId),
      expectedVersion: form.ok ? form.value.version : null,
      actorId: req.actor!.personId,
    })
    if (saved.ok) return reply.redirect(paths.calendar.index({ reset: yearId }), 303)
    const version = await academicYearVersion(app.db, school.id, yearId)
    return renderReset(
      reply,
      school,
      yearId,
      version,
      problemErrors([{ field: 'reset-form', message: conflictMessage }]),
    )
  })
}

export default calendarRoutes
