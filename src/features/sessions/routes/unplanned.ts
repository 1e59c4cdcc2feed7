/** Recording unplanned supervision after it happened (CA-01, LH-06, AM-02). */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isUuid } from '../../../domain/ids.ts'
import { mayBookAny, unplannedTypes } from '../../../domain/scheduling/index.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { ownSupervisees, type SchoolRef } from '../../../services/sessions/context.ts'
import { recordUnplanned } from '../../../services/sessions/unplanned.ts'
import { datePartsOf, readUnplannedForm, type UnplannedValues, unplannedHrefs } from '../forms.ts'
import { exampleDate, peopleChoices, renderForbidden, schoolFor, schoolPage, selectItems, today } from '../shared.ts'

const template = 'sessions/views/unplanned.njk'

async function unplannedPage(req: FastifyRequest, school: SchoolRef, values: UnplannedValues) {
  const { on, policy, supervisors, supervisees } = await peopleChoices(
    req,
    school,
    values.superviseeId ? [values.superviseeId] : [],
  )
  return {
    pageTitle: 'Record unplanned supervision',
    backLink: { href: paths.sessions.index(), text: 'Your sessions' },
    school,
    values,
    errors: noErrors as FormErrors,
    typeItems: (policy ? unplannedTypes(policy) : []).map((t) => ({
      value: t.id,
      text: t.name,
      hint: { text: t.description },
    })),
    superviseeItems: selectItems(supervisees, values.superviseeId, 'Choose who was supervised'),
    supervisorItems: selectItems(supervisors, values.supervisorId, 'Choose the supervisor'),
    exampleDate: exampleDate(on),
  }
}

export function unplannedRoutes(app: FastifyInstance) {
  const db = app.db

  app.get<{ Querystring: { school?: string; supervisee?: string } }>(
    paths.sessions.unplanned.pattern,
    { config: { access: 'signed-in' } },
    schoolPage(schoolFor, async (req, reply, found) => {
      const actor = req.actor!
      if (!mayBookAny(actor, (await ownSupervisees(db, actor.personId)).size))
        return renderForbidden(
          reply,
          'Only supervisors and the DSL record unplanned supervision. You can ask for a supervision session instead.',
        )
      return reply.view(
        template,
        await unplannedPage(req, found.school, {
          typeId: '',
          superviseeId: req.query.supervisee && isUuid(req.query.supervisee) ? req.query.supervisee : '',
          supervisorId: actor.personId,
          date: datePartsOf(today(req)),
          startTime: '',
          durationMinutes: '',
          issues: '',
          decisions: '',
        }),
      )
    }),
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.sessions.unplanned.pattern,
    { config: { access: 'signed-in' } },
    schoolPage(schoolFor, async (req, reply, found) => {
      const form = readUnplannedForm(req.body)
      const result = await recordUnplanned(db, {
        school: found.school,
        actor: req.actor!,
        request: form.request,
        issues: form.issues,
        decisions: form.decisions,
        formProblems: form.problems,
        today: today(req),
        now: req.server.clock(),
      })
      if (result.ok) return reply.redirect(paths.sessions.show({ id: result.sessionId }, { saved: 'unplanned' }), 303)
      return renderInvalid(
        reply,
        template,
        await unplannedPage(req, found.school, form.values),
        problemErrors(result.problems, unplannedHrefs),
      )
    }),
  )
}
