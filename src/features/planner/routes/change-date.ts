/** Change the date of one proposed session. */
import type { FastifyInstance } from 'fastify'
import { formatLongDate } from '../../../domain/calendar/index.ts'
import { isUuid } from '../../../domain/ids.ts'
import { field, noErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { changeDraftRowDate, type DraftRowDetail, getDraftRow } from '../../../services/planning/drafts.ts'
import { clockText, longDayDate } from '../../../services/planning/wording.ts'
import { schoolFor } from '../../school-scope.ts'
import { changeDateHrefs, changeDateSchema, type DateParts, datePartsFrom, datePartsOf } from '../forms.ts'
import { type Found, manage, plannerHref, schoolField } from './shared.ts'

const template = 'planner/views/change-date.njk'

function dateFormContext(found: Found, row: DraftRowDetail, values: DateParts) {
  return {
    pageTitle: 'Change the date',
    backLink: { href: plannerHref(found, row.yearId), text: 'Back to the plan' },
    row: { ...row, when: longDayDate(row.date), time: clockText(row.startTime) },
    action: paths.planner.changeDate({ id: row.id }),
    schoolField: schoolField(found),
    fromText: formatLongDate(row.from),
    untilText: formatLongDate(row.until),
    values,
  }
}

export function changeDateRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string }; Querystring: { school?: string } }>(
    paths.planner.changeDate.pattern,
    { config: manage },
    async (req, reply) => {
      const found = await schoolFor(req, req.query.school)
      if (!found || !isUuid(req.params.id)) return renderNotFound(req, reply)
      const row = await getDraftRow(app.db, found.school.id, req.params.id)
      if (!row) return renderNotFound(req, reply)
      return reply.view(template, { ...dateFormContext(found, row, datePartsOf(row.date)), errors: noErrors })
    },
  )

  app.post<{ Params: { id: string } }>(paths.planner.changeDate.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    if (!found || !isUuid(req.params.id)) return renderNotFound(req, reply)
    const row = await getDraftRow(app.db, found.school.id, req.params.id)
    if (!row) return renderNotFound(req, reply)
    const context = dateFormContext(found, row, datePartsFrom(req.body, 'date'))
    const form = parseForm(changeDateSchema, req.body, changeDateHrefs)
    if (!form.ok) return renderInvalid(reply, template, context, form.errors)
    const result = await changeDraftRowDate(app.db, { schoolId: found.school.id, rowId: row.id, date: form.value.date })
    if (result.ok) return reply.redirect(plannerHref(found, row.yearId, { changed: '1' }), 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    return renderInvalid(
      reply,
      template,
      context,
      problemErrors([{ field: 'date', message: result.message }], changeDateHrefs),
    )
  })
}
