import type { Kysely } from 'kysely'

/**
 * Manual scope overrides made on the staff pages (X-04, issue 14): who ended an override, beside
 * when (person_override.ended_at), so the person's page can show both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('person_override')
    .addColumn('ended_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('person_override').dropColumn('ended_by').execute()
}
