import { type Kysely, sql } from 'kysely'

/**
 * Email changes wait for confirmation (issue 12, ADR 0011).
 *
 * `role_grant` becomes `access_change`: a change that would let someone into another person's
 * supervision records, waiting for a decision. `kind` says which: 'role' (a record-opening role, as
 * before) or 'email' (a new email address for someone with something to protect, which would
 * otherwise let whoever holds the new address reset their password). An email change carries the
 * new address and the hash of the single-use link sent to the old address, with which the person
 * can confirm or refuse it themself. A newer request for the same person withdraws the older one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table role_grant rename to access_change`.execute(db)
  await sql`alter index role_grant_pending_idx rename to access_change_role_pending_idx`.execute(db)
  await sql`alter index role_grant_school_idx rename to access_change_school_idx`.execute(db)
  await sql`alter table access_change rename constraint role_grant_decided to access_change_decided`.execute(db)
  await sql`alter table access_change drop constraint role_grant_decision_check`.execute(db)
  await sql`alter table access_change add constraint access_change_decision_check
    check (decision in ('approved', 'refused', 'withdrawn'))`.execute(db)
  await sql`alter table access_change add column kind text not null default 'role'
    constraint access_change_kind_check check (kind in ('role', 'email'))`.execute(db)
  await sql`alter table access_change alter column role drop not null`.execute(db)
  await sql`alter table access_change add column new_email text`.execute(db)
  await sql`alter table access_change add column confirm_token_hash text`.execute(db)
  await sql`alter table access_change add constraint access_change_what check (
    (kind = 'role') = (role is not null) and (kind = 'email') = (new_email is not null)
    and (kind = 'email') = (confirm_token_hash is not null))`.execute(db)
  await sql`create unique index access_change_token_idx on access_change (confirm_token_hash)`.execute(db)
  // One email change waiting per person.
  await sql`create unique index access_change_email_pending_idx on access_change (person_id)
    where decision is null and kind = 'email'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from access_change where kind <> 'role'`.execute(db)
  await sql`update access_change set decision = 'refused' where decision = 'withdrawn'`.execute(db)
  await sql`drop index access_change_email_pending_idx`.execute(db)
  await sql`drop index access_change_token_idx`.execute(db)
  await sql`alter table access_change drop constraint access_change_what`.execute(db)
  await sql`alter table access_change drop column confirm_token_hash`.execute(db)
  await sql`alter table access_change drop column new_email`.execute(db)
  await sql`alter table access_change alter column role set not null`.execute(db)
  await sql`alter table access_change drop column kind`.execute(db)
  await sql`alter table access_change drop constraint access_change_decision_check`.execute(db)
  await sql`alter table access_change add constraint role_grant_decision_check
    check (decision in ('approved', 'refused'))`.execute(db)
  await sql`alter table access_change rename constraint access_change_decided to role_grant_decided`.execute(db)
  await sql`alter index access_change_school_idx rename to role_grant_school_idx`.execute(db)
  await sql`alter index access_change_role_pending_idx rename to role_grant_pending_idx`.execute(db)
  await sql`alter table access_change rename to role_grant`.execute(db)
}
