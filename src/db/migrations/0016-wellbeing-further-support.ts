import { type Kysely, sql } from 'kysely'

/**
 * Further support (LH-04, issue 17): stress risk assessments started by a person's supervisor or
 * line manager, with a review date and actions, open until they are closed; and referrals to
 * Occupational Health with a reason category, an outcome and a follow-up date. Both are sensitive:
 * only the person, whoever recorded it and the DSL read them (the service decides).
 *
 * While an assessment is open the person's "needs additional support" flag holds (LH-03), so the
 * policy's stricter frequency for those staff applies; `flag_before` keeps the flag as it stood
 * when the assessment opened, so closing it gives back what was there (ADR 0029).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stress_risk_assessment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('assessor_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('started_on', 'date', (c) => c.notNull())
    .addColumn('review_on', 'date', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('flag_before', 'jsonb', (c) => c.notNull())
    .addColumn('closed_on', 'date')
    .addColumn('closed_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('closing_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'stress_risk_assessment_dates',
      sql`review_on >= started_on and (closed_on is null or closed_on >= started_on)`,
    )
    .execute()
  await sql`create index stress_risk_assessment_person_idx on stress_risk_assessment (school_id, person_id)`.execute(db)
  await sql`create index stress_risk_assessment_open_idx on stress_risk_assessment (school_id) where closed_on is null`.execute(
    db,
  )

  await db.schema
    .createTable('occupational_health_referral')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('school_id', 'uuid', (c) => c.notNull().references('school.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('referred_by', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('referred_on', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('follow_up_on', 'date')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index occupational_health_referral_person_idx on occupational_health_referral (school_id, person_id)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('occupational_health_referral').execute()
  await db.schema.dropTable('stress_risk_assessment').execute()
}
