import { type Kysely, sql } from 'kysely'

/**
 * Calmer email (issue 18 item 5). A person may ask for one email a day (`account.email_digest`):
 * their non-urgent messages are written to the outbox as 'held' and the digest job folds them into
 * one message a day, marking them 'digested'. Each message names its kind (the catalogue in
 * domain/mail/kinds.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('account')
    .addColumn('email_digest', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await db.schema.alterTable('outbox_message').addColumn('kind', 'text').execute()
  await sql`alter table outbox_message drop constraint outbox_message_status_check`.execute(db)
  await sql`alter table outbox_message add constraint outbox_message_status_check
    check (status in ('pending', 'sent', 'failed', 'held', 'digested'))`.execute(db)
  await sql`create index outbox_message_held_idx on outbox_message (to_address, created_at) where status = 'held'`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index outbox_message_held_idx`.execute(db)
  await sql`update outbox_message set status = 'sent' where status = 'digested'`.execute(db)
  await sql`update outbox_message set status = 'pending' where status = 'held'`.execute(db)
  await sql`alter table outbox_message drop constraint outbox_message_status_check`.execute(db)
  await sql`alter table outbox_message add constraint outbox_message_status_check
    check (status in ('pending', 'sent', 'failed'))`.execute(db)
  await db.schema.alterTable('outbox_message').dropColumn('kind').execute()
  await db.schema.alterTable('account').dropColumn('email_digest').execute()
}
