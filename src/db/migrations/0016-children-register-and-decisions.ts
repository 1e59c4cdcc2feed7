import { type Kysely, sql } from 'kysely'

/**
 * Issue 15, children and the decisions that must reach their records (X-07, CA-10, PL-04, AM-04,
 * LH-06, MW-12; ADR 0030):
 * - `pupil`: the school's pupil register, imported from its MIS (UPN or MIS id, name, date of
 *   birth, year group); `pupil_import` keeps an uploaded file for its preview, as `staff_import`.
 * - `child_decision`: one row per decision about a child or family, from a signed record (formal
 *   or group) or from unplanned supervision, queued for the DSL. Where the policy names a sign-off
 *   role (AM-04) it waits for sign-off; then it is entered on the child's own record (by hand from
 *   a copy-ready entry, or by the school's webhook), with who entered it, when and the reference.
 * - `decision_webhook`: the school's webhook (one per school), its HMAC secret;
 *   `decision_delivery`: each delivery of a decision to it, with its attempts (the delivery log).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pupil')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('upn', 'text')
    .addColumn('mis_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('date_of_birth', 'date', (c) => c.notNull())
    .addColumn('year_group', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('pupil_has_an_id', sql`upn is not null or mis_id is not null`)
    .addUniqueConstraint('pupil_school_upn', ['school_id', 'upn'])
    .addUniqueConstraint('pupil_school_mis_id', ['school_id', 'mis_id'])
    .execute()

  await db.schema
    .createTable('pupil_import')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('child_decision')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('record', 'unplanned')`))
    .addColumn('source_item_id', 'uuid', (c) => c.notNull())
    .addColumn('session_id', 'uuid', (c) => c.references('supervision_session.id').onDelete('set null'))
    .addColumn('record_id', 'uuid', (c) => c.references('supervision_record.id').onDelete('set null'))
    .addColumn('session_kind', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('about', 'text', (c) => c.notNull().check(sql`about in ('child', 'family', 'pseudonym')`))
    .addColumn('pupil_id', 'uuid', (c) => c.references('pupil.id').onDelete('set null'))
    .addColumn('about_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('agreed_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('awaiting-sign-off', 'returned', 'ready', 'entered')`),
    )
    .addColumn('sign_off_comment', 'text')
    .addColumn('signed_off_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('signed_off_at', 'timestamptz')
    .addColumn('entered_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('entered_by_name', 'text')
    .addColumn('entered_at', 'timestamptz')
    .addColumn('entered_in', 'text')
    .addColumn('entered_reference', 'text')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('child_decision_school_source_item', ['school_id', 'source_item_id'])
    .execute()
  await db.schema
    .createIndex('child_decision_school_status_idx')
    .on('child_decision')
    .columns(['school_id', 'status'])
    .execute()

  await db.schema
    .createTable('decision_webhook')
    .addColumn('school_id', 'uuid', (c) => c.primaryKey().references('school.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('decision_delivery')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('decision_id', 'uuid', (c) => c.notNull().references('child_decision.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('waiting', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('response_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('decision_delivery_due_idx')
    .on('decision_delivery')
    .columns(['status', 'next_attempt_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('decision_delivery').execute()
  await db.schema.dropTable('decision_webhook').execute()
  await db.schema.dropTable('child_decision').execute()
  await db.schema.dropTable('pupil_import').execute()
  await db.schema.dropTable('pupil').execute()
}
