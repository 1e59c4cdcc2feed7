import { type Kysely, sql } from 'kysely'

/**
 * Supervisors (issue 17 item 6; LH-08, PL-05, CA-05, CA-01):
 * - supervisor_training: each course a supervisor completed, with its kind and an evidence note.
 *   The person's supervisor_trained_on stays the latest completion, which every rule reads.
 * - supervision_team and its members: a school's named standing team for group supervision, with
 *   a leader, members and how often it meets (null: as the policy's requirement says).
 * - supervision_session.focus_id: how a multi-agency session was focused (theme, case or staff).
 * - the planner's draft: a team's group session is one line per member sharing a group_key, and
 *   the draft keeps the warnings given while planning (an untrained supervisor the policy allows).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('supervisor_training')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('course', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('initial', 'refresher')`))
    .addColumn('completed_on', 'date', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .addColumn('recorded_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index supervisor_training_person_idx on supervisor_training (school_id, person_id, completed_on)`.execute(
    db,
  )

  await db.schema
    .createTable('supervision_team')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('leader_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('session_type_id', 'text', (c) => c.notNull())
    .addColumn('standing_group_id', 'text')
    .addColumn('every_weeks', 'integer', (c) => c.check(sql`every_weeks between 1 and 52`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index supervision_team_name_idx on supervision_team (school_id, lower(name))`.execute(db)
  await db.schema
    .createTable('supervision_team_member')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('supervision_team.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('supervision_team_member_pk', ['team_id', 'person_id'])
    .execute()

  await db.schema.alterTable('supervision_session').addColumn('focus_id', 'text').execute()
  await db.schema.alterTable('planner_draft_row').addColumn('group_key', 'text').execute()
  await db.schema.alterTable('planner_draft_row').addColumn('team_id', 'uuid').execute()
  await db.schema
    .alterTable('planner_draft')
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('planner_draft').dropColumn('warnings').execute()
  await db.schema.alterTable('planner_draft_row').dropColumn('team_id').execute()
  await db.schema.alterTable('planner_draft_row').dropColumn('group_key').execute()
  await db.schema.alterTable('supervision_session').dropColumn('focus_id').execute()
  await db.schema.dropTable('supervision_team_member').execute()
  await db.schema.dropTable('supervision_team').execute()
  await db.schema.dropTable('supervisor_training').execute()
}
