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
import { testDatabaseKind } from './templates.ts'

export function engineIndependent(options: TestOptions = {}): TestOptions {
  if (process.env.HAVEN_TEST_PASS !== 'postgres-again' || options.skip) return options
  return { ...options, skip: 'does not depend on the database engine: ran in the PGlite pass' }
}

/**
 * For a test that PGlite cannot run truly: two instances "at once" on PGlite share its one
 * connection and run one after the other, which tests no concurrency. On PGlite the test is skipped
 * with the reason; on PostgreSQL it runs in every pass.
 *
 *   test('two instances ...', postgresOnly('needs two connections to one database'), async (t) => { ... })
 */
export function postgresOnly(reason: string, options: TestOptions = {}): TestOptions {
  if (testDatabaseKind() === 'postgres' || options.skip) return options
  return { ...options, skip: `runs on PostgreSQL only: ${reason}` }
}

/**
 * For a dear test that does not depend on the engine either (the authorisation matrix and the
 * fuzzing: what they test is decided before any query, over the same SQL the other tests run on
 * both engines): it runs in one pass of `npm test`, not two. When the run has a PostgreSQL pass
 * after the PGlite one (scripts/test.ts sets HAVEN_TEST_PASS=pglite-then-postgres for the PGlite
 * pass), it runs on PostgreSQL only, where it costs about a quarter less; a run without one (no
 * TEST_DATABASE_URL, or only the PGlite step asked for) runs it on PGlite. Run alone, it runs.
 *
 *   describe('name', onOneEngine(), () => { ... })
 */
export function onOneEngine(options: TestOptions = {}): TestOptions {
  if (process.env.HAVEN_TEST_PASS !== 'pglite-then-postgres' || options.skip) return options
  return { ...options, skip: 'does not depend on the database engine: runs in the PostgreSQL pass' }
}
