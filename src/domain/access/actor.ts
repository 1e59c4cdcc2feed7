/**
 * The one request-scoped actor (issue 13, point 6): who is signed in, which organisation and
 * school they belong to, and the roles they hold for a page about any school (none beyond their
 * reach, X-03). Built once per request by the auth plugin from the signed-in person; handlers read
 * `req.actor` instead of assembling their own. Pure: no I/O.
 */
import type { RoleId } from '../people/roles.ts'
import type { Actor } from './permissions.ts'
import { inReach, rolesIn } from './schools.ts'

export interface SignedInPerson {
  id: string
  organisationId: string
  /** Their own school, or null when they belong to the trust centrally. */
  schoolId: string | null
  name: string
  email: string
  roles: readonly string[]
}

export interface RequestActor extends Actor {
  name: string
  email: string
  organisationId: string
  schoolId: string | null
  /** True when a school-wide page about `schoolId` (null: the trust centrally) is within reach. */
  inReach(schoolId: string | null): boolean
  /** Their roles for a page about `schoolId`: all within reach, none beyond it. */
  rolesIn(schoolId: string | null): readonly RoleId[]
  /** The same actor with only the roles they hold for `schoolId`. */
  in(schoolId: string | null): RequestActor
}

export function requestActor(
  person: SignedInPerson,
  roles: readonly RoleId[] = person.roles as RoleId[],
): RequestActor {
  const member = { schoolId: person.schoolId, roles: person.roles as RoleId[] }
  return {
    personId: person.id,
    name: person.name,
    email: person.email,
    organisationId: person.organisationId,
    schoolId: person.schoolId,
    roles,
    inReach: (schoolId) => inReach(member, schoolId),
    rolesIn: (schoolId) => rolesIn(member, schoolId),
    in: (schoolId) => requestActor(person, rolesIn(member, schoolId)),
  }
}
