import { type Kysely, sql } from 'kysely'

/**
 * Issue 17, case escalation (LH-10): a case that is not progressing, or where multi-agency working
 * is ineffective, escalated through the local partnership's dispute-resolution procedure. It may
 * come from a record (`record_id`) or stand on its own. Its current stage and the day that stage
 * began are on the row (the stages themselves are in the policy); each stage it has been at is a
 * row of `case_escalation_stage`, so the dates of the whole route are kept. `version` guards two
 * people moving it or recording its outcome at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_escalation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.references('supervision_record.id').onDelete('set null'))
    .addColumn('raised_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('raised_on', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('not-progressing', 'multi-agency')`))
    .addColumn('other_agency', 'text', (c) => c.notNull().check(sql`length(other_agency) between 1 and 200`))
    .addColumn('summary', 'text', (c) => c.notNull().check(sql`length(summary) between 1 and 5000`))
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('stage_started_on', 'date', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('resolved', 'not-resolved', 'withdrawn')`))
    .addColumn('outcome_note', 'text', (c) => c.check(sql`length(outcome_note) <= 5000`))
    .addColumn('closed_on', 'date')
    .addColumn('closed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .createIndex('case_escalation_school_idx')
    .on('case_escalation')
    .columns(['school_id', 'raised_on'])
    .execute()
  await db.schema
    .createTable('case_escalation_stage')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('escalation_id', 'uuid', (c) => c.notNull().references('case_escalation.id').onDelete('cascade'))
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('started_on', 'date', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.check(sql`length(note) <= 5000`))
    .addColumn('moved_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('case_escalation_stage_escalation_idx')
    .on('case_escalation_stage')
    .columns(['school_id', 'escalation_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_escalation_stage').execute()
  await db.schema.dropTable('case_escalation').execute()
}
