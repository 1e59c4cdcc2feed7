/**
 * A migrated database that other code can open by configuration (the CLI, a second connection
 * pool): a PGlite data directory, or on PostgreSQL (HAVEN_TEST_DB=postgres) a database of its own.
 * Dropped when the test ends.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { TestContext } from 'node:test'
import { type DatabaseHandle, openPglite, openPostgres } from '../../src/db/database.ts'
import { copyOfPgliteTemplate, ownPostgresDatabase, testDatabaseKind } from './database.ts'

export interface NamedDatabase {
  /** Environment variables that make Haven (the CLI) use this database. */
  env: Record<string, string>
  /** Opens a new handle: on PostgreSQL a separate pool; on PGlite only one handle may be open at a time. */
  open(): Promise<DatabaseHandle>
}

export async function namedDatabase(t: Pick<TestContext, 'after'>): Promise<NamedDatabase> {
  if (testDatabaseKind() === 'pglite') {
    const dataDir = await copyOfPgliteTemplate()
    t.after(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }))
    return { env: { DATA_DIR: dataDir }, open: () => openPglite({ dataDir }) }
  }
  // A copy of the run's migrated template: migrating an empty database took seconds of the
  // server's time for every test that opens Haven by configuration.
  const database = await ownPostgresDatabase()
  t.after(() => database.drop())
  const url = database.url
  return { env: { DATABASE_URL: url }, open: () => openPostgres(url, { max: 4 }) }
}
