/**
 * buildTestApp(t): the real app, built by the same buildApp as production, on a fresh database,
 * closed when the test ends. Drive it with inject(); see forms.ts for CSRF-aware form posts.
 */
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { type Config, testConfig } from '../../src/config.ts'
import type { DatabaseHandle } from '../../src/db/database.ts'
import { clockFrom } from './clock.ts'
import { freshDatabase } from './database.ts'

export interface TestApp {
  app: FastifyInstance
  database: DatabaseHandle
  config: Config
}

export async function buildTestApp(
  t: Pick<TestContext, 'after'>,
  overrides: Partial<Config> = {},
  /** clock: the app's "now"; by default it starts at the fixed test instant (helpers/clock.ts). */
  options: { ownDatabase?: boolean; clock?: () => Date } = {},
): Promise<TestApp> {
  const database = await freshDatabase({ own: options.ownDatabase })
  const config = testConfig(overrides)
  const app = await buildApp({ config, database, closeDatabase: false, clock: options.clock ?? clockFrom() })
  await app.ready()
  t.after(async () => {
    await app.close()
    await database.close()
  })
  return { app, database, config }
}
