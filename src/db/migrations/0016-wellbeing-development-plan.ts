import { type Kysely, sql } from 'kysely'

/**
 * Development plans (PL-07, CA-08; issue 17): each development need agreed in a signed record
 * (a row of a template table marked `developmentPlan`) becomes an item on the supervisee's plan,
 * with an owner, a due date and a status, and a link back to its record. `source_key` names the
 * table and row it came from, so a record feeds each need once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('development_plan_item')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('cascade'))
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('need', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('owner_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('owner_name', 'text')
    .addColumn('due_on', 'date')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('planned').check(sql`status in ('planned', 'in-progress', 'done', 'no-longer-needed')`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('development_plan_item_source', ['record_id', 'person_id', 'source_key'])
    .execute()
  await sql`create index development_plan_item_person_idx on development_plan_item (school_id, person_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('development_plan_item').execute()
}
