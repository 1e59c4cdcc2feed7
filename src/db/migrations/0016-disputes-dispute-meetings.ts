import { type Kysely, sql } from 'kysely'

/**
 * Issue 17, disputes between supervisor and supervisee (MW-11, AM-05): a disagreement with a
 * record that is not resolved books a meeting with the third person the contract names (or the
 * route the policy names: a team outside the school with both parties' agreement, the Chair of
 * Governors when the disagreement is with the Principal). Both parties are told in advance, and
 * the outcome is recorded on the same row. `version` guards two people recording the outcome.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dispute_meeting')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('restrict'))
    .addColumn('step_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('third_person_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('third_party_name', 'text', (c) => c.notNull().check(sql`length(third_party_name) between 1 and 200`))
    .addColumn('both_agreed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('meeting_on', 'date', (c) => c.notNull())
    .addColumn('meeting_time', 'text', (c) => c.check(sql`meeting_time ~ '^[0-2][0-9]:[0-5][0-9]$'`))
    .addColumn('venue', 'text', (c) => c.check(sql`length(venue) <= 200`))
    .addColumn('booked_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('booked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('resolved', 'not-resolved')`))
    .addColumn('outcome_note', 'text', (c) => c.check(sql`length(outcome_note) <= 5000`))
    .addColumn('outcome_recorded_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('outcome_recorded_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .createIndex('dispute_meeting_record_idx')
    .on('dispute_meeting')
    .columns(['school_id', 'record_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dispute_meeting').execute()
}
