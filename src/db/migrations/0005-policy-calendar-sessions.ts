import { type Kysely, sql } from 'kysely'

/**
 * The school's policy as versioned data, its calendar, and supervision sessions with
 * their participants and cancellations: what the compliance engine reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policy_version')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('pack_id', 'text')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('policy_version_school_version', ['school_id', 'version'])
    .execute()

  await db.schema
    .createTable('academic_year')
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('year_id', 'text', (c) => c.notNull().check(sql`year_id ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('half_terms', 'jsonb', (c) => c.notNull())
    .addColumn('closures', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('academic_year_pk', ['school_id', 'year_id'])
    .execute()

  await db.schema
    .createTable('supervision_session')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.check(sql`start_time ~ '^[0-2][0-9]:[0-5][0-9]$'`))
    .addColumn('duration_minutes', 'integer', (c) => c.check(sql`duration_minutes > 0 and duration_minutes <= 600`))
    .addColumn('venue', 'text')
    .addColumn('online_link', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('planned').check(sql`status in ('planned', 'held', 'cancelled', 'did-not-attend')`),
    )
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('unplanned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('notes', 'text')
    .addColumn('rebooks_session_id', 'uuid', (c) => c.references('supervision_session.id').onDelete('set null'))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('supervision_session_school_date_idx')
    .on('supervision_session')
    .columns(['school_id', 'date'])
    .execute()
  await db.schema
    .createIndex('supervision_session_rebooks_idx')
    .on('supervision_session')
    .column('rebooks_session_id')
    .execute()

  await db.schema
    .createTable('session_participant')
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('supervision_session.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('supervisor', 'supervisee')`))
    .addColumn('attended', 'boolean')
    .addPrimaryKeyConstraint('session_participant_pk', ['session_id', 'person_id'])
    .execute()
  await db.schema
    .createIndex('session_participant_person_idx')
    .on('session_participant')
    .columns(['person_id', 'role'])
    .execute()

  await db.schema
    .createTable('session_cancellation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('session_id', 'uuid', (c) =>
      c.notNull().unique().references('supervision_session.id').onDelete('cascade'),
    )
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('cancelled', 'postponed', 'did-not-attend')`))
    .addColumn('reason_id', 'text', (c) => c.notNull())
    .addColumn('reason_note', 'text')
    .addColumn('return_date', 'date')
    .addColumn('cancelled_by', 'uuid')
    .addColumn('cancelled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('session_cancellation_school_idx')
    .on('session_cancellation')
    .column('school_id')
    .execute()

  // X-04 manual scope overrides and agreed frequencies (MW-03), as the engine's PersonOverride.
  await db.schema
    .createTable('person_override')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('override', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('set_by', 'uuid')
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('person_override_school_idx')
    .on('person_override')
    .columns(['school_id', 'person_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'person_override',
    'session_cancellation',
    'session_participant',
    'supervision_session',
    'academic_year',
    'policy_version',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
