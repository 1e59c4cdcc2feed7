/** Signing in and out, the second step, password resets and invitations. */

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { field, noErrors } from '../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError } from '../../plugins/errors.ts'
import {
  checkSecondStep,
  checkToken,
  organisationExists,
  requestPasswordReset,
  setPasswordWithToken,
  signIn,
  type TokenCheck,
} from '../../services/auth/accounts.ts'
import { completeSecondStep, createSession, endSession, signOut } from '../../services/auth/sessions.ts'
import { minutesUntilFree } from '../../services/auth/throttles.ts'
import { resetRequestForm, secondStepForm, setPasswordForm, signInForm } from './forms.ts'
import { providerButton, registerProviderRoutes, type SignedIn } from './provider.ts'

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\\\s]*$/.test(next) && !next.startsWith(paths.auth.signIn())
    ? next
    : paths.home.index()
}

/** The page for a throttled attempt (sign-in, second step, confirming who you are). */
export function throttledPage(reply: FastifyReply, until: Date) {
  const minutes = minutesUntilFree(until)
  return renderClientError(reply, 429, {
    heading: 'Too many attempts',
    paragraphs: [
      `For your security, signing in is paused. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      'If you have forgotten your password, you can reset it.',
    ],
  })
}

const tokenMessages: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  expired: 'This link has expired.',
  used: 'This link has already been used.',
  unknown: 'This link is not valid. Check you copied the whole link from the email.',
}

const authRoutes: FastifyPluginAsync = async (app) => {
  const settings = () => ({
    idleMinutes: app.config.sessionIdleMinutes,
    absoluteHours: app.config.sessionAbsoluteHours,
  })

  app.get<{ Querystring: { next?: string; setup?: string; reset?: string } }>(
    paths.auth.signIn.pattern,
    { config: { access: 'public' } },
    async (req, reply) => {
      if (!(await organisationExists(app.db))) return reply.redirect(paths.setup.index())
      if (req.session?.secondStepDone) return reply.redirect(safeNext(req.query.next))
      return reply.view('auth/views/sign-in.njk', {
        pageTitle: 'Sign in',
        provider: await providerButton(app),
        values: {},
        errors: noErrors,
        next: safeNext(req.query.next),
        banner:
          req.query.setup === 'done'
            ? 'Haven is set up. Sign in with the email address and password you chose.'
            : req.query.reset === 'done'
              ? 'Your password has been changed. Sign in with your new password.'
              : null,
      })
    },
  )

  app.post(paths.auth.signIn.pattern, { config: { access: 'public' } }, async (req, reply) => {
    const next = safeNext(field(req.body, 'next'))
    const page = {
      pageTitle: 'Sign in',
      values: { email: field(req.body, 'email') },
      next,
      provider: await providerButton(app),
    }
    const form = parseForm(signInForm, req.body)
    if (!form.ok) return renderInvalid(reply, 'auth/views/sign-in.njk', page, form.errors)
    const { email, password } = form.value
    const result = await signIn(app.db, {
      email,
      password,
      ip: req.ip,
      baseUrl: app.config.baseUrl,
      today: londonDateOf(app.clock()),
    })
    if (result.outcome === 'throttled') return throttledPage(reply, result.until)
    if (result.outcome === 'wrong') {
      const errors = problemErrors([{ field: 'email', message: 'Enter a correct email address and password' }])
      return renderInvalid(reply, 'auth/views/sign-in.njk', page, errors)
    }
    return beginSession(req, reply, {
      personId: result.personId,
      secondStepDone: !(result.twoStepEnabled || result.twoStepRequired),
      twoStepEnabled: result.twoStepEnabled,
      twoStepRequired: result.twoStepRequired,
      next,
    })
  })

  /**
   * What every way of signing in ends with (password or provider): any earlier session on this
   * browser ends, a new session id, then the second step or its set-up when still needed.
   */
  async function beginSession(req: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) {
    if (req.session) await endSession(app.db, req.session.idHash)
    const session = await createSession(app.db, {
      personId: signedIn.personId,
      secondStepDone: signedIn.secondStepDone,
      userAgent: req.headers['user-agent'] ?? '',
      settings: settings(),
    })
    reply.setSessionCookie(session.token)
    if (signedIn.secondStepDone) return reply.redirect(signedIn.next)
    if (signedIn.twoStepEnabled) return reply.redirect(paths.auth.twoStep({ next: signedIn.next }))
    return reply.redirect(paths.account.twoStepSetUp())
  }

  registerProviderRoutes(app, beginSession)

  app.get<{ Querystring: { next?: string } }>(
    paths.auth.twoStep.pattern,
    { config: { access: 'second-step' } },
    async (req, reply) => {
      if (req.session!.secondStepDone) return reply.redirect(safeNext(req.query.next))
      if (!req.session!.twoStepEnabled) return reply.redirect(paths.account.twoStepSetUp())
      return reply.view('auth/views/two-step.njk', {
        pageTitle: 'Enter the code from your authenticator app',
        errors: noErrors,
        next: safeNext(req.query.next),
      })
    },
  )

  app.post(paths.auth.twoStep.pattern, { config: { access: 'second-step' } }, async (req, reply) => {
    const session = req.session!
    const next = safeNext(field(req.body, 'next'))
    const page = { pageTitle: 'Enter the code from your authenticator app', next }
    const form = parseForm(secondStepForm, req.body)
    if (!form.ok) return renderInvalid(reply, 'auth/views/two-step.njk', page, form.errors)
    const result = await checkSecondStep(app.db, session.person.id, form.value.code)
    if (result.outcome === 'throttled') return throttledPage(reply, result.until)
    if (result.outcome === 'wrong') {
      const message = 'The code is not correct or has expired. Enter the latest code from your app'
      return renderInvalid(reply, 'auth/views/two-step.njk', page, problemErrors([{ field: 'code', message }]))
    }
    const rotated = await completeSecondStep(app.db, session.idHash)
    reply.setSessionCookie(rotated.token)
    if (result.usedRecoveryCode)
      return reply.redirect(paths.account.index({ 'recovery-codes-left': result.recoveryCodesLeft }))
    return reply.redirect(next)
  })

  app.post(paths.auth.signOut.pattern, { config: { access: 'public' } }, async (req, reply) => {
    const session = req.session
    if (session) {
      const owner = { personId: session.person.id, organisationId: session.person.organisationId }
      await signOut(app.db, owner, session.idHash)
    }
    reply.clearSessionCookie()
    return reply.redirect(paths.auth.signedOut())
  })

  app.get(paths.auth.signedOut.pattern, { config: { access: 'public' } }, async (_req, reply) =>
    reply.view('pages/static.njk', {
      pageTitle: 'You have signed out',
      paragraphs: ['You have signed out of Haven.'],
      links: [{ href: paths.auth.signIn(), text: 'Sign in again' }],
    }),
  )

  // Password reset -----------------------------------------------------------------------------

  app.get(paths.auth.passwordReset.pattern, { config: { access: 'public' } }, async (_req, reply) =>
    reply.view('auth/views/reset-request.njk', { pageTitle: 'Reset your password', values: {}, errors: noErrors }),
  )

  app.post(paths.auth.passwordReset.pattern, { config: { access: 'public' } }, async (req, reply) => {
    const form = parseForm(resetRequestForm, req.body)
    if (!form.ok) {
      const page = { pageTitle: 'Reset your password', values: { email: field(req.body, 'email') } }
      return renderInvalid(reply, 'auth/views/reset-request.njk', page, form.errors)
    }
    const { email } = form.value
    const result = await requestPasswordReset(app.db, { email, ip: req.ip, baseUrl: app.config.baseUrl })
    if (result.throttled) return throttledPage(reply, result.throttled)
    return reply.view('pages/static.njk', {
      pageTitle: 'Check your email',
      paragraphs: [
        `If ${email} has a Haven account, we have sent it a link to reset the password. The link works once, for 1 hour.`,
        'If no email arrives, check your junk folder, or ask your school administrator.',
      ],
    })
  })

  const tokenPage = (kind: 'invitation' | 'password-reset') => ({
    template: 'auth/views/set-password.njk',
    title: kind === 'invitation' ? 'Choose a password for Haven' : 'Choose a new password',
    path: kind === 'invitation' ? paths.auth.invitation : paths.auth.newPassword,
  })

  const showTokenProblem = (
    reply: FastifyReply,
    kind: 'invitation' | 'password-reset',
    reason: keyof typeof tokenMessages,
  ) =>
    reply.code(reason === 'unknown' ? 404 : 410).view('pages/static.njk', {
      pageTitle: tokenMessages[reason],
      paragraphs: [
        kind === 'invitation'
          ? 'Ask your school administrator to send you a new invitation.'
          : 'You can ask for a new link.',
      ],
      links:
        kind === 'password-reset'
          ? [{ href: paths.auth.passwordReset(), text: 'Ask for a new password reset link' }]
          : [],
    })

  for (const kind of ['invitation', 'password-reset'] as const) {
    const page = tokenPage(kind)
    app.get<{ Params: { token: string } }>(page.path.pattern, { config: { access: 'public' } }, async (req, reply) => {
      const check = await checkToken(app.db, kind, req.params.token)
      if (!check.ok) return showTokenProblem(reply, kind, check.reason)
      return reply.view(page.template, {
        pageTitle: page.title,
        action: page.path({ token: req.params.token }),
        email: check.email,
        errors: noErrors,
      })
    })
    app.post<{ Params: { token: string } }>(
      page.path.pattern,
      { config: { access: 'public' } },
      async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
        const check = await checkToken(app.db, kind, req.params.token)
        if (!check.ok) return showTokenProblem(reply, kind, check.reason)
        const form = parseForm(setPasswordForm({ email: check.email, name: check.name }), req.body)
        if (!form.ok) {
          const context = { pageTitle: page.title, action: page.path(req.params), email: check.email }
          return renderInvalid(reply, page.template, context, form.errors)
        }
        const result = await setPasswordWithToken(
          app.db,
          kind,
          req.params.token,
          form.value.password,
          undefined,
          app.config.baseUrl,
        )
        if (!result.ok) return showTokenProblem(reply, kind, result.reason)
        return reply.redirect(paths.auth.signIn({ reset: 'done' }))
      },
    )
  }
}

export default authRoutes
