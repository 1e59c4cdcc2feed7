/**
 * Scheduling (issue 6): "my sessions", booking and rebooking, a page per session with its
 * changes (cancel, postpone, did not attend, held), the school's sessions by week and month,
 * cancellations for the DSL (MW-06), requests (CA-04) and unplanned supervision (CA-01). One
 * module per page in routes/; handlers parse (forms.ts), call one service, and render
 * (presenters.ts) or redirect (src/paths/sessions.ts). Who may do what is decided by the route's
 * declared access and, for a particular session, by domain/scheduling/access.ts.
 */
import type { FastifyPluginAsync } from 'fastify'
import { bookingRoutes } from './routes/booking.ts'
import { changesRoutes } from './routes/changes.ts'
import { groupsRoutes } from './routes/groups.ts'
import { mySessionsRoutes } from './routes/my-sessions.ts'
import { requestsRoutes } from './routes/requests.ts'
import { scheduleRoutes } from './routes/schedule.ts'
import { sessionRoutes } from './routes/session.ts'
import { unplannedRoutes } from './routes/unplanned.ts'

const sessionsRoutes: FastifyPluginAsync = async (app) => {
  mySessionsRoutes(app)
  bookingRoutes(app)
  unplannedRoutes(app)
  scheduleRoutes(app)
  groupsRoutes(app)
  requestsRoutes(app)
  sessionRoutes(app)
  changesRoutes(app)
}

export default sessionsRoutes
