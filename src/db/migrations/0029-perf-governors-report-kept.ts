import { type Kysely, sql } from 'kysely'

/**
 * Issue 16, item 6: the governors' report kept, as the overview is (migration 0011, ADR 0044).
 *
 * - `governors_report_kept`: a school's governors' report for a period, worked out for a last day
 *   reported (`as_at`) at the school's overview change version, and used for as long as that
 *   version and that day hold. Figures only, already suppressed: no names, no record content.
 * - The report also counts escalations (`escalation_event`) and case escalations
 *   (`case_escalation`), which the change log did not follow: both now log to `overview_change`
 *   through migration 0011's trigger function (each row carries its school).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('governors_report_kept')
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('period_id', 'text', (c) => c.notNull())
    .addColumn('as_at', 'date', (c) => c.notNull())
    .addColumn('change_version', 'bigint', (c) => c.notNull())
    // JSON kept as text: read back whole and parsed by the application, never queried inside.
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('governors_report_kept_pk', ['school_id', 'period_id'])
    .execute()
  for (const table of ['escalation_event', 'case_escalation']) {
    await sql`
      create constraint trigger ${sql.raw(`overview_change_${table}`)}
      after insert or update or delete on ${sql.table(table)}
      deferrable initially deferred
      for each row execute function overview_note_change()`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['escalation_event', 'case_escalation'])
    await sql`drop trigger if exists ${sql.raw(`overview_change_${table}`)} on ${sql.table(table)}`.execute(db)
  await db.schema.dropTable('governors_report_kept').execute()
}
