/**
 * Backup and restore at the SQL level (issue 12; docs/adr/0013), the same on PGlite and on
 * PostgreSQL, through the driver: no pg_dump needed.
 *
 * - Reading: every table (the migration log aside) in foreign-key order, parents first, each row
 *   as PostgreSQL's own `to_jsonb(row)::text` (exact: no number or time passes through JavaScript),
 *   ordered by primary key, streamed through a cursor; then every sequence. All of it in one
 *   REPEATABLE READ, READ ONLY transaction: one consistent snapshot while Haven keeps running.
 * - Restoring: one transaction. The tables are locked, refused when any holds a row (unless
 *   `replace`, which empties them first), their own triggers set aside while rows go back exactly
 *   as they were (the audit log's and record versions' append-only triggers would refuse the
 *   emptying; the overview's would record changes that are already in the copy), rows staged and
 *   inserted one table per statement (so rows of a table that refer to each other go in together),
 *   sequences set, triggers back on. Anything wrong and nothing has changed.
 */
import { sql } from 'kysely'
import type { Db } from './database.ts'

/** Tables Haven's migrations keep for themselves: never backed up or restored. */
const MIGRATION_TABLES = ['haven_migration', 'haven_migration_lock']

export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError'
}

export interface TableShape {
  name: string
  primaryKey: string[]
  /** Columns a row is written with (generated ones are left to the database). */
  columns: string[]
}

async function rows<T>(db: Db, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(db)).rows
}

/** Every table Haven keeps data in, parents before the tables that refer to them. */
export async function tableShapes(db: Db): Promise<TableShape[]> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  )
  const names = tables.map((t) => t.name).filter((n) => !MIGRATION_TABLES.includes(n))
  const keys = await rows<{ table: string; column: string }>(
    db,
    sql`select c.relname as table, a.attname as column
          from pg_index i
          join pg_class c on c.oid = i.indrelid
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
          join lateral unnest(i.indkey) with ordinality as k(attnum, position) on true
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
         where i.indisprimary
         order by c.relname, k.position`,
  )
  const columns = await rows<{ table: string; column: string }>(
    db,
    sql`select table_name as table, column_name as column from information_schema.columns
         where table_schema = current_schema() and is_generated = 'NEVER'
         order by table_name, ordinal_position`,
  )
  const edges = await rows<{ child: string; parent: string }>(
    db,
    sql`select c.relname as child, p.relname as parent
          from pg_constraint f
          join pg_class c on c.oid = f.conrelid
          join pg_class p on p.oid = f.confrelid
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
         where f.contype = 'f' and f.conrelid <> f.confrelid`,
  )
  // Depth-first topological order; a cycle between tables cannot be restored row by row.
  const order: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return
    if (state.get(name) === 'visiting')
      throw new Error(`tables refer to each other in a cycle (${[...path, name].join(' -> ')}): cannot order a backup`)
    state.set(name, 'visiting')
    for (const e of edges) if (e.child === name && names.includes(e.parent)) visit(e.parent, [...path, name])
    state.set(name, 'done')
    order.push(name)
  }
  for (const name of names) visit(name, [])
  return order.map((name) => {
    const primaryKey = keys.filter((k) => k.table === name).map((k) => k.column)
    if (primaryKey.length === 0) throw new Error(`table ${name} has no primary key: cannot order its rows`)
    return { name, primaryKey, columns: columns.filter((c) => c.table === name).map((c) => c.column) }
  })
}

async function sequenceNames(db: Db): Promise<string[]> {
  return (
    await rows<{ name: string }>(
      db,
      sql`select sequencename as name from pg_sequences where schemaname = current_schema() order by sequencename`,
    )
  ).map((r) => r.name)
}

/** The names of the migrations applied, in order. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  return (await rows<{ name: string }>(db, sql`select name from haven_migration order by name`)).map((r) => r.name)
}

export interface SnapshotHeader {
  migrations: string[]
  tables: string[]
  /** The newest audit entry, as `haven verify-audit --anchor` gives it; null for an empty log. */
  auditHead: { id: number; hash: string } | null
}

/** Where a snapshot goes, one piece at a time, in order. */
export interface SnapshotSink {
  header(header: SnapshotHeader): Promise<void>
  table(name: string): Promise<void>
  /** Rows of the current table, each `to_jsonb(row)::text`. */
  rows(lines: string[]): Promise<void>
  endTable(name: string, count: number): Promise<void>
  sequence(name: string, value: string, isCalled: boolean): Promise<void>
}

const FETCH = 500

/** Reads the whole database into `sink` from one consistent snapshot. */
export async function readSnapshot(db: Db, sink: SnapshotSink): Promise<{ tables: number; rows: number }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const shapes = await tableShapes(trx)
      const head = await rows<{ id: number; hash: string }>(
        trx,
        sql`select id, hash from audit_event order by id desc limit 1`,
      )
      await sink.header({
        migrations: await appliedMigrations(trx),
        tables: shapes.map((s) => s.name),
        auditHead: head[0] ? { id: Number(head[0].id), hash: head[0].hash } : null,
      })
      let total = 0
      for (const shape of shapes) {
        await sink.table(shape.name)
        const order = sql.join(shape.primaryKey.map((c) => sql.ref(`t.${c}`)))
        await sql`declare haven_backup no scroll cursor for
                    select to_jsonb(t)::text as row from ${sql.table(shape.name)} as t order by ${order}`.execute(trx)
        let count = 0
        for (;;) {
          const batch = await rows<{ row: string }>(trx, sql`fetch forward ${sql.lit(FETCH)} from haven_backup`)
          if (batch.length > 0) await sink.rows(batch.map((r) => r.row))
          count += batch.length
          if (batch.length < FETCH) break
        }
        await sql`close haven_backup`.execute(trx)
        await sink.endTable(shape.name, count)
        total += count
      }
      for (const name of await sequenceNames(trx)) {
        const [state] = await rows<{ value: string; called: boolean }>(
          trx,
          sql`select last_value::text as value, is_called as called from ${sql.table(name)}`,
        )
        await sink.sequence(name, state!.value, state!.called)
      }
      return { tables: shapes.length, rows: total }
    })
}

/** What a restore reads, after the header, in the order a snapshot was written. */
export type SnapshotPiece =
  | { kind: 'table'; name: string }
  | { kind: 'rows'; lines: string[] }
  | { kind: 'end'; name: string; count: number }
  | { kind: 'sequence'; name: string; value: string; isCalled: boolean }

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i])

/**
 * Restores a snapshot into this database in one transaction, and runs `finish` in it last (to
 * write the audit entry). Refused, with nothing changed, when the database holds any row and
 * `replace` is not set, when its migrations differ from the snapshot's, or when anything in the
 * snapshot does not fit.
 */
export async function restoreSnapshot(
  db: Db,
  header: SnapshotHeader,
  pieces: AsyncIterable<SnapshotPiece>,
  options: { replace: boolean; finish?: (trx: Db) => Promise<void> },
): Promise<{ tables: number; rows: number }> {
  return db.transaction().execute(async (trx) => {
    const migrations = await appliedMigrations(trx)
    if (!sameList(migrations, header.migrations))
      throw new RestoreRefusedError(
        'the backup was made by a different version of Haven (its database migrations differ): restore it with the version that made it',
      )
    const shapes = await tableShapes(trx)
    const byName = new Map(shapes.map((s) => [s.name, s]))
    if (!sameList([...byName.keys()], header.tables))
      throw new RestoreRefusedError('the backup holds different tables from this database')
    const sequences = await sequenceNames(trx)

    // Wait a little for anyone else using the tables, then give up: Haven must be stopped first.
    await sql`set local lock_timeout = '10s'`.execute(trx)
    const all = sql.join(shapes.map((s) => sql.table(s.name)))
    try {
      await sql`lock table ${all} in access exclusive mode`.execute(trx)
    } catch (error) {
      if ((error as { code?: string }).code === '55P03')
        throw new RestoreRefusedError('the database is in use: stop Haven, then restore')
      throw error
    }
    const holding: string[] = []
    for (const s of shapes) {
      const [row] = await rows<{ any: boolean }>(trx, sql`select exists (select from ${sql.table(s.name)}) as any`)
      if (row?.any) holding.push(s.name)
    }
    if (holding.length > 0 && !options.replace)
      throw new RestoreRefusedError(
        `the database is not empty (${holding.slice(0, 3).join(', ')}${holding.length > 3 ? ' …' : ''} hold data): restore into an empty database, or add --force to replace everything in it`,
      )

    const triggers = await rows<{ table: string; trigger: string }>(
      trx,
      sql`select c.relname as table, t.tgname as trigger
            from pg_trigger t
            join pg_class c on c.oid = t.tgrelid
            join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
           where not t.tgisinternal and t.tgenabled <> 'D'
           order by c.relname, t.tgname`,
    )
    const switchTriggers = async (on: boolean) => {
      for (const t of triggers)
        await sql`alter table ${sql.table(t.table)} ${sql.raw(on ? 'enable' : 'disable')} trigger ${sql.id(t.trigger)}`.execute(
          trx,
        )
    }
    await switchTriggers(false)
    if (holding.length > 0) await sql`truncate table ${all}`.execute(trx)

    await sql`create temporary table haven_restore_rows (doc jsonb not null) on commit drop`.execute(trx)
    let current: TableShape | null = null
    const done = new Set<string>()
    let total = 0
    for await (const piece of pieces) {
      if (piece.kind === 'table') {
        const shape = byName.get(piece.name)
        if (!shape || done.has(piece.name) || current !== null)
          throw new RestoreRefusedError(`the backup is damaged: unexpected table ${piece.name}`)
        current = shape
      } else if (piece.kind === 'rows') {
        if (current === null) throw new RestoreRefusedError('the backup is damaged: rows outside a table')
        await sql`insert into haven_restore_rows (doc)
                  select value from jsonb_array_elements(${`[${piece.lines.join(',')}]`}::jsonb)`.execute(trx)
      } else if (piece.kind === 'end') {
        if (current === null || current.name !== piece.name)
          throw new RestoreRefusedError(`the backup is damaged: unexpected end of ${piece.name}`)
        const cols = sql.join(current.columns.map((c) => sql.id(c)))
        const picked = sql.join(current.columns.map((c) => sql.ref(`r.${c}`)))
        const inserted = await sql`insert into ${sql.table(current.name)} (${cols}) overriding system value
                    select ${picked} from haven_restore_rows s,
                      jsonb_populate_record(null::${sql.table(current.name)}, s.doc) as r`.execute(trx)
        const count = Number(inserted.numAffectedRows ?? 0)
        if (count !== piece.count)
          throw new RestoreRefusedError(
            `the backup is damaged: ${piece.name} should have ${piece.count} rows, found ${count}`,
          )
        await sql`truncate haven_restore_rows`.execute(trx)
        done.add(current.name)
        total += count
        current = null
      } else {
        if (!sequences.includes(piece.name) || !/^-?\d{1,19}$/.test(piece.value))
          throw new RestoreRefusedError(`the backup is damaged: unexpected sequence ${piece.name}`)
        await sql`select setval(${piece.name}::regclass, ${piece.value}::bigint, ${piece.isCalled})`.execute(trx)
      }
    }
    if (current !== null || done.size !== shapes.length)
      throw new RestoreRefusedError('the backup is incomplete: some tables are missing')
    await switchTriggers(true)
    await options.finish?.(trx)
    return { tables: done.size, rows: total }
  })
}
