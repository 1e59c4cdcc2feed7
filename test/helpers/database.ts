/**
 * Test databases. The integration suite runs once on PGlite and once on PostgreSQL
 * (HAVEN_TEST_DB=postgres with TEST_DATABASE_URL). Either way each test starts on an empty,
 * migrated database:
 * - On PostgreSQL, a database of its own, created from a template migrated once per run.
 * - On PGlite, starting an instance costs over a second of CPU, so each test process keeps one
 *   instance and empties it between tests (every table but the migration log, with triggers off,
 *   sequences restarted). A test that needs a second database at the same time, or one it may
 *   break (`own: true`), gets an instance of its own. Instances load, into memory, a migrated
 *   template built once per run (HAVEN_TEST_PGLITE_TEMPLATE, made by scripts/test.ts) or,
 *   for a file run alone, once per process.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { after } from 'node:test'
import { type DatabaseHandle, openPglite, openPostgres, type PgliteHandle } from '../../src/db/database.ts'
import {
  adminUrl,
  buildPgliteTemplate,
  createPostgresTemplate,
  runAdmin,
  scratchDir,
  testDatabaseKind,
  withDatabase,
} from './templates.ts'

export { adminUrl, runAdmin, testDatabaseKind, withDatabase }

let pgliteTemplate: Promise<string> | undefined

function pgliteTemplateRoot(): Promise<string> {
  const given = process.env.HAVEN_TEST_PGLITE_TEMPLATE
  if (given) return Promise.resolve(given)
  pgliteTemplate ??= (async () => {
    const root = scratchDir('haven-test-tpl-')
    await buildPgliteTemplate(root)
    return root
  })()
  return pgliteTemplate
}

/** A copy of the migrated template as a PGlite data directory of its own; returns its path. */
export async function copyOfPgliteTemplate(): Promise<string> {
  const dir = path.join(scratchDir('haven-test-db-'), 'data')
  fs.cpSync(path.join(await pgliteTemplateRoot(), 'data'), dir, { recursive: true })
  return dir
}

let templateDump: Promise<Blob> | undefined

/** A new in-memory PGlite instance holding the migrated template. */
async function ownPglite(): Promise<PgliteHandle> {
  templateDump ??= pgliteTemplateRoot().then((root) => new Blob([fs.readFileSync(path.join(root, 'data.tar'))]))
  return openPglite({ loadDataDir: await templateDump })
}

interface SharedPglite {
  handle: PgliteHandle
  emptySql: string
  inUse: boolean
  used: boolean
}

let shared: Promise<SharedPglite> | undefined

// PGlite's backend keeps a timer armed while it is open, so the instance is closed when the
// test file is done (this module is only ever loaded by test files).
after(async () => {
  const instance = await shared
  shared = undefined
  await instance?.handle.close()
})

async function openShared(): Promise<SharedPglite> {
  const handle = await ownPglite()
  const tables = await handle.pglite.query<{ name: string }>(
    `select quote_ident(tablename) as name from pg_tables
      where schemaname = 'public' and tablename not like 'haven_migration%' order by tablename`,
  )
  const sequences = await handle.pglite.query<{ name: string }>(
    `select quote_ident(sequencename) as name from pg_sequences where schemaname = 'public'`,
  )
  const emptySql = [
    'set session_replication_role = replica;',
    ...tables.rows.map((t) => `delete from ${t.name};`),
    ...sequences.rows.map((s) => `alter sequence ${s.name} restart;`),
    'reset all;',
    'select pg_advisory_unlock_all();',
  ].join('\n')
  return { handle, emptySql, inUse: false, used: false }
}

/** The process's shared PGlite instance, emptied, or undefined while another test holds it. */
async function takeShared(): Promise<PgliteHandle | undefined> {
  shared ??= openShared()
  const instance = await shared
  if (instance.inUse) return undefined
  instance.inUse = true
  if (instance.used) {
    try {
      await instance.handle.pglite.exec(instance.emptySql)
    } catch {
      // A test left the instance unusable (an open transaction, say): start again.
      shared = undefined
      await instance.handle.close().catch(() => {})
      return takeShared()
    }
  }
  instance.used = true
  return {
    ...instance.handle,
    close: async () => {
      instance.inUse = false
    },
  }
}
let postgresTemplate: Promise<string> | undefined

function sharedPostgresTemplate(): Promise<string> {
  // scripts/test.ts makes one template for the whole run; a single file run alone makes its own.
  const given = process.env.HAVEN_TEST_TEMPLATE_DB
  if (given) return Promise.resolve(given)
  if (!postgresTemplate) {
    postgresTemplate = createPostgresTemplate()
    let dropped = false
    process.on('beforeExit', () => {
      if (dropped) return
      dropped = true
      void postgresTemplate?.then((name) => runAdmin(`drop database if exists ${name} with (force)`))
    })
  }
  return postgresTemplate
}

/**
 * An empty migrated database for one test, released (on PostgreSQL dropped) by `close()`.
 * `own: true` when the test closes or breaks it on purpose.
 */
export async function freshDatabase(options: { own?: boolean } = {}): Promise<DatabaseHandle> {
  if (testDatabaseKind() === 'pglite') {
    return (options.own ? undefined : await takeShared()) ?? ownPglite()
  }
  const template = await sharedPostgresTemplate()
  const name = `haven_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  await runAdmin(`create database ${name} template ${template}`)
  const handle = await openPostgres(withDatabase(adminUrl(), name), { max: 4 })
  return {
    ...handle,
    async close() {
      await handle.close()
      await runAdmin(`drop database if exists ${name} with (force)`)
    },
  }
}
