import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { type Db, openPostgres } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { migrations } from '../../src/db/migrations/index.ts'
import { freshDatabase, ownPostgresDatabase, testDatabaseKind } from '../helpers/database.ts'
import { engineIndependent } from '../helpers/engines.ts'

/** The public schema as the catalogue describes it: tables, columns, constraints and indexes. */
async function catalogue(db: Db) {
  const columns = await sql<Record<string, unknown>>`
    select table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`.execute(db)
  const constraints = await sql<Record<string, unknown>>`
    select conrelid::regclass::text as table_name, conname, contype, pg_get_constraintdef(oid) as definition
    -- NOT NULL is compared through is_nullable: PostgreSQL 18 (PGlite) also lists it as a constraint, 15 does not.
    from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n'
    order by 1, 2`.execute(db)
  const indexes = await sql<Record<string, unknown>>`
    select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`.execute(db)
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows }
}

// Each side is a database migrated from nothing by migrateToLatest: on PGlite a copy of the run's
// template (test/helpers/templates.ts builds it on an empty data directory), on PostgreSQL a copy
// of the run's template database, made the same way; a file run alone makes both.
test(
  'the migrated schema is identical on PGlite and PostgreSQL',
  engineIndependent({
    skip:
      (!process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set') ||
      (testDatabaseKind() !== 'pglite' && 'compares PGlite with PostgreSQL from the PGlite pass'),
  }),
  async (t) => {
    const pglite = await freshDatabase()
    t.after(() => pglite.close())
    const database = await ownPostgresDatabase()
    t.after(() => database.drop())
    const server = await openPostgres(database.url, { max: 1 })
    t.after(() => server.close())
    // Nothing left to apply on either.
    assert.deepEqual(await migrateToLatest(pglite.db), [])
    assert.deepEqual(await migrateToLatest(server.db), [])
    const a = await catalogue(pglite.db)
    const b = await catalogue(server.db)
    assert.ok(a.columns.length > 0)
    assert.deepEqual(a, b)
  },
)

test('migrations are idempotent: running them again applies nothing', async (t) => {
  // A database migrated from nothing (the template every test database is a copy of, itself built
  // by migrateToLatest on an empty database).
  const database = await freshDatabase()
  t.after(() => database.close())
  assert.deepEqual(await migrateToLatest(database.db), [])
  const applied = await database.db
    .selectFrom('haven_migration' as never)
    .select(sql<string>`name`.as('name'))
    .execute()
  assert.deepEqual(applied.map((r) => r.name).sort(), Object.keys(migrations).sort())
})
