/**
 * Whether someone must receive supervision, and the manual override that brings them into scope
 * by name or takes them out, with a reason. The school's own guidance on whom to bring in
 * (the policy's scope.manualInclusion) is shown beside the form.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { FormErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors, renderForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { getStoredPerson } from '../../../services/staff/people.ts'
import { endScopeOverride, personScope, setScopeOverride } from '../../../services/staff/scope.ts'
import { endScopeOverrideForm, scopeOverrideForm, scopeOverrideValues } from '../forms.ts'
import { scopeText } from '../presenters.ts'
import { manage, organisationOf, todayOf } from './shared.ts'

const scopeRoutes: FastifyPluginAsync = async (app) => {
  async function renderScope(
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    extra: { values?: { required: string; reason: string }; errors?: FormErrors } = {},
  ) {
    const organisationId = organisationOf(req)
    const stored = await getStoredPerson(app.db, organisationId, personId)
    const scope = stored ? await personScope(app.db, { organisationId, personId, today: todayOf(app) }) : null
    if (!stored || !scope) return renderNotFound(req, reply)
    const { person } = stored
    const context = {
      pageTitle: `Whether ${person.name} must receive supervision`,
      backLink: { href: paths.staff.person({ id: person.id }), text: person.name },
      person,
      scope,
      text: scopeText(scope),
      action: paths.staff.scope({ id: person.id }),
      endAction: paths.staff.endScope({ id: person.id }),
      values: extra.values ?? { required: '', reason: '' },
    }
    return renderForm(reply, 'staff/views/scope.njk', context, extra.errors)
  }

  app.get<{ Params: { id: string } }>(paths.staff.scope.pattern, { config: manage }, async (req, reply) =>
    renderScope(req, reply, req.params.id),
  )

  app.post<{ Params: { id: string } }>(paths.staff.scope.pattern, { config: manage }, async (req, reply) => {
    const values = scopeOverrideValues(req.body)
    const form = parseForm(scopeOverrideForm, req.body)
    if (!form.ok) return renderScope(req, reply, req.params.id, { values, errors: form.errors })
    const result = await setScopeOverride(app.db, {
      organisationId: organisationOf(req),
      personId: req.params.id,
      required: form.value.required,
      reason: form.value.reason,
      actorId: req.actor!.personId,
      today: todayOf(app),
      now: app.clock(),
    })
    if (result.ok)
      return reply.redirect(
        paths.staff.person({ id: req.params.id }, { saved: form.value.required ? 'scope-in' : 'scope-out' }),
        303,
      )
    if (result.kind === 'not-found') return renderNotFound(req, reply)
    return renderScope(req, reply, req.params.id, { values, errors: problemErrors([result]) })
  })

  app.post<{ Params: { id: string } }>(paths.staff.endScope.pattern, { config: manage }, async (req, reply) => {
    const form = parseForm(endScopeOverrideForm, req.body)
    const result = form.ok
      ? await endScopeOverride(app.db, {
          organisationId: organisationOf(req),
          personId: req.params.id,
          overrideId: form.value.overrideId,
          actorId: req.actor!.personId,
          today: todayOf(app),
          now: app.clock(),
        })
      : ({ ok: false, kind: 'not-found' } as const)
    if (result.ok) return reply.redirect(paths.staff.person({ id: req.params.id }, { saved: 'scope-ended' }), 303)
    return renderNotFound(req, reply)
  })
}

export default scopeRoutes
