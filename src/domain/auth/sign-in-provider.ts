/**
 * Signing in with the school's Microsoft (Entra ID) or Google Workspace account (issue 18 item 2,
 * ADR 0048): what the administrator configures, and the pure checks on what the provider says
 * about the person (its ID token's claims) before Haven lets them in. No I/O: the service talks
 * to the provider through openid-client and passes the claims here.
 */

export const providerKinds = ['microsoft', 'google'] as const
export type ProviderKind = (typeof providerKinds)[number]

/** What a school's administrator configures; the client secret is the server's (OIDC_CLIENT_SECRET). */
export interface SignInProvider {
  kind: ProviderKind
  /** Microsoft: the Entra ID tenant (directory) id, a GUID; Google: null. */
  tenantId: string | null
  /** The email domain staff sign in with, lower case, like oakfield.sch.uk. */
  domain: string
  /** The provider's issuer URL; its discovery document is at issuer + /.well-known/openid-configuration. */
  issuer: string
  clientId: string
}

/** The name people read on the button and in messages. */
export function providerName(kind: ProviderKind): string {
  return kind === 'microsoft' ? 'Microsoft' : 'Google'
}

/** The issuer of each provider when the administrator gives none. */
export function defaultIssuer(kind: ProviderKind, tenantId: string | null): string {
  return kind === 'microsoft'
    ? `https://login.microsoftonline.com/${tenantId ?? ''}/v2.0`
    : 'https://accounts.google.com'
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

export function isTenantId(value: string): boolean {
  return GUID.test(value.toLowerCase())
}

export function isEmailDomain(value: string): boolean {
  return DOMAIN.test(value.toLowerCase())
}

/**
 * An issuer Haven may talk to: https, or plain http to this machine only (a provider run by the
 * tests, or a developer's own). No query or fragment: the issuer is an identifier.
 */
export function isIssuerUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.search || url.hash || url.username || url.password) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}

/** The domain of an email address, lower case ('' when it has none). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@')
  return at === -1 ? '' : email.slice(at + 1).toLowerCase()
}

/** What Haven reads from an ID token (already checked by openid-client: signature, issuer, audience, expiry, nonce). */
export interface ProviderClaims {
  iss: string
  sub: string
  email?: unknown
  email_verified?: unknown
  preferred_username?: unknown
  /** Google Workspace: the hosted domain of the account (absent for a personal Google account). */
  hd?: unknown
  /** Entra ID: the tenant the account belongs to. */
  tid?: unknown
  /** Authentication methods: "mfa" when the person used more than one factor. */
  amr?: unknown
}

export type ClaimsRefusal = 'no-email' | 'email-unverified' | 'wrong-tenant' | 'wrong-domain'

/** The email address the provider vouches for: `email`, or Entra's `preferred_username` when it is an address. */
export function claimedEmail(claims: ProviderClaims): string | null {
  const candidates = [claims.email, claims.preferred_username]
  for (const c of candidates) if (typeof c === 'string' && /^[^@\s]+@[^@\s]+$/.test(c)) return c.trim().toLowerCase()
  return null
}

/**
 * Whether the account the provider signed in may use Haven's sign-in at all: an email address
 * the provider has not said is unverified, in the configured domain, and (Google) from the
 * school's Workspace, or (Microsoft) from the school's tenant. Returns why not, or null.
 */
export function refuseClaims(provider: SignInProvider, claims: ProviderClaims): ClaimsRefusal | null {
  const email = claimedEmail(claims)
  if (!email) return 'no-email'
  if (claims.email_verified === false || claims.email_verified === 'false') return 'email-unverified'
  if (provider.kind === 'microsoft' && provider.tenantId && claims.tid !== provider.tenantId) return 'wrong-tenant'
  if (provider.kind === 'google' && claims.hd !== provider.domain) return 'wrong-domain'
  if (emailDomain(email) !== provider.domain) return 'wrong-domain'
  return null
}

/**
 * Whether the provider says the person used more than one factor (the policy's two-step rule):
 * `amr` containing "mfa" (RFC 8176; Entra ID sends it when multifactor authentication was done).
 * Anything else, including no `amr` (Google's ID tokens have none), leaves Haven's own second step.
 */
export function providerDidMfa(claims: ProviderClaims): boolean {
  return Array.isArray(claims.amr) && claims.amr.includes('mfa')
}

/**
 * Which account a provider's subject opens. A link (issuer and subject) always wins; with none,
 * the first sign-in links the person whose email matches, unless that person is already linked
 * to another subject of the same issuer (an address moved at the provider must not take over
 * an account someone else has linked).
 */
export type LinkDecision =
  | { outcome: 'linked'; personId: string }
  | { outcome: 'link'; personId: string }
  | { outcome: 'refuse'; reason: 'no-account' | 'linked-to-another' }

export function decideLink(
  existingLink: { personId: string } | null,
  personByEmail: { personId: string; linkedSubjectOfIssuer: string | null } | null,
): LinkDecision {
  if (existingLink) return { outcome: 'linked', personId: existingLink.personId }
  if (!personByEmail) return { outcome: 'refuse', reason: 'no-account' }
  if (personByEmail.linkedSubjectOfIssuer !== null) return { outcome: 'refuse', reason: 'linked-to-another' }
  return { outcome: 'link', personId: personByEmail.personId }
}

/** How long a started sign-in waits for the provider to send the person back. */
export const PROVIDER_SIGN_IN_MINUTES = 10
