import { type Kysely, sql } from 'kysely'

/**
 * Session records (issue 7): a school's own copies of templates, versioned; the supervisee's
 * preparation (CA-06); the record of a session on its template with its draft version for
 * optimistic locking; signatures over a content hash, every version kept append-only,
 * dated addenda after the lock (X-06, AM-06); comments and disagreements (MW-11); agreed actions
 * with the history of their status at each session (CA-07, X-05); decisions that must reach a
 * child's own record (X-07, LH-06, CA-10, PL-04, MW-12).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A school's own template: one row per version; a save adds the next version, never changes one.
  await db.schema
    .createTable('record_template')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('template_id', 'text', (c) =>
      c.notNull().check(sql`template_id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' and length(template_id) <= 64`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('based_on', 'jsonb')
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('record_template_school_template_version', ['school_id', 'template_id', 'version'])
    .execute()

  // CA-06: what a supervisee prepares before a session: agenda items and cases, each case with an
  // optional proforma on the policy's preparation template.
  await db.schema
    .createTable('record_preparation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('supervision_session.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('content', 'jsonb', (c) => c.notNull().defaultTo(sql`'{"agenda":[],"cases":[]}'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('record_preparation_session_person', ['session_id', 'person_id'])
    .execute()

  // The record of a session on a template. The template used is kept with it (id, version and a
  // copy), so editing the template never changes a past record. `draft_version` rises with every
  // save of the draft: a save naming an older one is refused (two people editing one draft).
  await db.schema
    .createTable('supervision_record')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('supervision_session.id').onDelete('restrict'))
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('template', 'jsonb', (c) => c.notNull())
    .addColumn('group_record', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'completed', 'signed')`),
    )
    .addColumn('draft_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('content_hash', 'text', (c) => c.check(sql`content_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('locked_at', 'timestamptz')
    .addColumn('disputed_at', 'timestamptz')
    .addCheckConstraint(
      'supervision_record_status_fields',
      sql`(status = 'draft' and locked_at is null) or (status = 'completed' and completed_at is not null and content_hash is not null and locked_at is null) or (status = 'signed' and completed_at is not null and content_hash is not null and locked_at is not null)`,
    )
    .execute()
  await db.schema.createIndex('supervision_record_session_idx').on('supervision_record').column('session_id').execute()
  await db.schema
    .createIndex('supervision_record_school_status_idx')
    .on('supervision_record')
    .columns(['school_id', 'status'])
    .execute()

  // Who signed what, when: the hash is of the content they were shown. A signature made before the
  // supervisor reopened the record is kept, marked superseded.
  await db.schema
    .createTable('record_signature')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('restrict'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('supervisor', 'supervisee')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('content_hash', 'text', (c) => c.notNull().check(sql`content_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('password', 'two-step')`))
    .addColumn('superseded_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('record_signature_record_idx').on('record_signature').column('record_id').execute()
  await db.schema
    .createIndex('record_signature_active_idx')
    .on('record_signature')
    .columns(['record_id', 'person_id'])
    .unique()
    .where(sql.ref('superseded_at'), 'is', null)
    .execute()

  // Every version of a record, append-only: its content and the hash of that content.
  await db.schema
    .createTable('record_version')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('restrict'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('completed', 'reopened', 'locked', 'addendum')`))
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull().check(sql`content_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('record_version_record_version', ['record_id', 'version'])
    .execute()
  await sql`
    create function record_version_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'record_version is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`
    create trigger record_version_append_only before update or delete on record_version
    for each row execute function record_version_refuse_change()`.execute(db)
  await sql`
    create trigger record_version_no_truncate before truncate on record_version
    for each statement execute function record_version_refuse_change()`.execute(db)

  // A supervisee's comment on a completed record, or their disagreement with it (MW-11).
  await db.schema
    .createTable('record_comment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('restrict'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('comment', 'disagreement')`))
    .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) between 1 and 5000`))
    .addColumn('third_person_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('record_comment_record_idx').on('record_comment').column('record_id').execute()

  // A dated addendum to a locked record: the record itself never changes once both have signed.
  await db.schema
    .createTable('record_addendum')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('restrict'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) between 1 and 10000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('content_hash', 'text', (c) => c.notNull().check(sql`content_hash ~ '^[0-9a-f]{64}$'`))
    .execute()
  await db.schema.createIndex('record_addendum_record_idx').on('record_addendum').column('record_id').execute()

  // An action agreed at a session (X-05, CA-07): who does what by when, and where it stands now.
  await db.schema
    .createTable('record_action')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('supervision_session.id').onDelete('cascade'))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`length(description) between 1 and 20000`))
    .addColumn('owner_kind', 'text', (c) => c.notNull().check(sql`owner_kind in ('supervisor', 'supervisee', 'other')`))
    .addColumn('owner_person_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('owner_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('due_on', 'date')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'in-progress', 'carried-forward', 'done', 'dropped')`),
    )
    .addColumn('drop_reason', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('record_action_record_idx').on('record_action').column('record_id').execute()
  await db.schema
    .createIndex('record_action_owner_idx')
    .on('record_action')
    .columns(['owner_person_id', 'status'])
    .execute()
  await db.schema.createIndex('record_action_school_idx').on('record_action').columns(['school_id', 'status']).execute()

  // The status an action was given when it was reviewed at a later session: its history.
  await db.schema
    .createTable('record_action_review')
    .addColumn('action_id', 'uuid', (c) => c.notNull().references('record_action.id').onDelete('cascade'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('supervision_session.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('cascade'))
    .addColumn('session_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('in-progress', 'carried-forward', 'done', 'dropped')`),
    )
    .addColumn('reason', 'text')
    .addColumn('reviewed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('reviewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('record_action_review_pk', ['action_id', 'session_id'])
    .execute()
  await db.schema
    .createIndex('record_action_review_record_idx')
    .on('record_action_review')
    .column('record_id')
    .execute()

  // a decision about a child reached in supervision, to be entered on the child's own record
  // in the school's system; marked when someone has done so.
  await db.schema
    .createTable('record_decision')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('record_id', 'uuid', (c) => c.notNull().references('supervision_record.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recorded_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('recorded_at', 'timestamptz')
    .addColumn('recorded_in', 'text', (c) => c.check(sql`length(recorded_in) between 1 and 100`))
    .addCheckConstraint(
      'record_decision_recorded',
      sql`(recorded_at is null and recorded_in is null) or (recorded_at is not null and recorded_in is not null)`,
    )
    .execute()
  await db.schema.createIndex('record_decision_record_idx').on('record_decision').column('record_id').execute()
  await db.schema
    .createIndex('record_decision_pending_idx')
    .on('record_decision')
    .column('school_id')
    .where(sql.ref('recorded_at'), 'is', null)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'record_decision',
    'record_action_review',
    'record_action',
    'record_addendum',
    'record_comment',
    'record_version',
    'record_signature',
    'supervision_record',
    'record_preparation',
    'record_template',
  ]) {
    await db.schema.dropTable(t).execute()
  }
  await sql`drop function if exists record_version_refuse_change()`.execute(db)
}
