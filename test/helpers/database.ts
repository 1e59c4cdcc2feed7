/**
 * Test databases. The integration suite runs once on PGlite and once on PostgreSQL
 * (HAVEN_TEST_DB=postgres with TEST_DATABASE_URL). Either way each test starts on an empty,
 * migrated database:
 * each test process keeps its databases and empties one between tests (every table but the migration
 * log, with triggers off, sequences restarted): starting a PGlite instance costs over a second of
 * CPU, and creating and dropping a PostgreSQL database half a second of the server's time. A test
 * that needs a second database at the same time takes a second kept one; a test that may break
 * its database (`own: true`) gets one of its own.
 * - On PostgreSQL, databases are created from a template migrated once per run.
 * - On PGlite, instances load, into memory, a migrated
 *   template built once per run (HAVEN_TEST_PGLITE_TEMPLATE, made by scripts/test.ts) or,
 *   for a file run alone, once per process.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { after } from 'node:test'
import pg from 'pg'
import { type DatabaseHandle, openPglite, openPostgres, type PgliteHandle } from '../../src/db/database.ts'
import { noteOutsideWrite } from '../../src/db/kept-reads.ts'
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
  fs.cpSync(path.join(await pgliteTemplateRoot(), 'disk'), dir, { recursive: true })
  return dir
}

let templateDump: Promise<Blob> | undefined

/**
 * The template's dump, read once per process, as PGlite reads a dump: its type and its bytes. A
 * Blob copied its 31 MB at every read (about a third of a second of CPU per database in a busy
 * test process); PGlite only reads these bytes (it copies each file out of them), so every
 * database is loaded from the one copy.
 */
function templateBlob(bytes: Buffer): Blob {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  return { type: 'application/x-tar', arrayBuffer: async () => buffer } as Blob
}

/** A new in-memory PGlite instance holding the migrated template. */
async function ownPglite(): Promise<PgliteHandle> {
  templateDump ??= pgliteTemplateRoot().then((root) => templateBlob(fs.readFileSync(path.join(root, 'data.tar'))))
  return openPglite({ loadDataDir: await templateDump })
}

/** One database a test process keeps, lent to one test at a time and emptied between them. */
interface SharedDatabase {
  inUse: boolean
  used: boolean
  /** Empties every table but the migration log; throws when the database cannot be. */
  empty(): Promise<void>
  /** A handle for one test; closing it gives the database back. */
  lend(): Promise<DatabaseHandle>
  dispose(): Promise<void>
}

/**
 * The databases this process keeps. Usually one; a test file that keeps an app for all its tests
 * (a file-level `after`, which with the test files sharing a process, `--test-isolation=none`,
 * runs only when the process is done) keeps its database till then, so the next test takes a
 * second one, kept and reused in turn, rather than starting a new instance for every test.
 */
const pool: Promise<SharedDatabase>[] = []

// PGlite's backend keeps a timer armed while it is open, and a PostgreSQL database should not
// outlive its test process, so the kept databases go when the tests are done (this module
// is only ever loaded by test files).
after(async () => {
  const instances = await Promise.all(pool.splice(0))
  for (const instance of instances) await instance.dispose()
})

type Rows = (sql: string) => Promise<{ name: string }[]>

/** The statements that empty a migrated database: triggers and foreign keys stand aside. */
async function emptyingSql(rows: Rows): Promise<string> {
  const tables = await rows(
    `select quote_ident(tablename) as name from pg_tables
      where schemaname = 'public' and tablename not like 'haven_migration%' order by tablename`,
  )
  const sequences = await rows(`select quote_ident(sequencename) as name from pg_sequences where schemaname = 'public'`)
  return [
    'set session_replication_role = replica;',
    ...tables.map((t) => `delete from ${t.name};`),
    ...sequences.map((s) => `alter sequence ${s.name} restart;`),
    'reset all;',
    'select pg_advisory_unlock_all();',
  ].join('\n')
}

async function openSharedPglite(): Promise<SharedDatabase> {
  const handle = await ownPglite()
  const emptySql = await emptyingSql(async (sql) => (await handle.pglite.query<{ name: string }>(sql)).rows)
  return {
    inUse: false,
    used: false,
    empty: async () => {
      await handle.pglite.exec(emptySql)
      // Written around Kysely: nothing kept from the last test is used (ADR 0054).
      noteOutsideWrite(handle.db)
    },
    lend: async () => ({ ...handle, close: async () => {} }),
    dispose: () => handle.close(),
  }
}

/**
 * On PostgreSQL the database and one connection pool to it are kept for the process, and the
 * database emptied between tests. A new pool for every test cost the server a new backend for
 * each connection, each warming its catalogue caches: a quarter of the server's CPU in the
 * PostgreSQL pass, measured over eight files. Haven keeps no session state on a connection (its
 * locks and settings are all transaction-scoped), so nothing passes from one test to the next.
 */
async function openSharedPostgres(): Promise<SharedDatabase> {
  const database = await ownPostgresDatabase()
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  let kept: DatabaseHandle | undefined
  try {
    const emptySql = await emptyingSql(async (sql) => (await client.query<{ name: string }>(sql)).rows)
    return {
      inUse: false,
      used: false,
      empty: async () => {
        await client.query(emptySql)
      },
      lend: async () => {
        kept ??= await openPostgres(database.url, { max: 4 })
        return { ...kept, close: async () => {} }
      },
      dispose: async () => {
        await kept?.close().catch(() => {})
        await client.end().catch(() => {})
        await database.drop()
      },
    }
  } catch (error) {
    await client.end().catch(() => {})
    await database.drop()
    throw error
  }
}

/** A kept database no other test holds, emptied; a new one joins the pool when every one is held. */
async function takeShared(): Promise<DatabaseHandle> {
  let instance: SharedDatabase | undefined
  for (const [index, candidate] of pool.entries()) {
    const kept = await candidate
    if (kept.inUse) continue
    kept.inUse = true
    if (kept.used) {
      try {
        await kept.empty()
      } catch {
        // A test left the database unusable (an open transaction, say): start again.
        pool.splice(index, 1)
        await kept.dispose().catch(() => {})
        return takeShared()
      }
    }
    instance = kept
    break
  }
  if (!instance) {
    const opening = testDatabaseKind() === 'pglite' ? openSharedPglite() : openSharedPostgres()
    pool.push(opening)
    instance = await opening
    instance.inUse = true
  }
  instance.used = true
  const held = instance
  const handle = await held.lend()
  return {
    ...handle,
    close: async () => {
      await handle.close()
      held.inUse = false
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

/** A new database on the server, made from the migrated template, and how to drop it. */
export async function ownPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await sharedPostgresTemplate()
  const name = `haven_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  await runAdmin(`create database ${name} template ${template}`)
  return {
    url: withDatabase(adminUrl(), name),
    drop: () => runAdmin(`drop database if exists ${name} with (force)`),
  }
}

/**
 * An empty migrated database for one test, given back (or, when it was the test's own, closed and
 * dropped) by `close()`. `own: true` when the test closes or breaks it on purpose.
 */
export async function freshDatabase(options: { own?: boolean } = {}): Promise<DatabaseHandle> {
  if (!options.own) return takeShared()
  if (testDatabaseKind() === 'pglite') return ownPglite()
  const database = await ownPostgresDatabase()
  const handle = await openPostgres(database.url, { max: 4 })
  return {
    ...handle,
    async close() {
      await handle.close()
      await database.drop()
    },
  }
}
