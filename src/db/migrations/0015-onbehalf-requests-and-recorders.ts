import { type Kysely, sql } from 'kysely'

/**
 * Issue 14, people who are not employees (ADR 0023):
 * - A request for supervision may be made on someone else's behalf (CA-04): `requested_by` is who
 *   asked; `requester_id` stays the person the session is for. Existing requests were asked by
 *   the person themselves.
 * - Who completes the record is chosen per supervision relationship: the supervisor (the
 *   default), the supervisee, or a named person. A session keeps the person chosen when it was
 *   booked (`recorder_id`, null: its supervisors, as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('session_request')
    .addColumn('requested_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
  await sql`update session_request set requested_by = requester_id`.execute(db)

  await db.schema
    .alterTable('supervision_assignment')
    .addColumn('recorder', 'text', (c) =>
      c.notNull().defaultTo('supervisor').check(sql`recorder in ('supervisor', 'supervisee', 'person')`),
    )
    .addColumn('recorder_person_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()

  await db.schema
    .alterTable('supervision_session')
    .addColumn('recorder_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('supervision_session').dropColumn('recorder_id').execute()
  await db.schema.alterTable('supervision_assignment').dropColumn('recorder_person_id').dropColumn('recorder').execute()
  await db.schema.alterTable('session_request').dropColumn('requested_by').execute()
}
