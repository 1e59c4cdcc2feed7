/**
 * Pure rules about who keeps access to an account (issue 12, ADR 0011). No I/O: the caller passes
 * today (a London date) and the settings.
 */
import type { IsoDate } from '../people/person.ts'

/**
 * Whether someone's employment has ended, for access: from their end date on, they cannot sign
 * in, their sessions end, and no invitation or password reset reaches them. (Recording an end date
 * of today means they are leaving now.)
 */
export function employmentEnded(endDate: IsoDate | null, today: IsoDate): boolean {
  return endDate !== null && endDate <= today
}

/** Writing a session's last activity on every request is wasteful; at most once a minute is enough. */
const MAX_TOUCH_INTERVAL_MS = 60_000

/**
 * How stale a session's recorded last activity may be before a request writes it again. It must be
 * small next to the idle limit: a person is signed out once the recorded (not the real) activity
 * is older than the limit, so someone active more often than every (limit - interval) always stays
 * signed in. A twentieth of the limit, and never more than a minute.
 */
export function touchIntervalMs(idleMinutes: number): number {
  return Math.min(MAX_TOUCH_INTERVAL_MS, Math.floor((idleMinutes * 60_000) / 20))
}
