/**
 * The school the benchmarks measure (issues 9 and 16), and the harness that serves it: 300 staff
 * with 3 years of history built from a fixed seed (the Lode Heath policy in force for the whole
 * history, with everyone in scope; sessions, cancellations and rebookings, records on the school's
 * template with the five functions ticked, actions and their reviews, contracts for each year),
 * on PostgreSQL (a fresh database on BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres, used only to create and drop it) or on PGlite (a
 * fresh data directory). Haven runs as its own process (NODE_ENV=production, info logging), with
 * the per-address rate limit raised through its configuration (RATE_LIMIT_PER_MINUTE), because
 * twenty people from twenty addresses ask hundreds of times a second; nothing else is relaxed.
 * Twenty people sign in through the sign-in page. Load is made by autocannon; latencies are those
 * of successful (2xx) responses only, and the others are counted and reported apart.
 */
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { type DatabaseHandle, type Db, openPglite, openPostgres } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import {
  addDays,
  addMonths,
  fromDayNumber,
  isoWeekday,
  londonDateOf,
  toDayNumber,
} from '../src/domain/calendar/index.ts'
import type { IsoDate } from '../src/domain/people/person.ts'
import type { PolicyDocument } from '../src/domain/policy/index.ts'
import { loadPack } from '../src/packs/index.ts'
import { templateById } from '../src/packs/templates.ts'
import { projectRoot } from '../src/root.ts'
import { setTwoStepPolicy, setUpOrganisation } from '../src/services/auth/accounts.ts'
import { hashPassword } from '../src/services/auth/passwords.ts'

export const connections = 20
const staffCount = 300
const password = 'correct staple horse battery'
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const today = londonDateOf(new Date())
const historyStart = addMonths(today, -36)
/** Far above what twenty connections ask of one address in a minute on this machine. */
const benchRateLimit = 1_000_000

// autocannon has no type declarations here: the little of it this uses, typed.
interface AutocannonResult {
  requests: { total: number; average: number }
  non2xx: number
  errors: number
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void
}
type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  requests: { setupRequest: (req: { headers?: Record<string, string> }, context: Record<string, unknown>) => unknown }[]
}) => AutocannonInstance
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

/** Mulberry32: a small seeded generator, so every run builds the same school. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
let random = seeded(20261123)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const uuid = () => crypto.randomUUID()
const hash = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

function weekday(date: string): string {
  const day = isoWeekday(date)
  return day > 5 ? addDays(date, 8 - day) : date
}

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}

/**
 * A bare Fastify hello-world as its own process, loaded by autocannon with the same connections
 * for `duration` seconds: the floor an authenticated page's throughput is compared with, on the
 * same machine in the same run (issue 16).
 */
export async function helloWorldPerSecond(duration: number): Promise<number> {
  const port = await freePort()
  const script = `const app = require('fastify')(); app.get('/', async () => 'Hello, world'); app.listen({ port: ${port}, host: '127.0.0.1' })`
  const server = spawn(process.execPath, ['-e', script], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break
      } catch {}
      if (i > 300) throw new Error('the hello-world did not start within 30 seconds')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    let ok = 0
    const instance = autocannon({
      url: `http://127.0.0.1:${port}/`,
      connections,
      duration,
      requests: [{ setupRequest: (req) => req }],
    })
    instance.on('response', (_client, status) => {
      if (status >= 200 && status < 300) ok++
    })
    await instance
    return ok / duration
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve))
    server.kill('SIGTERM')
    await exited
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

const functions = [
  'management-oversight',
  'professional-development',
  'multi-agency-working',
  'voice-of-the-child',
  'personal-support',
]

/** The school: 300 staff, 3 years of supervision; returns the sign-in emails of 20 sessions of people who see the overview. */
/**
 * A pack's policy with everyone in scope of its safeguarding supervision from `from` (as a school
 * that supervises all its staff), so every generated person has a history to judge.
 */
export function everyoneInScope(
  pack: PolicyDocument,
  from: IsoDate,
  changes: Partial<PolicyDocument> = {},
): PolicyDocument {
  return {
    ...pack,
    effectiveFrom: from,
    scope: {
      ...pack.scope,
      rules: [
        ...pack.scope.rules,
        {
          id: 'bench-everyone',
          description: 'Everyone',
          who: { everyone: true, roles: [], flags: [], trainedSupervisors: false, conditions: [] },
        },
      ],
    },
    requirements: pack.requirements.map((r) =>
      r.id === 'lh-safeguarding-supervision' ? { ...r, scopeRules: [...r.scopeRules, 'bench-everyone'] } : r,
    ),
    ...changes,
  }
}

export async function generate(db: Db): Promise<{ emails: string[]; counts: Record<string, number> }> {
  // The same school every time, on every engine.
  random = seeded(20261123)
  const lodeHeath = loadPack('lode-heath')
  // Lode Heath's rules, with everyone in scope (as a school that supervises all its staff), so
  // that every one of the 300 has three years of sessions, records and actions.
  const policy = everyoneInScope(lodeHeath, historyStart, {
    metadata: { ...lodeHeath.metadata, nextReviewDue: addMonths(today, 2) },
  })
  const org = await setUpOrganisation(db, {
    organisationKind: 'single-school',
    organisationName: '',
    schoolName: 'Bench Academy',
    schoolSlug: 'bench',
    region: 'england-and-wales',
    adminName: 'Dana Lead',
    adminEmail: 'dana.lead@bench.example',
    password,
    alsoDsl: true,
    policy,
    packId: 'lode-heath',
  })
  await setTwoStepPolicy(db, org.organisationId, { mode: 'roles', roles: ['chair-of-governors'] }, org.personId)
  const passwordHash = await hashPassword(password)
  const { organisationId, schoolId } = org

  // People: leaders first, so line managers exist; 20 of them (DSLs, deputies, heads) sign in.
  type P = { id: string; roles: string[]; manager: string | null; trained: boolean; email: string }
  const people: P[] = [
    {
      id: org.personId,
      roles: ['administrator', 'dsl'],
      manager: null,
      trained: true,
      email: 'dana.lead@bench.example',
    },
  ]
  const plan: [string[], number, boolean][] = [
    [['headteacher', 'line-manager'], 1, true],
    [['associate-headteacher', 'line-manager'], 2, true],
    [['deputy-dsl', 'line-manager'], 8, true],
    [['year-head', 'line-manager'], 9, true],
    [['pastoral-lead', 'line-manager'], 14, true],
    [['senco'], 1, false],
    [['lac-coordinator'], 1, false],
    [['child-family-support-worker'], 8, false],
    [['specialist-support-worker'], 10, false],
  ]
  for (const [roles, count, trained] of plan) {
    for (let i = 0; i < count; i++) {
      const id = uuid()
      people.push({
        id,
        roles,
        manager: people[0]!.id,
        trained: trained && random() < 0.85,
        email: `${roles[0]}.${i}@bench.example`,
      })
    }
  }
  const leaders = people.filter((p) => p.roles.includes('line-manager'))
  while (people.length < staffCount) {
    const i = people.length
    people.push({
      id: uuid(),
      roles: [pick(['class-teacher', 'class-teacher', 'teaching-assistant'])],
      manager: pick(leaders).id,
      trained: false,
      email: `staff.${i}@bench.example`,
    })
  }
  const rows = people.slice(1).map((p, i) => ({
    id: p.id,
    organisation_id: organisationId,
    school_id: schoolId,
    name: `${pick(['Siân', 'Zoë', 'Idris', 'Rosalind', 'Dafydd', 'Noor', 'Aoife', 'Tom', 'Priya', 'Kofi'])} ${pick(['Okafor', 'Threlkeld', 'Fairweather', 'Pennyfeather', 'Begum', 'Novak', 'Reid'])} ${i}`,
    email: p.email,
    job_title: p.roles[0]!,
    roles: p.roles,
    start_date: fromDayNumber(toDayNumber(historyStart) - Math.floor(random() * 2000)),
    supervisor_trained_on: p.trained ? addMonths(historyStart, -Math.floor(random() * 24)) : null,
    additional_support: random() < 0.03,
    line_manager_id: null as string | null,
  }))
  await insertChunked(rows, (chunk) => db.insertInto('person').values(chunk).execute())
  await db.updateTable('person').set({ supervisor_trained_on: historyStart }).where('id', '=', org.personId).execute()
  for (const p of people.slice(1)) {
    if (p.manager) await db.updateTable('person').set({ line_manager_id: p.manager }).where('id', '=', p.id).execute()
  }
  // The DSL, deputies and heads sign in (several of them twice, from two places: 20 sessions).
  const signers = people.filter((p) =>
    p.roles.some((r) => ['dsl', 'deputy-dsl', 'headteacher', 'associate-headteacher'].includes(r)),
  )
  for (const p of signers.slice(1))
    await db.insertInto('account').values({ person_id: p.id, password_hash: passwordHash }).execute()

  const scoped = people
  const supervisors = people.filter((p) => p.trained)
  const assignments = scoped.map((p) => ({
    organisation_id: organisationId,
    supervisee_id: p.id,
    supervisor_id: (supervisors.find((s) => s.id !== p.id && random() < 0.2) ?? supervisors.find((s) => s.id !== p.id))!
      .id,
    kind: 'supervisor' as const,
    starts_on: historyStart,
  }))
  await insertChunked(assignments, (chunk) => db.insertInto('supervision_assignment').values(chunk).execute())
  const supervisorOf = new Map(assignments.map((a) => [a.supervisee_id, a.supervisor_id]))

  const template = templateById('lh-management-oversight')!
  const templateJson = JSON.stringify(template)
  const sessions: Record<string, unknown>[] = []
  const participants: Record<string, unknown>[] = []
  const cancellations: Record<string, unknown>[] = []
  const records: Record<string, unknown>[] = []
  const signatures: Record<string, unknown>[] = []
  const actions: Record<string, unknown>[] = []
  const actionsById = new Map<string, Record<string, unknown>>()
  const reviews: Record<string, unknown>[] = []
  const addSession = (
    date: string,
    supervisor: string,
    supervisees: string[],
    status: string,
    type = 'one-to-one',
    rebooks: string | null = null,
  ) => {
    const id = uuid()
    const held = status === 'held'
    sessions.push({
      id,
      school_id: schoolId,
      type_id: type,
      date,
      start_time: '15:45',
      duration_minutes: 60,
      status,
      tags: held && random() < 0.5 ? [pick(functions), pick(functions)] : [],
      rebooks_session_id: rebooks,
    })
    participants.push({ session_id: id, person_id: supervisor, role: 'supervisor', attended: held ? true : null })
    for (const s of supervisees)
      participants.push({ session_id: id, person_id: s, role: 'supervisee', attended: held ? true : null })
    return id
  }
  const first = toDayNumber(historyStart)
  const last = toDayNumber(today)
  for (const person of scoped) {
    const supervisor = supervisorOf.get(person.id)!
    let day = first + Math.floor(random() * 40)
    let previous: { sessionId: string; recordId: string; date: string; actionIds: string[] } | null = null
    // A few people never supervised, a few long overdue.
    const stopAt = random() < 0.04 ? first - 1 : random() < 0.08 ? last - 120 : last
    while (day <= stopAt) {
      const date = weekday(fromDayNumber(day))
      if (random() < 0.05) {
        const cancelled = addSession(date, supervisor, [person.id], 'cancelled')
        cancellations.push({
          session_id: cancelled,
          school_id: schoolId,
          kind: 'cancelled',
          reason_id: 'other',
          reason_note: null,
        })
        if (random() < 0.8)
          addSession(
            weekday(addDays(date, 3 + Math.floor(random() * 10))),
            supervisor,
            [person.id],
            'held',
            'one-to-one',
            cancelled,
          )
      } else {
        const sessionId = addSession(date, supervisor, [person.id], 'held')
        const recordId = uuid()
        const awaiting = day > last - 30 && random() < 0.3
        const content = { functions: functions.filter(() => random() < 0.5), date }
        records.push({
          id: recordId,
          school_id: schoolId,
          session_id: sessionId,
          template_id: template.id,
          template_version: template.version,
          template: templateJson,
          document: JSON.stringify({
            values: content,
            actions: [],
            reviews: [],
            carried: [],
            decisions: [],
            boundary: '',
            session: null,
          }),
          status: awaiting ? 'completed' : 'signed',
          content_hash: hash(recordId),
          completed_at: new Date(`${date}T17:00:00Z`),
          locked_at: awaiting ? null : new Date(`${date}T18:00:00Z`),
        })
        signatures.push({
          record_id: recordId,
          person_id: supervisor,
          role: 'supervisor',
          name: 'Supervisor',
          content_hash: hash(recordId),
          method: 'password',
        })
        if (!awaiting)
          signatures.push({
            record_id: recordId,
            person_id: person.id,
            role: 'supervisee',
            name: 'Supervisee',
            content_hash: hash(recordId),
            method: 'password',
          })
        // The previous session's actions are reviewed here.
        if (previous) {
          for (const actionId of previous.actionIds) {
            const status = random() < 0.85 ? 'done' : 'carried-forward'
            reviews.push({
              action_id: actionId,
              session_id: sessionId,
              record_id: recordId,
              session_date: date,
              status,
            })
            actionsById.get(actionId)!.status = status
          }
        }
        const actionIds: string[] = []
        for (let n = 0; n < 2; n++) {
          const id = uuid()
          actionIds.push(id)
          const action = {
            id,
            school_id: schoolId,
            record_id: recordId,
            session_id: sessionId,
            description: `Follow up case ${Math.floor(random() * 1000)} with the family support team`,
            owner_kind: 'supervisee',
            owner_person_id: person.id,
            owner_name: 'Supervisee',
            due_on: addDays(date, 28),
            status: 'open',
            position: n,
          }
          actions.push(action)
          actionsById.set(id, action)
        }
        previous = { sessionId, recordId, date, actionIds }
      }
      day += 42 + Math.floor(random() * 21)
    }
    // The next session, planned.
    if (stopAt === last)
      addSession(weekday(fromDayNumber(last + 7 + Math.floor(random() * 30))), supervisor, [person.id], 'planned')
  }
  // Team group supervision every 6 weeks for classroom staff, as well.
  const others = people.filter((p) => p.roles.includes('class-teacher') || p.roles.includes('teaching-assistant'))
  for (let g = 0; g < others.length; g += 10) {
    const members = others.slice(g, g + 10).map((p) => p.id)
    const lead = pick(supervisors).id
    for (let day = first + g; day <= last; day += 42)
      addSession(weekday(fromDayNumber(day)), lead, members, 'held', 'group')
  }
  await insertChunked(sessions, (chunk) =>
    db
      .insertInto('supervision_session')
      .values(chunk as never)
      .execute(),
  )
  await insertChunked(
    participants,
    (chunk) =>
      db
        .insertInto('session_participant')
        .values(chunk as never)
        .execute(),
    2000,
  )
  await insertChunked(cancellations, (chunk) =>
    db
      .insertInto('session_cancellation')
      .values(chunk as never)
      .execute(),
  )
  await insertChunked(
    records,
    (chunk) =>
      db
        .insertInto('supervision_record')
        .values(chunk as never)
        .execute(),
    100,
  )
  await insertChunked(
    signatures,
    (chunk) =>
      db
        .insertInto('record_signature')
        .values(chunk as never)
        .execute(),
    2000,
  )
  await insertChunked(
    actions,
    (chunk) =>
      db
        .insertInto('record_action')
        .values(chunk as never)
        .execute(),
    1000,
  )
  await insertChunked(
    reviews,
    (chunk) =>
      db
        .insertInto('record_action_review')
        .values(chunk as never)
        .execute(),
    2000,
  )

  // A contract for each year: earlier ones superseded, this year's mostly signed.
  const contracts: Record<string, unknown>[] = []
  const contractSignatures: Record<string, unknown>[] = []
  const years = [0, 1, 2].map((back) => {
    const start = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 9 ? 0 : 1) - back
    return `${start}-${String((start + 1) % 100).padStart(2, '0')}`
  })
  for (const person of scoped) {
    for (const [i, year] of years.entries()) {
      const id = uuid()
      const status = i > 0 ? 'superseded' : random() < 0.1 ? 'issued' : 'signed'
      contracts.push({
        id,
        organisation_id: organisationId,
        school_id: schoolId,
        supervisee_id: person.id,
        supervisor_id: supervisorOf.get(person.id)!,
        template_id: 'lh-contract',
        template_version: 1,
        policy_version: 1,
        academic_year: year,
        status,
        agreed: JSON.stringify({ requirementId: 'lh-safeguarding-supervision', frequency: null, values: {} }),
        rendered: JSON.stringify({ title: 'Supervision contract', clauses: [] }),
        content_hash: hash(id),
        issued_at: new Date(`${year.slice(0, 4)}-09-07T09:00:00Z`),
        signed_at: status === 'issued' ? null : new Date(`${year.slice(0, 4)}-09-10T09:00:00Z`),
        superseded_at: status === 'superseded' ? new Date(`${Number(year.slice(0, 4)) + 1}-09-07T09:00:00Z`) : null,
      })
      contractSignatures.push({
        contract_id: id,
        person_id: person.id,
        role: 'supervisee',
        name: 'Supervisee',
        content_hash: hash(id),
        method: 'password',
      })
      if (status !== 'issued')
        contractSignatures.push({
          contract_id: id,
          person_id: supervisorOf.get(person.id)!,
          role: 'supervisor',
          name: 'Supervisor',
          content_hash: hash(id),
          method: 'password',
        })
    }
  }
  await insertChunked(
    contracts,
    (chunk) =>
      db
        .insertInto('contract')
        .values(chunk as never)
        .execute(),
    500,
  )
  await insertChunked(
    contractSignatures,
    (chunk) =>
      db
        .insertInto('contract_signature')
        .values(chunk as never)
        .execute(),
    2000,
  )
  await sql`vacuum analyze`.execute(db)
  return {
    emails: Array.from({ length: connections }, (_, i) => signers[i % signers.length]!.email),
    counts: {
      staff: people.length,
      sessions: sessions.length,
      participants: participants.length,
      cancellations: cancellations.length,
      records: records.length,
      actions: actions.length,
      'action reviews': reviews.length,
      contracts: contracts.length,
    },
  }
}

/** Signs in through the sign-in page, as a browser does; returns the session cookie. */
export async function signIn(base: string, email: string, address: string): Promise<string> {
  const page = await fetch(`${base}/sign-in`, { headers: { 'x-forwarded-for': address } })
  const csrfCookie = (page.headers.getSetCookie().find((c) => c.startsWith('haven_csrf=')) ?? '').split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, 'x-forwarded-for': address },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  })
  const session = res.headers.getSetCookie().find((c) => c.startsWith('haven_session='))
  if (res.status !== 302 || !session) throw new Error(`sign-in as ${email} failed with ${res.status}`)
  return `${session.split(';')[0]}; ${csrfCookie}`
}

export async function timed(url: string, cookie: string, address: string): Promise<number> {
  const started = performance.now()
  const res = await fetch(url, { headers: { cookie, 'x-forwarded-for': address } })
  await res.text()
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
  return performance.now() - started
}

export type Engine = 'postgres' | 'pglite'

export interface Served {
  engine: Engine
  base: string
  cookies: string[]
  addresses: string[]
  /** The data's size, in words. */
  description: string
  /** The database while Haven serves it: PostgreSQL only (PGlite is opened by one process at a time). */
  db: Db | null
  /** Haven's process id (to read its memory in /proc). */
  pid: number
  /** autocannon on one address for `duration` seconds: percentiles of the 2xx responses only. */
  load(target: string, duration: number): Promise<LoadResult>
  /**
   * Stops Haven and drops the database; `afterHaven`, when given, runs once Haven has stopped and
   * before the database goes (another process may then open a PGlite data directory).
   */
  close(afterHaven?: (where: { databaseUrl: string | null; dataDir: string | null }) => Promise<void>): Promise<void>
}

export interface LoadResult {
  requests: number
  ok: number
  notOk: number
  errors: number
  perSecond: number
  p50: number
  p95: number
  p99: number
}

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

function sizeOf(dir: string): number {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    total += entry.isDirectory() ? sizeOf(full) : fs.statSync(full).size
  }
  return total
}

/** Builds the school on a fresh database of the engine, starts Haven on it and signs twenty people in. */
export async function serveBenchSchool(engine: Engine, label: string): Promise<Served> {
  const dbName = `haven_bench_${label}_${process.pid}`
  const dbUrl = (() => {
    const u = new URL(adminUrl)
    u.pathname = `/${dbName}`
    return u.toString()
  })()
  const dataDir = engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), `haven-bench-${label}-`)) : ''
  if (engine === 'postgres') await admin(`create database ${dbName}`)
  let handle: DatabaseHandle | null = null
  let server: ReturnType<typeof spawn> | undefined
  const cleanUp = async (
    afterHaven?: (where: { databaseUrl: string | null; dataDir: string | null }) => Promise<void>,
  ) => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
    if (handle) await handle.close()
    handle = null
    if (afterHaven)
      await afterHaven(engine === 'postgres' ? { databaseUrl: dbUrl, dataDir: null } : { databaseUrl: null, dataDir })
    if (process.env.BENCH_KEEP === 'true') console.log(`kept the database: ${engine === 'postgres' ? dbUrl : dataDir}`)
    else if (engine === 'postgres') await admin(`drop database if exists ${dbName} with (force)`)
    else fs.rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    const started = performance.now()
    handle = engine === 'postgres' ? await openPostgres(dbUrl) : await openPglite({ dataDir })
    await migrateToLatest(handle.db)
    const { emails, counts } = await generate(handle.db)
    let size: string
    if (engine === 'postgres') {
      const row = await sql<{
        size: string
      }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(handle.db)
      size = row.rows[0]?.size ?? '?'
    } else {
      // Only one process may open a PGlite directory: close it before Haven opens it.
      await handle.close()
      handle = null
      size = `${(sizeOf(dataDir) / 1024 / 1024).toFixed(0)} MB on disk`
    }
    const description = `${Object.entries(counts)
      .map(([k, v]) => `${v.toLocaleString('en-GB')} ${k}`)
      .join(
        ', ',
      )}; database ${size}, built in ${((performance.now() - started) / 1000).toFixed(1)} s; history ${historyStart} to ${today}`

    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    server = spawn(process.execPath, [path.join(projectRoot, 'src/server.ts')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...(engine === 'postgres' ? { DATABASE_URL: dbUrl } : { DATABASE_URL: '', DATA_DIR: dataDir }),
        PORT: String(port),
        HOST: '127.0.0.1',
        BASE_URL: base,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        TRUST_PROXY: 'true',
        SCHEDULER_INTERVAL_SECONDS: '0',
        RATE_LIMIT_PER_MINUTE: String(benchRateLimit),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break
      } catch {}
      if (i > 1200) throw new Error('Haven did not start within 2 minutes')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const addresses = emails.map((_, i) => `10.1.0.${i + 1}`)
    const cookies = await Promise.all(emails.map((email, i) => signIn(base, email, addresses[i]!)))
    const load = async (target: string, duration: number): Promise<LoadResult> => {
      const latencies: number[] = []
      let next = 0
      let notOk = 0
      const instance = autocannon({
        url: `${base}${target}`,
        connections,
        duration,
        requests: [
          {
            setupRequest: (req, context) => {
              if (context.who === undefined) context.who = next++ % cookies.length
              const who = context.who as number
              req.headers = { ...req.headers, cookie: cookies[who]!, 'x-forwarded-for': addresses[who]! }
              return req
            },
          },
        ],
      })
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms)
        else notOk++
      })
      const result = await instance
      latencies.sort((a, b) => a - b)
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p)) as [number, number, number]
      return {
        requests: result.requests.total,
        ok: latencies.length,
        notOk,
        errors: result.errors,
        perSecond: latencies.length / duration,
        p50,
        p95,
        p99,
      }
    }
    return {
      engine,
      base,
      cookies,
      addresses,
      description,
      db: handle?.db ?? null,
      pid: server.pid ?? 0,
      load,
      close: cleanUp,
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

/** Which engines to measure: `--engine=postgres` or `--engine=pglite`, both by default. */
export function enginesToRun(argv: readonly string[]): Engine[] {
  const asked = argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length)
  return asked === 'postgres' || asked === 'pglite' ? [asked] : ['postgres', 'pglite']
}
