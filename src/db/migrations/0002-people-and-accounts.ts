import { type Kysely, sql } from 'kysely'

/**
 * People (staff of a school, of the trust centrally, or external supervisors), their accounts,
 * server-side sessions, single-use tokens (invitations, password resets), recovery codes and the
 * throttles that slow down guessing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('person')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id').onDelete('restrict'))
    .addColumn('school_id', 'uuid', (c) => c.references('school.id').onDelete('restrict'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('line_manager_id', 'uuid', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('employment_type', 'text', (c) =>
      c
        .notNull()
        .defaultTo('permanent')
        .check(sql`employment_type in ('permanent', 'fixed-term', 'agency', 'temporary', 'volunteer', 'external')`),
    )
    .addColumn('external_organisation', 'text')
    .addColumn('part_time', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('working_days', sql`smallint[]`, (c) => c.notNull().defaultTo(sql`'{1,2,3,4,5}'::smallint[]`))
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('early_career', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('in_probation', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('works_in_eyfs', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('pastoral_responsibilities', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('trained_dsl', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('additional_support', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('supervisor_trained_on', 'date')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('person_email_lower', sql`email = lower(email)`)
    .addCheckConstraint('person_dates_ordered', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute()
  // One person per email address in an organisation: the email is how people sign in.
  await db.schema
    .createIndex('person_org_email_idx')
    .on('person')
    .columns(['organisation_id', 'email'])
    .unique()
    .execute()
  await db.schema.createIndex('person_school_idx').on('person').columns(['school_id', 'name']).execute()
  await db.schema.createIndex('person_line_manager_idx').on('person').column('line_manager_id').execute()

  await db.schema
    .createTable('account')
    .addColumn('person_id', 'uuid', (c) => c.primaryKey().references('person.id').onDelete('cascade'))
    .addColumn('password_hash', 'text')
    .addColumn('password_changed_at', 'timestamptz')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('recovery_code')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('recovery_code_person_idx').on('recovery_code').column('person_id').execute()

  await db.schema
    .createTable('user_session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('second_step_done', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reauthenticated_at', 'timestamptz')
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ended_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('user_session_person_idx').on('user_session').column('person_id').execute()

  await db.schema
    .createTable('auth_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('invitation', 'password-reset')`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('auth_token_person_idx').on('auth_token').columns(['person_id', 'kind']).execute()

  await db.schema
    .createTable('throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('blocked_until', 'timestamptz')
    .addColumn('notified_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['throttle', 'auth_token', 'user_session', 'recovery_code', 'account', 'person']) {
    await db.schema.dropTable(table).execute()
  }
}
