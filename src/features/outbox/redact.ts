/**
 * The outbox never shows a live single-use link (issue 12, ADR 0011). Whoever holds an invitation
 * or password-reset link can set the person's password and act as them, so an administrator
 * reading the outbox must not see one: they see that the email went, and to whom, with the link
 * removed. Calendar feed addresses are secrets too.
 *
 * Two rules, so a link written in a new way is still caught:
 * - whatever follows a single-use path (/invitation/, /password-reset/, /feeds/) up to white space;
 * - any long random-looking token (40 or more URL-safe base64 characters, as Haven's tokens are:
 *   43), wherever it appears. Ids (UUIDs, 36 characters) are kept.
 */
export const REDACTED = '[link removed]'

const SINGLE_USE_PATHS = ['invitation', 'password-reset', 'feeds'] as const

const pathPattern = new RegExp(`(/(?:${SINGLE_USE_PATHS.join('|')})/)[^\\s<>"')\\]]+`, 'gi')
const tokenPattern = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])/g
// The same characters escaped in a URL (%2F for "/"): caught by the token rule after decoding.
const encodedSlash = /%2F/gi

/** The text with every single-use link and token replaced by REDACTED. Pure. */
export function redactSecrets(text: string): string {
  return text
    .replace(encodedSlash, '/')
    .replace(pathPattern, (_match, path: string) => `${path}${REDACTED}`)
    .replace(tokenPattern, REDACTED)
}

/** A possibly missing text, redacted. */
export function redactOptional(text: string | null): string | null {
  return text === null ? null : redactSecrets(text)
}
