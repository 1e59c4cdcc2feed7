/**
 * Wellbeing (issue 17): further support (LH-04, LH-03) for one person, and its figures for
 * management; development plans fed by signed records (PL-07, CA-08); supervisee feedback on supervision (PL-06). One module per page or group of pages under routes/.
 */
import type { FastifyPluginAsync } from 'fastify'
import developmentPlanRoutes from './routes/development-plan.ts'
import feedbackRoutes from './routes/feedback.ts'
import figuresRoutes from './routes/figures.ts'
import personRoutes from './routes/person.ts'

const wellbeingRoutes: FastifyPluginAsync = async (app) => {
  await app.register(figuresRoutes)
  await app.register(personRoutes)
  await app.register(developmentPlanRoutes)
  await app.register(feedbackRoutes)
}

export default wellbeingRoutes
