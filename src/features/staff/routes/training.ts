/** Recording a course of supervisor training on a person's page (LH-08, PL-05): the DSL or an administrator. */
import type { FastifyPluginAsync } from 'fastify'
import { describeDuration } from '../../../domain/policy/wording.ts'
import { datePartsOf } from '../../../forms/date-input.ts'
import { parseForm, problemErrors, renderForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { getStoredPerson } from '../../../services/staff/people.ts'
import { personPolicyBook, recordTraining } from '../../../services/staff/training.ts'
import { trainingForm, trainingHrefs, trainingValues } from '../forms.ts'
import { manage, organisationOf, todayOf } from './shared.ts'

const template = 'staff/views/training-new.njk'

const trainingRoutes: FastifyPluginAsync = async (app) => {
  const page = async (organisationId: string, personId: string, today: string) => {
    const stored = await getStoredPerson(app.db, organisationId, personId)
    if (!stored) return null
    const validFor =
      (await personPolicyBook(app.db, organisationId, stored.person.schoolId)).on(today)?.supervisors
        .trainingValidFor ?? null
    return {
      person: stored.person,
      pageTitle: `Record supervisor training for ${stored.person.name}`,
      backLink: { href: paths.staff.person({ id: personId }), text: stored.person.name },
      validFor: validFor ? describeDuration(validFor) : null,
    }
  }

  app.get<{ Params: { id: string } }>(paths.staff.training.pattern, { config: manage }, async (req, reply) => {
    const context = await page(organisationOf(req), req.params.id, todayOf(app))
    if (!context) return renderNotFound(req, reply)
    return renderForm(reply, template, {
      ...context,
      values: { course: '', kind: '', completedOn: datePartsOf(null), evidence: '' },
    })
  })

  app.post<{ Params: { id: string } }>(paths.staff.training.pattern, { config: manage }, async (req, reply) => {
    const today = todayOf(app)
    const context = await page(organisationOf(req), req.params.id, today)
    if (!context) return renderNotFound(req, reply)
    const values = trainingValues(req.body)
    const form = parseForm(trainingForm, req.body, trainingHrefs)
    if (!form.ok) return renderForm(reply, template, { ...context, values }, form.errors)
    const result = await recordTraining(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      actorId: req.actor!.personId,
      today,
      ...form.value,
      completedOn: form.value.completedOn as string,
    })
    if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: 'training' }), 303)
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    return renderForm(
      reply,
      template,
      { ...context, values },
      problemErrors([{ field: result.field, message: result.message }], trainingHrefs),
    )
  })
}

export default trainingRoutes
