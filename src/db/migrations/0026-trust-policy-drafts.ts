import { type Kysely, sql } from 'kysely'

/**
 * The trust policy's working copy (issue 14, ADR 0041): the trust's central team edits the trust's
 * policy with the school editor's forms, so it keeps a draft as a school does (migration
 * 0006-policy-drafts), one per trust: `version` guards against two people saving over each other,
 * `based_on_version` is the trust version it was copied from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trust_policy_draft')
    .addColumn('organisation_id', 'uuid', (c) => c.primaryKey().references('organisation.id').onDelete('cascade'))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('based_on_version', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trust_policy_draft').execute()
}
