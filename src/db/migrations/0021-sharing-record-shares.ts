import { type Kysely, sql } from 'kysely'

/**
 * Issue 15 item 4, records are private, not confidential (CA-09, AM-05, MW-10): a signed record,
 * or chosen parts of it (`parts`: section ids, `actions`, `decisions`; null for the whole record),
 * shared by its supervisor with a named person for a reason the policy lists. The reason's label
 * is kept as it was chosen, so a later policy does not change what the supervisee was told.
 * `opens_at` is when the named person may open it (after the notice period when the supervisee
 * is told before); `withdrawn_at` ends it. Who opened it is in the audit log, like any record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('record_share')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('cascade'))
    .addColumn('shared_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('recipient_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('reason_id', 'text', (c) => c.notNull().check(sql`length(reason_id) between 1 and 100`))
    .addColumn('reason_label', 'text', (c) => c.notNull().check(sql`length(reason_label) between 1 and 500`))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(note) between 1 and 2000`))
    .addColumn('parts', 'jsonb')
    .addColumn('supervisee_told', 'text', (c) => c.notNull().check(sql`supervisee_told in ('before', 'after')`))
    .addColumn('shared_at', 'timestamptz', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('record_share_record_idx')
    .on('record_share')
    .columns(['school_id', 'record_id'])
    .execute()
  await db.schema
    .createIndex('record_share_recipient_idx')
    .on('record_share')
    .columns(['school_id', 'recipient_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('record_share').execute()
}
