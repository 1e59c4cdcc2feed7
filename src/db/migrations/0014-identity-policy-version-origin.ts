import { type Kysely, sql } from 'kysely'

/**
 * Where each policy version came from (issue 14, X-01, X-08): 'setup' (the school's first version,
 * made automatically from a pack or the blank policy when the school was set up), 'published'
 * (from the editor), 'uploaded' (a JSON file), 'review' (a review recorded on the policy page: the
 * same rules with new review dates, so a published version is never changed in place). A version
 * that takes effect before the day it was saved (backdated) carries the reason given for it.
 * Existing rows are 'published': nothing says otherwise.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table policy_version add column origin text not null default 'published'
    constraint policy_version_origin_check check (origin in ('setup', 'published', 'uploaded', 'review'))`.execute(db)
  await sql`alter table policy_version add column backdating_reason text`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table policy_version drop column backdating_reason`.execute(db)
  await sql`alter table policy_version drop column origin`.execute(db)
}
