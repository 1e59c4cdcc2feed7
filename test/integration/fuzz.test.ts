/**
 * Bounded fuzzing of every form and upload (issue 12, "keep it closed"): hostile values (NUL, lone
 * surrogates, huge and negative numbers, impossible dates, 10 KB to 2 MB) posted to every POST
 * route with a real CSRF token, by someone the route lets in, so the handlers run. Never a 5xx;
 * a refused request leaves every key table as it was; an accepted one that changed rows wrote an
 * audit entry.
 *
 * Every route first gets a NUL in each free-text field in turn and a lone surrogate in all of
 * them, then FUZZ_RUNS (default 5 per route) and FUZZ_SEED (default fixed, so npm test is repeatable) change
 * the campaign; bench/fuzz.bench.ts runs a long one.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import {
  type FuzzTarget,
  fuzzTargets,
  hostileForm,
  keyTables,
  knownHostileForms,
  malformedBodies,
  notIds,
  rowCounts,
  sendHostile,
  sendRaw,
} from '../builders/fuzz.ts'
import { buildTrustFixture, type TrustFixture } from '../builders/trust.ts'
import { onOneEngine } from '../helpers/engines.ts'
import type { Fields } from '../helpers/forms.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

const runs = Number(process.env.FUZZ_RUNS ?? 5)
const seed = Number(process.env.FUZZ_SEED ?? 20261203)

describe('fuzzing every form and upload (issue 12)', onOneEngine(), () => {
  let built: TestApp
  let f: TrustFixture
  let targets: FuzzTarget[]
  const cleanup: ((...args: never[]) => unknown)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    built = await buildTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    f = await buildTrustFixture(built)
    targets = await fuzzTargets(built, f)
  })

  test('every POST route is fuzzed', () => {
    const posts = built.app.registeredRoutes().filter((r) => r.method === 'POST')
    assert.equal(targets.length, posts.length)
  })

  /** Runs the property over every route; returns one line per route where it failed. */
  async function fuzzEveryRoute(options: { examples?: (target: FuzzTarget) => Fields[] }): Promise<string[]> {
    const failures: string[] = []
    const statuses = new Map<number, number>()
    for (const target of targets) {
      const examples = (options.examples?.(target) ?? []).map((form): [Fields] => [form])
      if (options.examples && examples.length === 0) continue
      try {
        await fc.assert(
          fc.asyncProperty(hostileForm(target), async (values) => {
            const browser = await f.freshBrowser(target.role, true)
            const before = await rowCounts(built.database.db)
            const res = await sendHostile(built, browser, target, values, f.csrf)
            const afterwards = await rowCounts(built.database.db)
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
            assert.ok(res.statusCode < 500, `server error ${res.statusCode}`)
            const changed = keyTables.filter((t) => afterwards[t] !== before[t])
            if (res.statusCode >= 400) assert.deepEqual(changed, [], `refused with ${res.statusCode}, yet rows changed`)
            else if (changed.length > 0)
              assert.ok(
                afterwards.audit_event! > before.audit_event!,
                `${changed.join(', ')} changed with no audit entry`,
              )
          }),
          options.examples
            ? { numRuns: examples.length, examples, endOnFailure: true, seed }
            : { numRuns: runs, seed, endOnFailure: true },
        )
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause?.message.split('\n')[0] ?? ''
        const counterexample = /Counterexample: (.*)/.exec((error as Error).message)?.[1] ?? ''
        failures.push(
          `POST ${target.route} as ${target.role ?? 'signed out'}: ${cause} with ${counterexample.slice(0, 300)}`,
        )
      }
    }
    if (process.env.FUZZ_DEBUG)
      console.log(Object.fromEntries(statuses), targets.map((t) => `${t.route}: ${t.fields.join(' ')}`).join('\n'))
    return failures
  }

  test('a NUL in any free-text field, or lone surrogates in all of them, is refused, never a server error', async () => {
    assert.deepEqual(await fuzzEveryRoute({ examples: knownHostileForms }), [])
  })

  test('ids that are not ids (a person, a supervisor, a template...) are refused, never a server error', async () => {
    assert.deepEqual(await fuzzEveryRoute({ examples: notIds }), [])
  })

  test('bytes that are not UTF-8 in every free-text field are refused, never a server error', async () => {
    const failures: string[] = []
    for (const target of targets) {
      for (const body of malformedBodies(target, f.csrf)) {
        const browser = await f.freshBrowser(target.role, true)
        const before = await rowCounts(built.database.db)
        const res = await sendRaw(built, browser, target.url, body)
        const afterwards = await rowCounts(built.database.db)
        const changed = keyTables.filter((t) => afterwards[t] !== before[t])
        if (res.statusCode >= 500)
          failures.push(`POST ${target.route}: server error ${res.statusCode} with ${body.slice(0, 200)}`)
        else if (res.statusCode >= 400 && changed.length > 0)
          failures.push(`POST ${target.route}: refused with ${res.statusCode}, yet ${changed.join(', ')} changed`)
      }
    }
    assert.deepEqual(failures, [])
  })

  test('hostile values never give a server error, and nothing is half-saved', async () => {
    assert.deepEqual(await fuzzEveryRoute({}), [])
  })
})
