import { type Kysely, sql } from 'kysely'

/**
 * Standing teams (CA-05) get pages (issue 17): a team is ended rather than deleted, so the sessions
 * it planned keep their team and the audit log its subject. An ended team is no longer planned,
 * and its name may be used again by a new team.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('supervision_team').addColumn('ended_on', 'date').execute()
  await db.schema
    .alterTable('supervision_team')
    .addColumn('ended_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
  await sql`drop index supervision_team_name_idx`.execute(db)
  await sql`create unique index supervision_team_name_idx on supervision_team (school_id, lower(name)) where ended_on is null`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index supervision_team_name_idx`.execute(db)
  await sql`delete from supervision_team where ended_on is not null`.execute(db)
  await sql`create unique index supervision_team_name_idx on supervision_team (school_id, lower(name))`.execute(db)
  await db.schema.alterTable('supervision_team').dropColumn('ended_by').execute()
  await db.schema.alterTable('supervision_team').dropColumn('ended_on').execute()
}
