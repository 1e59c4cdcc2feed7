import { type Kysely, sql } from 'kysely'

/**
 * Supervisors per kind of supervision (issue 14): a person may have safeguarding supervision with
 * the DSL and management supervision with their line manager. Each row assigns a supervisor to a
 * supervisee for one session type of the policy (session types are ids inside the policy document,
 * so there is no foreign key). The general supervisor stays in supervision_assignment; a kind with
 * no row here falls back to it, then to the line manager. History is kept as there: a change ends
 * the current row (ends_on) and starts a new one; at most one current row per person and kind.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('supervision_kind_assignment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('supervisee_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('supervisor_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('session_type_id', 'text', (c) =>
      c.notNull().check(sql`session_type_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(session_type_id) <= 100`),
    )
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('recorded_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('supervision_kind_assignment_dates_ordered', sql`ends_on is null or ends_on >= starts_on`)
    .addCheckConstraint('supervision_kind_assignment_not_self', sql`supervisee_id <> supervisor_id`)
    .execute()
  await db.schema
    .createIndex('supervision_kind_assignment_current_idx')
    .on('supervision_kind_assignment')
    .columns(['supervisee_id', 'session_type_id'])
    .unique()
    .where(sql.ref('ends_on'), 'is', null)
    .execute()
  await db.schema
    .createIndex('supervision_kind_assignment_supervisor_idx')
    .on('supervision_kind_assignment')
    .columns(['supervisor_id', 'ends_on'])
    .execute()
  await db.schema
    .createIndex('supervision_kind_assignment_organisation_idx')
    .on('supervision_kind_assignment')
    .columns(['organisation_id', 'ends_on'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('supervision_kind_assignment').execute()
}
