/** The planner's settings: limits per supervisor, the hours of the school day, the preparation reminder. */

import type { FastifyInstance } from 'fastify'
import { field, noErrors } from '../../../forms/errors.ts'
import { editConflictMessage, parseForm, problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { plannerSettings, savePlannerSettings } from '../../../services/planning/settings.ts'
import { schoolFor, schoolPage } from '../../school-scope.ts'
import { readYear, settingsSchema, settingsValues } from '../forms.ts'
import { type Found, manage, plannerHref, schoolField, schoolParam } from './shared.ts'

const template = 'planner/views/settings.njk'

export const settingsConflictMessage = editConflictMessage('these settings', 'them')

/** Back to the plan of the year the settings were opened from, else to the planner. */
function planHref(found: Found, yearId: string | null, query: Record<string, string> = {}): string {
  return yearId ? plannerHref(found, yearId, query) : paths.planner.index({ school: schoolParam(found) })
}

function settingsContext(found: Found, yearId: string | null, values: Record<string, string>) {
  return {
    pageTitle: 'Planner settings',
    backLink: { href: planHref(found, yearId), text: 'Back to the plan' },
    school: found.school,
    schoolField: schoolField(found),
    yearField: yearId ?? '',
    values,
  }
}

export function settingsRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { school?: string; year?: string } }>(
    paths.planner.settings.pattern,
    { config: manage },
    schoolPage(schoolFor, async (req, reply, found) => {
      const settings = await plannerSettings(app.db, found.school.id)
      return reply.view(template, {
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
    }),
  )

  app.post(paths.planner.settings.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    if (!found) return renderNotFound(req, reply)
    const yearId = readYear(field(req.body, 'year'))
    const values = settingsValues(req.body)
    const form = parseForm(settingsSchema, values)
    if (!form.ok) return renderInvalid(reply, template, settingsContext(found, yearId, values), form.errors)
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
        template,
        settingsContext(found, yearId, { ...values, version: String(current.version) }),
        problemErrors([{ field: 'maxPerDay', message: settingsConflictMessage }]),
        409,
      )
    }
    return reply.redirect(planHref(found, yearId, { saved: '1' }), 303)
  })
}
