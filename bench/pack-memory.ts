/**
 * Not a benchmark of its own: the child process bench/evidence-pack.bench.ts starts to measure the
 * evidence pack's memory apart from Haven's web server. It opens the bench school's database
 * (`--database-url=` or `--data-dir=`) and makes the default pack (metadata only) `--runs=` times
 * for `--from=` to `--to=`, each from nothing kept (the governors' reports kept from earlier
 * packs are dropped first, so each pack works them out), reading each ZIP as it is made and
 * keeping only its size. It prints one JSON line.
 *
 * On PostgreSQL the packs are made as Haven makes them (ADR 53): each in its own process, forked
 * by `startEvidencePackApart`, the same code, flags and compile cache as the route's; `maxRss` is
 * the highest peak resident set those processes report of themselves
 * (process.resourceUsage().maxRSS, the kernel's high-water mark), with each one's CPU time (user and system: what the
 * machine's load does not change). One more pack first, with an
 * empty compile cache (`cold`): the first pack after an upgrade, before Haven has prepared it.
 * With PGlite the pack is made in this process, as an embedded Haven makes it in its own: its
 * WebAssembly memory and buffers count in the resident set.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type DatabaseHandle, openPglite, openPostgres } from '../src/db/database.ts'
import { preparePackProcess, startEvidencePackApart } from '../src/services/evidence-pack/apart.ts'
import { type PackRequest, startEvidencePack } from '../src/services/evidence-pack/pack.ts'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const databaseUrl = arg('database-url')
const dataDir = arg('data-dir')
const from = arg('from')!
const to = arg('to')!
const runs = Number(arg('runs') ?? 3)

const handle: DatabaseHandle = databaseUrl ? await openPostgres(databaseUrl) : await openPglite({ dataDir: dataDir! })
try {
  const db = handle.db
  const school = await db.selectFrom('school').selectAll().executeTakeFirstOrThrow()
  const dsl = await db
    .selectFrom('person')
    .select('id')
    .where('school_id', '=', school.id)
    .where('job_title', '=', 'DSL')
    .executeTakeFirst()
  const actor = dsl ?? (await db.selectFrom('person').select('id').executeTakeFirstOrThrow())
  const request = (): PackRequest => ({
    school: { id: school.id, organisationId: school.organisation_id, slug: school.slug, name: school.name },
    range: { from, to },
    actorId: actor.id,
    today: to,
    now: new Date(),
    content: null,
  })

  /** One pack from nothing kept: its time, size and (apart) its process's peak. */
  const onePack = async (compileCache?: string) => {
    await db.deleteFrom('governors_report_kept').where('school_id', '=', school.id).execute()
    const started = performance.now()
    let bytes = 0
    if (databaseUrl) {
      const pack = await startEvidencePackApart(databaseUrl, request(), { compileCache })
      for await (const chunk of pack.stream) bytes += (chunk as Buffer).length
      const { maxRss, cpuMs } = await pack.usage
      return { ms: performance.now() - started, bytes, maxRss, cpuMs }
    }
    const pack = await startEvidencePack(db, request())
    for await (const chunk of pack.stream) bytes += (chunk as Buffer).length
    await pack.done
    const { user, system } = process.cpuUsage()
    return {
      ms: performance.now() - started,
      bytes,
      maxRss: process.resourceUsage().maxRSS * 1024,
      cpuMs: (user + system) / 1000,
    }
  }

  const rssBefore = process.memoryUsage().rss
  let cold: { ms: number; maxRss: number; cpuMs: number } | null = null
  if (databaseUrl) {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-cache-'))
    try {
      cold = await onePack(empty)
    } finally {
      fs.rmSync(empty, { recursive: true, force: true })
    }
    // As Haven does when it starts (src/server.ts).
    await preparePackProcess()
  }
  const times: number[] = []
  const cpu: number[] = []
  let bytes = 0
  let maxRss = 0
  for (let i = 0; i < runs; i++) {
    const made = await onePack()
    times.push(made.ms)
    cpu.push(made.cpuMs)
    bytes = made.bytes
    maxRss = Math.max(maxRss, made.maxRss)
  }
  console.log(
    JSON.stringify({
      apart: databaseUrl !== undefined,
      rssBefore,
      maxRss,
      times,
      cpu,
      bytes,
      cold,
    }),
  )
} finally {
  await handle.close()
}
