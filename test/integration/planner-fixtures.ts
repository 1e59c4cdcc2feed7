/**
 * Shared set-up for the planner, calendar feed and reminder tests: an organisation on one of the
 * policy packs (effective from a given day), staff with line managers, working days and flags,
 * supervisors recorded in supervision_assignment, and sessions.
 */
import type { Db } from '../../src/db/database.ts'
import { academicYearBounds, academicYearIdFor, parseAcademicYearId } from '../../src/domain/calendar/index.ts'
import { londonDateOf } from '../../src/domain/calendar/london.ts'
import { loadPack, type PackId } from '../../src/packs/index.ts'
import { ADMIN_PASSWORD, insertOrganisation } from '../builders/organisation.ts'
import { testNow } from '../helpers/clock.ts'
import { testPasswordHash } from '../helpers/passwords.ts'
import { relaxTwoStep } from '../helpers/staff.ts'

export interface PlanningOrg {
  organisationId: string
  schoolId: string
  adminId: string
}

/** An organisation whose policy is the pack, in force from `effectiveFrom`; nobody needs two-step verification. */
export async function orgOnPack(db: Db, pack: PackId, effectiveFrom: string): Promise<PlanningOrg> {
  const policy = { ...loadPack(pack), effectiveFrom }
  const org = await insertOrganisation(db, { packId: pack, policy })
  await relaxTwoStep(db, org.organisationId, org.personId)
  return { organisationId: org.organisationId, schoolId: org.schoolId, adminId: org.personId }
}

export interface PersonSpec {
  name: string
  roles?: string[]
  lineManagerId?: string | null
  workingDays?: number[]
  partTime?: boolean
  pastoral?: boolean
  worksInEyfs?: boolean
  supervisorTrainedOn?: string | null
  startDate?: string | null
  /** Give them an account with the test password, so they can sign in. */
  account?: boolean
  schoolId?: string
}

let hashed: Promise<string> | undefined

export function emailOf(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@oakfield.example`
}

export async function addPerson(db: Db, org: PlanningOrg, spec: PersonSpec): Promise<string> {
  const row = await db
    .insertInto('person')
    .values({
      organisation_id: org.organisationId,
      school_id: spec.schoolId ?? org.schoolId,
      name: spec.name,
      email: emailOf(spec.name),
      roles: spec.roles ?? ['class-teacher'],
      line_manager_id: spec.lineManagerId ?? null,
      working_days: spec.workingDays ?? [1, 2, 3, 4, 5],
      part_time: spec.partTime ?? false,
      pastoral_responsibilities: spec.pastoral ?? false,
      works_in_eyfs: spec.worksInEyfs ?? false,
      supervisor_trained_on: spec.supervisorTrainedOn ?? null,
      start_date: spec.startDate ?? '2020-09-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (spec.account) {
    hashed ??= testPasswordHash(ADMIN_PASSWORD)
    await db
      .insertInto('account')
      .values({ person_id: row.id, password_hash: await hashed })
      .execute()
  }
  return row.id
}

export async function assignSupervisor(db: Db, org: PlanningOrg, superviseeId: string, supervisorId: string) {
  await db
    .insertInto('supervision_assignment')
    .values({
      organisation_id: org.organisationId,
      supervisee_id: superviseeId,
      supervisor_id: supervisorId,
      kind: 'supervisor',
      starts_on: '2020-09-01',
    })
    .execute()
}

/** Inserts a session with its supervisor and supervisees; returns its id. */
export async function addSession(
  db: Db,
  org: PlanningOrg,
  spec: {
    typeId: string
    date: string
    startTime?: string | null
    durationMinutes?: number | null
    status?: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
    supervisorId: string
    superviseeIds: string[]
    venue?: string | null
  },
): Promise<string> {
  const session = await db
    .insertInto('supervision_session')
    .values({
      school_id: org.schoolId,
      type_id: spec.typeId,
      date: spec.date,
      start_time: spec.startTime === undefined ? '10:00' : spec.startTime,
      duration_minutes: spec.durationMinutes === undefined ? 60 : spec.durationMinutes,
      status: spec.status ?? 'planned',
      venue: spec.venue ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('session_participant')
    .values([
      { session_id: session.id, person_id: spec.supervisorId, role: 'supervisor', attended: null },
      ...spec.superviseeIds.map((id) => ({
        session_id: session.id,
        person_id: id,
        role: 'supervisee' as const,
        attended: null,
      })),
    ])
    .execute()
  return session.id
}

/** The academic year after the one containing the test's "now" (the fixed test instant unless told). */
export function nextAcademicYear(now = testNow): { id: string; start: string; currentStart: string } {
  const current = parseAcademicYearId(academicYearIdFor(londonDateOf(now)))!
  const next = academicYearBounds(current.startYear + 1)
  return { id: next.id, start: next.start, currentStart: current.start }
}
