import { type Kysely, sql } from 'kysely'

/**
 * Account security (issue 12, ADR 0011).
 *
 * - `account.totp_pending_secret`: a secret being set up, kept apart from the one in use, so that
 *   starting set-up (or replacing an authenticator) never turns two-step verification off or
 *   replaces the working secret before a code from the new app proves it. A secret left half set
 *   up by earlier versions (secret present, not enabled) moves there.
 * - `role_grant`: a role that reads supervision records, given by someone who is not a DSL of the
 *   school, waits here for a DSL of that school to approve or refuse it (four eyes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('account').addColumn('totp_pending_secret', 'text').execute()
  await sql`update account set totp_pending_secret = totp_secret, totp_secret = null
    where totp_secret is not null and totp_enabled_at is null`.execute(db)

  await db.schema
    .createTable('role_grant')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('restrict'))
    .addColumn('school_id', 'uuid', (c) => c.references('school.id').onDelete('restrict'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('approved', 'refused')`))
    .addCheckConstraint('role_grant_decided', sql`(decision is null) = (decided_at is null)`)
    .execute()
  // One pending grant of a role per person.
  await sql`create unique index role_grant_pending_idx on role_grant (person_id, role) where decision is null`.execute(
    db,
  )
  await db.schema.createIndex('role_grant_school_idx').on('role_grant').columns(['school_id', 'decision']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('role_grant').execute()
  await sql`update account set totp_secret = totp_pending_secret
    where totp_secret is null and totp_pending_secret is not null`.execute(db)
  await db.schema.alterTable('account').dropColumn('totp_pending_secret').execute()
}
