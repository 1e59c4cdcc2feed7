import { type Kysely, sql } from 'kysely'

/**
 * Issue 18 item 2 (ADR 0048): signing in with Microsoft or Google.
 *
 * `provider_link`: which Haven person a provider's account is, by the provider's issuer and
 * subject (`iss` + `sub`), never by email alone. One link per subject, and one per person and
 * issuer, so an address moved at the provider cannot open a second account.
 *
 * `provider_sign_in`: a sign-in started and not yet finished: the hash of its `state`, the hash of
 * the browser's binding cookie, the PKCE verifier and the nonce. It is used once (`used_at`) and
 * only for a few minutes; the verifier and nonce are single-use random values, not secrets of the
 * person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provider_link')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull().check(sql`length(issuer) between 1 and 500`))
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`length(subject) between 1 and 255`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addUniqueConstraint('provider_link_subject_key', ['issuer', 'subject'])
    .addUniqueConstraint('provider_link_person_key', ['person_id', 'issuer'])
    .execute()
  await db.schema
    .createTable('provider_sign_in')
    .addColumn('state_hash', 'text', (c) => c.primaryKey().check(sql`state_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('browser_hash', 'text', (c) => c.notNull().check(sql`browser_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('provider_sign_in_created_idx').on('provider_sign_in').column('created_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provider_sign_in').execute()
  await db.schema.dropTable('provider_link').execute()
}
