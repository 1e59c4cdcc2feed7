/**
 * Crash test (issue 12, "keep it closed"): the real server (src/server.ts) as a child process, a
 * stream of acknowledged writes (an administrator adding roles through the web form: each a row
 * and an audit entry in one transaction), `kill -9` at a random moment, a restart on the same
 * data, and a count of acknowledged writes present and lost. On PGlite (a fresh DATA_DIR per
 * trial) and on PostgreSQL (a fresh database per trial, created and dropped), when one answers at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   npm run test:reliability                 # 10 trials per database
 *   CRASH_TRIALS=3 node bench/crash.bench.ts  # fewer
 *
 * Exits non-zero if any acknowledged write is lost, a write is half-saved (a role without its
 * audit entry), or the server does not come back.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openPglite, openPostgres } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { projectRoot } from '../src/root.ts'
import { setUpOrganisation } from '../src/services/auth/accounts.ts'
import { createSession } from '../src/services/auth/sessions.ts'
import { csrfTokenFromServer } from '../test/builders/csrf.ts'
import { anOrganisation } from '../test/builders/organisation.ts'

const trials = Number(process.env.CRASH_TRIALS ?? 10)
const writers = 4
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const CSRF_SECRET = 'crashCsrfSecretcrashCsrfSecretcrashCsrfSecr'

type Kind = 'pglite' | 'postgres'

interface Store {
  kind: Kind
  /** Environment for the server of one trial. */
  env(): Record<string, string>
  /** Role ids and role-added audit entries present after the crash. */
  count(): Promise<{ roles: Set<string>; audited: Set<string> }>
  dispose(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

/** A migrated database holding an organisation and its administrator's session (second step done). */
async function seed(db: Parameters<typeof migrateToLatest>[0]): Promise<string> {
  await migrateToLatest(db)
  const org = await setUpOrganisation(db, anOrganisation())
  const { token } = await createSession(db, {
    personId: org.personId,
    secondStepDone: true,
    userAgent: 'crash-bench',
    now: new Date(),
    settings: { idleMinutes: 600, absoluteHours: 12 },
  })
  return token
}

async function pgliteStore(scratch: string): Promise<{ store: (trial: number) => Store; token: string }> {
  const template = path.join(scratch, 'template')
  const handle = await openPglite({ dataDir: template })
  const token = await seed(handle.db)
  await handle.close()
  return {
    token,
    store: (trial) => {
      const dir = path.join(scratch, `trial-${trial}`)
      fs.cpSync(template, dir, { recursive: true })
      return {
        kind: 'pglite',
        env: () => ({ DATA_DIR: dir }),
        async count() {
          const h = await openPglite({ dataDir: dir })
          try {
            return await counts(h.db)
          } finally {
            await h.close()
          }
        },
        async dispose() {
          fs.rmSync(dir, { recursive: true, force: true })
        },
      }
    },
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function databaseUrl(name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function postgresStore(): Promise<{ store: (trial: number) => Store; token: string; drop(): Promise<void> }> {
  const template = `haven_crash_tpl_${crypto.randomBytes(4).toString('hex')}`
  await admin(`create database ${template}`)
  const handle = await openPostgres(databaseUrl(template), { max: 2 })
  const token = await seed(handle.db)
  await handle.close()
  return {
    token,
    drop: () => admin(`drop database if exists ${template} with (force)`),
    store: (trial) => {
      const name = `haven_crash_${process.pid}_${trial}`
      let created: Promise<void> | undefined
      return {
        kind: 'postgres',
        env: () => ({ DATABASE_URL: databaseUrl(name) }),
        async count() {
          const h = await openPostgres(databaseUrl(name), { max: 2 })
          try {
            return await counts(h.db)
          } finally {
            await h.close()
          }
        },
        async dispose() {
          await created
          await admin(`drop database if exists ${name} with (force)`)
        },
        // Created before the server starts (see runTrial).
        ...{ create: () => (created = admin(`create database ${name} template ${template}`)) },
      } as Store & { create(): Promise<void> }
    },
  }
}

async function counts(db: Awaited<ReturnType<typeof openPglite>>['db']) {
  const roles = await db.selectFrom('custom_role').select('id').execute()
  const audited = await db
    .selectFrom('audit_event')
    .select('subject_id')
    .where('action', '=', 'staff.role-added')
    .execute()
  return { roles: new Set(roles.map((r) => r.id)), audited: new Set(audited.map((a) => a.subject_id ?? '')) }
}

function startServer(env: Record<string, string>, port: number): ChildProcess {
  return spawn(process.execPath, [path.join(projectRoot, 'src/server.ts')], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.tmpdir(),
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SCHEDULER_INTERVAL_SECONDS: '0',
      SESSION_IDLE_MINUTES: '600',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.slice(0, 500)}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not answer within ${timeoutMs} ms: ${stderr.slice(0, 500)}`)
}

function stopped(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()))
}

interface TrialResult {
  acknowledged: number
  lost: number
  halfSaved: number
  sent: number
  killedAfterMs: number
}

async function runTrial(store: Store, token: string, trial: number): Promise<TrialResult> {
  const creator = store as Store & { create?: () => Promise<void> }
  if (creator.create) await creator.create()
  const port = await freePort()
  const server = startServer(store.env(), port)
  await waitForHealth(port, server)
  const cookie = `haven_session=${token}; haven_csrf=${CSRF_SECRET}`
  const csrf = await csrfTokenFromServer(`http://127.0.0.1:${port}`, CSRF_SECRET)
  const acknowledged: string[] = []
  let sent = 0
  let running = true
  const writer = async (w: number) => {
    for (let i = 0; running; i++) {
      const name = `Crash role t${trial} w${w} n${i}`
      const id = `crash-role-t${trial}-w${w}-n${i}`
      sent++
      try {
        const res = await fetch(`http://127.0.0.1:${port}/staff/roles`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, name, description: 'Added during the crash test' }),
        })
        await res.arrayBuffer()
        if (res.status === 303) acknowledged.push(id)
        else if (running) throw new Error(`a write was refused: ${res.status}`)
      } catch (error) {
        if (running) throw error
      }
    }
  }
  const stream = Promise.all(Array.from({ length: writers }, (_, w) => writer(w)))
  const killedAfterMs = 300 + Math.floor(Math.random() * 1700)
  await new Promise((r) => setTimeout(r, killedAfterMs))
  running = false
  server.kill('SIGKILL')
  await stopped(server)
  await stream
  // Restart on the same data: it must come back, then stop cleanly.
  const again = startServer(store.env(), port)
  await waitForHealth(port, again)
  again.kill('SIGTERM')
  await stopped(again)
  const found = await store.count()
  const lost = acknowledged.filter((id) => !found.roles.has(id)).length
  const halfSaved =
    [...found.roles].filter((id) => !found.audited.has(id)).length +
    [...found.audited].filter((id) => !found.roles.has(id)).length
  return { acknowledged: acknowledged.length, lost, halfSaved, sent, killedAfterMs }
}

async function postgresAnswers(): Promise<boolean> {
  try {
    await admin('select 1')
    return true
  } catch {
    return false
  }
}

async function campaign(kind: Kind): Promise<boolean> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-crash-'))
  let drop: (() => Promise<void>) | undefined
  try {
    const made: { store: (trial: number) => Store; token: string; drop?: () => Promise<void> } =
      kind === 'pglite' ? await pgliteStore(scratch) : await postgresStore()
    drop = made.drop
    const totals = { trials: 0, acknowledged: 0, lost: 0, halfSaved: 0, sent: 0 }
    for (let trial = 1; trial <= trials; trial++) {
      const store = made.store(trial)
      try {
        const r = await runTrial(store, made.token, trial)
        totals.trials++
        totals.acknowledged += r.acknowledged
        totals.lost += r.lost
        totals.halfSaved += r.halfSaved
        totals.sent += r.sent
        console.log(
          `  ${kind} trial ${trial}: killed after ${r.killedAfterMs} ms; ${r.acknowledged} acknowledged, ${r.lost} lost, ${r.halfSaved} half-saved`,
        )
      } finally {
        await store.dispose()
      }
    }
    console.log(
      `${kind}: ${totals.trials} trials, ${totals.sent} writes sent, ${totals.acknowledged} acknowledged, ${totals.lost} lost, ${totals.halfSaved} half-saved`,
    )
    return totals.lost === 0 && totals.halfSaved === 0 && totals.trials === trials
  } finally {
    await drop?.()
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

const kinds: Kind[] = ['pglite']
if (await postgresAnswers()) kinds.push('postgres')
else console.log(`PostgreSQL does not answer at ${adminUrl}: PGlite only`)
let ok = true
for (const kind of kinds) ok = (await campaign(kind)) && ok
process.exit(ok ? 0 : 1)
