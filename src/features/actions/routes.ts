/**
 * Your actions (X-05, CA-07): every open action you own, from every session, soonest due first,
 * with those overdue and those drifting (carried forward at two sessions running) standing out.
 * The home page shows the first few (features/home).
 */
import type { FastifyPluginAsync } from 'fastify'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { actionStatusLabels } from '../../domain/records/actions.ts'
import { paths } from '../../paths/index.ts'
import { type OwnAction, openActionsSeenBy } from '../../services/records/actions.ts'

/** An action as the home page and the actions page show it. */
export function actionView(a: OwnAction) {
  return {
    ...a,
    statusLabel: actionStatusLabels[a.status],
    href: paths.records.show({ recordId: a.recordId }),
  }
}

const actionsRoutes: FastifyPluginAsync = async (app) => {
  app.get(paths.actions.index.pattern, { config: { access: 'signed-in' } }, async (req, reply) => {
    const { personId, name, organisationId } = req.actor!
    const actions = await openActionsSeenBy(
      app.db,
      { personId, name, organisationId, ip: req.ip },
      londonDateOf(app.clock()),
    )
    return reply.view('actions/views/list.njk', {
      pageTitle: 'Your actions',
      actions: actions.map(actionView),
      overdue: actions.filter((a) => a.overdue).length,
      drifting: actions.filter((a) => a.drifting).length,
    })
  })
}

export default actionsRoutes
