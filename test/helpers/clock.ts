/**
 * The time tests run at (issue 13 point 6, ADR 0017): every test app's clock starts at a fixed
 * instant, so no test depends on the day it is run. Tests build their dates from `testToday` (or
 * from their own fixed instant, passed to the app as `clock`), never from the real date.
 *
 * Thursday 3 December 2026, 10am London: a weekday in the autumn term of the England default
 * calendar and of every policy pack (term ends 18 December), not a bank holiday.
 *
 * Real time stays only where time really passes: sign-in sessions, throttles, cookies and
 * authenticator codes (the auth services keep real time on purpose, ADR 0017), and durations.
 * Check a file with the real date moved, e.g. just before midnight in the summer holiday:
 *   TZ=Europe/London faketime '2027-08-14 23:59:56' node_modules/.bin/node --test test/integration/x.test.ts
 */
import { londonDateOf } from '../../src/domain/calendar/london.ts'

export const testNow = new Date('2026-12-03T10:00:00Z')
export const testToday = londonDateOf(testNow)

/**
 * A clock that starts at `start` (the fixed test instant unless told) and moves on with the time
 * that really passes, so what a test does in order is stamped in order, but the day is the same
 * whenever it runs.
 */
export function clockFrom(start: Date = testNow): () => Date {
  const began = performance.now()
  return () => new Date(start.getTime() + Math.round(performance.now() - began))
}
