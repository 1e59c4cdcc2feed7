/**
 * Roles that open supervision records, and new email addresses, waiting for a DSL's approval
 * (issue 12, ADR 0011); and the person's own answer from the link sent to their old address.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { noErrors } from '../../../forms/errors.ts'
import { parseForm, renderInvalid } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { answerEmailChange, decideChange, pendingChanges } from '../../../services/auth/access-changes.ts'
import { emailChangeByToken } from '../../../services/auth/email-changes.ts'
import { schoolFor, schoolPage, schoolQuery } from '../../school-scope.ts'
import { emailChangeForm } from '../forms.ts'
import { decideGrants, organisationOf, todayOf } from './shared.ts'

const decided: Record<string, string> = {
  'role-approved': 'The role has been given.',
  'role-refused': 'The role has been refused.',
  'email-approved': 'The new email address is now in use. The person has been signed out everywhere.',
  'email-refused': 'The new email address has been refused. The person keeps their current one.',
}

const linkProblems = {
  unknown: 'This link is not valid',
  used: 'This link has already been used',
  expired: 'This link has expired',
  'email-taken': 'This email address is already in use',
} as const

function showLinkProblem(reply: FastifyReply, reason: keyof typeof linkProblems) {
  return reply.code(reason === 'unknown' ? 404 : reason === 'email-taken' ? 409 : 410).view('pages/static.njk', {
    pageTitle: linkProblems[reason],
    paragraphs: [
      reason === 'email-taken'
        ? 'Someone else in Haven now has the new email address, so it cannot be used. Your email address has not changed.'
        : 'Your email address has not changed. If you still need it changed, ask your school administrator.',
    ],
  })
}

const roleGrantRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { school?: string; decided?: string } }>(
    paths.staff.roleGrants.pattern,
    { config: decideGrants },
    schoolPage(schoolFor, async (req, reply, found) => {
      const { school, schools } = found
      const waiting = await pendingChanges(app.db, { organisationId: school.organisationId, schoolId: school.id })
      return reply.view('staff/views/role-grants.njk', {
        pageTitle: 'Roles waiting for approval',
        backLink: { href: paths.staff.index(schoolQuery(school, schools)), text: 'Staff' },
        school,
        grants: waiting.filter((c) => c.kind === 'role'),
        emailChanges: waiting.filter((c) => c.kind === 'email'),
        me: req.actor!.personId,
        decided: req.query.decided ? (decided[req.query.decided] ?? null) : null,
        notAllowed: req.query.decided === 'not-allowed',
        emailTaken: req.query.decided === 'email-taken',
      })
    }),
  )

  for (const [builder, decision] of [
    [paths.staff.approveChange, 'approved'],
    [paths.staff.refuseChange, 'refused'],
  ] as const) {
    app.post<{ Params: { id: string } }>(builder.pattern, { config: decideGrants }, async (req, reply) => {
      const result = await decideChange(app.db, {
        organisationId: organisationOf(req),
        changeId: req.params.id,
        approverId: req.actor!.personId,
        decision,
        today: todayOf(app),
        baseUrl: app.config.baseUrl,
      })
      if (!result.ok && result.reason === 'not-found') return renderNotFound(req, reply)
      return reply.redirect(
        paths.staff.roleGrants({ decided: result.ok ? `${result.kind}-${decision}` : result.reason }),
      )
    })
  }

  app.get<{ Params: { token: string } }>(
    paths.staff.emailChange.pattern,
    { config: { access: 'public' } },
    async (req, reply) => {
      const link = await emailChangeByToken(app.db, req.params.token, app.clock())
      if (!link.ok) return showLinkProblem(reply, link.reason)
      return reply.view('staff/views/email-change.njk', {
        pageTitle: 'Confirm your new email address',
        link,
        action: paths.staff.emailChange({ token: req.params.token }),
        errors: noErrors,
      })
    },
  )

  app.post<{ Params: { token: string } }>(
    paths.staff.emailChange.pattern,
    { config: { access: 'public' } },
    async (req, reply) => {
      const form = parseForm(emailChangeForm, req.body)
      if (!form.ok) {
        const link = await emailChangeByToken(app.db, req.params.token, app.clock())
        if (!link.ok) return showLinkProblem(reply, link.reason)
        return renderInvalid(
          reply,
          'staff/views/email-change.njk',
          {
            pageTitle: 'Confirm your new email address',
            link,
            action: paths.staff.emailChange({ token: req.params.token }),
          },
          form.errors,
        )
      }
      const answer = form.value.decision === 'confirm' ? 'approved' : 'refused'
      const result = await answerEmailChange(app.db, req.params.token, answer, app.config.baseUrl)
      if (!result.ok) return showLinkProblem(reply, result.reason)
      return reply.view('pages/static.njk', {
        pageTitle:
          result.decision === 'approved' ? 'Your email address has changed' : 'Your email address has not changed',
        paragraphs:
          result.decision === 'approved'
            ? [
                `Haven now uses ${result.newEmail}. Sign in with it from now on.`,
                'You have been signed out everywhere, and links Haven emailed you before no longer work.',
              ]
            : [
                'Haven keeps using your current email address.',
                'If you did not expect anyone to ask for this change, tell your school’s designated safeguarding lead or headteacher.',
              ],
        links: result.decision === 'approved' ? [{ href: paths.auth.index(), text: 'Sign in' }] : [],
      })
    },
  )
}

export default roleGrantRoutes
