/**
 * `npm test` runs the integration suite twice: on PGlite, then on PostgreSQL (scripts/test.ts sets
 * HAVEN_TEST_PASS=postgres-again for the second). A test that does the same thing whichever engine
 * the pass is for (a pure function, a command that never opens the database, a test that opens
 * PGlite or both engines itself) proves nothing new the second time: mark it
 *
 *   test('name', engineIndependent(), async () => { ... })
 *   test('name', engineIndependent({ timeout: 60_000 }), async () => { ... })
 *
 * and it runs once per `npm test`. Run alone on PostgreSQL (no HAVEN_TEST_PASS), it still runs.
 * docs/adr/0004-one-test-command.md lists the tests marked, and why each is independent.
 */
import type { TestOptions } from 'node:test'

export function engineIndependent(options: TestOptions = {}): TestOptions {
  if (process.env.HAVEN_TEST_PASS !== 'postgres-again' || options.skip) return options
  return { ...options, skip: 'does not depend on the database engine: ran in the PGlite pass' }
}
