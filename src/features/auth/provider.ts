/**
 * Signing in with Microsoft or Google (issue 18 item 2, ADR 0048). The sign-in page's button is a
 * plain link to the start, which sends the browser to the provider; the provider sends it back to
 * the callback, which finishes as a password sign-in does (`beginSession`).
 *
 * The start is a GET that writes a short-lived `provider_sign_in` row: a link works without
 * JavaScript, and a form could not redirect to the provider under the `form-action 'self'` policy.
 * The row changes nothing about anyone's account.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { providerName } from '../../domain/auth/sign-in-provider.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { paths } from '../../paths/index.ts'
import { renderClientError } from '../../plugins/errors.ts'
import {
  type FinishRefusal,
  finishProviderSignIn,
  offeredProvider,
  startProviderSignIn,
} from '../../services/auth/provider-sign-in.ts'
import { safeNext, throttledPage } from './routes.ts'

/** The cookie that binds a started sign-in to the browser that started it. */
const BINDING_COOKIE = 'haven_provider_sign_in'

/** What the sign-in page's button says, or null when no provider is offered. */
export async function providerButton(app: FastifyInstance): Promise<{ name: string; href: string } | null> {
  const provider = await offeredProvider(app.db, app.config.oidcClientSecret)
  return provider ? { name: providerName(provider.kind), href: paths.auth.provider() } : null
}

/** Someone who has proved who they are, by password or provider, and what is still to do. */
export interface SignedIn {
  personId: string
  secondStepDone: boolean
  twoStepEnabled: boolean
  twoStepRequired: boolean
  next: string
}

type BeginSession = (req: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) => Promise<FastifyReply>

/** What the person reads when a sign-in with the provider is refused: what to do, never why in detail. */
function refusalPage(reason: FinishRefusal, name: string): { status: number; heading: string; paragraphs: string[] } {
  switch (reason) {
    case 'state-unknown':
      return {
        status: 404,
        heading: 'This sign-in link is not valid',
        paragraphs: ['Go back to the sign-in page and start again.'],
      }
    case 'state-used':
    case 'state-expired':
    case 'other-browser':
      return {
        status: 410,
        heading: 'This sign-in has expired',
        paragraphs: [
          'Signing in must be finished in the same browser within 10 minutes, and each sign-in works once.',
          'Go back to the sign-in page and start again.',
        ],
      }
    case 'wrong-domain':
    case 'wrong-tenant':
    case 'no-email':
    case 'email-unverified':
      return {
        status: 403,
        heading: 'You cannot sign in to Haven with this account',
        paragraphs: [`Sign in with your school’s ${name} account, or with your email address and password.`],
      }
    case 'no-account':
    case 'linked-to-another':
    case 'inactive':
      return {
        status: 403,
        heading: 'There is no Haven account for you',
        paragraphs: ['Ask your school administrator to add you to Haven or to check your account.'],
      }
    default:
      return {
        status: 400,
        heading: `Signing in with ${name} did not work`,
        paragraphs: ['Go back to the sign-in page and try again, or sign in with your email address and password.'],
      }
  }
}

export function registerProviderRoutes(app: FastifyInstance, beginSession: BeginSession): void {
  const https = app.config.baseUrl.startsWith('https:')
  const cookieOptions = {
    path: paths.auth.provider(),
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: https,
  }
  const redirectUri = `${app.config.baseUrl}${paths.auth.providerCallback()}`

  app.get<{ Querystring: { next?: string } }>(
    paths.auth.provider.pattern,
    { config: { access: 'public' } },
    async (req, reply) => {
      const started = await startProviderSignIn(app.db, {
        clientSecret: app.config.oidcClientSecret,
        redirectUri,
        next: safeNext(req.query.next),
      })
      if (started.outcome === 'not-configured') return renderClientError(reply, 404)
      if (started.outcome === 'unavailable')
        return reply.code(503).view('pages/error.njk', {
          pageTitle: 'Signing in this way is not working at the moment',
          heading: 'Signing in this way is not working at the moment',
          paragraphs: ['Try again later, or sign in with your email address and password.'],
        })
      reply.setCookie(BINDING_COOKIE, started.browserToken, { ...cookieOptions, maxAge: 10 * 60 })
      return reply.redirect(started.url)
    },
  )

  app.get(paths.auth.providerCallback.pattern, { config: { access: 'public' } }, async (req, reply) => {
    const result = await finishProviderSignIn(app.db, {
      clientSecret: app.config.oidcClientSecret,
      currentUrl: new URL(req.url, app.config.baseUrl),
      browserToken: req.cookies[BINDING_COOKIE],
      ip: req.ip,
      today: londonDateOf(app.clock()),
    })
    reply.clearCookie(BINDING_COOKIE, cookieOptions)
    if (result.outcome === 'throttled') return throttledPage(reply, result.until)
    if (result.outcome === 'refused') {
      const page = refusalPage(result.reason, result.kind ? providerName(result.kind) : 'your school account')
      return reply.code(page.status).view('pages/static.njk', {
        pageTitle: page.heading,
        paragraphs: page.paragraphs,
        links: [{ href: paths.auth.signIn(), text: 'Go to the sign-in page' }],
      })
    }
    return beginSession(req, reply, {
      personId: result.personId,
      secondStepDone: result.mfaByProvider || !(result.twoStepEnabled || result.twoStepRequired),
      twoStepEnabled: result.twoStepEnabled,
      twoStepRequired: result.twoStepRequired,
      next: safeNext(result.next),
    })
  })
}
