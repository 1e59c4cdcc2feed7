/**
 * The organisation as first set up, and its settings (`organisation`, with the first `school`,
 * `person`, `account` and `policy_version`). Settings are read and written by the organisation's id.
 */
import { sql } from 'kysely'
import type { DbOrTrx } from '../connection.ts'

export async function organisationExists(db: DbOrTrx): Promise<boolean> {
  const row = await db.selectFrom('organisation').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

/** Serialises first-run attempts until the transaction ends: only one organisation is ever created. */
export async function lockFirstSetUp(trx: DbOrTrx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('haven:setup'))`.execute(trx)
}

export interface FirstOrganisation {
  kind: 'trust' | 'single-school'
  name: string
  settings: Record<string, unknown>
  school: { name: string; slug: string; region: string }
  admin: { name: string; email: string; jobTitle: string; roles: string[]; passwordHash: string; at: Date }
  policy: { effectiveFrom: string; document: unknown; packId: string | null }
}

/** Creates the organisation, its first school, its first administrator with an account, and the school's first policy. */
export async function insertFirstOrganisation(
  trx: DbOrTrx,
  input: FirstOrganisation,
): Promise<{ organisationId: string; schoolId: string; personId: string }> {
  const organisation = await trx
    .insertInto('organisation')
    .values({ kind: input.kind, name: input.name, settings: JSON.stringify(input.settings) })
    .returning('id')
    .executeTakeFirstOrThrow()
  const school = await trx
    .insertInto('school')
    .values({
      organisation_id: organisation.id,
      name: input.school.name,
      slug: input.school.slug,
      bank_holiday_region: input.school.region,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const person = await trx
    .insertInto('person')
    .values({
      organisation_id: organisation.id,
      school_id: school.id,
      name: input.admin.name,
      email: input.admin.email,
      job_title: input.admin.jobTitle,
      roles: input.admin.roles,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('account')
    .values({ person_id: person.id, password_hash: input.admin.passwordHash, password_changed_at: input.admin.at })
    .execute()
  await trx
    .insertInto('policy_version')
    .values({
      school_id: school.id,
      version: 1,
      effective_from: input.policy.effectiveFrom,
      document: JSON.stringify(input.policy.document),
      pack_id: input.policy.packId,
      created_by: person.id,
      origin: 'setup',
    })
    .execute()
  return { organisationId: organisation.id, schoolId: school.id, personId: person.id }
}

/** The organisation's settings; with `lock`, held until the transaction ends (read, then write). */
export async function organisationSettings(
  db: DbOrTrx,
  organisationId: string,
  options: { lock: boolean } = { lock: false },
): Promise<Record<string, unknown> | undefined> {
  let query = db.selectFrom('organisation').select('settings').where('id', '=', organisationId)
  if (options.lock) query = query.forUpdate()
  return (await query.executeTakeFirst())?.settings
}

export async function saveOrganisationSettings(
  db: DbOrTrx,
  organisationId: string,
  settings: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('organisation')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', organisationId)
    .execute()
}
