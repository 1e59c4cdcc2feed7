/**
 * How fast the DSL's overview is served (issues 9 and 16): a school of 300 staff with 3 years of
 * history (bench/school.ts), twenty people signed in and asking for /overview at once, on
 * PostgreSQL and on PGlite, one after the other in the same run. Target (issue 16): the 95th
 * percentile of successful responses under 50 ms on each engine.
 *
 * For each engine it times the first view (the overview worked out and kept), on PostgreSQL also
 * the first view after a change (worked out again; PGlite's data directory is Haven's alone while
 * it runs, so no change is made from outside), then runs autocannon with 20 connections, each a
 * different person from a different address. Latencies are of 2xx responses only; any other
 * answer is counted, reported, and fails the run. Prints the data size and the 50th, 95th and
 * 99th percentiles; exits non-zero when a 95th percentile is 50 ms or more. Haven keeps the
 * session lookup, the overview page's reads and its rendering until the database is written where
 * they looked (ADR 0054): the load is of pages served from what is kept, as a DSL's repeated views
 * are; the first views above are worked out.
 *
 *   node bench/overview.bench.ts [seconds] [--baseline] [--engine=postgres|pglite]   (BENCH_KEEP=true keeps the databases)
 */
import { sql } from 'kysely'
import { reportResult } from './results.ts'
import { connections, enginesToRun, helloWorldPerSecond, serveBenchSchool, timed } from './school.ts'

const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20)
/** Also time a page with no data of its own (the accessibility statement), signed in: the app's floor on this machine. */
const baseline = process.argv.includes('--baseline')
const targetP95Ms = 50

let failed = false
for (const engine of enginesToRun(process.argv)) {
  const served = await serveBenchSchool(engine, 'overview')
  try {
    const { base, cookies, addresses } = served
    console.log(`overview on ${engine}: ${served.description}; Node ${process.version}`)
    console.log(`${cookies.length} people signed in`)
    const first = await timed(`${base}/overview`, cookies[0]!, addresses[0]!)
    console.log(`first view (worked out and kept): ${first.toFixed(0)} ms`)
    if (served.db) {
      // A change: the next view works it out again.
      await served.db
        .updateTable('person')
        .set({ job_title: 'Deputy headteacher' })
        .where(
          'id',
          '=',
          (
            await served.db
              .selectFrom('person')
              .select('id')
              .where('job_title', '=', 'headteacher')
              .executeTakeFirstOrThrow()
          ).id,
        )
        .execute()
      const afterChange = await timed(`${base}/overview`, cookies[0]!, addresses[0]!)
      console.log(`first view after a change (worked out again): ${afterChange.toFixed(0)} ms`)
    }
    for (let i = 0; i < 20; i++)
      await timed(`${base}/overview`, cookies[i % cookies.length]!, addresses[i % cookies.length]!)

    const report = async (target: string, duration: number) => {
      const r = await served.load(target, duration)
      console.log(
        `GET ${target} on ${engine}, ${connections} connections for ${duration} s: ${r.ok.toLocaleString('en-GB')} successful responses (${r.perSecond.toFixed(0)} a second), p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ${r.notOk} not 2xx, ${r.errors} errors`,
      )
      return r
    }
    if (baseline) await report('/accessibility', Math.min(seconds, 10))
    const changes = async () =>
      served.db
        ? (await sql<{ n: number }>`select count(*) as n from overview_change`.execute(served.db)).rows[0]?.n
        : 0
    const versionBefore = await changes()
    const result = await report('/overview', seconds)
    if ((await changes()) !== versionBefore) console.log('note: the data changed during the run')
    const data = served.description.split(';')[0]!
    reportResult({
      measure: `GET /overview, ${connections} people at once for ${seconds} s (successful responses only)`,
      engine,
      data,
      median: result.p50,
      p95: result.p95,
      unit: 'ms',
      target: targetP95Ms,
    })
    // The same connections on a bare Fastify hello-world, at once after: the machine's floor.
    const hello = await helloWorldPerSecond(Math.min(seconds, 10))
    console.log(
      `bare Fastify hello-world, ${connections} connections: ${hello.toFixed(0)} a second; GET /overview (signed in, on ${engine}) serves ${result.perSecond.toFixed(0)} a second, ${((result.perSecond / hello) * 100).toFixed(1)}% of it`,
    )
    reportResult({
      measure: `GET /overview throughput as a share of a bare Fastify hello-world (${hello.toFixed(0)} a second)`,
      engine,
      data,
      median: result.perSecond / hello,
      p95: result.perSecond / hello,
      unit: 'ratio',
    })
    if (result.notOk > 0 || result.errors > 0) {
      console.error(`${engine}: some requests failed`)
      failed = true
    }
    console.log(`${engine}: p95 ${result.p95.toFixed(1)} ms (target ${targetP95Ms} ms)`)
    if (result.p95 >= targetP95Ms) {
      console.error(`${engine}: p95 ${result.p95.toFixed(1)} ms is not under the ${targetP95Ms} ms target`)
      failed = true
    }
  } finally {
    await served.close()
  }
}
if (failed) process.exit(1)
