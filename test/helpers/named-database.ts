/**
 * A migrated database that other code can open by configuration (the CLI, a second connection
 * pool): a PGlite data directory, or on PostgreSQL (HAVEN_TEST_DB=postgres) a database of its own.
 * Dropped when the test ends.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { TestContext } from 'node:test'
import { type DatabaseHandle, openPglite, openPostgres } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { adminUrl, copyOfPgliteTemplate, runAdmin, testDatabaseKind, withDatabase } from './database.ts'

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
  const name = `haven_n_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  await runAdmin(`create database ${name}`)
  t.after(() => runAdmin(`drop database if exists ${name} with (force)`))
  const url = withDatabase(adminUrl(), name)
  const handle = await openPostgres(url, { max: 1 })
  try {
    await migrateToLatest(handle.db)
  } finally {
    await handle.close()
  }
  return { env: { DATABASE_URL: url }, open: () => openPostgres(url, { max: 4 }) }
}
