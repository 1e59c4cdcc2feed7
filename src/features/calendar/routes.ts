/**
 * The school calendar: the previous, current and next academic years with their six half
 * terms, closure and INSET days, and the bank holidays of the school's region. The DSL or an
 * administrator edits a year (validateAcademicYear, per field) or resets it to the England
 * default; saving is guarded by the year's version, so two people cannot overwrite each other.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { can, Permission } from '../../domain/access/permissions.ts'
import {
  type AcademicYear,
  academicYearIdFor,
  bankHolidays,
  englandDefaultYear,
  formatLongDate,
  halfTermLabels,
  halfTermNames,
  isBankHolidayRegion,
  parseAcademicYearId,
} from '../../domain/calendar/index.ts'
import { field } from '../../forms/errors.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { academicYearVersion, saveAcademicYear, schoolCalendar, storedYearIds } from '../../services/calendar/store.ts'
import type { SchoolSummary } from '../../services/staff/repository.ts'
import { currentSchool, today } from '../policy/school.ts'
import {
  blankClosure,
  MAX_CLOSURES,
  readYearForm,
  submittedValues,
  type YearFormValues,
  yearFormValues,
} from './forms.ts'

const read = { access: { permission: Permission.PolicyRead } }
const manage = { access: { permission: Permission.PolicyManage } }

export const conflictMessage =
  'Someone else changed this year while you were editing. Your changes have not been saved. Check the dates below, then make your changes again.'

const regionNames: Record<string, string> = {
  'england-and-wales': 'England and Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
}

const kindLabels: Record<string, string> = { inset: 'INSET day', closure: 'Closure' }

function yearLabel(id: string): string {
  const bounds = parseAcademicYearId(id)
  return bounds ? `${bounds.startYear} to ${bounds.startYear + 1}` : id
}

/** The years a person sees and edits: the previous, current and next academic years. */
function yearIdsAround(todayIso: string): { id: string; when: 'previous' | 'current' | 'next' }[] {
  const current = parseAcademicYearId(academicYearIdFor(todayIso))!.startYear
  const id = (y: number) => `${y}-${String((y + 1) % 100).padStart(2, '0')}`
  return [
    { id: id(current), when: 'current' },
    { id: id(current + 1), when: 'next' },
    { id: id(current - 1), when: 'previous' },
  ]
}

async function yearOf(req: FastifyRequest, school: SchoolSummary, yearId: string): Promise<AcademicYear> {
  const calendar = await schoolCalendar(req.server.db, school.id, today())
  return calendar.years.find((y) => y.id === yearId) ?? englandDefaultYear(parseAcademicYearId(yearId)!.startYear)
}

const calendarRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { saved?: string; reset?: string } }>('/calendar', { config: read }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school) return renderNotFound(req, reply)
    const todayIso = today()
    const calendar = await schoolCalendar(app.db, school.id, todayIso)
    const stored = await storedYearIds(app.db, school.id)
    const region = isBankHolidayRegion(school.region) ? school.region : 'england-and-wales'
    const canManage = can(req.actor, Permission.PolicyManage)
    const years = yearIdsAround(todayIso).map(({ id, when }) => {
      const year = calendar.years.find((y) => y.id === id) ?? englandDefaultYear(parseAcademicYearId(id)!.startYear)
      const bounds = parseAcademicYearId(id)!
      return {
        id,
        label: yearLabel(id),
        when,
        isDefault: !stored.has(id),
        halfTerms: year.halfTerms.map((h) => ({
          name: halfTermLabels[h.id] ?? h.name,
          start: formatLongDate(h.start),
          end: formatLongDate(h.end),
        })),
        closures: [...year.closures]
          .sort((a, b) => (a.date < b.date ? -1 : 1))
          .map((c) => ({
            date: formatLongDate(c.date),
            kind: kindLabels[c.kind] ?? c.kind,
            description: c.description,
          })),
        bankHolidays: bankHolidays(region)
          .filter((h) => h.date >= bounds.start && h.date <= bounds.end)
          .map((h) => ({ date: formatLongDate(h.date), title: h.title })),
        editHref: canManage ? `/calendar/${id}` : null,
      }
    })
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
  })

  function editableYear(yearId: string): boolean {
    return parseAcademicYearId(yearId) !== null && yearIdsAround(today()).some((y) => y.id === yearId)
  }

  function renderEdit(
    reply: FastifyReply,
    school: SchoolSummary,
    yearId: string,
    values: YearFormValues,
    extra: { status?: number; errors?: [string, string][]; conflict?: boolean; isDefault?: boolean } = {},
  ) {
    const errors = new Map(extra.errors ?? [])
    const hrefOf = (key: string) => (/-(start|end|date)$/.test(key) ? `#${key}-day` : `#${key}`)
    const summary = extra.conflict
      ? [{ text: conflictMessage, href: '#year-form' }]
      : [...errors].map(([key, text]) => ({ text, href: hrefOf(key) }))
    const message = (key: string) => (errors.has(key) ? { text: errors.get(key) } : undefined)
    return reply.code(extra.status ?? 200).view('calendar/views/edit.njk', {
      pageTitle: `Change the dates for ${yearLabel(yearId)}`,
      school,
      backLink: { href: '/calendar', text: 'School calendar' },
      yearId,
      label: yearLabel(yearId),
      isDefault: extra.isDefault ?? false,
      version: values.version,
      halfTerms: halfTermNames.map((name, i) => ({
        label: halfTermLabels[name],
        start: {
          id: `halfTerms-${i}-start`,
          values: values.halfTerms[i]?.start,
          error: message(`halfTerms-${i}-start`),
        },
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
      errors: { fields: {}, summary },
    })
  }

  app.get<{ Params: { yearId: string } }>('/calendar/:yearId', { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school || !editableYear(req.params.yearId)) return renderNotFound(req, reply)
    const yearId = req.params.yearId
    const [year, version] = await Promise.all([
      yearOf(req, school, yearId),
      academicYearVersion(app.db, school.id, yearId),
    ])
    const values = yearFormValues(year, version)
    // One empty row to add a closure without JavaScript.
    values.closures.push(blankClosure())
    return renderEdit(reply, school, yearId, values, { isDefault: version === null })
  })

  app.post<{ Params: { yearId: string } }>('/calendar/:yearId', { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school || !editableYear(req.params.yearId)) return renderNotFound(req, reply)
    const yearId = req.params.yearId
    const values = submittedValues(req.body)
    const action = field(req.body, 'action')
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
    const result = readYearForm(yearId, req.body, values)
    if (!result.ok) return renderEdit(reply, school, yearId, values, { status: 400, errors: result.errors, isDefault })
    const saved = await saveAcademicYear(app.db, {
      schoolId: school.id,
      organisationId: school.organisationId,
      year: result.year,
      expectedVersion: result.expectedVersion,
      actorId: req.session!.person.id,
    })
    if (saved.ok) return reply.redirect(`/calendar?saved=${yearId}`, 303)
    if ('conflict' in saved) {
      const [year, version] = await Promise.all([
        yearOf(req, school, yearId),
        academicYearVersion(app.db, school.id, yearId),
      ])
      const fresh = yearFormValues(year, version)
      fresh.closures.push(blankClosure())
      return renderEdit(reply, school, yearId, fresh, { status: 409, conflict: true, isDefault: version === null })
    }
    // validateAcademicYear already ran; this is a safety net.
    return renderEdit(reply, school, yearId, values, {
      status: 400,
      errors: saved.problems.map((p) => [p.path.replace(/\./g, '-'), p.message] as [string, string]),
      isDefault,
    })
  })

  app.get<{ Params: { yearId: string } }>('/calendar/:yearId/reset', { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school || !editableYear(req.params.yearId)) return renderNotFound(req, reply)
    const version = await academicYearVersion(app.db, school.id, req.params.yearId)
    return reply.view('calendar/views/reset.njk', {
      pageTitle: `Reset ${yearLabel(req.params.yearId)} to the England default`,
      school,
      backLink: { href: `/calendar/${req.params.yearId}`, text: 'Back' },
      yearId: req.params.yearId,
      label: yearLabel(req.params.yearId),
      version: version === null ? '' : String(version),
      halfTerms: englandDefaultYear(parseAcademicYearId(req.params.yearId)!.startYear).halfTerms.map((h) => ({
        name: halfTermLabels[h.id],
        start: formatLongDate(h.start),
        end: formatLongDate(h.end),
      })),
      errors: { fields: {}, summary: [] },
    })
  })

  app.post<{ Params: { yearId: string } }>('/calendar/:yearId/reset', { config: manage }, async (req, reply) => {
    const school = await currentSchool(req)
    if (!school || !editableYear(req.params.yearId)) return renderNotFound(req, reply)
    const yearId = req.params.yearId
    const versionText = field(req.body, 'version')
    const saved = await saveAcademicYear(app.db, {
      schoolId: school.id,
      organisationId: school.organisationId,
      year: englandDefaultYear(parseAcademicYearId(yearId)!.startYear),
      expectedVersion: /^\d{1,9}$/.test(versionText) ? Number(versionText) : null,
      actorId: req.session!.person.id,
    })
    if (saved.ok) return reply.redirect(`/calendar?reset=${yearId}`, 303)
    const version = await academicYearVersion(app.db, school.id, yearId)
    return reply.code(409).view('calendar/views/reset.njk', {
      pageTitle: `Reset ${yearLabel(yearId)} to the England default`,
      school,
      backLink: { href: `/calendar/${yearId}`, text: 'Back' },
      yearId,
      label: yearLabel(yearId),
      version: version === null ? '' : String(version),
      halfTerms: englandDefaultYear(parseAcademicYearId(yearId)!.startYear).halfTerms.map((h) => ({
        name: halfTermLabels[h.id],
        start: formatLongDate(h.start),
        end: formatLongDate(h.end),
      })),
      errors: { fields: {}, summary: [{ text: conflictMessage, href: '#reset-form' }] },
    })
  })
}

export default calendarRoutes
