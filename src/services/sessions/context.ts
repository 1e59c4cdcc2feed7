/**
 * What the scheduling rules read from the database: the school, its policy versions and the one
 * in force on a date, the people who may be booked, the trust's schools and delegations (LH-05,
 * PL-03), whom someone supervises or line-manages, and the DSLs who hear of requests (CA-04).
 */
import type { IsoDate, Person } from '../../domain/people/person.ts'
import { type PolicyDocument, policyInForce, type SessionType } from '../../domain/policy/index.ts'
import type { GridContext } from '../../domain/scheduling/index.ts'
import { policyVersions } from '../policy/store.ts'
import { type DbOrTrx, personFromRow } from '../staff/repository.ts'
import { currentSupervisees, supervisionCandidates } from '../staff/supervision.ts'

export interface SchoolRef {
  id: string
  organisationId: string
  name: string
  slug: string
}

/** Every version of the school's policy, oldest first. */
export async function policyDocuments(db: DbOrTrx, schoolId: string): Promise<PolicyDocument[]> {
  return (await policyVersions(db, schoolId)).map((v) => v.document)
}

/** The version in force on `date`, else the earliest version (for dates before any took effect), else null. */
export function policyOn(versions: readonly PolicyDocument[], date: IsoDate): PolicyDocument | null {
  return policyInForce(versions, date) ?? null
}

/** The name of a session type under any version of the policy ('Supervision' if none knows it). */
export function typeNamer(versions: readonly PolicyDocument[]): (typeId: string) => string {
  const names = new Map<string, SessionType>()
  for (const v of versions) for (const t of v.sessionTypes) names.set(t.id, t)
  return (typeId) => names.get(typeId)?.name ?? 'Supervision'
}

export function sessionTypeOf(
  versions: readonly PolicyDocument[],
  typeId: string,
  date: IsoDate,
): SessionType | undefined {
  const inForce = policyOn(versions, date)
  return (
    inForce?.sessionTypes.find((t) => t.id === typeId) ??
    [...versions]
      .reverse()
      .flatMap((v) => v.sessionTypes)
      .find((t) => t.id === typeId)
  )
}

/**
 * Everyone who may be chosen for a session of the school: its own staff, and the supervisors the
 * staff pages offer from the trust's other schools and from outside (CA-12), by id.
 */
export async function bookablePeople(db: DbOrTrx, school: SchoolRef, today: IsoDate): Promise<Map<string, Person>> {
  const candidates = await supervisionCandidates(db, {
    organisationId: school.organisationId,
    schoolId: school.id,
    kind: 'supervisor',
    today,
  })
  const rows = await db
    .selectFrom('person')
    .selectAll()
    .where('organisation_id', '=', school.organisationId)
    .where((eb) =>
      eb.or([
        eb('school_id', '=', school.id),
        ...(candidates.length > 0
          ? [
              eb(
                'id',
                'in',
                candidates.map((c) => c.id),
              ),
            ]
          : []),
      ]),
    )
    .execute()
  return new Map(rows.map((r) => [r.id, personFromRow(r)]))
}

/**
 * LH-05: the trust's schools (a DSL from another school of the trust), and PL-03 delegations: a
 * current supervisor who is not the supervisee's line manager supervises on the line manager's behalf.
 */
export async function gridContext(db: DbOrTrx, organisationId: string): Promise<GridContext> {
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
    trustSchoolIds: organisation?.kind === 'trust' ? schools.map((s) => s.id) : [],
    delegations: assignments
      .filter((a) => a.line_manager_id !== null && a.line_manager_id !== a.supervisor_id)
      .map((a) => ({ fromId: a.line_manager_id as string, toId: a.supervisor_id, superviseeId: a.supervisee_id })),
  }
}

/** The people someone supervises or line-manages now. */
export async function ownSupervisees(db: DbOrTrx, personId: string): Promise<Set<string>> {
  const { lineReports, supervised } = await currentSupervisees(db, personId)
  return new Set([...lineReports, ...supervised])
}

/** CA-04: who a request goes to: the current supervisor, else the line manager. */
export async function supervisorOf(db: DbOrTrx, personId: string): Promise<string | null> {
  const assigned = await db
    .selectFrom('supervision_assignment')
    .select('supervisor_id')
    .where('supervisee_id', '=', personId)
    .where('kind', '=', 'supervisor')
    .where('ends_on', 'is', null)
    .executeTakeFirst()
  if (assigned && assigned.supervisor_id !== personId) return assigned.supervisor_id
  const person = await db.selectFrom('person').select('line_manager_id').where('id', '=', personId).executeTakeFirst()
  return person?.line_manager_id && person.line_manager_id !== personId ? person.line_manager_id : null
}

/** The school's DSLs who have not left (deputy DSLs when there is no DSL). */
export async function designatedLeads(db: DbOrTrx, schoolId: string, today: IsoDate) {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'roles'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .execute()
  const dsls = rows.filter((r) => r.roles.includes('dsl'))
  return dsls.length > 0 ? dsls : rows.filter((r) => r.roles.includes('deputy-dsl'))
}

/** Holders of any of these roles in the school who have not left (MW-06, policy.cancellation.notifyRoles). */
export async function holdersOf(db: DbOrTrx, schoolId: string, roles: readonly string[], today: IsoDate) {
  if (roles.length === 0) return []
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'roles'])
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .execute()
  return rows.filter((r) => r.roles.some((role) => roles.includes(role)))
}

export async function schoolRef(db: DbOrTrx, schoolId: string): Promise<SchoolRef | null> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'name', 'slug'])
    .where('id', '=', schoolId)
    .executeTakeFirst()
  return row ? { id: row.id, organisationId: row.organisation_id, name: row.name, slug: row.slug } : null
}
