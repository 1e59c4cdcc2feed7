/**
 * Your actions (X-05, CA-07): every open action you own, from every session, soonest due first,
 * with those overdue and those drifting (carried forward at two sessions running) standing out.
 * The home page shows the first few (features/home).
 */
import type { FastifyPluginAsync } from 'fastify'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { listView, pageSummary, parseListQuery } from '../../domain/lists/list-query.ts'
import { actionStatusLabels } from '../../domain/records/actions.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { actionsListSpec, type OwnAction, openActionsSeenBy } from '../../services/records/actions.ts'

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
      const summary = pageSummary(result.total, query.page, query.pageSize, result.actions.length)
      if (!summary) return renderNotFound(req, reply)
      const list = listView({
        query,
        spec: actionsListSpec,
        summary,
        href: (params) => paths.actions.index(params),
        noun: ['open action', 'open actions'],
        columns: { due: 'Due date', raised: 'Date agreed' },
      })
      return reply.view('actions/views/list.njk', {
        pageTitle: summary.page === 1 ? 'Your actions' : `Your actions (page ${summary.page} of ${summary.pageCount})`,
        list,
        actions: result.actions.map(actionView),
        statusItems: [
          { value: '', text: 'Any' },
          ...actionsListSpec.statuses!.map((s) => ({
            value: s,
            text: actionStatusLabels[s as keyof typeof actionStatusLabels],
            selected: s === query.status,
          })),
        ],
        sortItems: Object.values(list.headers),
      })
    },
  )
}

export default actionsRoutes
