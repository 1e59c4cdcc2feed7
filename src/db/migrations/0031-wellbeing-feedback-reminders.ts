import type { Kysely } from 'kysely'

/**
 * Supervisee feedback (PL-06; issue 17): a supervisee who has not answered their questionnaire is
 * reminded once, the number of days after asking the policy sets. `reminded_on` is the day they
 * were, so the reminder job never sends a second.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('feedback_request').addColumn('reminded_on', 'date').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('feedback_request').dropColumn('reminded_on').execute()
}
