/**
 * Password rules, following NCSC guidance and ASVS V2.1: at least 12 characters, at most 256,
 * refused when common or breached; no composition rules, no forced expiry.
 */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

export interface PasswordContext {
  email?: string
  name?: string
}

function variants(password: string): string[] {
  const lower = password.toLowerCase()
  const trimmed = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '')
  const out = new Set([lower, trimmed])
  // "passwordpassword", "qwertyqwerty": a common word repeated.
  for (let size = 1; size <= lower.length / 2; size++) {
    if (lower.length % size === 0 && lower.slice(0, size).repeat(lower.length / size) === lower)
      out.add(lower.slice(0, size))
  }
  return [...out].filter((v) => v.length > 0)
}

/**
 * The first problem with a new password, in GOV.UK wording, or null when it is acceptable.
 * `isCommon` answers whether a (lower-case) password is on the list of common or breached ones.
 */
export function passwordProblem(
  password: string,
  isCommon: (p: string) => boolean,
  context: PasswordContext = {},
): string | null {
  if (password.length === 0) return 'Enter a password'
  if ([...password].length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`
  const lower = password.toLowerCase()
  if (variants(password).some(isCommon))
    return 'Choose a password that is harder to guess: this one is on a list of common passwords'
  if (/^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghijkl)/.test(lower))
    return 'Choose a password that is harder to guess'
  const local = context.email?.split('@')[0]?.toLowerCase()
  if (local && local.length >= 4 && lower.includes(local)) return 'Your password must not contain your email address'
  if (
    context.name &&
    context.name.trim().length >= 4 &&
    lower.replace(/\s/g, '').includes(context.name.toLowerCase().replace(/\s/g, ''))
  )
    return 'Your password must not contain your name'
  return null
}
