import type { FastifyPluginAsync } from 'fastify'
import { can, governorOnly, Permission } from '../../domain/access/permissions.ts'
import { paths } from '../../paths/index.ts'
import { secondStepPage } from '../../plugins/auth.ts'
import { organisationExists } from '../../services/auth/accounts.ts'
import { openFeedbackOf } from '../../services/wellbeing/supervision-feedback.ts'
import { homeActions } from '../actions/home.ts'
import { homeOverview } from '../overview/home.ts'

const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get(paths.home.index.pattern, { config: { access: 'public' } }, async (req, reply) => {
    // First run: with no organisation yet, everything leads to setup.
    if (!req.session && !(await organisationExists(app.db))) return reply.redirect(paths.setup.index())
    if (req.session && !req.session.secondStepDone) return reply.redirect(secondStepPage(req.session))
    // A governor sees the governors' report and nothing else (issue 16).
    if (req.actor && governorOnly(req.actor.roles)) return reply.redirect(paths.governors.report())
    // Your actions (issue 7): open actions you own, overdue ones standing out.
    const yourActions = req.actor ? await homeActions(app.db, req.actor.personId, app.clock()) : null
    // The DSL's overview (issue 9): whoever sees the school's compliance sees its figures here.
    const overview =
      req.session && req.actor && can(req.actor, Permission.ComplianceRead)
        ? await homeOverview(app.db, req.session.person, req.server.clock())
        : null
    // LH-04: the person's own further support (stress risk assessments, referrals) is one link away.
    const furtherSupport = req.actor ? paths.wellbeing.person({ personId: req.actor.personId }) : null
    // PL-07: their development plan, fed by their signed records.
    const developmentPlan = req.actor ? paths.wellbeing.developmentPlan({ personId: req.actor.personId }) : null
    // PL-06: questionnaires about their supervision still to answer.
    const feedback = req.actor
      ? (await openFeedbackOf(app.db, req.actor)).map((r) => ({
          href: paths.wellbeing.feedback({ requestId: r.id }),
          sessionDate: r.sessionDate,
        }))
      : []
    return reply.view('home/views/home.njk', {
      feedback,
      pageTitle: 'Home',
      yourActions,
      overview,
      furtherSupport,
      developmentPlan,
    })
  })
  app.get(paths.home.accessibility.pattern, { config: { access: 'public' } }, async (_req, reply) =>
    reply.view('pages/static.njk', {
      pageTitle: 'Accessibility statement',
      paragraphs: [
        'Haven is built to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. Every page is checked automatically with axe-core, works with a keyboard and without JavaScript, and fits a phone screen.',
        'If you find something in Haven that is hard to use, tell your school administrator, who can pass it to the Haven team.',
      ],
    }),
  )
  app.get(paths.home.privacy.pattern, { config: { access: 'public' } }, async (_req, reply) =>
    reply.view('pages/static.njk', {
      pageTitle: 'Privacy',
      paragraphs: [
        'Haven holds supervision records for your school or trust, which is the data controller. Records are seen only by the people your school’s policy allows, and every access is logged.',
        'Haven uses one cookie, to keep you signed in. It is deleted when you sign out or after a period without activity.',
      ],
    }),
  )
}

export default homeRoutes
