/**
 * What the account services read and change about people (`person`): whom to invite, who the
 * school's DSLs are, an approved role or address put in use. Anything that changes a person takes
 * the organisation's id and puts it in the `where` clause.
 */
import { sql } from 'kysely'
import type { DbOrTrx } from '../connection.ts'
import { lastDayOfAccess } from './last-day.ts'

export interface PersonToInvite {
  id: string
  name: string
  email: string
  organisationId: string
  schoolId: string | null
  endDate: string | null
}

/** The person an invitation is for (already found, in their school, by the service inviting them). */
export async function personToInvite(db: DbOrTrx, personId: string): Promise<PersonToInvite> {
  const row = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'organisation_id', 'school_id', lastDayOfAccess(null)])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    organisationId: row.organisation_id,
    schoolId: row.school_id,
    endDate: row.end_date,
  }
}

/** The person with this email address and whether they have set a password (the server's operator asks). */
export async function personByEmail(
  db: DbOrTrx,
  email: string,
): Promise<{ id: string; name: string; endDate: string | null; hasPassword: boolean } | undefined> {
  const row = await db
    .selectFrom('person as p')
    .leftJoin('account as a', 'a.person_id', 'p.id')
    .select(['p.id', 'p.name', lastDayOfAccess('p'), 'a.password_hash'])
    .where('p.email', '=', email)
    .executeTakeFirst()
  return row ? { id: row.id, name: row.name, endDate: row.end_date, hasPassword: !!row.password_hash } : undefined
}

export async function personName(db: DbOrTrx, organisationId: string, personId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('person')
    .select('name')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .executeTakeFirst()
  return row?.name
}

export interface Dsl {
  id: string
  name: string
  email: string
}

/** The DSLs on `today` of a school (of the organisation, for a school id of null), by name. */
export async function dslsOf(
  db: DbOrTrx,
  scope: { organisationId: string; schoolId: string | null },
  today: string,
): Promise<Dsl[]> {
  let query = db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('organisation_id', '=', scope.organisationId)
    .where(sql<boolean>`roles @> array['dsl']::text[]`)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', today)]))
  if (scope.schoolId !== null) query = query.where('school_id', '=', scope.schoolId)
  return query.orderBy('name').execute()
}

/** The person, locked until the transaction ends (their address is about to change). */
export async function lockPersonForEmailChange(
  trx: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<{ id: string; name: string; email: string; schoolId: string | null }> {
  const row = await trx
    .selectFrom('person')
    .select(['id', 'name', 'email', 'school_id'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  return { id: row.id, name: row.name, email: row.email, schoolId: row.school_id }
}

export async function setPersonEmail(
  trx: DbOrTrx,
  organisationId: string,
  personId: string,
  email: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('person')
    .set((eb) => ({ email, version: eb('version', '+', 1), updated_at: now }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .execute()
}

/** Adds a role to the person, once. */
export async function addRole(trx: DbOrTrx, organisationId: string, personId: string, role: string): Promise<void> {
  await trx
    .updateTable('person')
    .set({
      roles: sql<string[]>`array_append(roles, ${role}::text)`,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .where(sql<boolean>`not (roles @> array[${role}]::text[])`)
    .execute()
}
