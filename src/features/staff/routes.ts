/**
 * Staff (issue 4): the staff list with search, filters and paging; a person's page; adding and
 * editing someone; line management and supervision changes with handovers (LH-07); ending
 * employment; invitations; the school's own roles; CSV import with a preview, and export.
 * One module per page or group of pages under routes/; this plugin guards a person's pages and
 * registers them. Handlers parse, call one service, and render or redirect.
 */
import type { FastifyPluginAsync } from 'fastify'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { getStoredPerson } from '../../services/staff/people.ts'
import { registerPageModules } from '../page-modules.ts'
import { personInReach } from '../school-scope.ts'
import importRoutes from './routes/import.ts'
import listRoutes from './routes/list.ts'
import othersRoutes from './routes/others.ts'
import personRoutes from './routes/person.ts'
import personFormRoutes from './routes/person-form.ts'
import roleGrantRoutes from './routes/role-grants.ts'
import rolesRoutes from './routes/roles.ts'
import scopeRoutes from './routes/scope.ts'
import { organisationOf } from './routes/shared.ts'
import supervisionRoutes from './routes/supervision.ts'
import supervisionKindsRoutes from './routes/supervision-kinds.ts'
import trainingRoutes from './routes/training.ts'

export { conflictMessage } from './routes/shared.ts'

const staffRoutes: FastifyPluginAsync = async (app) => {
  // A person's pages (/staff/:id and everything under it) are open only when the person is within
  // the viewer's reach: someone of their own school, or of the trust centrally.
  app.addHook('preHandler', async (req, reply) => {
    if (!req.routeOptions.url?.startsWith(paths.staff.person.pattern)) return
    const id = (req.params as { id?: string }).id ?? ''
    if (!isUuid(id) || !req.actor) return
    const stored = await getStoredPerson(app.db, organisationOf(req), id)
    if (stored && !personInReach(req, stored.person.schoolId)) return renderNotFound(req, reply)
  })

  await registerPageModules(app, [
    listRoutes,
    othersRoutes,
    roleGrantRoutes,
    rolesRoutes,
    importRoutes,
    personFormRoutes,
    personRoutes,
    trainingRoutes,
    supervisionRoutes,
    supervisionKindsRoutes,
    scopeRoutes,
  ])
}

export default staffRoutes
