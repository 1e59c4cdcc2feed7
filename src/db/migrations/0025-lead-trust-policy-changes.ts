import { type Kysely, sql } from 'kysely'

/**
 * A trust's policy reaches its academies' overviews at once (issues 14 and 16). The overview and the
 * trust rollup are kept until something they read changes (migration 0011's `overview_change` log),
 * but the trust's policy versions and the academies' adoptions came later (migration 0016) and were
 * not logged: a trust amendment, or an academy's new adoption, left every kept overview as it was
 * until something else changed that day.
 *
 * - `policy_adoption` carries its school: migration 0011's trigger function logs it as it logs a
 *   school's own `policy_version`.
 * - `trust_policy_version` carries the trust: a change is logged against every school of the trust.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create constraint trigger overview_change_policy_adoption
    after insert or update or delete on policy_adoption
    deferrable initially deferred
    for each row execute function overview_note_change()`.execute(db)

  await sql`
    create function overview_note_trust_policy_change() returns trigger language plpgsql as $$
    begin
      insert into overview_change (school_id)
      select id from school
      where organisation_id = case tg_op when 'DELETE' then old.organisation_id else new.organisation_id end
      order by id;
      return null;
    end
    $$`.execute(db)
  await sql`
    create constraint trigger overview_change_trust_policy_version
    after insert or update or delete on trust_policy_version
    deferrable initially deferred
    for each row execute function overview_note_trust_policy_change()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists overview_change_trust_policy_version on trust_policy_version`.execute(db)
  await sql`drop function if exists overview_note_trust_policy_change()`.execute(db)
  await sql`drop trigger if exists overview_change_policy_adoption on policy_adoption`.execute(db)
}
