/**
 * Growing delays against guessing (ASVS V2.2): after a few failures within a window, a key (an
 * account, an address) is blocked for a while, and each further failure doubles the block.
 */
export interface ThrottlePolicy {
  /** Failures allowed within the window before blocking starts. */
  freeFailures: number
  windowMinutes: number
  firstBlockSeconds: number
  maxBlockSeconds: number
}

export const signInThrottle: ThrottlePolicy = {
  freeFailures: 5,
  windowMinutes: 15,
  firstBlockSeconds: 60,
  maxBlockSeconds: 3600,
}
export const addressThrottle: ThrottlePolicy = {
  freeFailures: 20,
  windowMinutes: 15,
  firstBlockSeconds: 60,
  maxBlockSeconds: 3600,
}

export interface ThrottleState {
  failures: number
  firstFailureAt: Date
  blockedUntil: Date | null
}

export function isBlocked(state: ThrottleState | undefined, now: Date): boolean {
  return !!state?.blockedUntil && state.blockedUntil.getTime() > now.getTime()
}

/** The state after one more failure at `now`. */
export function afterFailure(policy: ThrottlePolicy, state: ThrottleState | undefined, now: Date): ThrottleState {
  const windowStart = now.getTime() - policy.windowMinutes * 60_000
  const fresh = !state || (state.firstFailureAt.getTime() < windowStart && !isBlocked(state, now))
  const failures = fresh ? 1 : state.failures + 1
  const firstFailureAt = fresh ? now : state.firstFailureAt
  const over = failures - policy.freeFailures
  if (over <= 0) return { failures, firstFailureAt, blockedUntil: null }
  const seconds = Math.min(policy.firstBlockSeconds * 2 ** (over - 1), policy.maxBlockSeconds)
  return { failures, firstFailureAt, blockedUntil: new Date(now.getTime() + seconds * 1000) }
}
