import { type Kysely, sql } from 'kysely'

/**
 * Issue 14: the trust's own people (no school of their own: a regional safeguarding lead, an
 * external supervisor of the trust) record supervisor training too, kept with no school.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table supervisor_training alter column school_id drop not null`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from supervisor_training where school_id is null`.execute(db)
  await sql`alter table supervisor_training alter column school_id set not null`.execute(db)
}
