/**
 * A tiny in-process scheduler: every `intervalSeconds` it runs each job once, one after another.
 *
 * Several Haven instances may share one database. Each job run is wrapped in a transaction that
 * holds `pg_try_advisory_xact_lock(hashtext('haven.job:' || name))`; an instance that cannot take
 * the lock skips the job (another is running it). Under the lock, `job_run` records the tick of the
 * last completed run, so a job already run for this tick (or less than half an interval ago) by
 * another instance is not run again. The bookkeeping commits with the job's own writes.
 *
 * The job receives that transaction: its writes commit together, or roll back together if it
 * throws. Keep jobs short: on the embedded database (PGlite) the transaction holds its only
 * connection, so requests wait while a job runs.
 *
 * A job that throws is logged (its name, the error's class and code: no personal data) and does not
 * stop the others.
 */

import type { DbOrTrx } from '../db/repositories/connection.ts'
import { lastJobRun, recordJobFailure, recordJobRun, tryJobLock } from '../db/repositories/job-runs.ts'

export interface Job {
  /** Stable and unique: names the lock and the job_run row. */
  name: string
  /** Minimum seconds between two runs across all instances (default: half the scheduler's interval). */
  everySeconds?: number
  run(db: DbOrTrx, now: Date): Promise<void>
}

export interface SchedulerLog {
  debug(obj: object, msg: string): void
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface SchedulerOptions {
  db: DbOrTrx
  log: SchedulerLog
  /** Seconds between ticks; 0 runs nothing on a timer (runOnce still works). */
  intervalSeconds: number
  jobs: Job[]
}

export interface Scheduler {
  /** Stops the timer and waits for a tick in progress to finish. */
  stop(): Promise<void>
  /** Runs every job that is due once, now; resolves when all have finished. */
  runOnce(now?: Date): Promise<void>
}

export type JobOutcome = 'ran' | 'busy' | 'not-due' | 'failed'

/** What may be logged about an error: its class, code and where it was thrown, never its message. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error }
  const code = (error as { code?: unknown }).code
  return {
    errorType: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    // The stack without its first line (the message).
    at: error.stack?.split('\n').slice(1, 6).join('\n').trim(),
  }
}

function errorLabel(error: unknown): string {
  const d = describeError(error)
  return [d.errorType, d.code].filter((x) => typeof x === 'string').join(' ')
}

/** Runs one job under its lock if it is due. */
export async function runJob(
  db: DbOrTrx,
  job: Job,
  now: Date,
  defaultGapSeconds: number,
  log: SchedulerLog,
): Promise<JobOutcome> {
  const gapMs = Math.max(1, (job.everySeconds ?? defaultGapSeconds) * 1000)
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await tryJobLock(trx, job.name))) {
        log.debug({ job: job.name }, 'job skipped: running elsewhere')
        return 'busy'
      }
      const last = await lastJobRun(trx, job.name)
      if (last && now.getTime() - last.getTime() < gapMs) {
        log.debug({ job: job.name }, 'job skipped: ran recently')
        return 'not-due'
      }
      const started = Date.now()
      await job.run(trx, now)
      await recordJobRun(trx, job.name, now)
      log.debug({ job: job.name, ms: Date.now() - started }, 'job ran')
      return 'ran' as const
    })
  } catch (error) {
    log.error({ job: job.name, ...describeError(error) }, 'job failed')
    try {
      await recordJobFailure(db, job.name, now, errorLabel(error))
    } catch (bookkeeping) {
      log.error({ job: job.name, ...describeError(bookkeeping) }, 'could not record the job failure')
    }
    return 'failed'
  }
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { db, log, intervalSeconds, jobs } = options
  const names = new Set<string>()
  for (const job of jobs) {
    if (names.has(job.name)) throw new Error(`two background jobs are named "${job.name}"`)
    names.add(job.name)
  }
  const defaultGapSeconds = intervalSeconds / 2

  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let ticking: Promise<void> | undefined

  const runOnce = async (now: Date = new Date()): Promise<void> => {
    for (const job of jobs) {
      if (stopped) return
      await runJob(db, job, now, defaultGapSeconds, log)
    }
  }

  const schedule = () => {
    if (stopped || intervalSeconds <= 0) return
    timer = setTimeout(() => {
      ticking = runOnce()
        .catch((error) => log.error(describeError(error), 'scheduler tick failed'))
        .finally(() => {
          ticking = undefined
          schedule()
        })
    }, intervalSeconds * 1000)
    // The scheduler never keeps the process alive on its own.
    timer.unref()
  }
  schedule()
  if (intervalSeconds > 0) log.info({ intervalSeconds, jobs: jobs.map((j) => j.name) }, 'scheduler started')

  return {
    runOnce,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await ticking
    },
  }
}
