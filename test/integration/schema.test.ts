import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { type Db, openPglite, openPostgres } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { migrations } from '../../src/db/migrations/index.ts'
import { freshDatabase } from '../helpers/database.ts'
import { engineIndependent } from '../helpers/engines.ts'
import { createPostgresTemplate, runAdmin, withDatabase } from '../helpers/templates.ts'

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

test(
  'the migrated schema is identical on PGlite and PostgreSQL',
  engineIndependent({
    skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set',
  }),
  async () => {
    const pglite = await openPglite()
    assert.ok((await migrateToLatest(pglite.db)).length > 0)
    // Idempotent: running them again applies nothing.
    assert.deepEqual(await migrateToLatest(pglite.db), [])
    const name = await createPostgresTemplate()
    const server = await openPostgres(withDatabase(process.env.TEST_DATABASE_URL!, name), { max: 1 })
    try {
      const a = await catalogue(pglite.db)
      const b = await catalogue(server.db)
      assert.ok(a.columns.length > 0)
      assert.deepEqual(a, b)
    } finally {
      await pglite.close()
      await server.close()
      await runAdmin(`drop database if exists ${name} with (force)`)
    }
  },
)

test('migrations are idempotent: running them again applies nothing', async (t) => {
  // A database migrated from nothing (the template every test database is a copy of, itself built
  // by migrateToLatest; the test above also migrates one from nothing and runs them twice).
  const database = await freshDatabase()
  t.after(() => database.close())
  assert.deepEqual(await migrateToLatest(database.db), [])
  const applied = await database.db
    .selectFrom('haven_migration' as never)
    .select(sql<string>`name`.as('name'))
    .execute()
  assert.deepEqual(applied.map((r) => r.name).sort(), Object.keys(migrations).sort())
})
