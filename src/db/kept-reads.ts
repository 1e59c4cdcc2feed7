/**
 * What a process may keep from the database between requests, and for how long (ADR 0054): until
 * the database is written where the kept read looks.
 *
 * - The process's own writes are counted as they are made: a number (the write generation) is
 *   raised before and after every statement that may write (anything not plainly a read: every
 *   insert, update, delete, DDL, lock, sequence or setting) and when a transaction begins, commits
 *   or rolls back.
 * - Nobody else writes to an embedded PGlite data directory: one process opens it at a time.
 * - On PostgreSQL other instances may write: the tables kept reads read announce every change on
 *   the `haven_kept_reads` channel (migration 0038), a connection of this process listens, and
 *   each announcement raises the generation. While that connection is down, or before it listens,
 *   nothing is kept (`writeGeneration` is null) and every read goes to the database; when it is
 *   back, everything kept before is read again.
 *
 * A value read while the generation was g is used only while it is still g: a write made after it,
 * or in flight while it was read, makes it be read again. Anything that writes to a PGlite database
 * around Kysely (the tests' emptying between tests) says so with `noteOutsideWrite`. Values kept on
 * PostgreSQL must come from the tables migration 0038 names.
 */
import type { DatabaseConnection, Dialect, Driver, QueryCompiler, QueryResult, TransactionSettings } from 'kysely'
import pg from 'pg'
import type { DbOrTrx } from './repositories/connection.ts'

interface Counter {
  n: number
  /** Whether every write that matters is seen (always on PGlite; while listening on PostgreSQL). */
  live: boolean
}

const counters = new WeakMap<object, Counter>()

/** A statement is a read when it is a select (or a with … select) that names nothing that writes or locks. */
const readStart = /^\s*(select|with)\b/i
const mayWrite =
  /\b(insert|update|delete|merge|truncate|copy|into|nextval|setval|set_config|lock|pg_advisory\w*|for\s+(no\s+key\s+)?update|for\s+(key\s+)?share)\b/i

export function isPlainRead(sqlText: string): boolean {
  return readStart.test(sqlText) && !mayWrite.test(sqlText)
}

class CountingDriver implements Driver {
  readonly #inner: Driver
  readonly #counter: Counter
  readonly #patched = new WeakSet<DatabaseConnection>()

  constructor(inner: Driver, counter: Counter) {
    this.#inner = inner
    this.#counter = counter
  }

  init(): Promise<void> {
    return this.#inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection()
    if (!this.#patched.has(connection)) {
      // Patched in place: the driver's transaction methods need the connection object itself.
      const execute = connection.executeQuery.bind(connection)
      const counter = this.#counter
      connection.executeQuery = async <R>(query: Parameters<DatabaseConnection['executeQuery']>[0]) => {
        const writes = !isPlainRead(query.sql)
        if (writes) counter.n++
        try {
          return (await execute(query)) as QueryResult<R>
        } finally {
          if (writes) counter.n++
        }
      }
      this.#patched.add(connection)
    }
    return connection
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.#counter.n++
    return this.#inner.beginTransaction(connection, settings)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.commitTransaction(connection)
    } finally {
      this.#counter.n++
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(connection)
    } finally {
      this.#counter.n++
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    this.#counter.n++
    await this.#inner.savepoint!(connection, name, compile)
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    try {
      await this.#inner.rollbackToSavepoint!(connection, name, compile)
    } finally {
      this.#counter.n++
    }
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.#inner.releaseSavepoint!(connection, name, compile)
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(connection)
  }

  destroy(): Promise<void> {
    return this.#inner.destroy()
  }
}

/** A dialect whose statements are counted; `register` is called with the Kysely instance once it exists. */
export function countedDialect<D extends Dialect>(
  inner: D,
  live: boolean,
): { dialect: Dialect; counter: Counter; register(db: object): void } {
  const counter: Counter = { n: 0, live }
  const dialect: Dialect = {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new CountingDriver(inner.createDriver(), counter),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  }
  return { dialect, counter, register: (db) => counters.set(db, counter) }
}

export const keptReadsChannel = 'haven_kept_reads'

/**
 * Listens on PostgreSQL for other instances' writes to the tables kept reads read, on a connection
 * of its own, reconnecting after a second when it drops; until it listens, nothing is kept.
 */
export function listenForWrites(connectionString: string, counter: Counter): { close(): Promise<void> } {
  let closed = false
  let client: pg.Client | null = null
  let retry: NodeJS.Timeout | undefined
  const down = () => {
    counter.live = false
    counter.n++
    const old = client
    client = null
    old?.removeAllListeners()
    old?.on('error', () => {})
    void old?.end().catch(() => {})
    if (!closed && !retry) {
      retry = setTimeout(connect, 1000)
      // A handle left open (a script that forgot to close it) must not keep its process alive.
      retry.unref()
    }
  }
  const connect = async () => {
    retry = undefined
    if (closed) return
    const next = new pg.Client({ connectionString, application_name: 'haven-kept-reads' })
    client = next
    next.on('error', down)
    next.on('end', () => {
      if (client === next) down()
    })
    next.on('notification', () => {
      counter.n++
    })
    try {
      await next.connect()
      await next.query(`listen ${keptReadsChannel}`)
      if (client !== next || closed) {
        // Closed (or dropped) while connecting: this connection is nobody's.
        next.removeAllListeners()
        next.on('error', () => {})
        await next.end().catch(() => {})
        return
      }
      // Whatever was kept before was kept while not listening: read it all again.
      counter.n++
      counter.live = true
    } catch {
      if (client === next) down()
    }
  }
  void connect()
  return {
    close: async () => {
      closed = true
      clearTimeout(retry)
      counter.live = false
      const last = client
      client = null
      last?.removeAllListeners()
      last?.on('error', () => {})
      await last?.end().catch(() => {})
    },
  }
}

/**
 * The database's write generation while every write that matters is seen, else null (PostgreSQL
 * while not listening; an open transaction, whose reads are its own).
 */
export function writeGeneration(db: DbOrTrx): number | null {
  const counter = counters.get(db)
  return counter?.live ? counter.n : null
}

/** Something wrote to the database around Kysely: whatever was kept is read again. */
export function noteOutsideWrite(db: DbOrTrx): void {
  const counter = counters.get(db)
  if (counter) counter.n++
}

/**
 * Values kept per database and key while nothing is written where they were read: at most `max`
 * keys per database, the oldest dropped first. While the generation is unknown `read` always reads.
 */
export class KeptWhileUnwritten<V> {
  readonly #max: number
  readonly #byDb = new WeakMap<object, Map<string, { generation: number; value: V }>>()

  constructor(max: number) {
    this.#max = max
  }

  /** The kept value for `key` when nothing has been written since it was read; else `load`'s, kept unless `keep` says not. */
  async read(db: DbOrTrx, key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const generation = writeGeneration(db)
    if (generation === null) return load()
    let kept = this.#byDb.get(db)
    const hit = kept?.get(key)
    if (hit && hit.generation === generation) return hit.value
    // The generation is taken before the read: a write during it leaves what is kept stale at once.
    const value = await load()
    if (!keep(value)) return value
    if (!kept) {
      kept = new Map()
      this.#byDb.set(db, kept)
    }
    kept.delete(key)
    kept.set(key, { generation, value })
    if (kept.size > this.#max) kept.delete(kept.keys().next().value!)
    return value
  }

  /** Forgets what is kept for `key` (the process itself ended it, say). */
  forget(db: DbOrTrx, key: string): void {
    this.#byDb.get(db)?.delete(key)
  }
}
