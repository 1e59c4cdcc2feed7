/**
 * Signing in with the school's Microsoft (Entra ID) or Google Workspace account (issue 18 item 2,
 * ADR 0048), through openid-client: the authorization code flow with PKCE, state and nonce.
 *
 * A sign-in is started by `startProviderSignIn` (a `provider_sign_in` row holding hashes of the
 * state and of a cookie that binds it to the browser, the PKCE verifier and the nonce) and
 * finished by `finishProviderSignIn`, which uses the row once, lets openid-client check the ID
 * token (signature, issuer, audience, expiry, nonce), checks the school's tenant or domain, and
 * finds the person by the provider's issuer and subject, linking them by email on the first
 * sign-in only. What follows (two-step verification, the session) is the password sign-in's.
 *
 * Nothing about the person goes in the audit detail beyond ids and reasons; errors from the
 * provider are reduced to their code.
 */
import * as oidc from 'openid-client'
import { accountByPersonId, ensureAccount } from '../../db/repositories/auth/accounts.ts'
import { organisationSettings, saveOrganisationSettings } from '../../db/repositories/auth/organisations.ts'
import {
  deleteProviderSignInsBefore,
  insertProviderLink,
  insertProviderSignIn,
  linkedPerson,
  personForProviderEmail,
  theOrganisationId,
  touchProviderLink,
  useProviderSignIn,
} from '../../db/repositories/auth/provider-links.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { twoStepRequired } from '../../domain/access/permissions.ts'
import {
  type ClaimsRefusal,
  claimedEmail,
  decideLink,
  PROVIDER_SIGN_IN_MINUTES,
  type ProviderClaims,
  type ProviderKind,
  providerDidMfa,
  refuseClaims,
  type SignInProvider,
} from '../../domain/auth/sign-in-provider.ts'
import { addressThrottle } from '../../domain/auth/throttle.ts'
import { hashToken, randomToken } from '../../domain/auth/tokens.ts'
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts'
import { recordAudit } from '../audit.ts'
import { startTwoStepSetup, twoStepPolicyOf } from './accounts.ts'
import { blockedUntil, recordFailure, throttleKey } from './throttles.ts'

// Configuration ----------------------------------------------------------------------------------

export async function signInProviderOf(db: DbOrTrx, organisationId: string): Promise<SignInProvider | null> {
  const settings = await organisationSettings(db, organisationId)
  return ((settings as { signInProvider?: SignInProvider } | undefined)?.signInProvider ??
    null) as SignInProvider | null
}

/** Saves (or, with null, removes) the organisation's provider, audited without its values. */
export async function saveSignInProvider(
  db: DbOrTrx,
  organisationId: string,
  provider: SignInProvider | null,
  actorId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await organisationSettings(trx, organisationId, { lock: true })
    if (!current) throw new Error('no such organisation')
    const { signInProvider: _, ...rest } = current as { signInProvider?: unknown }
    await saveOrganisationSettings(trx, organisationId, provider ? { ...rest, signInProvider: provider } : rest)
    await recordAudit(trx, {
      action: 'organisation.sign-in-provider',
      subjectType: 'organisation',
      subjectId: organisationId,
      actorId,
      organisationId,
      detail: { kind: provider?.kind ?? null },
    })
  })
}

/** The provider the sign-in page offers: configured, with the server's client secret set. */
export async function offeredProvider(
  db: DbOrTrx,
  clientSecret: string | undefined,
): Promise<(SignInProvider & { organisationId: string }) | null> {
  if (!clientSecret) return null
  const organisationId = await theOrganisationId(db)
  if (!organisationId) return null
  const provider = await signInProviderOf(db, organisationId)
  return provider ? { ...provider, organisationId } : null
}

// Talking to the provider ------------------------------------------------------------------------

/** Discovery documents, by issuer: fetched once per process (a cache; nothing is lost without it). */
const discovered = new Map<string, Promise<oidc.ServerMetadata>>()

function isLocal(issuer: string): boolean {
  return new URL(issuer).protocol === 'http:'
}

/** An openid-client configuration for the provider, discovering its metadata the first time. */
async function clientFor(provider: SignInProvider, clientSecret: string): Promise<oidc.Configuration> {
  let metadata = discovered.get(provider.issuer)
  if (!metadata) {
    const options = isLocal(provider.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined
    metadata = oidc
      .discovery(new URL(provider.issuer), provider.clientId, clientSecret, undefined, options)
      .then((c) => ({ ...c.serverMetadata() }))
    discovered.set(provider.issuer, metadata)
    metadata.catch(() => discovered.delete(provider.issuer))
  }
  const config = new oidc.Configuration(await metadata, provider.clientId, clientSecret)
  if (isLocal(provider.issuer)) oidc.allowInsecureRequests(config)
  return config
}

/** The code of an error from openid-client or the provider, never its message (which may quote claims). */
function errorCode(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return error.error
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : 'unknown'
}

// Starting ---------------------------------------------------------------------------------------

export type StartResult =
  | { outcome: 'redirect'; url: string; browserToken: string }
  | { outcome: 'not-configured' }
  | { outcome: 'unavailable' }

/**
 * Starts a sign-in: a new state, nonce and PKCE verifier, kept (hashed where they are keys) for a
 * few minutes, and the provider's address to send the person to. `browserToken` goes in a cookie:
 * only the browser that started a sign-in can finish it.
 */
export async function startProviderSignIn(
  db: DbOrTrx,
  input: { clientSecret: string | undefined; redirectUri: string; next: string },
  now = new Date(),
): Promise<StartResult> {
  const provider = await offeredProvider(db, input.clientSecret)
  if (!provider || !input.clientSecret) return { outcome: 'not-configured' }
  let config: oidc.Configuration
  try {
    config = await clientFor(provider, input.clientSecret)
  } catch {
    return { outcome: 'unavailable' }
  }
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const browserToken = randomToken()
  await deleteProviderSignInsBefore(db, new Date(now.getTime() - PROVIDER_SIGN_IN_MINUTES * 60_000))
  await insertProviderSignIn(db, {
    stateHash: hashToken(state),
    browserHash: hashToken(browserToken),
    issuer: provider.issuer,
    codeVerifier,
    nonce,
    next: input.next,
    createdAt: now,
  })
  const parameters: Record<string, string> = {
    redirect_uri: input.redirectUri,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }
  // Hints only (the ID token is checked for the tenant or domain): the provider shows the school's accounts.
  if (provider.kind === 'google') parameters.hd = provider.domain
  else parameters.domain_hint = provider.domain
  return { outcome: 'redirect', url: oidc.buildAuthorizationUrl(config, parameters).href, browserToken }
}

// Finishing --------------------------------------------------------------------------------------

export type FinishRefusal =
  | 'state-unknown'
  | 'state-used'
  | 'state-expired'
  | 'other-browser'
  | 'not-configured'
  | 'provider-error'
  | 'token-invalid'
  | ClaimsRefusal
  | 'no-account'
  | 'linked-to-another'
  | 'inactive'

export type FinishResult =
  | {
      outcome: 'signed-in'
      personId: string
      next: string
      /** The provider's multifactor claim satisfied the two-step rule. */
      mfaByProvider: boolean
      twoStepEnabled: boolean
      twoStepRequired: boolean
    }
  | { outcome: 'refused'; reason: FinishRefusal; kind: ProviderKind | null }
  | { outcome: 'throttled'; until: Date }

/**
 * Finishes a sign-in when the provider sends the person back to `currentUrl`. Every refusal counts
 * against the address's throttle (as failed passwords do) and is audited with its reason.
 */
export async function finishProviderSignIn(
  db: DbOrTrx,
  input: {
    clientSecret: string | undefined
    currentUrl: URL
    browserToken: string | undefined
    ip: string
    /** Today in London on the app's clock (ADR 0017), for the last day of access. */
    today?: IsoDate
  },
  now = new Date(),
): Promise<FinishResult> {
  const ipKey = throttleKey('sign-in:ip', input.ip)
  const until = await blockedUntil(db, ipKey, now)
  if (until) return { outcome: 'throttled', until }

  let kind: ProviderKind | null = null
  let organisationId: string | null = null
  let personId: string | null = null
  const refuse = async (reason: FinishRefusal, detail: Record<string, string> = {}): Promise<FinishResult> => {
    const failure = await recordFailure(db, addressThrottle, ipKey, now)
    await recordAudit(db, {
      action: 'auth.sign-in-failed',
      subjectType: 'account',
      subjectId: personId,
      actorId: null,
      organisationId,
      detail: { method: kind ?? 'provider', reason, throttled: failure.blocked, ...detail },
    })
    return { outcome: 'refused', reason, kind }
  }

  const state = input.currentUrl.searchParams.get('state') ?? ''
  const started = state ? await useProviderSignIn(db, hashToken(state), now) : undefined
  if (!started) return refuse('state-unknown')
  if (started.alreadyUsed) return refuse('state-used')
  if (started.createdAt.getTime() < now.getTime() - PROVIDER_SIGN_IN_MINUTES * 60_000) return refuse('state-expired')
  if (!input.browserToken || hashToken(input.browserToken) !== started.browserHash) return refuse('other-browser')

  const provider = await offeredProvider(db, input.clientSecret)
  if (!provider || !input.clientSecret || provider.issuer !== started.issuer) return refuse('not-configured')
  kind = provider.kind
  organisationId = provider.organisationId

  let claims: ProviderClaims
  try {
    const config = await clientFor(provider, input.clientSecret)
    const tokens = await oidc.authorizationCodeGrant(config, input.currentUrl, {
      pkceCodeVerifier: started.codeVerifier,
      expectedState: state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    })
    const idToken = tokens.claims()
    if (!idToken) return refuse('token-invalid')
    claims = idToken as ProviderClaims
  } catch (error) {
    const code = errorCode(error)
    return refuse(error instanceof oidc.AuthorizationResponseError ? 'provider-error' : 'token-invalid', { code })
  }

  const refusal = refuseClaims(provider, claims)
  if (refusal) return refuse(refusal)
  const email = claimedEmail(claims)!
  const existing = await linkedPerson(db, provider.organisationId, claims.iss, claims.sub)
  const byEmail = existing ? null : await personForProviderEmail(db, provider.organisationId, email, claims.iss)
  const decision = decideLink(existing, byEmail)
  if (decision.outcome === 'refuse') return refuse(decision.reason)
  personId = decision.personId

  if (decision.outcome === 'link') {
    const linked = await db.transaction().execute(async (trx) => {
      const ok = await insertProviderLink(trx, {
        organisationId: provider.organisationId,
        personId: decision.personId,
        issuer: claims.iss,
        subject: claims.sub,
        at: now,
      })
      if (ok)
        await recordAudit(trx, {
          action: 'auth.provider-linked',
          subjectType: 'account',
          subjectId: decision.personId,
          actorId: decision.personId,
          organisationId: provider.organisationId,
          detail: { method: provider.kind },
        })
      return ok
    })
    if (!linked) return refuse('linked-to-another')
  } else await touchProviderLink(db, provider.organisationId, claims.iss, claims.sub, now)

  await ensureAccount(db, decision.personId)
  const account = await accountByPersonId(db, decision.personId)
  if (!account || account.disabledAt || employmentEnded(account.endDate, input.today ?? londonDateOf(now)))
    return refuse('inactive')

  const mfaByProvider = providerDidMfa(claims)
  const required = twoStepRequired(await twoStepPolicyOf(db, account.organisationId), account.roles)
  const twoStepEnabled = account.totpEnabledAt !== null
  // As after a password: someone who must set two-step verification up does it next, unless the
  // provider has already asked for a second factor.
  if (!mfaByProvider && required && !twoStepEnabled)
    await startTwoStepSetup(db, account.personId, { keepPending: true })
  await recordAudit(db, {
    action: 'auth.sign-in',
    subjectType: 'account',
    subjectId: account.personId,
    actorId: account.personId,
    organisationId: account.organisationId,
    schoolId: account.schoolId,
    detail: { method: provider.kind, mfaByProvider, secondStepPending: !mfaByProvider && twoStepEnabled },
  })
  return {
    outcome: 'signed-in',
    personId: account.personId,
    next: started.next,
    mfaByProvider,
    twoStepEnabled,
    twoStepRequired: required,
  }
}
