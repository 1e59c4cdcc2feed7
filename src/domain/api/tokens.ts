/**
 * The integration API's tokens and scopes (issue 15 item 3, ADR 0035). Pure: no I/O, no clock
 * (dates are passed in).
 *
 * A token is `haven_` and 43 characters of base64url (32 random bytes): high entropy, so its
 * SHA-256 is all that is kept (no salt or slow hash is needed for a random secret). The first
 * characters (`prefix`) are kept to tell tokens apart on the page.
 */
import { createHash } from 'node:crypto'
import { Permission } from '../access/permissions.ts'

export const ApiScope = {
  ComplianceRead: 'compliance:read',
  DecisionsRead: 'decisions:read',
  DecisionsAcknowledge: 'decisions:acknowledge',
  ImportStaff: 'import:staff',
  ImportPupils: 'import:pupils',
} as const
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope]
export const apiScopes: readonly ApiScope[] = Object.freeze(Object.values(ApiScope))

/** What each scope lets an integration do, in the words the token page uses. */
export const scopeLabels: Readonly<Record<ApiScope, string>> = Object.freeze({
  'compliance:read': 'Read who is up to date with supervision',
  'decisions:read': 'Read decisions about children waiting for their records',
  'decisions:acknowledge': 'Mark decisions as entered in the child’s record',
  'import:staff': 'Import staff from the school’s MIS',
  'import:pupils': 'Import the pupil register from the school’s MIS',
})

/**
 * A person may give a token only what they may do themselves in the school: the decisions are the
 * DSL's (they open every record), compliance is for who sees the school's figures, imports for
 * who manages staff.
 */
const scopePermission: Readonly<Record<ApiScope, Permission>> = Object.freeze({
  'compliance:read': Permission.ComplianceRead,
  'decisions:read': Permission.RecordsReadAll,
  'decisions:acknowledge': Permission.RecordsReadAll,
  'import:staff': Permission.StaffManage,
  'import:pupils': Permission.StaffManage,
})

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (apiScopes as readonly string[]).includes(value)
}

/** The scopes someone holding `permissions` may give a token, in the catalogue's order. */
export function grantableScopes(permissions: ReadonlySet<string>): ApiScope[] {
  return apiScopes.filter((s) => permissions.has(scopePermission[s]))
}

/** True only when the token was given `required`. Deny by default: unknown scopes grant nothing. */
export function hasScope(granted: readonly string[], required: ApiScope): boolean {
  return granted.includes(required)
}

export const TOKEN_PREFIX = 'haven_'
const TOKEN_PATTERN = /^haven_[A-Za-z0-9_-]{43}$/
/** Characters of the token kept and shown to tell tokens apart (`haven_` and 4 more). */
export const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 4

/** A new token from 32 random bytes (the caller supplies them, so this stays pure). */
export function tokenFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 32) throw new Error('A token needs 32 random bytes')
  return `${TOKEN_PREFIX}${Buffer.from(bytes).toString('base64url')}`
}

export function isTokenFormat(value: string): boolean {
  return TOKEN_PATTERN.test(value)
}

/** The SHA-256 kept for a token (hex). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function shownPrefix(token: string): string {
  return token.slice(0, SHOWN_PREFIX_LENGTH)
}

/**
 * The token from an `Authorization: Bearer <token>` header, or null when there is none or it is
 * not a token's shape (the scheme is case-insensitive, as RFC 6750 says).
 */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null
  const match = /^Bearer +(\S+) *$/i.exec(header)
  if (!match) return null
  const token = match[1] as string
  return isTokenFormat(token) ? token : null
}

export interface StoredToken {
  scopes: readonly string[]
  /** The last day the token works (London date), or null for no end. */
  expiresOn: string | null
  revokedAt: Date | null
}

export type TokenCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string }

/**
 * Whether a stored token may make a request needing `required` on `today` (London date): a revoked
 * or expired token is not a credential (401); a good token without the scope is refused (403).
 */
export function checkToken(token: StoredToken | null, required: ApiScope, today: string): TokenCheck {
  if (!token) return { ok: false, status: 401, reason: 'The API token is missing, unknown or not a token' }
  if (token.revokedAt) return { ok: false, status: 401, reason: 'The API token has been revoked' }
  if (token.expiresOn !== null && today > token.expiresOn)
    return { ok: false, status: 401, reason: 'The API token has expired' }
  if (!hasScope(token.scopes, required))
    return { ok: false, status: 403, reason: `The API token does not have the ${required} scope` }
  return { ok: true }
}

export type TokenStatus = 'active' | 'expired' | 'revoked'

export function tokenStatus(token: Omit<StoredToken, 'scopes'>, today: string): TokenStatus {
  if (token.revokedAt) return 'revoked'
  if (token.expiresOn !== null && today > token.expiresOn) return 'expired'
  return 'active'
}
