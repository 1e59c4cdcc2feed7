import type { Db } from '../db/database.ts'
import { londonDateOf } from '../domain/calendar/index.ts'
import { countRollupsAhead } from '../services/trust/rollup.ts'
import type { Job } from './scheduler.ts'

/**
 * Issue 16: every hour, each trust's academies whose rollup figures for the term are not current
 * for the day (a new day, a new term, or a change since they were counted) are counted again in
 * the background and kept, so a trust's lead opening the rollup finds them counted (ADR 57). The
 * job only reads, in its transaction, which academies need counting; the counts run on `db` once
 * the job's transaction has ended, so on the embedded database requests are not held behind them.
 */
export function trustRollupCountsJob(db: Db, everySeconds = 3600): Job {
  return {
    name: 'trust-rollup-counts',
    everySeconds,
    async run(trx, now) {
      await countRollupsAhead(trx, db, londonDateOf(now), now)
    },
  }
}
