import { type Kysely, sql } from 'kysely'

/**
 * Issue 16, item 3 (ADR 34): every inspection evidence pack made, who made it, for which school
 * and period, and whether it held record content. A pack with record content keeps the reason the
 * DSL gave here; the audit entries (`evidence-pack.export`, and `record.export` for each record)
 * carry ids and codes only and name this row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evidence_pack')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('made_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date', (c) => c.notNull())
    .addColumn('record_content', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reason', 'text', (c) => c.check(sql`length(reason) between 1 and 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('evidence_pack_range', sql`from_date <= to_date`)
    .addCheckConstraint('evidence_pack_reason', sql`record_content = (reason is not null)`)
    .execute()
  await db.schema
    .createIndex('evidence_pack_school_idx')
    .on('evidence_pack')
    .columns(['school_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evidence_pack').execute()
}
