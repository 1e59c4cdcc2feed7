/**
 * The annual planner (CA-02, MW-01, MW-04; issue 6): the DSL asks Haven to propose every required
 * session for the year, checks the proposal half term by half term, changes a date or removes a
 * session, and confirms the rest in one go. Also the planner's settings (limits per supervisor,
 * the hours of the school day, the preparation reminder), and the school's standing teams (CA-05). Every form works without JavaScript.
 * One module per page under routes/; handlers parse, call one service, render or redirect.
 */
import type { FastifyPluginAsync } from 'fastify'
import { changeDateRoutes } from './routes/change-date.ts'
import { draftRoutes } from './routes/draft.ts'
import { planRoutes } from './routes/plan.ts'
import { settingsRoutes } from './routes/settings.ts'
import { teamsRoutes } from './routes/teams.ts'

export { conflictMessage } from './routes/shared.ts'

const plannerRoutes: FastifyPluginAsync = async (app) => {
  planRoutes(app)
  draftRoutes(app)
  changeDateRoutes(app)
  settingsRoutes(app)
  teamsRoutes(app)
}

export default plannerRoutes
