import { type Kysely, sql } from 'kysely'

/**
 * A trust's own policy and each academy's adoption of it (issue 14, X-01, ADR 0024). Both are
 * versions with effective dates, never changed once written: `trust_policy_version` holds the
 * trust's documents (scoped by the trust's organisation), `policy_adoption` an academy's additions
 * and overrides (scoped by the school), each version in force from its date. An academy's policy
 * on a date is the trust version in force that day with the academy's overrides in force that day
 * (src/domain/policy/adoption.ts); before its first adoption a school keeps its own versions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trust_policy_version')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('backdating_reason', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('trust_policy_version_organisation_version', ['organisation_id', 'version'])
    .execute()

  await db.schema
    .createTable('policy_adoption')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('overrides', 'jsonb', (c) => c.notNull())
    .addColumn('backdating_reason', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('policy_adoption_school_version', ['school_id', 'version'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_adoption').execute()
  await db.schema.dropTable('trust_policy_version').execute()
}
