import { type Kysely, sql } from 'kysely'

/**
 * Flags that carry their own dates (issue 14): for each of a person's flags, optionally the day it
 * began (an early-career teacher's start, counted from by date-derived policy conditions) and the
 * last day it applies (a stress risk assessment in place until a review date). Stored as one JSON
 * object keyed by the flag's name, like {"additional-support": {"since": null, "until": "2026-01-31"}};
 * a flag missing from it has no dates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('person')
    .addColumn('flag_dates', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('person').dropColumn('flag_dates').execute()
}
