/**
 * Development plans (PL-07, CA-08; issue 17): a person's plan, made of the development needs
 * agreed in their signed records, each linked back to its record; changing an item's status and
 * due date; and the school's plans as CSV for its CPD lead. The service decides who may see what.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { londonDateOf } from '../../../domain/calendar/index.ts'
import { DevelopmentStatus, developmentStatusLabels } from '../../../domain/wellbeing/development-plan.ts'
import { datePartsFrom, datePartsOf } from '../../../forms/date-input.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../../forms/errors.ts'
import { editConflictMessage, parseForm, problemErrors, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import {
  changePlanItem,
  developmentPlanPage,
  developmentPlansCsv,
} from '../../../services/wellbeing/development-plan.ts'
import { planItemForm, planItemHrefs } from '../forms.ts'

type PlanParams = { Params: { personId: string }; Querystring: { saved?: string } }
type ItemParams = { Params: { personId: string; itemId: string } }

const conflict = editConflictMessage('this item', 'the plan below')

const developmentPlanRoutes: FastifyPluginAsync = async (app) => {
  async function renderPlan(
    req: FastifyRequest<{ Params: { personId: string }; Querystring?: { saved?: string } }>,
    reply: FastifyReply,
    extra: { itemId?: string; values?: Record<string, unknown>; errors?: FormErrors; status?: 400 | 409 } = {},
  ) {
    const plan = await developmentPlanPage(app.db, { actor: req.actor!, personId: req.params.personId })
    if (!plan) return renderNotFound(req, reply)
    const saved = (req.query as { saved?: string } | undefined)?.saved === 'item'
    const context = {
      pageTitle: plan.own ? 'Your development plan' : `Development plan for ${plan.person.name}`,
      plan,
      saved: saved ? 'The item has been saved.' : null,
      items: plan.items.map((i) => {
        const mine = extra.itemId === i.id && extra.values
        return {
          ...i,
          statusText: developmentStatusLabels[i.status as DevelopmentStatus] ?? i.status,
          values: mine ? extra.values : { status: i.status, dueOn: datePartsOf(i.dueOn ?? '') },
          errors: mine && extra.errors ? extra.errors : noErrors,
          statusItems: Object.values(DevelopmentStatus).map((s) => ({
            value: s,
            text: developmentStatusLabels[s],
            selected: s === (mine ? (extra.values?.status as string) : i.status),
          })),
        }
      }),
    }
    if (extra.errors)
      return renderInvalid(reply, 'wellbeing/views/development-plan.njk', context, extra.errors, extra.status ?? 400)
    return reply.view('wellbeing/views/development-plan.njk', { ...context, errors: noErrors })
  }

  app.get<PlanParams>(
    paths.wellbeing.developmentPlan.pattern,
    { config: { access: 'signed-in' } },
    async (req, reply) => renderPlan(req, reply),
  )

  app.post<ItemParams>(
    paths.wellbeing.developmentPlanItem.pattern,
    { config: { access: 'signed-in' } },
    async (req, reply) => {
      const values = { status: field(req.body, 'status'), dueOn: datePartsFrom(req.body, 'dueOn') }
      const again = (errors: FormErrors, status: 400 | 409 = 400) =>
        renderPlan(req, reply, { itemId: req.params.itemId, values, errors, status })
      const form = parseForm(planItemForm, req.body, planItemHrefs(req.params.itemId))
      if (!form.ok) return again(form.errors)
      const result = await changePlanItem(app.db, {
        actor: req.actor!,
        personId: req.params.personId,
        itemId: req.params.itemId,
        version: form.value.version,
        status: form.value.status,
        dueOn: form.value.dueOn,
      })
      if (result.ok)
        return reply.redirect(
          paths.wellbeing.developmentPlan({ personId: req.params.personId }, { saved: 'item' }),
          303,
        )
      if (result.kind === 'conflict')
        return again(formErrors([['status', conflict]], planItemHrefs(req.params.itemId)), 409)
      if (result.kind === 'field') return again(problemErrors([result], planItemHrefs(req.params.itemId)))
      return renderNotFound(req, reply)
    },
  )

  app.get<{ Querystring: { school?: string } }>(
    paths.wellbeing.developmentPlansCsv.pattern,
    { config: { access: { permission: Permission.RecordsReadAll } } },
    async (req, reply) => {
      const exported = await developmentPlansCsv(app.db, {
        actor: req.actor!,
        slug: req.query.school,
        recordUrl: (recordId) => `${app.config.baseUrl}${paths.records.show({ recordId })}`,
      })
      if (!exported) return renderNotFound(req, reply)
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="development-plans-${exported.slug}-${londonDateOf(app.clock())}.csv"`,
        )
        .send(exported.csv)
    },
  )
}

export default developmentPlanRoutes
