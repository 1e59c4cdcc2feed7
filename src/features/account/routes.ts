/** A person's own account: sessions (with sign out everywhere) and two-step verification. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import { governorOnly, twoStepRequired } from '../../domain/access/permissions.ts'
import { totpUri } from '../../domain/auth/totp.ts'
import { type FormErrors, field, noErrors } from '../../forms/errors.ts'
import { parseForm, problemErrors, renderInvalid } from '../../forms/form.ts'
import { paths } from '../../paths/index.ts'
import {
  confirmTwoStepSetup,
  pendingTotpSecret,
  regenerateRecoveryCodes,
  replaceAuthenticator,
  startTwoStepSetup,
  twoStepPolicyOf,
} from '../../services/auth/accounts.ts'
import {
  completeSecondStep,
  describeUserAgent,
  listSessions,
  signOutEverywhereElse,
  signOutSession,
} from '../../services/auth/sessions.ts'
import { chooseEmail, emailChoiceOf } from '../../services/mail/preferences.ts'
import { throttledPage } from '../auth/routes.ts'
import { codeNotCorrect, emailChoiceForm, newAuthenticatorForm, twoStepSetUpForm } from './forms.ts'

function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}

const accountRoutes: FastifyPluginAsync = async (app) => {
  const settings = () => ({
    idleMinutes: app.config.sessionIdleMinutes,
    absoluteHours: app.config.sessionAbsoluteHours,
  })

  app.get<{ Querystring: { ended?: string; 'recovery-codes-left'?: string; email?: string } }>(
    paths.account.index.pattern,
    { config: { access: 'account' } },
    async (req, reply) => {
      const left = req.query['recovery-codes-left']
      return reply.view('account/views/account.njk', {
        ...(await accountPage(req.session!, req.actor!)),
        ended: req.query.ended,
        recoveryCodesLeft: left !== undefined && /^\d+$/.test(left) ? Number(left) : null,
        emailSaved: req.query.email === 'saved',
      })
    },
  )

  const accountPage = async (
    session: NonNullable<FastifyRequest['session']>,
    actor: NonNullable<FastifyRequest['actor']>,
  ) => {
    const sessions = await listSessions(app.db, actor.personId, session.idHash, settings())
    const policy = await twoStepPolicyOf(app.db, actor.organisationId)
    return {
      pageTitle: 'Your account',
      person: { name: actor.name, email: actor.email },
      twoStepEnabled: session.twoStepEnabled,
      twoStepRequired: twoStepRequired(policy, actor.roles),
      // A governor has no sessions, and the calendar feed's page is not theirs (issue 16).
      governorOnly: governorOnly(actor.roles),
      sessions: sessions.map((s) => ({ ...s, device: describeUserAgent(s.userAgent) })),
      emailChoice: await emailChoiceOf(app.db, actor.personId),
      ended: undefined,
      recoveryCodesLeft: null,
    }
  }

  // Issue 18: each email as it happens, or one a day.
  app.post(paths.account.emailChoice.pattern, { config: { access: 'account' } }, async (req, reply) => {
    const actor = req.actor!
    const form = parseForm(emailChoiceForm, req.body)
    if (!form.ok)
      return renderInvalid(reply, 'account/views/account.njk', await accountPage(req.session!, actor), form.errors)
    await chooseEmail(app.db, {
      personId: actor.personId,
      organisationId: actor.organisationId,
      choice: form.value.emails,
      ip: req.ip,
    })
    return reply.redirect(paths.account.index({ email: 'saved' }), 303)
  })

  app.post(paths.account.signOutEverywhere.pattern, { config: { access: 'account' } }, async (req, reply) => {
    const ended = await signOutEverywhereElse(app.db, req.actor!, req.session!.idHash)
    return reply.redirect(paths.account.index({ ended }))
  })

  app.post<{ Params: { ref: string } }>(
    paths.account.signOutSession.pattern,
    { config: { access: 'account' } },
    async (req, reply) => {
      const ok = await signOutSession(app.db, req.actor!, req.params.ref)
      return reply.redirect(paths.account.index({ ended: ok ? 1 : 0 }))
    },
  )

  // Two-step set-up is reachable before the second step is done, so a person whose role requires
  // it can set it up straight after their first sign-in. The GET only reads (ADR 0011): the secret
  // to scan is made by a POST (or at sign-in, for someone who must set it up) and kept apart from
  // any secret in use until a code from the new app proves it.
  app.get(paths.account.twoStepSetUp.pattern, { config: { access: 'second-step' } }, async (req, reply) => {
    const session = req.session!
    if (session.twoStepEnabled && !session.secondStepDone) return reply.redirect(paths.auth.twoStep())
    const secret = await pendingTotpSecret(app.db, session.person.id)
    if (!secret)
      return reply.view('account/views/two-step-start.njk', {
        pageTitle: session.twoStepEnabled
          ? 'Move two-step verification to a new phone'
          : 'Set up two-step verification',
        replacing: session.twoStepEnabled,
        firstSignIn: !session.secondStepDone,
      })
    return reply.view('account/views/two-step-set-up.njk', {
      ...(await setUpPage(secret, session, {})),
      errors: noErrors,
    })
  })

  app.post(paths.account.twoStepStart.pattern, { config: { access: 'second-step' } }, async (req, reply) => {
    const session = req.session!
    if (session.twoStepEnabled) return reply.redirect(paths.account.index())
    await startTwoStepSetup(app.db, session.person.id, { keepPending: true })
    return reply.redirect(paths.account.twoStepSetUp())
  })

  app.post(paths.account.newAuthenticator.pattern, { config: { access: 'account' } }, async (req, reply) => {
    const session = req.session!
    if (!session.twoStepEnabled) return reply.redirect(paths.account.index())
    await startTwoStepSetup(app.db, req.actor!.personId)
    return reply.redirect(paths.account.twoStepSetUp())
  })

  app.post(paths.account.twoStepSetUp.pattern, { config: { access: 'second-step' } }, async (req, reply) => {
    const session = req.session!
    if (session.twoStepEnabled && !session.secondStepDone) return reply.redirect(paths.auth.twoStep())
    const secret = await pendingTotpSecret(app.db, session.person.id)
    if (!secret) return reply.redirect(paths.account.twoStepSetUp())
    const invalid = async (errors: FormErrors, values: Record<string, string> = {}) =>
      renderInvalid(reply, 'account/views/two-step-set-up.njk', await setUpPage(secret, session, values), errors)
    const problem = (field: string, message: string): FormErrors => problemErrors([{ field, message }])

    if (session.twoStepEnabled) {
      const currentCode = field(req.body, 'currentCode')
      const form = parseForm(newAuthenticatorForm, req.body)
      if (!form.ok) return invalid(form.errors, { currentCode })
      const { password, code } = form.value
      const result = await replaceAuthenticator(app.db, {
        personId: session.person.id,
        password,
        currentCode,
        newCode: code,
        baseUrl: app.config.baseUrl,
      })
      if (result.outcome === 'throttled') return throttledPage(reply, result.until)
      if (result.outcome === 'no-pending') return reply.redirect(paths.account.twoStepSetUp())
      if (result.outcome === 'wrong-new-code') return invalid(problem('code', codeNotCorrect), { currentCode })
      if (result.outcome === 'wrong-password') return invalid(problem('password', 'Your password is not correct'))
      if (result.outcome === 'wrong-current-code')
        return invalid(
          problem(
            'currentCode',
            'The code from your current app is not correct. Enter the latest code, or a recovery code',
          ),
        )
      return reply.view('account/views/recovery-codes.njk', {
        pageTitle: 'Two-step verification moved to your new app',
        codes: result.codes,
        justEnabled: false,
        moved: true,
      })
    }

    const form = parseForm(twoStepSetUpForm, req.body)
    if (!form.ok) return invalid(form.errors)
    const codes = await confirmTwoStepSetup(app.db, session.person.id, form.value.code)
    if (!codes) return invalid(problem('code', codeNotCorrect))
    const rotated = await completeSecondStep(app.db, session.idHash)
    reply.setSessionCookie(rotated.token)
    return reply.view('account/views/recovery-codes.njk', {
      pageTitle: 'Two-step verification is on',
      codes,
      justEnabled: true,
    })
  })

  app.post(paths.account.recoveryCodes.pattern, { config: { access: 'account' } }, async (req, reply) => {
    const session = req.session!
    if (!session.twoStepEnabled) return reply.redirect(paths.account.index())
    const codes = await regenerateRecoveryCodes(app.db, req.actor!.personId)
    return reply.view('account/views/recovery-codes.njk', {
      pageTitle: 'Your new recovery codes',
      codes,
      justEnabled: false,
    })
  })
}

async function setUpPage(
  secret: string,
  session: { person: { email: string }; twoStepEnabled: boolean; secondStepDone: boolean },
  values: Record<string, string>,
) {
  const uri = totpUri(secret, session.person.email)
  const qr = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
  return {
    pageTitle: session.twoStepEnabled ? 'Move two-step verification to a new phone' : 'Set up two-step verification',
    qrSvg: qr.replace(
      '<svg ',
      '<svg role="img" aria-label="QR code for your authenticator app" focusable="false" width="200" height="200" ',
    ),
    secret: groupSecret(secret),
    replacing: session.twoStepEnabled,
    firstSignIn: !session.secondStepDone,
    values,
  }
}

export default accountRoutes
