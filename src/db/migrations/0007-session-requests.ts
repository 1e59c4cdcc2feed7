import { type Kysely, sql } from 'kysely'

/**
 * Scheduling (issue 6): requests for a supervision session from any member of staff (CA-04), and
 * what was raised in unplanned or informal supervision, carried forward to the person's next
 * formal session (CA-01, LH-06). Sessions, participants and cancellations are in 0005.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // CA-04: a request goes to the requester's supervisor (or line manager) and the DSLs, and is
  // answered: booked (linked to the session) or declined with a reason.
  await db.schema
    .createTable('session_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('requester_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull().check(sql`length(topic) between 1 and 100`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo('').check(sql`length(note) <= 2000`))
    .addColumn('preferred_dates', sql`date[]`, (c) => c.notNull().defaultTo(sql`'{}'::date[]`))
    .addColumn('supervisor_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'booked', 'declined')`),
    )
    .addColumn('session_id', 'uuid', (c) => c.references('supervision_session.id').onDelete('set null'))
    .addColumn('decline_reason', 'text', (c) => c.check(sql`length(decline_reason) <= 2000`))
    .addColumn('answered_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'session_request_answer',
      sql`(status = 'open' and answered_at is null) or (status = 'booked' and answered_at is not null) or (status = 'declined' and answered_at is not null and decline_reason is not null)`,
    )
    .execute()
  await db.schema
    .createIndex('session_request_school_idx')
    .on('session_request')
    .columns(['school_id', 'status'])
    .execute()
  await db.schema
    .createIndex('session_request_supervisor_idx')
    .on('session_request')
    .columns(['supervisor_id', 'status'])
    .execute()
  await db.schema.createIndex('session_request_requester_idx').on('session_request').column('requester_id').execute()

  // CA-01: an issue (or an ad hoc decision) raised in unplanned or informal supervision. Open until
  // the supervisee's next formal session is held, which it is then carried to.
  await db.schema
    .createTable('carry_forward_item')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('issue').check(sql`kind in ('issue', 'decision')`))
    .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) between 1 and 2000`))
    .addColumn('source_session_id', 'uuid', (c) => c.notNull().references('supervision_session.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('carried_to_session_id', 'uuid', (c) => c.references('supervision_session.id').onDelete('set null'))
    .addColumn('carried_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('carry_forward_item_open_idx')
    .on('carry_forward_item')
    .column('person_id')
    .where(sql.ref('carried_to_session_id'), 'is', null)
    .execute()
  await db.schema
    .createIndex('carry_forward_item_source_idx')
    .on('carry_forward_item')
    .column('source_session_id')
    .execute()
  await db.schema
    .createIndex('carry_forward_item_carried_idx')
    .on('carry_forward_item')
    .column('carried_to_session_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('carry_forward_item').execute()
  await db.schema.dropTable('session_request').execute()
}
