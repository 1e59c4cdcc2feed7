import { type Kysely, sql } from 'kysely'

/**
 * The audit log (append-only, hash-chained: services/audit.ts), the mail outbox (written in the
 * same transaction as the change that causes an email: services/mail/) and the background jobs'
 * bookkeeping (jobs/scheduler.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_event')
    // The order of the log. Ids are taken from the sequence under the audit lock, so they rise in
    // chain order; a rolled-back writer leaves a gap, which is harmless (the chain links by hash).
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    // No foreign keys: the log must outlive the people, schools and organisations it names.
    .addColumn('organisation_id', 'uuid')
    .addColumn('school_id', 'uuid')
    .addColumn('actor_id', 'uuid')
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action ~ '^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+$'`),
    )
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('ip', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute()
  // One successor per entry: a fork (two writers chaining to the same entry) is refused outright.
  await db.schema.createIndex('audit_event_prev_hash_idx').on('audit_event').column('prev_hash').unique().execute()
  await db.schema
    .createIndex('audit_event_subject_idx')
    .on('audit_event')
    .columns(['subject_type', 'subject_id'])
    .execute()
  await db.schema.createIndex('audit_event_actor_idx').on('audit_event').column('actor_id').execute()
  await db.schema
    .createIndex('audit_event_organisation_idx')
    .on('audit_event')
    .columns(['organisation_id', 'id'])
    .execute()

  // Append-only: nothing may change or remove an entry through ordinary SQL.
  await sql`
    create function audit_event_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_refuse_change()`.execute(db)
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_refuse_change()`.execute(db)

  await db.schema
    .createTable('outbox_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisation.id').onDelete('cascade'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Set for messages that must go at most once ever (a reminder): insert ... on conflict do nothing.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .execute()
  await db.schema
    .createIndex('outbox_message_due_idx')
    .on('outbox_message')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await db.schema.createIndex('outbox_message_created_idx').on('outbox_message').columns(['created_at', 'id']).execute()
  await db.schema
    .createIndex('outbox_message_organisation_idx')
    .on('outbox_message')
    .columns(['organisation_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('job_run')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // The tick ("now") of the last run that completed and committed.
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_failed_at', 'timestamptz')
    // An error class and code only: never a message, which may hold personal data.
    .addColumn('last_error', 'text')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_run').execute()
  await db.schema.dropTable('outbox_message').execute()
  await db.schema.dropTable('audit_event').execute()
  await sql`drop function audit_event_refuse_change()`.execute(db)
}
