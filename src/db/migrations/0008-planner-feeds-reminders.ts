import { type Kysely, sql } from 'kysely'

/**
 * Planning, calendar feeds and reminders (issue 6): each school's planner settings (the most
 * sessions a supervisor leads a day and a week, the hours of the school day, how early the
 * preparation reminder goes); the annual planner's draft proposal (CA-02, MW-01) while the DSL
 * checks it; private calendar feeds (only the token's hash is kept); and the escalation steps
 * reached (LH-09, AM-09), unique so that each step fires once, whichever instance runs it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('planner_setting')
    .addColumn('school_id', 'uuid', (c) => c.primaryKey().references('school.id').onDelete('cascade'))
    .addColumn('max_per_day', 'integer', (c) => c.notNull().defaultTo(3).check(sql`max_per_day between 1 and 20`))
    .addColumn('max_per_week', 'integer', (c) => c.notNull().defaultTo(10).check(sql`max_per_week between 1 and 100`))
    .addColumn('day_starts_at', 'text', (c) =>
      c.notNull().defaultTo('09:00').check(sql`day_starts_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    )
    .addColumn('day_ends_at', 'text', (c) =>
      c.notNull().defaultTo('17:00').check(sql`day_ends_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    )
    .addColumn('preparation_working_days', 'integer', (c) =>
      c.notNull().defaultTo(3).check(sql`preparation_working_days between 0 and 20`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('planner_setting_day_ordered', sql`day_starts_at < day_ends_at`)
    .execute()

  // The planner's proposal for a school's year while the DSL checks it: one draft per school and
  // year; confirming turns its rows into planned sessions and deletes it.
  await db.schema
    .createTable('planner_draft')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('year_id', 'text', (c) => c.notNull().check(sql`year_id ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('plan_from', 'date', (c) => c.notNull())
    .addColumn('plan_until', 'date', (c) => c.notNull())
    .addColumn('unplaceable', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('planner_draft_school_year', ['school_id', 'year_id'])
    .execute()

  await db.schema
    .createTable('planner_draft_row')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('draft_id', 'uuid', (c) => c.notNull().references('planner_draft.id').onDelete('cascade'))
    .addColumn('supervisee_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('supervisor_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('requirement_id', 'text', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull().check(sql`start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes between 1 and 600`))
    .execute()
  await db.schema
    .createIndex('planner_draft_row_draft_idx')
    .on('planner_draft_row')
    .columns(['draft_id', 'date'])
    .execute()

  // A private calendar feed: the token is the secret in /feeds/<token>.ics; only its SHA-256 is
  // kept. Replacing or turning off a feed revokes it; a person has at most one feed in use.
  await db.schema
    .createTable('calendar_feed')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique().check(sql`token_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('calendar_feed_in_use_idx')
    .on('calendar_feed')
    .column('person_id')
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute()

  // LH-09, AM-09, CA-03: an escalation step reached by a person, once per step, repeat and the
  // day it was reached (a new lapse reaches the steps again on new days). The unique key is what
  // makes a step fire once with several Haven instances on one database.
  await db.schema
    .createTable('escalation_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('chain_id', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('repeats', 'integer', (c) => c.notNull().defaultTo(0).check(sql`repeats >= 0`))
    .addColumn('reached_on', 'date', (c) => c.notNull())
    .addColumn('recipient_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('escalation_event_once', ['person_id', 'chain_id', 'step_id', 'repeats', 'reached_on'])
    .execute()
  await db.schema
    .createIndex('escalation_event_school_idx')
    .on('escalation_event')
    .columns(['school_id', 'reached_on'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['escalation_event', 'calendar_feed', 'planner_draft_row', 'planner_draft', 'planner_setting']) {
    await db.schema.dropTable(table).execute()
  }
}
