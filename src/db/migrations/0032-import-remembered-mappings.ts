import { type Kysely, sql } from 'kysely'

/**
 * A school's remembered choices for its staff imports (issue 18), so an MIS export is mapped once:
 * - kind 'column': a heading Haven does not recognise (by its normalised text) and the Haven column
 *   it is (a column key), or 'ignore';
 * - kind 'job-title': a job title (normalised) and the Haven role it gives, or '' for no role;
 * - kind 'line-manager': a line manager given by a name that fits several people (normalised) and
 *   the chosen person's email, or '' for no line manager.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff_import_mapping')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('column', 'job-title', 'line-manager')`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`length(source) between 1 and 500`))
    .addColumn('target', 'text', (c) => c.notNull().check(sql`length(target) <= 320`))
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('staff_import_mapping_pk', ['school_id', 'kind', 'source'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('staff_import_mapping').execute()
}
