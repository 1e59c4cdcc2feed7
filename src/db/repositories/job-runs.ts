/**
 * Background job bookkeeping (`job_run`) and the lock that keeps one run of a job at a time across
 * every Haven instance (jobs/scheduler.ts). Jobs are Haven's own, not a school's: found by name.
 */
import { sql } from 'kysely'
import type { DbOrTrx } from './connection.ts'

/** Takes the job's lock for the transaction if no other holds it; whether it was taken. */
export async function tryJobLock(trx: DbOrTrx, name: string): Promise<boolean> {
  const lock = await sql<{ acquired: boolean }>`
    select pg_try_advisory_xact_lock(hashtext(${`haven.job:${name}`})) as acquired`.execute(trx)
  return lock.rows[0]?.acquired ?? false
}

export async function lastJobRun(db: DbOrTrx, name: string): Promise<Date | null> {
  const row = await db.selectFrom('job_run').select('last_run_at').where('name', '=', name).executeTakeFirst()
  return row?.last_run_at ? new Date(row.last_run_at) : null
}

export async function recordJobRun(db: DbOrTrx, name: string, at: Date): Promise<void> {
  await db
    .insertInto('job_run')
    .values({ name, last_run_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: at }))
    .execute()
}

export async function recordJobFailure(db: DbOrTrx, name: string, at: Date, error: string): Promise<void> {
  await db
    .insertInto('job_run')
    .values({ name, last_failed_at: at, last_error: error })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_failed_at: at, last_error: error }))
    .execute()
}
