import { type Kysely, sql } from 'kysely'

/**
 * Issue 14 (ADR 0042): who completes the records of a supervision relationship keeps its history.
 * Until now `supervision_assignment.recorder` was changed in place, so a change reached back to
 * every session of the relationship not yet recorded, whatever its date. Now each choice is a row
 * of `supervision_recorder_setting`, in force from its date until the next one; a record asks for
 * the choice in force on its session's date. One choice per relationship and date (a second change
 * on the same date replaces the first). No row: the supervisor completes the records.
 *
 * Existing choices other than the supervisor are carried over from the start of their
 * relationship; the columns on `supervision_assignment` are then dropped, so the history is the
 * only place the choice is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('supervision_recorder_setting')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('assignment_id', 'uuid', (c) => c.notNull().references('supervision_assignment.id').onDelete('cascade'))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('recorder', 'text', (c) => c.notNull().check(sql`recorder in ('supervisor', 'supervisee', 'person')`))
    .addColumn('recorder_person_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('set_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('supervision_recorder_setting_date_uq', ['assignment_id', 'effective_from'])
    .execute()
  await sql`
    insert into supervision_recorder_setting (organisation_id, assignment_id, effective_from, recorder, recorder_person_id)
    select organisation_id, id, starts_on, recorder, recorder_person_id
    from supervision_assignment
    where recorder <> 'supervisor'`.execute(db)
  await db.schema.alterTable('supervision_assignment').dropColumn('recorder_person_id').dropColumn('recorder').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('supervision_assignment')
    .addColumn('recorder', 'text', (c) =>
      c.notNull().defaultTo('supervisor').check(sql`recorder in ('supervisor', 'supervisee', 'person')`),
    )
    .addColumn('recorder_person_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
  // The latest choice of each relationship goes back on it.
  await sql`
    update supervision_assignment a
    set recorder = s.recorder, recorder_person_id = s.recorder_person_id
    from (
      select distinct on (assignment_id) assignment_id, recorder, recorder_person_id
      from supervision_recorder_setting
      order by assignment_id, effective_from desc
    ) s
    where s.assignment_id = a.id`.execute(db)
  await db.schema.dropTable('supervision_recorder_setting').execute()
}
