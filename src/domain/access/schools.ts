/**
 * Which schools a person's school-wide pages may show (deny by default). Someone who belongs to a
 * school reaches that school only, whatever their other roles: a DSL at one academy of a trust does
 * not see another academy's staff, sessions, contracts or plans. Someone who belongs to the trust
 * centrally (no school of their own), and whoever manages the organisation (its administrators,
 * who add its schools), reach every school of the trust and choose among them.
 * Supervising across schools (X-03, LH-05) goes through the sessions and records a person takes
 * part in, not through these pages.
 */
import type { RoleId } from '../people/roles.ts'
import { Permission, permissionsOf } from './permissions.ts'

export interface SchoolMember {
  /** The person's own school, or null when they belong to the trust centrally. */
  schoolId: string | null
  roles: readonly RoleId[]
}

function trustWide(person: SchoolMember): boolean {
  return person.schoolId === null || permissionsOf(person.roles).has(Permission.OrganisationManage)
}

/**
 * Whether the person acts for the whole trust: someone of its central team (no school of their
 * own) or whoever manages the organisation. Only they manage the trust's own policy (issue 14).
 */
export function reachesEverySchool(person: SchoolMember): boolean {
  return trustWide(person)
}

export interface SchoolChoice {
  id: string
  slug: string
}

export function schoolsInReach<S extends SchoolChoice>(person: SchoolMember, schools: readonly S[]): S[] {
  if (trustWide(person)) return [...schools]
  return schools.filter((s) => s.id === person.schoolId)
}

/** True when a school-wide page about `schoolId` (null: a trust-central person) is within reach. */
export function inReach(person: SchoolMember, schoolId: string | null): boolean {
  return trustWide(person) || schoolId === null || schoolId === person.schoolId
}

/**
 * The roles a person holds for a page about `schoolId`: all of them within reach, none beyond it
 * (there they are only a party: someone who takes part in a session or asked for one).
 */
export function rolesIn(person: SchoolMember, schoolId: string | null): readonly RoleId[] {
  return inReach(person, schoolId) ? person.roles : []
}

/**
 * The school a page is about: the one named by `slug` (from `?school=`) when it is within reach,
 * otherwise, with no slug, the person's own school or the first they reach. Null when the slug
 * names no school within reach (the page answers "not found", never another school's data).
 */
export function chooseSchool<S extends SchoolChoice>(
  person: SchoolMember,
  schools: readonly S[],
  slug: unknown,
): { school: S; schools: S[] } | null {
  const reach = schoolsInReach(person, schools)
  const school =
    typeof slug === 'string' && slug !== ''
      ? reach.find((s) => s.slug === slug)
      : (reach.find((s) => s.id === person.schoolId) ?? reach[0])
  return school ? { school, schools: reach } : null
}

/** The roles that make someone of the trust's central team its safeguarding lead (issue 16). */
export const trustSafeguardingRoles: readonly RoleId[] = ['dsl', 'deputy-dsl']

/**
 * Who reads the trust rollup and sets its threshold (issue 16, item 2; ADR 0033): someone of the
 * trust's central team (no school of their own) with a safeguarding role there. No one else: not
 * an academy's DSL (who reaches one academy), not an administrator (who manages the organisation
 * but answers for no one's supervision).
 */
export function readsTrustRollup(person: SchoolMember): boolean {
  return person.schoolId === null && person.roles.some((r) => trustSafeguardingRoles.includes(r))
}
