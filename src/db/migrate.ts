import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration'
import type { Db } from './database.ts'
import { migrations } from './migrations/index.ts'

export class MigrationError extends Error {
  override name = 'MigrationError'
}

function migrator(db: Db) {
  return new Migrator({
    db,
    provider: { getMigrations: async (): Promise<Record<string, Migration>> => migrations },
    migrationTableName: 'haven_migration',
    migrationLockTableName: 'haven_migration_lock',
    // Features are built in parallel and each migration creates its own tables, so one that sorts
    // earlier may land after a later one has run on a developer's database. Run it then.
    allowUnorderedMigrations: true,
  })
}

/** Runs every migration not yet applied, in order; several instances starting at once are safe (Kysely's lock). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const reason = result.error instanceof Error ? result.error.message : String(result.error)
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`)
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
