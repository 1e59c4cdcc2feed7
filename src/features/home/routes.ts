import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { can, governorOnly, Permission } from '../../domain/access/permissions.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { OverviewFigures } from '../../domain/overview/index.ts'
import { paths } from '../../paths/index.ts'
import { secondStepPage } from '../../plugins/auth.ts'
import { organisationExists } from '../../services/auth/accounts.ts'
import { homeNextSteps } from '../../services/home/next-steps.ts'
import { schoolsOf } from '../../services/staff/schools.ts'
import { openFeedbackOf } from '../../services/wellbeing/supervision-feedback.ts'
import { homeActions } from '../actions/home.ts'
import { homeOverview, type Located } from '../overview/home.ts'
import { type HomeView, homeView } from './presenters.ts'

/** The school the next steps are about: the overview's, else the person's own; and the blocks shown. */
async function nextStepsFor(
  req: FastifyRequest,
  figures: OverviewFigures | null,
  located: Located | null,
): Promise<HomeView> {
  const actor = req.actor!
  const school =
    located?.school ??
    (actor.schoolId
      ? ((await schoolsOf(req.server.db, actor.organisationId)).find((s) => s.id === actor.schoolId) ?? null)
      : null)
  const blocks = await homeNextSteps(req.server.db, {
    actor,
    today: londonDateOf(req.server.clock()),
    school: school
      ? { id: school.id, organisationId: actor.organisationId, slug: school.slug, name: school.name }
      : null,
    figures,
  })
  return homeView(blocks, located && located.choices.length > 0 ? located.school.slug : undefined)
}

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
    // Issue 18: what to do next, for each role the person holds.
    const nextSteps = req.actor
      ? await nextStepsFor(req, overview?.summary?.figures ?? null, overview?.located ?? null)
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
      nextSteps,
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
