import { type Kysely, sql } from 'kysely'

/**
 * Issue 15, retention of every kind of record the policy sets a period for (ADR 43): contracts,
 * stress risk assessments, Occupational Health referrals and decisions about children are listed
 * and removed like signed supervision records. Each keeps its row and dates and gains the mark a
 * removed record keeps (`removed_at`, `removed_by`). An issued contract's content stays fixed
 * (a trigger refuses changes) except in a transaction that says it is removing records under
 * retention (`haven.retention_removal`): its terms and text may then be replaced, never its hash,
 * its parties, its template or its dates; and its signatures' names may be replaced, nothing else.
 */
const tables = ['contract', 'stress_risk_assessment', 'occupational_health_referral', 'child_decision'] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of tables)
    await db.schema
      .alterTable(table)
      .addColumn('removed_at', 'timestamptz')
      .addColumn('removed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
      .execute()

  await sql`
    create or replace function contract_refuse_content_change() returns trigger language plpgsql as $$
    begin
      if old.status <> 'draft' and (
        new.content_hash is distinct from old.content_hash or new.supervisee_id is distinct from old.supervisee_id
        or new.supervisor_id is distinct from old.supervisor_id or new.template_id is distinct from old.template_id
        or new.template_version is distinct from old.template_version
        or new.academic_year is distinct from old.academic_year or new.review_on is distinct from old.review_on
        or new.issued_at is distinct from old.issued_at or new.issued_by is distinct from old.issued_by
        or ((new.agreed is distinct from old.agreed or new.rendered is distinct from old.rendered)
            and coalesce(current_setting('haven.retention_removal', true), '') <> 'on')) then
        raise exception 'an issued contract cannot be changed: issue a new version' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)
  await sql`
    create or replace function contract_signature_refuse_change() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('haven.retention_removal', true), '') = 'on'
         and new.contract_id = old.contract_id and new.person_id = old.person_id and new.role = old.role
         and new.signed_at = old.signed_at and new.content_hash = old.content_hash and new.method = old.method then
        return new;
      end if;
      raise exception 'a contract signature cannot be changed' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function contract_signature_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'a contract signature cannot be changed' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`
    create or replace function contract_refuse_content_change() returns trigger language plpgsql as $$
    begin
      if old.status <> 'draft' and (
        new.agreed is distinct from old.agreed or new.rendered is distinct from old.rendered
        or new.content_hash is distinct from old.content_hash or new.supervisee_id is distinct from old.supervisee_id
        or new.supervisor_id is distinct from old.supervisor_id or new.template_id is distinct from old.template_id
        or new.template_version is distinct from old.template_version
        or new.academic_year is distinct from old.academic_year or new.review_on is distinct from old.review_on
        or new.issued_at is distinct from old.issued_at or new.issued_by is distinct from old.issued_by) then
        raise exception 'an issued contract cannot be changed: issue a new version' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db)
  for (const table of tables)
    await db.schema.alterTable(table).dropColumn('removed_by').dropColumn('removed_at').execute()
}
