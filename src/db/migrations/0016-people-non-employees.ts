import { type Kysely, sql } from 'kysely'

/**
 * People who are not employees (issue 14): governors, chairs of the committee that runs a setting,
 * volunteers and external supervisors are people of the organisation like staff, with a kind
 * ('staff' for everyone until now), what they may do (supervise, be supervised, sign, receive
 * reports) and, for someone from outside, the last day their access lasts. Their own external
 * body's name stays in external_organisation. They have no employment record: start and end dates,
 * working pattern and flags are left at their defaults and never read for them.
 *
 * Staff keep what they could always do (supervise, be supervised, sign); receiving reports is
 * given to each person who should.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('person')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('staff')
        .check(sql`kind in ('staff', 'governor', 'committee-chair', 'volunteer', 'external-supervisor')`),
    )
    .addColumn('capabilities', sql`text[]`, (c) =>
      c
        .notNull()
        .defaultTo(sql`'{supervise,be-supervised,sign}'::text[]`)
        .check(sql`capabilities <@ '{supervise,be-supervised,sign,receive-reports}'::text[]`),
    )
    .addColumn('access_ends_on', 'date')
    .execute()
  await db.schema.createIndex('person_school_kind_idx').on('person').columns(['school_id', 'kind']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('person_school_kind_idx').execute()
  await db.schema
    .alterTable('person')
    .dropColumn('access_ends_on')
    .dropColumn('capabilities')
    .dropColumn('kind')
    .execute()
}
