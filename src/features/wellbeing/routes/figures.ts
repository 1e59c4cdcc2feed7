/**
 * LH-04: further support in figures for management (the overview's readers): counts of open stress
 * risk assessments, reviews overdue, and referrals to Occupational Health; never a name or content.
 */
import type { FastifyPluginAsync } from 'fastify'
import { Permission } from '../../../domain/access/permissions.ts'
import { londonDateOf } from '../../../domain/calendar/index.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { furtherSupportFigures } from '../../../services/wellbeing/further-support.ts'

const figuresRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { school?: string } }>(
    paths.wellbeing.figures.pattern,
    { config: { access: { permission: Permission.ComplianceRead } } },
    async (req, reply) => {
      const figures = await furtherSupportFigures(app.db, req.actor!, req.query.school, londonDateOf(app.clock()))
      if (!figures) return renderNotFound(req, reply)
      return reply.view('wellbeing/views/figures.njk', {
        pageTitle: 'Further support in figures',
        backLink: {
          href: paths.overview.index(figures.choices.length ? { school: figures.school.slug } : undefined),
          text: 'Overview',
        },
        figures,
      })
    },
  )
}

export default figuresRoutes
