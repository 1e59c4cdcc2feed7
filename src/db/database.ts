/**
 * Opens Haven's database: PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite kept
 * in DATA_DIR. Both speak the same SQL dialect and run the same migrations (docs/adr/0003).
 */
import fs from 'node:fs/promises'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { countedDialect, listenForWrites } from './kept-reads.ts'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>
export type DatabaseKind = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Db
  kind: DatabaseKind
  /** PostgreSQL's connection string (another process may open its own connection: the evidence pack's, ADR 53). */
  url?: string
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>
}

const DATE_OID = 1082
const INT8_OID = 20
const NUMERIC_OID = 1700

/** Calendar dates stay strings (YYYY-MM-DD): never shifted by a time zone. Counts become numbers. */
const parsers = {
  [DATE_OID]: (v: string) => v,
  [INT8_OID]: (v: string) => Number(v),
  [NUMERIC_OID]: (v: string) => Number(v),
}

let pgTypesSet = false
function setPgTypeParsers() {
  if (pgTypesSet) return
  for (const [oid, fn] of Object.entries(parsers)) pg.types.setTypeParser(Number(oid), fn)
  pgTypesSet = true
}

function closeOnce(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => {
    closing ??= fn()
    return closing
  }
}

export async function openPostgres(
  connectionString: string,
  /** listen: false for a handle that keeps nothing (one-off scripts); Haven's own listens. */
  options: { max?: number; listen?: boolean; keepIdleConnections?: boolean } = {},
): Promise<DatabaseHandle> {
  setPgTypeParsers()
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: 'haven',
    // A running Haven keeps the connections it has opened (at most `max`): a new one costs the
    // server a backend whose caches of the schema start cold, about a fifth of the first
    // governors' report after ten quiet seconds (ADR 56). One-off handles let theirs go after 10 s.
    ...(options.keepIdleConnections ? { idleTimeoutMillis: 0 } : {}),
  })
  // A broken idle connection must not crash the process; the next query reports the failure.
  pool.on('error', () => {})
  // What the process keeps is used until it or another instance writes where it was read
  // (src/db/kept-reads.ts, ADR 0054): its own writes counted, the others' heard.
  const counted = countedDialect(new PostgresDialect({ pool }), false)
  const db = new Kysely<Database>({ dialect: counted.dialect })
  counted.register(db)
  const listener = options.listen === false ? null : listenForWrites(connectionString, counted.counter)
  return {
    db,
    kind: 'postgres',
    url: connectionString,
    close: closeOnce(async () => {
      await listener?.close()
      await db.destroy()
    }),
  }
}

export interface PgliteHandle extends DatabaseHandle {
  pglite: PGlite
}

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PgliteHandle> {
  if (options.dataDir) await fs.mkdir(options.dataDir, { recursive: true })
  // Loaded only here: a process that opens PostgreSQL (the evidence pack's, ADR 53) does without it.
  const { PGlite } = await import('@electric-sql/pglite')
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers,
  })
  // Only this process opens the data directory: it counts its writes, so that what it keeps can
  // be used until it writes (src/db/kept-reads.ts, ADR 0054).
  const { dialect, register } = countedDialect(new PGliteDialect({ pglite }), true)
  const db = new Kysely<Database>({ dialect })
  register(db)
  return {
    db,
    kind: 'pglite',
    pglite,
    close: closeOnce(async () => {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    }),
  }
}

/** Haven's database; `server: true` for the serving process, which keeps its connections open. */
export function openDatabase(
  config: { databaseUrl: string | undefined; dataDir: string },
  options: { server?: boolean } = {},
): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, { keepIdleConnections: options.server })
    : openPglite({ dataDir: config.dataDir })
}

/** True when the database answers within the time allowed. */
export async function databaseAnswers(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const query = sql<{ ok: number }>`select 1 as ok`.execute(db).then((r) => r.rows[0]?.ok === 1)
    return await Promise.race([query, timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
