import { type Kysely, sql } from 'kysely'

/**
 * Staff (issue 4): a school's own roles, who supervises or line-manages whom with its
 * history (LH-05, CA-12), the handovers recorded when that changes (LH-07), and staff CSV files
 * kept between the preview and the import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A school's own role, or a trust-wide one (school_id null). The id is a slug of the name,
  // unique in the organisation, and never one of the built-in catalogue's ids (checked by the service).
  await db.schema
    .createTable('custom_role')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull().check(sql`id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(id) <= 60`))
    .addColumn('school_id', 'uuid', (c) => c.references('school.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo('').check(sql`length(description) <= 500`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('custom_role_pkey', ['organisation_id', 'id'])
    .execute()
  await sql`create unique index custom_role_org_name_idx on custom_role (organisation_id, lower(name))`.execute(db)

  // LH-07: the handover between an outgoing and an incoming supervisor or line manager.
  // supervisee_id null means "all the supervisees of from_person_id".
  await db.schema
    .createTable('handover')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.references('school.id').onDelete('cascade'))
    .addColumn('from_person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('to_person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('supervisee_id', 'uuid', (c) => c.references('person.id').onDelete('restrict'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('change', 'leaving', 'import')`))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(note) <= 2000`))
    .addColumn('recorded_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('effective_on', 'date', (c) => c.notNull())
    .addCheckConstraint('handover_different_people', sql`from_person_id <> to_person_id`)
    .execute()
  await db.schema.createIndex('handover_from_idx').on('handover').column('from_person_id').execute()
  await db.schema.createIndex('handover_to_idx').on('handover').column('to_person_id').execute()
  await db.schema.createIndex('handover_supervisee_idx').on('handover').column('supervisee_id').execute()

  // Who supervises or line-manages whom, from when to when. A change ends the current row and
  // starts a new one, so the history is kept. At most one current row of each kind per supervisee.
  await db.schema
    .createTable('supervision_assignment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('supervisee_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('supervisor_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('line-manager', 'supervisor')`))
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('handover_id', 'uuid', (c) => c.references('handover.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('supervision_assignment_dates_ordered', sql`ends_on is null or ends_on >= starts_on`)
    .addCheckConstraint('supervision_assignment_not_self', sql`supervisee_id <> supervisor_id`)
    .execute()
  await db.schema
    .createIndex('supervision_assignment_current_idx')
    .on('supervision_assignment')
    .columns(['supervisee_id', 'kind'])
    .unique()
    .where(sql.ref('ends_on'), 'is', null)
    .execute()
  await db.schema
    .createIndex('supervision_assignment_supervisee_idx')
    .on('supervision_assignment')
    .columns(['supervisee_id', 'starts_on'])
    .execute()
  await db.schema
    .createIndex('supervision_assignment_supervisor_idx')
    .on('supervision_assignment')
    .columns(['supervisor_id', 'ends_on'])
    .execute()

  // A staff CSV between its preview and its import: the bytes, their hash, who uploaded them and
  // until when they are kept. Deleted when imported; expired rows are removed at the next upload.
  await db.schema
    .createTable('staff_import')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[A-Za-z0-9_-]{43}$'`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull().defaultTo('').check(sql`length(file_name) <= 255`))
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('staff_import_expires_idx').on('staff_import').column('expires_at').execute()

  // The staff list: filter by role (GIN over the array) and page through a school by name.
  await sql`create index person_roles_idx on person using gin (roles)`.execute(db)
  await db.schema.createIndex('person_school_email_idx').on('person').columns(['school_id', 'email']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('person_school_email_idx').execute()
  await db.schema.dropIndex('person_roles_idx').execute()
  await db.schema.dropTable('staff_import').execute()
  await db.schema.dropTable('supervision_assignment').execute()
  await db.schema.dropTable('handover').execute()
  await db.schema.dropTable('custom_role').execute()
}
