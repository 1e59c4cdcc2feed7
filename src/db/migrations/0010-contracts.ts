import { type Kysely, sql } from 'kysely'

/**
 * Supervision contracts (issue 8; MW-02, MW-03, MW-11, AM-05): one contract per supervisee and
 * academic year, issued from the policy's contract template, signed by both parties. A change of
 * terms issues a new version that supersedes the old one; every version is kept.
 *
 * Once issued, a contract's content (its parties, agreed terms, rendered clauses and their hash)
 * never changes: a trigger refuses it, so a signed contract cannot be silently altered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contract')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('supervisee_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('supervisor_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('policy_version', 'integer', (c) => c.notNull())
    .addColumn('academic_year', 'text', (c) => c.notNull().check(sql`academic_year ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'issued', 'signed', 'superseded')`),
    )
    // The agreed terms: { requirementId, frequency, values } (values: the template's fields).
    .addColumn('agreed', 'jsonb', (c) => c.notNull())
    // The contract as issued: { title, clauses: [{ heading, text, items }] }.
    .addColumn('rendered', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.check(sql`content_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('issued_at', 'timestamptz')
    .addColumn('issued_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('review_on', 'date')
    .addColumn('signed_at', 'timestamptz')
    .addColumn('superseded_at', 'timestamptz')
    .addColumn('supersedes_id', 'uuid', (c) => c.references('contract.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('contract_not_self', sql`supervisee_id <> supervisor_id`)
    .addCheckConstraint(
      'contract_issued_has_hash',
      sql`status = 'draft' or (content_hash is not null and issued_at is not null)`,
    )
    .execute()
  // At most one contract waiting to be issued or signed, and at most one in force, per person.
  await db.schema
    .createIndex('contract_open_idx')
    .on('contract')
    .column('supervisee_id')
    .unique()
    .where(sql<boolean>`status in ('draft', 'issued')`)
    .execute()
  await db.schema
    .createIndex('contract_in_force_idx')
    .on('contract')
    .column('supervisee_id')
    .unique()
    .where(sql.ref('status'), '=', 'signed')
    .execute()
  await db.schema.createIndex('contract_school_status_idx').on('contract').columns(['school_id', 'status']).execute()
  await db.schema
    .createIndex('contract_supervisee_idx')
    .on('contract')
    .columns(['supervisee_id', 'created_at'])
    .execute()
  await db.schema.createIndex('contract_supervisor_idx').on('contract').columns(['supervisor_id', 'status']).execute()
  await db.schema.createIndex('contract_supersedes_idx').on('contract').column('supersedes_id').execute()

  await sql`
    create function contract_refuse_content_change() returns trigger language plpgsql as $$
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
  await sql`
    create trigger contract_content_fixed before update on contract
    for each row execute function contract_refuse_content_change()`.execute(db)

  // Who signed which contract, when, how, and the hash of exactly what they signed.
  await db.schema
    .createTable('contract_signature')
    .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contract.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('restrict'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('supervisee', 'supervisor')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('content_hash', 'text', (c) => c.notNull().check(sql`content_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('password', 'two-step')`))
    .addPrimaryKeyConstraint('contract_signature_pk', ['contract_id', 'role'])
    .execute()
  await db.schema.createIndex('contract_signature_person_idx').on('contract_signature').column('person_id').execute()
  await sql`
    create function contract_signature_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'a contract signature cannot be changed' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`
    create trigger contract_signature_fixed before update on contract_signature
    for each row execute function contract_signature_refuse_change()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('contract_signature').execute()
  await sql`drop function contract_signature_refuse_change()`.execute(db)
  await db.schema.dropTable('contract').execute()
  await sql`drop function contract_refuse_content_change()`.execute(db)
}
