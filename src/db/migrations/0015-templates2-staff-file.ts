import { type Kysely, sql } from 'kysely'

/**
 * Records filed to the staff member's file (issue 14): a completed record whose template (or one
 * of its answered items) is filed to the staff (HR) file waits here, like decisions for a child's
 * file, until someone who manages staff marks it filed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('record_staff_filing')
    .addColumn('record_id', 'uuid', (c) => c.primaryKey().references('supervision_record.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('field_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('whole_record', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('filed_at', 'timestamptz')
    .addColumn('filed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('record_staff_filing_school_idx')
    .on('record_staff_filing')
    .columns(['school_id', 'filed_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('record_staff_filing').execute()
}
