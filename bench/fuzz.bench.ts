/**
 * The long fuzz campaign (issue 12, "keep it closed"): hostile values posted to every form and
 * upload of the app, at least 10,000 requests (FUZZ_REQUESTS), by someone each route lets in,
 * with a real CSRF token. Prints the requests sent, the distribution of statuses, the number of
 * 5xx answers and of refused requests that still changed rows, and the time taken. Exits
 * non-zero on any 5xx or half-saved change. FUZZ_SEED fixes the values; FUZZ_ONLY=<part of a
 * route> replays the campaign for the routes matching it.
 */
import fc from 'fast-check'
import { type FuzzTarget, fuzzTargets, hostileForm, keyTables, rowCounts, sendHostile } from '../test/builders/fuzz.ts'
import { buildTrustFixture } from '../test/builders/trust.ts'
import { buildTestApp } from '../test/helpers/test-app.ts'

const wanted = Number(process.env.FUZZ_REQUESTS ?? 10_000)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const cleanups: (() => unknown)[] = []
const built = await buildTestApp(
  { after: (fn) => void (fn && cleanups.push(fn as () => unknown)) },
  { logLevel: 'silent' },
)
const f = await buildTrustFixture(built)
const targets: FuzzTarget[] = await fuzzTargets(built, f)
const perRoute = Math.ceil(wanted / targets.length)
const statuses = new Map<number, number>()
const serverErrors: string[] = []
const halfSaved: string[] = []
const examples: string[] = []
let sent = 0
const started = performance.now()
const only = process.env.FUZZ_ONLY
for (const [i, target] of targets.entries()) {
  if (only && !target.route.includes(only)) continue
  const samples = fc.sample(hostileForm(target), { numRuns: perRoute, seed: seed + i })
  for (const values of samples) {
    const browser = await f.freshBrowser(target.role, true)
    const before = await rowCounts(built.database.db)
    const res = await sendHostile(built, browser, target, values, f.csrf)
    const afterwards = await rowCounts(built.database.db)
    sent++
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode >= 500) {
      serverErrors.push(`POST ${target.route}: ${res.statusCode}`)
      examples.push(
        `POST ${target.route}: ${JSON.stringify(values, (_k, v) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v)).slice(0, 400)}`,
      )
    }
    const changed = keyTables.filter((t) => afterwards[t] !== before[t])
    if (res.statusCode >= 400 && changed.length > 0)
      halfSaved.push(`POST ${target.route}: ${res.statusCode}, ${changed.join(', ')} changed`)
    else if (changed.length > 0 && afterwards.audit_event === before.audit_event)
      halfSaved.push(`POST ${target.route}: ${changed.join(', ')} changed with no audit entry`)
  }
}
const seconds = (performance.now() - started) / 1000
console.log(
  `fuzz: seed ${seed}, ${targets.length} routes, ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)} a second)`,
)
console.log(
  `statuses: ${[...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ')}`,
)
console.log(`5xx: ${serverErrors.length}; half-saved: ${halfSaved.length}`)
const byRoute = (list: string[]) => [...new Set(list)].map((l) => `  ${l} (×${list.filter((x) => x === l).length})`)
if (serverErrors.length > 0) console.log([...byRoute(serverErrors), ...examples.map((e) => `  ${e}`)].join('\n'))
if (halfSaved.length > 0) console.log(byRoute(halfSaved).slice(0, 20).join('\n'))
for (const fn of cleanups.reverse()) await fn()
process.exit(serverErrors.length + halfSaved.length > 0 ? 1 : 0)
