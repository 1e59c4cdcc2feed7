import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { backgroundJobs } from '../../src/jobs/index.ts'
import { type Job, runJob, startScheduler } from '../../src/jobs/scheduler.ts'
import { enqueueEmail } from '../../src/services/mail/outbox.ts'
import { freshDatabase, testDatabaseKind } from '../helpers/database.ts'
import { postgresOnly } from '../helpers/engines.ts'
import { namedDatabase } from '../helpers/named-database.ts'
import { startSmtpServer } from '../helpers/smtp.ts'

const isPostgres = testDatabaseKind() === 'postgres'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function recordingLog() {
  const lines: string[] = []
  const write = (obj: object, msg: string) => lines.push(JSON.stringify({ ...obj, msg }))
  return { lines, log: { info: write, warn: write, error: write, debug: write } }
}

/**
 * Two handles on one database: two separate pools on PostgreSQL. PGlite has one connection, so two
 * "instances" there would share it and test no concurrency: where a test is about two instances
 * running at once, it runs on PostgreSQL only (`onPostgresOnly`); sequential checks share the handle.
 */
async function twoInstances(t: Parameters<typeof namedDatabase>[0]): Promise<[DatabaseHandle, DatabaseHandle]> {
  if (!isPostgres) {
    const handle = await freshDatabase()
    t.after(() => handle.close())
    return [handle, handle]
  }
  const target = await namedDatabase(t)
  const a = await target.open()
  const b = await target.open()
  t.after(async () => {
    await a.close()
    await b.close()
  })
  return [a, b]
}

function countingJob(name = 'count', ms = 200) {
  const job = {
    runs: 0,
    name,
    async run() {
      job.runs++
      await sleep(ms)
    },
  }
  return job
}

const onPostgresOnly = postgresOnly('PGlite has one connection: two instances on it would run one after the other')

test('overlapping ticks of one scheduler run a job once per tick', async (t) => {
  const handle = await freshDatabase()
  t.after(() => handle.close())
  const job = countingJob()
  const { log } = recordingLog()
  const one = startScheduler({ db: handle.db, log, intervalSeconds: 0, jobs: [job] })
  const now = new Date()
  await Promise.all([one.runOnce(now), one.runOnce(now), one.runOnce(now)])
  assert.equal(job.runs, 1)
  await Promise.all([one.runOnce(new Date(now.getTime() + 1000)), one.runOnce(new Date(now.getTime() + 1000))])
  assert.equal(job.runs, 2)
  await one.stop()
})

test('two scheduler instances over one database run a job once per tick', onPostgresOnly, async (t) => {
  const [a, b] = await twoInstances(t)
  const job = countingJob()
  const { log } = recordingLog()
  const one = startScheduler({ db: a.db, log, intervalSeconds: 0, jobs: [job] })
  const two = startScheduler({ db: b.db, log, intervalSeconds: 0, jobs: [job] })
  const now = new Date()
  await Promise.all([one.runOnce(now), two.runOnce(now), one.runOnce(now)])
  assert.equal(job.runs, 1)
  // A later tick runs it again, on whichever instance gets there.
  await Promise.all([two.runOnce(new Date(now.getTime() + 1000)), one.runOnce(new Date(now.getTime() + 1000))])
  assert.equal(job.runs, 2)
  const row = await a.db.selectFrom('job_run').selectAll().where('name', '=', 'count').executeTakeFirstOrThrow()
  assert.equal(row.last_run_at?.getTime(), now.getTime() + 1000)
  await Promise.all([one.stop(), two.stop()])
})

test('an instance that cannot take a job’s lock skips it while another runs it', onPostgresOnly, async (t) => {
  const [a, b] = await twoInstances(t)
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let started: () => void = () => {}
  const running = new Promise<void>((resolve) => {
    started = resolve
  })
  let runs = 0
  const job: Job = {
    name: 'slow',
    async run() {
      runs++
      started()
      await gate
    },
  }
  const { log } = recordingLog()
  const first = runJob(a.db, job, new Date(), 30, log)
  await running
  // A different tick, so only the lock keeps the second instance out.
  assert.equal(await runJob(b.db, job, new Date(Date.now() + 3_600_000), 30, log), 'busy')
  release()
  assert.equal(await first, 'ran')
  assert.equal(runs, 1)
})

test('a job is not run again by another instance less than half an interval later', async (t) => {
  const [a, b] = await twoInstances(t)
  const job = countingJob('gap', 0)
  const { log } = recordingLog()
  const now = Date.now()
  assert.equal(await runJob(a.db, job, new Date(now), 30, log), 'ran')
  assert.equal(await runJob(b.db, job, new Date(now + 29_000), 30, log), 'not-due')
  assert.equal(await runJob(b.db, job, new Date(now + 30_000), 30, log), 'ran')
  assert.equal(job.runs, 2)
})

test('a failing job is logged without personal data, its writes roll back, and the other jobs still run', async (t) => {
  const handle = await freshDatabase()
  t.after(() => handle.close())
  const { db } = handle
  const failing: Job = {
    name: 'failing',
    async run(trx) {
      await enqueueEmail(trx, {
        kind: 'session.reminder',
        to: 'ben.carter@school.example',
        subject: 'Reminder',
        text: 'Hello',
      })
      throw new Error('could not remind ben.carter@school.example')
    },
  }
  const ok = countingJob('after-the-failure', 0)
  const { lines, log } = recordingLog()
  const scheduler = startScheduler({ db, log, intervalSeconds: 0, jobs: [failing, ok] })
  const now = new Date()
  await scheduler.runOnce(now)
  assert.equal(ok.runs, 1)
  assert.equal((await db.selectFrom('outbox_message').select('id').execute()).length, 0)
  const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'job failed')
  assert.equal(failure.job, 'failing')
  assert.equal(failure.errorType, 'Error')
  assert.doesNotMatch(lines.join('\n'), /ben\.carter|@/)
  const row = await db.selectFrom('job_run').selectAll().where('name', '=', 'failing').executeTakeFirstOrThrow()
  assert.equal(row.last_failed_at?.getTime(), now.getTime())
  assert.equal(row.last_error, 'Error')
  assert.equal(row.last_run_at, null)
  // A failed job is tried again at the next tick.
  await scheduler.runOnce(new Date(now.getTime() + 1))
  assert.equal(lines.filter((l) => l.includes('job failed')).length, 2)
  await scheduler.stop()
})

test('the scheduler ticks on its own until stopped, and stop waits for the tick in progress', async (t) => {
  const handle = await freshDatabase()
  t.after(() => handle.close())
  const job = countingJob('ticking', 30)
  const { log } = recordingLog()
  const scheduler = startScheduler({
    db: handle.db,
    log,
    intervalSeconds: 0.05,
    jobs: [{ ...job, everySeconds: 0, run: job.run }],
  })
  const started = Date.now()
  while (job.runs < 2 && Date.now() - started < 5000) await sleep(20)
  await scheduler.stop()
  const after = job.runs
  assert.ok(after >= 2)
  await sleep(150)
  assert.equal(job.runs, after)
})

test('with SMTP_URL set, the scheduler delivers the outbox', async (t) => {
  const handle = await freshDatabase()
  t.after(() => handle.close())
  const smtp = await startSmtpServer(t)
  const { log } = recordingLog()
  const config = testConfig({ smtpUrl: smtp.url, mailFrom: 'Haven <haven@school.example>' })
  await enqueueEmail(handle.db, {
    kind: 'session.reminder',
    to: 'amira.khan@school.example',
    subject: 'Welcome',
    text: 'Hello',
  })
  const scheduler = startScheduler({
    db: handle.db,
    log,
    intervalSeconds: 0,
    jobs: backgroundJobs(config, log, handle.db),
  })
  await scheduler.runOnce(new Date(Date.now() + 1000))
  await scheduler.stop()
  assert.equal(smtp.received.length, 1)
  assert.equal(smtp.received[0]!.from, 'haven@school.example')
  const row = await handle.db.selectFrom('outbox_message').select('status').executeTakeFirstOrThrow()
  assert.equal(row.status, 'sent')
})
