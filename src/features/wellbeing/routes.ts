/**
 * Wellbeing (issue 17): further support (LH-04, LH-03) for one person, and its figures for
 * management; development plans fed by signed records (PL-07, CA-08); supervisee feedback on supervision (PL-06). One module per page or group of pages under routes/.
 */
import type { FastifyPluginAsync } from 'fastify'
import { registerPageModules } from '../page-modules.ts'
import developmentPlanRoutes from './routes/development-plan.ts'
import feedbackRoutes from './routes/feedback.ts'
import figuresRoutes from './routes/figures.ts'
import personRoutes from './routes/person.ts'

const wellbeingRoutes: FastifyPluginAsync = async (app) => {
  await registerPageModules(app, [figuresRoutes, personRoutes, developmentPlanRoutes, feedbackRoutes])
}

export default wellbeingRoutes
