import { type Kysely, sql } from 'kysely'

/**
 * Issue 14 (ADR 0052): a single school joins a trust that runs on another Haven installation.
 *
 * On the school's installation, `school_bundle_export`: the school has moved (its data read-only,
 * no more mail), with the invitation's code hash and the Ed25519 key its file is signed with (the
 * public key's fingerprint is read to the trust's administrator). One per organisation.
 *
 * On the trust's installation, `imported_audit_segment` and `imported_audit_event`: the school's
 * audit entries, kept read-only beside the trust's own chain (ADR 6), verifiable as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('school_bundle_export')
    .addColumn('organisation_id', 'uuid', (c) => c.primaryKey().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('invitation_hash', 'text', (c) => c.notNull().check(sql`invitation_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('moved_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('moved_at', 'timestamptz', (c) => c.notNull())
    .addColumn('downloaded_at', 'timestamptz')
    .execute()
  await db.schema
    .createTable('imported_audit_segment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id'))
    .addColumn('source_organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('entries', 'integer', (c) => c.notNull())
    .addColumn('head_id', 'bigint')
    .addColumn('head_hash', 'text')
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('imported_audit_event')
    .addColumn('segment_id', 'uuid', (c) => c.notNull().references('imported_audit_segment.id'))
    .addColumn('source_id', 'bigint', (c) => c.notNull())
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('imported_audit_event_pk', ['segment_id', 'source_id'])
    .execute()
  // A record's entries are read by its subject for its integrity check, as the audit log's are.
  await sql`
    create index imported_audit_event_subject_idx
      on imported_audit_event ((entry->>'subject_type'), (entry->>'subject_id'))`.execute(db)
  // Read-only, as the audit log is (migration 0003): the same refusal of changes and removals.
  await sql`
    create trigger imported_audit_event_append_only before update or delete on imported_audit_event
    for each row execute function audit_event_refuse_change()`.execute(db)
  await sql`
    create trigger imported_audit_segment_append_only before update or delete on imported_audit_segment
    for each row execute function audit_event_refuse_change()`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('imported_audit_event').execute()
  await db.schema.dropTable('imported_audit_segment').execute()
  await db.schema.dropTable('school_bundle_export').execute()
}
