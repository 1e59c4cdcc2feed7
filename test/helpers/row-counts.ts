import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'

/** Rows in every table but the migration log: what "nothing written" is checked against. */
export async function allRowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() and tablename not like 'haven_migration%' order by 1`.execute(
    db,
  )
  const counts: Record<string, number> = {}
  for (const { name } of tables.rows) {
    const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(name)}`.execute(db)
    counts[name] = Number(r.rows[0]?.n ?? 0)
  }
  return counts
}
