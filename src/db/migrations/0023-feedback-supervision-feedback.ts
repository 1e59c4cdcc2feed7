import { type Kysely, sql } from 'kysely'

/**
 * Supervisee feedback on the quality of supervision (PL-06; issue 17). A request asks one
 * supervisee once per round (`round_key`: `session:<id>` after each session, `term:<term id>`
 * termly), made when a record is signed by everyone. The answers are a row of their own, linked to
 * the request: they carry the supervisor and the day, never a name, and only aggregates are read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feedback_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('supervisor_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('session_id', 'uuid', (c) => c.references('supervision_session.id').onDelete('set null'))
    .addColumn('round_key', 'text', (c) => c.notNull().check(sql`length(round_key) between 1 and 200`))
    .addColumn('asked_on', 'date', (c) => c.notNull())
    .addColumn('answered_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('feedback_request_round', ['school_id', 'person_id', 'round_key'])
    .execute()
  await sql`create index feedback_request_person_idx on feedback_request (person_id, answered_on)`.execute(db)
  await db.schema
    .createTable('feedback_response')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('request_id', 'uuid', (c) => c.notNull().unique().references('feedback_request.id').onDelete('cascade'))
    .addColumn('supervisor_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('answered_on', 'date', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.check(sql`length(comment) <= 2000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index feedback_response_school_idx on feedback_response (school_id, answered_on)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('feedback_response').execute()
  await db.schema.dropTable('feedback_request').execute()
}
