/**
 * The people and trust facts scheduling reads: who may be booked, the trust's schools and
 * delegations, whom a request goes to, the school's leads and role holders, and the staff a form
 * offers. Every query is scoped by the organisation or the school.
 */
import { sql } from 'kysely'
import type { Person } from '../../../domain/people/person.ts'
import type { DbOrTrx } from '../connection.ts'
import { personFromRow } from '../staff/rows.ts'

export interface PersonContact {
  id: string
  name: string
  email: string
}

export interface RoleHolder extends PersonContact {
  roles: string[]
}

/** People of the organisation who belong to the school or are among `alsoIds`, by id. */
export async function peopleOfSchoolOrAmong(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string,
  alsoIds: readonly string[],
): Promise<Map<string, Person>> {
  const rows = await db
    .selectFrom('person')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([eb('school_id', '=', schoolId), ...(alsoIds.length > 0 ? [eb('id', 'in', [...alsoIds])] : [])]),
    )
    .execute()
  return new Map(rows.map((r) => [r.id, personFromRow(r)]))
}

/** Whether the organisation is a trust, its schools, and its current supervisor assignments with line managers. */
export async function organisationGrid(db: DbOrTrx, organisationId: string) {
  const [organisation, schools, assignments] = await Promise.all([
    db.selectFrom('organisation').select('kind').where('id', '=', organisationId).executeTakeFirst(),
    db.selectFrom('school').select('id').where('organisation_id', '=', organisationId).execute(),
    db
      .selectFrom('supervision_assignment as sa')
      .innerJoin('person as p', 'p.id', 'sa.supervisee_id')
      .select(['sa.supervisee_id', 'sa.supervisor_id', 'p.line_manager_id'])
      .where('sa.organisation_id', '=', organisationId)
      .where('sa.kind', '=', 'supervisor')
      .where('sa.ends_on', 'is', null)
      .execute(),
  ])
  return {
    isTrust: organisation?.kind === 'trust',
    schoolIds: schools.map((s) => s.id),
    assignments: assignments.map((a) => ({
      superviseeId: a.supervisee_id,
      supervisorId: a.supervisor_id,
      lineManagerId: a.line_manager_id,
    })),
  }
}

/** A person's current supervisor (an assignment) and line manager, within the organisation. */
export async function supervisorAndManagerOf(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<{ supervisorId: string | null; lineManagerId: string | null }> {
  const [assigned, person] = await Promise.all([
    db
      .selectFrom('supervision_assignment')
      .select('supervisor_id')
      .where('organisation_id', '=', organisationId)
      .where('supervisee_id', '=', personId)
      .where('kind', '=', 'supervisor')
      .where('ends_on', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('person')
      .select('line_manager_id')
      .where('organisation_id', '=', organisationId)
      .where('id', '=', personId)
      .executeTakeFirst(),
  ])
  return { supervisorId: assigned?.supervisor_id ?? null, lineManagerId: person?.line_manager_id ?? null }
}

/** The school's people who have not left by `today`, by name, with their roles. */
export async function currentStaffWithRoles(db: DbOrTrx, schoolId: string, today: string): Promise<RoleHolder[]> {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'roles'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .execute()
}

/** A person of the organisation: name and email; null when the organisation has no such person. */
export async function contactOf(db: DbOrTrx, organisationId: string, personId: string): Promise<PersonContact | null> {
  const row = await db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', personId)
    .executeTakeFirst()
  return row ?? null
}

export interface SchoolRef {
  id: string
  organisationId: string
  name: string
  slug: string
}

export async function schoolRef(db: DbOrTrx, schoolId: string): Promise<SchoolRef | null> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'name', 'slug'])
    .where('id', '=', schoolId)
    .executeTakeFirst()
  return row ? { id: row.id, organisationId: row.organisation_id, name: row.name, slug: row.slug } : null
}

/**
 * Staff a supervisee list offers: with `allOfSchool`, the school's own staff (not external) who
 * have not left on `on`, plus `alsoIds`; otherwise only `alsoIds`. Within the organisation, by name.
 */
export async function superviseeChoices(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string,
  options: { allOfSchool: boolean; on: string; alsoIds: readonly string[] },
): Promise<{ id: string; name: string; jobTitle: string | null }[]> {
  const wanted = [...options.alsoIds]
  let query = db
    .selectFrom('person')
    .select(['id', 'name', 'job_title'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .orderBy('id')
  if (options.allOfSchool) {
    query = query.where((eb) =>
      eb.or([
        eb.and([
          eb('school_id', '=', schoolId),
          eb('employment_type', '!=', 'external'),
          eb.or([eb('end_date', 'is', null), eb('end_date', '>=', options.on)]),
          // Issue 14: only people who may be supervised, while their access lasts.
          sql<boolean>`capabilities @> array['be-supervised']::text[]`,
          eb.or([eb('access_ends_on', 'is', null), eb('access_ends_on', '>=', options.on)]),
        ]),
        ...(wanted.length > 0 ? [eb('id', 'in', wanted)] : []),
      ]),
    )
  } else {
    if (wanted.length === 0) return []
    query = query.where('id', 'in', wanted)
  }
  const rows = await query.limit(2000).execute()
  return rows.map((r) => ({ id: r.id, name: r.name, jobTitle: r.job_title }))
}
