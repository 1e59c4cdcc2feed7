import { type Kysely, sql } from 'kysely'

/**
 * ADR 0054: what a Haven process keeps from the database (a signed-in session as stored, the
 * overview page's reads for a school) is used until the database is written where those reads
 * look. A process knows its own writes; on PostgreSQL other instances' writes to these tables are
 * announced on the `haven_kept_reads` channel, once per transaction at commit (PostgreSQL folds
 * a transaction's equal notifications into one), and every instance listening reads again.
 *
 * The tables: what the session lookup reads (user_session, person, account) and what the overview
 * page reads for its figures (school, overview_snapshot, overview_change, child_decision,
 * case_escalation). Every change the overview counts is already logged to overview_change at
 * commit (migration 0011), so its insert announces those too.
 */
export const keptReadTables = [
  'user_session',
  'person',
  'account',
  'school',
  'overview_snapshot',
  'overview_change',
  'child_decision',
  'case_escalation',
] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function haven_note_kept_read_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('haven_kept_reads', '');
      return null;
    end
    $$`.execute(db)
  for (const table of keptReadTables) {
    await sql`
      create trigger ${sql.raw(`kept_reads_${table}`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function haven_note_kept_read_change()`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of keptReadTables) {
    await sql`drop trigger if exists ${sql.raw(`kept_reads_${table}`)} on ${sql.table(table)}`.execute(db)
  }
  await sql`drop function if exists haven_note_kept_read_change()`.execute(db)
}
