/** Stores throttle state in the database, so every Haven instance sees the same counts. */

import type { Db } from '../../db/database.ts'
import { afterFailure, isBlocked, type ThrottlePolicy, type ThrottleState } from '../../domain/auth/throttle.ts'
import { hashToken } from '../../domain/auth/tokens.ts'

/** Keys never hold an email address or IP in clear: they are hashed. */
export function throttleKey(kind: string, value: string): string {
  return `${kind}:${hashToken(value.toLowerCase()).slice(0, 32)}`
}

async function read(db: Db, key: string): Promise<(ThrottleState & { notifiedAt: Date | null }) | undefined> {
  const row = await db.selectFrom('throttle').selectAll().where('key', '=', key).executeTakeFirst()
  return row
    ? {
        failures: row.failures,
        firstFailureAt: row.first_failure_at,
        blockedUntil: row.blocked_until,
        notifiedAt: row.notified_at,
      }
    : undefined
}

/** When the key is blocked, the time it is free again; otherwise null. */
export async function blockedUntil(db: Db, key: string, now: Date): Promise<Date | null> {
  const state = await read(db, key)
  return state && isBlocked(state, now) ? state.blockedUntil : null
}

/** Records a failure. Returns whether this failure started a block that nobody has been told about. */
export async function recordFailure(
  db: Db,
  policy: ThrottlePolicy,
  key: string,
  now: Date,
): Promise<{ blocked: boolean; shouldNotify: boolean }> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('throttle').selectAll().where('key', '=', key).forUpdate().executeTakeFirst()
    const before = current
      ? { failures: current.failures, firstFailureAt: current.first_failure_at, blockedUntil: current.blocked_until }
      : undefined
    const next = afterFailure(policy, before, now)
    const blocked = isBlocked(next, now)
    const notifiedRecently =
      !!current?.notified_at && current.notified_at.getTime() > now.getTime() - policy.windowMinutes * 60_000
    const shouldNotify = blocked && !notifiedRecently
    await trx
      .insertInto('throttle')
      .values({
        key,
        failures: next.failures,
        first_failure_at: next.firstFailureAt,
        blocked_until: next.blockedUntil,
        notified_at: shouldNotify ? now : (current?.notified_at ?? null),
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: next.failures,
          first_failure_at: next.firstFailureAt,
          blocked_until: next.blockedUntil,
          notified_at: shouldNotify ? now : (current?.notified_at ?? null),
        }),
      )
      .execute()
    return { blocked, shouldNotify }
  })
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('throttle').where('key', '=', key).execute()
}
