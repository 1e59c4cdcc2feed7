/** The draft proposal: propose the year's sessions, confirm them, start again, or remove one. */
import type { FastifyInstance } from 'fastify'
import { isUuid } from '../../../domain/ids.ts'
import { field } from '../../../forms/errors.ts'
import { parseForm, problemErrors } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  confirmDraft,
  discardDraft,
  getDraftRow,
  proposeDraft,
  removeDraftRow,
} from '../../../services/planning/drafts.ts'
import { PlanningError } from '../../../services/planning/inputs.ts'
import { schoolFor } from '../../school-scope.ts'
import { confirmSchema, readYear } from '../forms.ts'
import { renderPlanner } from './plan.ts'
import { conflictMessage, manage, plannerHref, todayOf } from './shared.ts'

export function draftRoutes(app: FastifyInstance): void {
  app.post(paths.planner.propose.pattern, { config: manage }, async (req, reply) => {
    const found = await schoolFor(req, field(req.body, 'school'))
    const yearId = readYear(field(req.body, 'year'))
    if (!found || !yearId) return renderNotFound(req, reply)
    try {
      const result = await proposeDraft(app.db, {
        schoolId: found.school.id,
        yearId,
        today: todayOf(app),
        actorId: req.actor!.personId,
      })
      return reply.redirect(
        plannerHref(found, yearId, { proposed: String(result.proposals), unplaceable: String(result.unplaceable) }),
        303,
      )
    } catch (error) {
      if (!(error instanceof PlanningError)) throw error
      return renderPlanner(app, reply, found, yearId, {
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
    return renderPlanner(app, reply, found, yearId, {
      errors: problemErrors([{ field: 'confirm', message }]),
      status: 409,
    })
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
}
