/**
 * Your actions (X-05, CA-07): every open action you own, from every session, soonest due first,
 * with those overdue and those drifting (carried forward at two sessions running) standing out.
 * The home page shows the first few (features/home).
 */
import type { FastifyPluginAsync } from 'fastify'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { pagedTitle, pageOfList, parseListQuery, statusItems } from '../../domain/lists/list-query.ts'
import { actionStatusLabels } from '../../domain/records/actions.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { actionsListSpec, type OwnAction, openActionsSeenBy } from '../../services/records/actions.ts'

const actionsLabels = {
  noun: ['open action', 'open actions'],
  columns: { due: 'Due date', raised: 'Date agreed' },
} as const

/** An action as the home page and the actions page show it. */
export function actionView(a: OwnAction) {
  return {
    ...a,
    statusLabel: actionStatusLabels[a.status],
    href: paths.records.show({ recordId: a.recordId }),
  }
}

const actionsRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.actions.index.pattern,
    { config: { access: 'signed-in' } },
    async (req, reply) => {
      const { personId, name, organisationId } = req.actor!
      const query = parseListQuery(req.query, actionsListSpec)
      const result = await openActionsSeenBy(
        app.db,
        { personId, name, organisationId, ip: req.ip },
        londonDateOf(app.clock()),
        query,
      )
      const list = pageOfList(query, actionsListSpec, actionsLabels, {
        total: result.total,
        shown: result.actions.length,
        href: (params) => paths.actions.index(params),
      })
      if (!list) return renderNotFound(req, reply)
      return reply.view('actions/views/list.njk', {
        pageTitle: pagedTitle('Your actions', list),
        list,
        actions: result.actions.map(actionView),
        statusItems: statusItems(
          actionsListSpec,
          query.status,
          (s) => actionStatusLabels[s as keyof typeof actionStatusLabels],
        ),
        sortItems: Object.values(list.headers),
      })
    },
  )
}

export default actionsRoutes
