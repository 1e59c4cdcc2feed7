/** Stores throttle state in the database, so every Haven instance sees the same counts. */

import { deleteThrottle, saveThrottle, throttleOf } from '../../db/repositories/auth/throttles.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { afterFailure, isBlocked, type ThrottlePolicy, type ThrottleState } from '../../domain/auth/throttle.ts'
import { hashToken } from '../../domain/auth/tokens.ts'

/** Keys never hold an email address or IP in clear: they are hashed. */
export function throttleKey(kind: string, value: string): string {
  return `${kind}:${hashToken(value.toLowerCase()).slice(0, 32)}`
}

/** Whole minutes, at least one, until a throttle set to end at `until` lets the person try again. */
export function minutesUntilFree(until: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))
}

/** When the key is blocked, the time it is free again; otherwise null. */
export async function blockedUntil(db: DbOrTrx, key: string, now: Date): Promise<Date | null> {
  const state = await throttleOf(db, key)
  return state && isBlocked(state, now) ? state.blockedUntil : null
}

/** Records a failure. Returns whether this failure started a block that nobody has been told about. */
export async function recordFailure(
  db: DbOrTrx,
  policy: ThrottlePolicy,
  key: string,
  now: Date,
): Promise<{ blocked: boolean; shouldNotify: boolean }> {
  return db.transaction().execute(async (trx) => {
    const current = await throttleOf(trx, key, { lock: true })
    const before: ThrottleState | undefined = current
      ? { failures: current.failures, firstFailureAt: current.firstFailureAt, blockedUntil: current.blockedUntil }
      : undefined
    const next = afterFailure(policy, before, now)
    const blocked = isBlocked(next, now)
    const notifiedRecently =
      !!current?.notifiedAt && current.notifiedAt.getTime() > now.getTime() - policy.windowMinutes * 60_000
    const shouldNotify = blocked && !notifiedRecently
    await saveThrottle(trx, key, {
      failures: next.failures,
      firstFailureAt: next.firstFailureAt,
      blockedUntil: next.blockedUntil,
      notifiedAt: shouldNotify ? now : (current?.notifiedAt ?? null),
    })
    return { blocked, shouldNotify }
  })
}

export async function clearThrottle(db: DbOrTrx, key: string): Promise<void> {
  await deleteThrottle(db, key)
}
