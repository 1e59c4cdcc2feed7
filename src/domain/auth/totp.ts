/**
 * Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30-second steps), as authenticator
 * apps expect, with base32 secrets. The arithmetic is otplib's (ADR 0014); this module fixes the
 * settings and adds what Haven asks on top: the time is always passed in (the domain reads no
 * clock), a code is accepted one step either side of now, and never twice: the caller stores the
 * step last used and passes it back.
 */
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib'

export const TOTP_STEP_SECONDS = 30
export const TOTP_DIGITS = 6

const settings = { algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_STEP_SECONDS } as const

function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000)
}

/** A new random secret: 20 bytes (160 bits) as RFC 4226 recommends, base32 encoded. */
export function generateTotpSecret(): string {
  return generateSecret({ length: 20 })
}

export function totpStep(at: Date): number {
  return Math.floor(epochSeconds(at) / TOTP_STEP_SECONDS)
}

/** The code an authenticator app shows at `at` (`digits` other than 6 only for the RFC's test vectors). */
export function totpCode(secretBase32: string, at: Date, digits: 6 | 8 = TOTP_DIGITS): string {
  return generateSync({ ...settings, digits, secret: secretBase32, epoch: epochSeconds(at) })
}

/**
 * Checks a code typed by a person. Returns the step it matched (store it as the last used step),
 * or null when it is wrong, malformed, or a step already used.
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, lastUsedStep: number | null): number | null {
  const typed = code.replace(/[\s-]/g, '')
  if (!/^\d{6}$/.test(typed)) return null
  // Every step the window reaches is already used (otplib refuses such an `afterTimeStep` outright).
  if (lastUsedStep !== null && lastUsedStep >= totpStep(at) + 1) return null
  const result = verifySync({
    ...settings,
    secret: secretBase32,
    token: typed,
    epoch: epochSeconds(at),
    epochTolerance: TOTP_STEP_SECONDS,
    ...(lastUsedStep === null ? {} : { afterTimeStep: lastUsedStep }),
  })
  return result.valid && 'timeStep' in result ? result.timeStep : null
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function totpUri(secretBase32: string, account: string, issuer = 'Haven'): string {
  return generateURI({ ...settings, issuer, label: account, secret: secretBase32 })
}
