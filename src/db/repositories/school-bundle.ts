/**
 * Issue 14 (ADR 0052): a school's file, for a trust on another installation. Which rows are the
 * school's is found in the catalogue, as joinTrust finds what moves (repositories/trust-join.ts),
 * so a table added later travels too:
 * - a table with an `organisation_id`: its rows of the school's organisation;
 * - else one with a `school_id`: its rows of the organisation's school;
 * - else one whose foreign keys point at such rows (a record's versions, a session's people, a
 *   person's account): its rows that point at them;
 * - never the tables of the installation itself (sign-in sessions, one-time tokens, the outbox,
 *   throttles, job runs) nor the audit log, which travels as a segment of its own.
 * Reading is one REPEATABLE READ snapshot streamed through cursors, as the backup is (ADR 13).
 * Writing stages each table's rows and inserts them in one statement, keeping every id.
 */
import { type RawBuilder, sql } from 'kysely'
import { appliedMigrations, type TableShape, tableShapes } from '../backup.ts'
import type { DbOrTrx } from './connection.ts'

/** Tables that never travel in a school's file: they belong to the installation, or travel otherwise. */
const staysOnInstallation = new Set([
  'audit_event',
  'auth_token',
  'imported_audit_event',
  'imported_audit_segment',
  'job_run',
  'outbox_message',
  'overview_change',
  'provider_sign_in',
  'school_bundle_export',
  'throttle',
  'trust_join_invitation',
  'user_session',
])

interface ForeignKey {
  child: string
  parent: string
  columns: string[]
  references: string[]
}

async function foreignKeys(db: DbOrTrx): Promise<ForeignKey[]> {
  const result = await sql<{ child: string; parent: string; columns: string[]; refs: string[] }>`
    select c.relname as child, p.relname as parent,
           array(select a.attname::text from unnest(f.conkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = f.conrelid and a.attnum = k.n order by k.i) as columns,
           array(select a.attname::text from unnest(f.confkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = f.confrelid and a.attnum = k.n order by k.i) as refs
      from pg_constraint f
      join pg_class c on c.oid = f.conrelid
      join pg_class p on p.oid = f.confrelid
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
     where f.contype = 'f'
     order by c.relname, f.conname`.execute(db)
  return result.rows.map((r) => ({ child: r.child, parent: r.parent, columns: r.columns, references: r.refs }))
}

export interface SchoolTable {
  shape: TableShape
  /** Whether a row (aliased `alias`) is the organisation's. */
  belongs: (alias: string, organisationId: string) => RawBuilder<boolean>
}

/** The tables a school's rows are in, parents before children, each with how to tell its rows. */
export async function schoolTables(db: DbOrTrx): Promise<SchoolTable[]> {
  const shapes = await tableShapes(db)
  const keys = await foreignKeys(db)
  const byName = new Map(shapes.map((s) => [s.name, s]))
  const memo = new Map<string, SchoolTable['belongs'] | null>()
  let aliases = 0
  const belongsOf = (name: string, visiting: Set<string>): SchoolTable['belongs'] | null => {
    if (memo.has(name)) return memo.get(name)!
    const shape = byName.get(name)
    if (!shape || staysOnInstallation.has(name) || visiting.has(name)) return null
    let belongs: SchoolTable['belongs'] | null = null
    if (name === 'organisation') belongs = (a, org) => sql<boolean>`${sql.ref(`${a}.id`)} = ${org}::uuid`
    else if (name === 'school' || shape.columns.includes('organisation_id'))
      belongs = (a, org) => sql<boolean>`${sql.ref(`${a}.organisation_id`)} = ${org}::uuid`
    else if (shape.columns.includes('school_id'))
      belongs = (a, org) =>
        sql<boolean>`${sql.ref(`${a}.school_id`)} in (select s.id from school as s where s.organisation_id = ${org}::uuid)`
    else {
      const inner = new Set([...visiting, name])
      const parents = keys
        .filter((k) => k.child === name && k.parent !== name)
        .map((k) => ({ key: k, belongs: belongsOf(k.parent, inner) }))
        .filter((p): p is { key: ForeignKey; belongs: SchoolTable['belongs'] } => p.belongs !== null)
      if (parents.length > 0)
        belongs = (a, org) =>
          sql<boolean>`(${sql.join(
            parents.map(({ key, belongs: parentBelongs }) => {
              const p = `p${++aliases}`
              const mine = sql.join(key.columns.map((c) => sql.ref(`${a}.${c}`)))
              const theirs = sql.join(key.references.map((c) => sql.ref(`${p}.${c}`)))
              return sql`(${mine}) in (select ${theirs} from ${sql.table(key.parent)} as ${sql.id(p)} where ${parentBelongs(p, org)})`
            }),
            sql` or `,
          )})`
    }
    if (!visiting.size) memo.set(name, belongs)
    return belongs
  }
  const tables: SchoolTable[] = []
  for (const shape of shapes) {
    const belongs = belongsOf(shape.name, new Set())
    if (belongs) tables.push({ shape, belongs })
  }
  return tables
}

export interface SchoolFileSink {
  header(header: { migrations: string[]; tables: string[] }): Promise<void>
  table(name: string): Promise<void>
  rows(lines: string[]): Promise<void>
  endTable(name: string): Promise<void>
  audit(): Promise<void>
  auditRows(lines: string[]): Promise<void>
  endAudit(head: { id: number; hash: string } | null): Promise<void>
}

const FETCH = 500

async function streamQuery(
  trx: DbOrTrx,
  query: RawBuilder<unknown>,
  each: (lines: string[]) => Promise<void>,
): Promise<void> {
  await sql`declare haven_school_file no scroll cursor for ${query}`.execute(trx)
  for (;;) {
    const batch = await sql<{ row: string }>`fetch forward ${sql.lit(FETCH)} from haven_school_file`.execute(trx)
    if (batch.rows.length > 0) await each(batch.rows.map((r) => r.row))
    if (batch.rows.length < FETCH) break
  }
  await sql`close haven_school_file`.execute(trx)
}

/** Reads every row of the organisation's school, and its audit entries, from one consistent snapshot. */
export async function readSchoolFile(db: DbOrTrx, organisationId: string, sink: SchoolFileSink): Promise<void> {
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const tables = await schoolTables(trx)
      await sink.header({ migrations: await appliedMigrations(trx), tables: tables.map((t) => t.shape.name) })
      for (const { shape, belongs } of tables) {
        await sink.table(shape.name)
        const order = sql.join(shape.primaryKey.map((c) => sql.ref(`t.${c}`)))
        await streamQuery(
          trx,
          sql`select to_jsonb(t)::text as row from ${sql.table(shape.name)} as t where ${belongs('t', organisationId)} order by ${order}`,
          (lines) => sink.rows(lines),
        )
        await sink.endTable(shape.name)
      }
      await sink.audit()
      let head: { id: number; hash: string } | null = null
      await streamQuery(
        trx,
        sql`select to_jsonb(a)::text as row from audit_event as a
             where a.organisation_id = ${organisationId}::uuid
                or a.school_id in (select s.id from school as s where s.organisation_id = ${organisationId}::uuid)
             order by a.id`,
        async (lines) => {
          const last = JSON.parse(lines.at(-1)!) as { id: number; hash: string }
          head = { id: Number(last.id), hash: last.hash }
          await sink.auditRows(lines)
        },
      )
      await sink.endAudit(head)
    })
}

export { appliedMigrations }

/** Rows of one table from a school's file, staged in the transaction, to be checked and then inserted. */
export async function stageRows(trx: DbOrTrx, lines: readonly string[]): Promise<void> {
  await sql`create temporary table if not exists haven_school_rows (doc jsonb not null) on commit drop`.execute(trx)
  await sql`truncate haven_school_rows`.execute(trx)
  for (let i = 0; i < lines.length; i += FETCH) {
    const batch = lines.slice(i, i + FETCH)
    await sql`insert into haven_school_rows (doc)
              select value from jsonb_array_elements(${`[${batch.join(',')}]`}::jsonb)`.execute(trx)
  }
}

/** How many staged rows have a primary key the table already holds. */
export async function stagedClashes(trx: DbOrTrx, shape: TableShape): Promise<number> {
  const mine = sql.join(shape.primaryKey.map((c) => sql.ref(`t.${c}`)))
  const theirs = sql.join(shape.primaryKey.map((c) => sql.ref(`r.${c}`)))
  const result = await sql<{ n: string | number }>`
    select count(*) as n from haven_school_rows s, jsonb_populate_record(null::${sql.table(shape.name)}, s.doc) as r
     where exists (select from ${sql.table(shape.name)} as t where (${mine}) = (${theirs}))`.execute(trx)
  return Number(result.rows[0]?.n ?? 0)
}

/**
 * Inserts the staged rows, exactly as they are (ids kept), then counts those that are not the
 * organisation's by the table's own rule (a file naming another organisation's rows: refused by the caller).
 */
export async function insertStaged(
  trx: DbOrTrx,
  table: SchoolTable,
  organisationId: string,
): Promise<{ inserted: number; foreign: number }> {
  const { shape } = table
  const cols = sql.join(shape.columns.map((c) => sql.id(c)))
  const picked = sql.join(shape.columns.map((c) => sql.ref(`r.${c}`)))
  const inserted = await sql`insert into ${sql.table(shape.name)} (${cols}) overriding system value
      select ${picked} from haven_school_rows s, jsonb_populate_record(null::${sql.table(shape.name)}, s.doc) as r`.execute(
    trx,
  )
  // One look-up by primary key a staged row: a join of the table with the staged rows may be
  // planned as a nested loop over both (the staged rows have no statistics).
  const key = sql.join(shape.primaryKey.map((c) => sql.ref(`t.${c}`)))
  const staged = sql.join(shape.primaryKey.map((c) => sql.ref(`r.${c}`)))
  const foreign = await sql<{ n: string | number }>`
    select count(*) as n from haven_school_rows s, jsonb_populate_record(null::${sql.table(shape.name)}, s.doc) as r
     where not exists (select from ${sql.table(shape.name)} as t where (${key}) = (${staged}) and ${table.belongs('t', organisationId)})`.execute(
    trx,
  )
  return { inserted: Number(inserted.numAffectedRows ?? 0), foreign: Number(foreign.rows[0]?.n ?? 0) }
}

// The school's side: it has moved ---------------------------------------------------------------

export interface StoredExport {
  organisationId: string
  schoolId: string
  invitationHash: string
  publicKey: string
  privateKey: string
  movedAt: Date
  downloadedAt: Date | null
}

export async function insertExport(
  trx: DbOrTrx,
  input: Omit<StoredExport, 'downloadedAt'> & { movedBy: string },
): Promise<void> {
  await trx
    .insertInto('school_bundle_export')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      invitation_hash: input.invitationHash,
      public_key: input.publicKey,
      private_key: input.privateKey,
      moved_by: input.movedBy,
      moved_at: input.movedAt,
    })
    .execute()
}

export async function exportOf(db: DbOrTrx, organisationId: string): Promise<StoredExport | null> {
  const row = await db
    .selectFrom('school_bundle_export')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row
    ? {
        organisationId: row.organisation_id,
        schoolId: row.school_id,
        invitationHash: row.invitation_hash,
        publicKey: row.public_key,
        privateKey: row.private_key,
        movedAt: row.moved_at,
        downloadedAt: row.downloaded_at,
      }
    : null
}

export async function markDownloaded(db: DbOrTrx, organisationId: string, at: Date): Promise<void> {
  await db
    .updateTable('school_bundle_export')
    .set({ downloaded_at: at })
    .where('organisation_id', '=', organisationId)
    .where('downloaded_at', 'is', null)
    .execute()
}

export async function deleteExport(trx: DbOrTrx, organisationId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('school_bundle_export')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** Whether the organisation's school has moved to a trust on another installation (read-only here, no mail). */
export async function hasMovedAway(db: DbOrTrx, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('school_bundle_export')
    .select('organisation_id')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row !== undefined
}

/** Emails of the organisation still waiting to go are not sent: the school has moved. Returns how many. */
export async function stopWaitingMail(trx: DbOrTrx, organisationId: string): Promise<number> {
  const result = await trx
    .updateTable('outbox_message')
    .set({ status: 'failed', last_error: 'not sent: the school moved to another Haven installation' })
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', ['pending', 'held'])
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

// The trust's side: the school's audit entries ----------------------------------------------------

export async function insertAuditSegment(
  trx: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    sourceOrganisationId: string
    publicKey: string
    head: { id: number; hash: string } | null
    at: Date
    lines: readonly string[]
  },
): Promise<string> {
  const segment = await trx
    .insertInto('imported_audit_segment')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      source_organisation_id: input.sourceOrganisationId,
      entries: input.lines.length,
      head_id: input.head?.id ?? null,
      head_hash: input.head?.hash ?? null,
      public_key: input.publicKey,
      imported_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let i = 0; i < input.lines.length; i += FETCH) {
    const lines = input.lines.slice(i, i + FETCH)
    await sql`insert into imported_audit_event (segment_id, source_id, entry, hash)
              select ${segment.id}::uuid, (e.value->>'id')::bigint, e.value, e.value->>'hash'
                from jsonb_array_elements(${`[${lines.join(',')}]`}::jsonb) as e`.execute(trx)
  }
  return segment.id
}

/** Every school's audit segment brought from another installation, oldest import first, with the school's name. */
export async function importedSegments(db: DbOrTrx): Promise<{ id: string; schoolName: string }[]> {
  const rows = await db
    .selectFrom('imported_audit_segment as seg')
    .innerJoin('school as s', 's.id', 'seg.school_id')
    .select(['seg.id', 's.name'])
    .orderBy('seg.imported_at')
    .orderBy('seg.id')
    .execute()
  return rows.map((r) => ({ id: r.id, schoolName: r.name }))
}

/** A segment's entries, oldest first, each as it was carried with the id and hash it was kept under. */
export async function importedSegmentEntries(
  db: DbOrTrx,
  segmentId: string,
): Promise<{ sourceId: number; hash: string; entry: Record<string, unknown> }[]> {
  const rows = await db
    .selectFrom('imported_audit_event')
    .select(['source_id', 'hash', 'entry'])
    .where('segment_id', '=', segmentId)
    .orderBy('source_id')
    .execute()
  return rows.map((r) => ({ sourceId: Number(r.source_id), hash: r.hash, entry: r.entry as Record<string, unknown> }))
}
