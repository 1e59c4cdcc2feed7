/**
 * Throttle counts (`throttle`), shared by every Haven instance. A row is found by its key, which is
 * already hashed (services/auth/throttles.ts): no email address or IP is stored in clear.
 */
import type { DbOrTrx } from '../connection.ts'

export interface StoredThrottle {
  failures: number
  firstFailureAt: Date
  blockedUntil: Date | null
  notifiedAt: Date | null
}

/** The throttle of a key; with `lock`, held until the transaction ends (read to decide, then write). */
export async function throttleOf(
  db: DbOrTrx,
  key: string,
  options: { lock: boolean } = { lock: false },
): Promise<StoredThrottle | undefined> {
  let query = db.selectFrom('throttle').selectAll().where('key', '=', key)
  if (options.lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row
    ? {
        failures: row.failures,
        firstFailureAt: row.first_failure_at,
        blockedUntil: row.blocked_until,
        notifiedAt: row.notified_at,
      }
    : undefined
}

export async function saveThrottle(db: DbOrTrx, key: string, throttle: StoredThrottle): Promise<void> {
  const values = {
    failures: throttle.failures,
    first_failure_at: throttle.firstFailureAt,
    blocked_until: throttle.blockedUntil,
    notified_at: throttle.notifiedAt,
  }
  await db
    .insertInto('throttle')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute()
}

export async function deleteThrottle(db: DbOrTrx, key: string): Promise<void> {
  await db.deleteFrom('throttle').where('key', '=', key).execute()
}
