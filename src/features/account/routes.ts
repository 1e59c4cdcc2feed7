/** A person's own account: sessions (with sign out everywhere) and two-step verification. */
import type { FastifyPluginAsync } from 'fastify'
import QRCode from 'qrcode'
import { twoStepRequired } from '../../domain/access/permissions.ts'
import { totpUri } from '../../domain/auth/totp.ts'
import { field, formErrors, noErrors } from '../../forms/errors.ts'
import { recordAudit } from '../../services/audit.ts'
import {
  beginTwoStepSetup,
  confirmTwoStepSetup,
  pendingTotpSecret,
  regenerateRecoveryCodes,
  twoStepPolicyOf,
} from '../../services/auth/accounts.ts'
import {
  completeSecondStep,
  describeUserAgent,
  endAllSessions,
  endSessionByRef,
  listSessions,
} from '../../services/auth/sessions.ts'

function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}

const accountRoutes: FastifyPluginAsync = async (app) => {
  const settings = () => ({
    idleMinutes: app.config.sessionIdleMinutes,
    absoluteHours: app.config.sessionAbsoluteHours,
  })

  app.get<{ Querystring: { ended?: string; 'recovery-codes-left'?: string } }>(
    '/account',
    { config: { access: 'signed-in' } },
    async (req, reply) => {
      const session = req.session!
      const sessions = await listSessions(app.db, session.person.id, session.idHash, new Date(), settings())
      const policy = await twoStepPolicyOf(app.db, session.person.organisationId)
      const left = req.query['recovery-codes-left']
      return reply.view('account/views/account.njk', {
        pageTitle: 'Your account',
        person: session.person,
        twoStepEnabled: session.twoStepEnabled,
        twoStepRequired: twoStepRequired(policy, session.person.roles),
        sessions: sessions.map((s) => ({ ...s, device: describeUserAgent(s.userAgent) })),
        ended: req.query.ended,
        recoveryCodesLeft: left !== undefined && /^\d+$/.test(left) ? Number(left) : null,
      })
    },
  )

  app.post('/account/sessions/sign-out-everywhere', { config: { access: 'signed-in' } }, async (req, reply) => {
    const session = req.session!
    const ended = await endAllSessions(app.db, session.person.id, new Date(), session.idHash)
    await recordAudit(app.db, {
      action: 'auth.signed-out-everywhere',
      subjectType: 'account',
      subjectId: session.person.id,
      actorId: session.person.id,
      organisationId: session.person.organisationId,
      detail: { ended },
    })
    return reply.redirect(`/account?ended=${ended}`)
  })

  app.post<{ Params: { ref: string } }>(
    '/account/sessions/:ref/sign-out',
    { config: { access: 'signed-in' } },
    async (req, reply) => {
      const session = req.session!
      const ok = await endSessionByRef(app.db, session.person.id, req.params.ref, new Date())
      if (ok)
        await recordAudit(app.db, {
          action: 'auth.session-ended',
          subjectType: 'account',
          subjectId: session.person.id,
          actorId: session.person.id,
          organisationId: session.person.organisationId,
        })
      return reply.redirect(`/account?ended=${ok ? 1 : 0}`)
    },
  )

  // Two-step set-up is reachable before the second step is done, so a person whose role requires
  // it can set it up straight after their first sign-in.
  app.get('/account/two-step/set-up', { config: { access: 'second-step' } }, async (req, reply) => {
    const session = req.session!
    if (session.twoStepEnabled && !session.secondStepDone) return reply.redirect('/sign-in/two-step')
    const secret =
      (await pendingTotpSecret(app.db, session.person.id)) ?? (await beginTwoStepSetup(app.db, session.person.id))
    return reply.view(
      'account/views/two-step-set-up.njk',
      await setUpPage(secret, session.person.email, session.twoStepEnabled, !session.secondStepDone),
    )
  })

  app.post('/account/two-step/set-up', { config: { access: 'second-step' } }, async (req, reply) => {
    const session = req.session!
    if (session.twoStepEnabled && !session.secondStepDone) return reply.redirect('/sign-in/two-step')
    const code = field(req.body, 'code')
    const secret = await pendingTotpSecret(app.db, session.person.id)
    if (!secret) return reply.redirect('/account/two-step/set-up')
    const codes = code ? await confirmTwoStepSetup(app.db, session.person.id, code) : null
    if (!codes) {
      const message = code
        ? 'The code is not correct. Enter the 6-digit code shown in your app now'
        : 'Enter the 6-digit code from your authenticator app'
      return reply.code(400).view('account/views/two-step-set-up.njk', {
        ...(await setUpPage(secret, session.person.email, session.twoStepEnabled, !session.secondStepDone)),
        errors: formErrors([['code', message]]),
      })
    }
    const rotated = await completeSecondStep(app.db, session.idHash, new Date())
    reply.setSessionCookie(rotated.token)
    return reply.view('account/views/recovery-codes.njk', {
      pageTitle: 'Two-step verification is on',
      codes,
      justEnabled: true,
    })
  })

  app.post('/account/two-step/recovery-codes', { config: { access: 'signed-in' } }, async (req, reply) => {
    const session = req.session!
    if (!session.twoStepEnabled) return reply.redirect('/account')
    const codes = await regenerateRecoveryCodes(app.db, session.person.id)
    return reply.view('account/views/recovery-codes.njk', {
      pageTitle: 'Your new recovery codes',
      codes,
      justEnabled: false,
    })
  })
}

async function setUpPage(secret: string, email: string, replacing: boolean, firstSignIn: boolean) {
  const uri = totpUri(secret, email)
  const qr = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
  return {
    pageTitle: 'Set up two-step verification',
    qrSvg: qr.replace(
      '<svg ',
      '<svg role="img" aria-label="QR code for your authenticator app" focusable="false" width="200" height="200" ',
    ),
    secret: groupSecret(secret),
    replacing,
    firstSignIn,
    errors: noErrors,
  }
}

export default accountRoutes
