import { type Kysely, sql } from 'kysely'

/**
 * The policy editor's working copy (issue 5): one draft per school, edited section by section in
 * forms and published as a new policy version. `version` guards against two people saving
 * over each other (optimistic locking); `based_on_version` is the policy version it was copied from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policy_draft')
    .addColumn('school_id', 'uuid', (c) => c.primaryKey().references('school.id').onDelete('cascade'))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('based_on_version', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_draft').execute()
}
