/**
 * What the scheduling rules read from the database: the school, the people who may be booked, the
 * trust's schools and delegations (LH-05, PL-03), whom someone supervises or line-manages, and the
 * DSLs who hear of requests (CA-04). The policy on a date comes from `policyBook`
 * (src/services/policy/on-date.ts).
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  contactOf,
  currentStaffWithRoles,
  organisationGrid,
  peopleOfSchoolOrAmong,
  type RoleHolder,
  type SchoolRef,
  schoolRef,
  superviseeChoices,
  supervisorAndManagerOf,
} from '../../db/repositories/sessions/index.ts'
import { organisationOfPerson } from '../../db/repositories/staff/index.ts'
import { currentKindAssignmentsOfOrganisation, kindSuperviseesOf } from '../../db/repositories/supervision-kinds.ts'
import type { IsoDate, Person } from '../../domain/people/person.ts'
import type { GridContext } from '../../domain/scheduling/index.ts'
import { currentSupervisees, supervisionCandidates } from '../staff/supervision.ts'

export type { SchoolRef }

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
  return peopleOfSchoolOrAmong(
    db,
    school.organisationId,
    school.id,
    candidates.map((c) => c.id),
  )
}

/**
 * LH-05: the trust's schools (a DSL from another school of the trust), and PL-03 delegations: a
 * current supervisor who is not the supervisee's line manager supervises on the line manager's behalf.
 */
export async function gridContext(db: DbOrTrx, organisationId: string): Promise<GridContext> {
  const [grid, kinds] = await Promise.all([
    organisationGrid(db, organisationId),
    currentKindAssignmentsOfOrganisation(db, organisationId),
  ])
  // A supervisor for one kind of supervision (issue 14) supervises on the line manager's behalf too.
  return {
    trustSchoolIds: grid.isTrust ? grid.schoolIds : [],
    delegations: [...grid.assignments, ...kinds]
      .filter((a) => a.lineManagerId !== null && a.lineManagerId !== a.supervisorId)
      .map((a) => ({ fromId: a.lineManagerId as string, toId: a.supervisorId, superviseeId: a.superviseeId })),
  }
}

/** The people someone supervises (in general or in one kind of supervision) or line-manages now. */
export async function ownSupervisees(db: DbOrTrx, personId: string): Promise<Set<string>> {
  const organisationId = await organisationOfPerson(db, personId)
  if (organisationId === null) return new Set()
  const [{ lineReports, supervised }, byKind] = await Promise.all([
    currentSupervisees(db, personId, organisationId),
    kindSuperviseesOf(db, organisationId, personId),
  ])
  return new Set([...lineReports, ...supervised, ...byKind])
}

/** CA-04: who a request goes to: the current supervisor, else the line manager. */
export async function supervisorOf(db: DbOrTrx, organisationId: string, personId: string): Promise<string | null> {
  const { supervisorId, lineManagerId } = await supervisorAndManagerOf(db, organisationId, personId)
  if (supervisorId && supervisorId !== personId) return supervisorId
  return lineManagerId && lineManagerId !== personId ? lineManagerId : null
}

/** The school's DSLs who have not left (deputy DSLs when there is no DSL). */
export async function designatedLeads(db: DbOrTrx, schoolId: string, today: IsoDate): Promise<RoleHolder[]> {
  const rows = await currentStaffWithRoles(db, schoolId, today)
  const dsls = rows.filter((r) => r.roles.includes('dsl'))
  return dsls.length > 0 ? dsls : rows.filter((r) => r.roles.includes('deputy-dsl'))
}

/** Holders of any of these roles in the school who have not left (MW-06, policy.cancellation.notifyRoles). */
export async function holdersOf(
  db: DbOrTrx,
  schoolId: string,
  roles: readonly string[],
  today: IsoDate,
): Promise<RoleHolder[]> {
  if (roles.length === 0) return []
  const rows = await currentStaffWithRoles(db, schoolId, today)
  return rows.filter((r) => r.roles.some((role) => roles.includes(role)))
}

export { contactOf, schoolRef, superviseeChoices }
