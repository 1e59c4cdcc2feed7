/**
 * Not a benchmark of its own: the child process bench/evidence-pack.bench.ts starts to measure the
 * evidence pack's memory apart from Haven's web server (whose sign-ins and pages leave their own
 * high-water mark). It opens the bench school's database (`--database-url=` or `--data-dir=`),
 * makes the default pack (metadata only) `--runs=` times for `--from=` to `--to=` through the
 * service, reading each ZIP as it is made and keeping only its size, and prints one JSON line:
 * its resident set before the first pack, its own peak (process.resourceUsage().maxRSS, the
 * kernel's high-water mark), and each pack's time. With PGlite the database runs inside this
 * process: its WebAssembly memory and buffers count in the resident set.
 */
import { type DatabaseHandle, openPglite, openPostgres } from '../src/db/database.ts'
import { startEvidencePack } from '../src/services/evidence-pack/pack.ts'

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
  const rssBefore = process.memoryUsage().rss
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const pack = await startEvidencePack(db, {
      school: { id: school.id, organisationId: school.organisation_id, slug: school.slug, name: school.name },
      range: { from, to },
      actorId: actor.id,
      today: to,
      now: new Date(),
      content: null,
    })
    bytes = 0
    for await (const chunk of pack.stream) bytes += (chunk as Buffer).length
    await pack.done
    times.push(performance.now() - started)
  }
  console.log(
    JSON.stringify({
      rssBefore,
      maxRss: process.resourceUsage().maxRSS * 1024,
      times,
      bytes,
      heapUsed: process.memoryUsage().heapUsed,
    }),
  )
} finally {
  await handle.close()
}
