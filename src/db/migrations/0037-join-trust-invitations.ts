import { type Kysely, sql } from 'kysely'

/**
 * Issue 14 (ADR 0050): a school on the same installation joins a trust. The trust's administrator
 * makes an invitation (a one-time code, kept only as its SHA-256 hash, with the date the school
 * follows the trust's policy from); the school's administrator accepts it with the code. The
 * school's organisation, then empty, remembers which trust it joined and when (its audit entries,
 * append-only, stay with it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trust_join_invitation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique().check(sql`code_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('expires_on', 'date', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('school_id', 'uuid', (c) => c.references('school.id').onDelete('set null'))
    .addColumn('withdrawn_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('trust_join_invitation_organisation_idx')
    .on('trust_join_invitation')
    .column('organisation_id')
    .execute()
  await sql`alter table organisation add column joined_organisation_id uuid references organisation(id)`.execute(db)
  await sql`alter table organisation add column joined_at timestamptz`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisation drop column joined_at`.execute(db)
  await sql`alter table organisation drop column joined_organisation_id`.execute(db)
  await db.schema.dropTable('trust_join_invitation').execute()
}
