import { type Kysely, sql } from 'kysely'

/**
 * Issue 16, item 2: the trust rollup (ADR 0033).
 *
 * - `trust_rollup_setting`: the threshold (a whole percentage) below which the trust's central team
 *   wants an academy flagged; one row per trust, none until the team sets one.
 * - `trust_rollup_figures`: an academy's rollup figures for a term, worked out for a last day
 *   reported (`as_at`) at the academy's overview change version (migration 0011), and used for
 *   as long as that version and that day hold, as the overview's snapshot is. Figures only: no
 *   names, no record content.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trust_rollup_setting')
    .addColumn('organisation_id', 'uuid', (c) => c.primaryKey().references('organisation.id').onDelete('cascade'))
    .addColumn('threshold_percent', 'integer', (c) => c.notNull().check(sql`threshold_percent between 0 and 100`))
    .addColumn('updated_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('trust_rollup_figures')
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('period_id', 'text', (c) => c.notNull())
    .addColumn('as_at', 'date', (c) => c.notNull())
    .addColumn('change_version', 'bigint', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('trust_rollup_figures_pk', ['school_id', 'period_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trust_rollup_figures').execute()
  await db.schema.dropTable('trust_rollup_setting').execute()
}
