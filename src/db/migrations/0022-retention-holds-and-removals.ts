import { type Kysely, sql } from 'kysely'

/**
 * Issue 15, retention: legal holds placed by the DSL on a person or one record (`retention_hold`,
 * released rather than deleted, so who held what and why stays); the list the daily job finds due
 * (`retention_due`), which the DSL reviews and confirms; and the mark a removed record keeps
 * (`supervision_record.removed_at`). A removed record keeps its row, its dates and its content
 * hash; its content and names are replaced. `record_version` stays append-only, except that a
 * transaction that says it is removing records under retention (`haven.retention_removal`) may
 * replace a version's content, never its hash, its number or its record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('retention_hold')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.references('person.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.references('supervision_record.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(reason) between 1 and 2000`))
    .addColumn('placed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('placed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('released_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('released_at', 'timestamptz')
    .addCheckConstraint('retention_hold_one_subject', sql`(person_id is null) <> (record_id is null)`)
    .execute()
  await db.schema
    .createIndex('retention_hold_active_idx')
    .on('retention_hold')
    .column('school_id')
    .where(sql.ref('released_at'), 'is', null)
    .execute()

  await db.schema
    .createTable('retention_due')
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('found_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('retention_due_pk', ['school_id', 'kind', 'subject_id'])
    .execute()

  await db.schema
    .alterTable('supervision_record')
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()

  await sql`
    create or replace function record_version_refuse_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and coalesce(current_setting('haven.retention_removal', true), '') = 'on'
         and new.id = old.id and new.record_id = old.record_id and new.version = old.version
         and new.kind = old.kind and new.content_hash = old.content_hash
         and new.created_at = old.created_at then
        return new;
      end if;
      raise exception 'record_version is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function record_version_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'record_version is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await db.schema.alterTable('supervision_record').dropColumn('removed_by').dropColumn('removed_at').execute()
  await db.schema.dropTable('retention_due').execute()
  await db.schema.dropTable('retention_hold').execute()
}
