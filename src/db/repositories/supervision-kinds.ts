/**
 * Supervisors per kind of supervision (issue 14), as stored: supervision_kind_assignment assigns a
 * supervisor to a supervisee for one session type of the policy, with its history. Scoped by the
 * organisation (a trust's people may supervise across its schools) or by the supervisee's school.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'

export interface KindAssignment {
  superviseeId: string
  supervisorId: string
  sessionTypeId: string
  startsOn: IsoDate
}

function fromRow(r: { supervisee_id: string; supervisor_id: string; session_type_id: string; starts_on: string }) {
  return {
    superviseeId: r.supervisee_id,
    supervisorId: r.supervisor_id,
    sessionTypeId: r.session_type_id,
    startsOn: r.starts_on as IsoDate,
  }
}

/**
 * The current supervisors per kind of one person of the organisation; or, `as` 'supervisor', the
 * current assignments in which they supervise someone (LH-07: a handover moves them).
 */
export async function currentKindAssignmentsOf(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  as: 'supervisee' | 'supervisor' = 'supervisee',
): Promise<KindAssignment[]> {
  const rows = await db
    .selectFrom('supervision_kind_assignment')
    .select(['supervisee_id', 'supervisor_id', 'session_type_id', 'starts_on'])
    .where('organisation_id', '=', organisationId)
    .where(as === 'supervisee' ? 'supervisee_id' : 'supervisor_id', '=', personId)
    .where('ends_on', 'is', null)
    .orderBy('supervisee_id')
    .orderBy('session_type_id')
    .execute()
  return rows.map(fromRow)
}

/** The current supervisors per kind of the people of a school (for the annual planner). */
export async function currentKindAssignmentsOfSchool(db: DbOrTrx, schoolId: string): Promise<KindAssignment[]> {
  const rows = await db
    .selectFrom('supervision_kind_assignment as a')
    .innerJoin('person as p', 'p.id', 'a.supervisee_id')
    .select(['a.supervisee_id', 'a.supervisor_id', 'a.session_type_id', 'a.starts_on'])
    .where('p.school_id', '=', schoolId)
    .where('a.ends_on', 'is', null)
    .execute()
  return rows.map(fromRow)
}

/** The organisation's current supervisors per kind, with each supervisee's line manager (PL-03 delegations). */
export async function currentKindAssignmentsOfOrganisation(
  db: DbOrTrx,
  organisationId: string,
): Promise<(KindAssignment & { lineManagerId: string | null })[]> {
  const rows = await db
    .selectFrom('supervision_kind_assignment as a')
    .innerJoin('person as p', 'p.id', 'a.supervisee_id')
    .select(['a.supervisee_id', 'a.supervisor_id', 'a.session_type_id', 'a.starts_on', 'p.line_manager_id'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.ends_on', 'is', null)
    .execute()
  return rows.map((r) => ({ ...fromRow(r), lineManagerId: r.line_manager_id }))
}

/** Whom someone supervises now in some kind of supervision. */
export async function kindSuperviseesOf(db: DbOrTrx, organisationId: string, supervisorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('supervision_kind_assignment')
    .select('supervisee_id')
    .where('organisation_id', '=', organisationId)
    .where('supervisor_id', '=', supervisorId)
    .where('ends_on', 'is', null)
    .execute()
  return [...new Set(rows.map((r) => r.supervisee_id))]
}

/**
 * Ends the supervisee's current assignment for this kind and, unless `supervisorId` is null, starts
 * one with the new supervisor, effective `on`.
 */
export async function replaceKindAssignment(
  trx: DbOrTrx,
  input: {
    organisationId: string
    superviseeId: string
    sessionTypeId: string
    supervisorId: string | null
    on: IsoDate
    recordedBy: string | null
  },
): Promise<void> {
  await trx
    .updateTable('supervision_kind_assignment')
    .set({ ends_on: sql`greatest(starts_on, ${input.on}::date)` })
    .where('organisation_id', '=', input.organisationId)
    .where('supervisee_id', '=', input.superviseeId)
    .where('session_type_id', '=', input.sessionTypeId)
    .where('ends_on', 'is', null)
    .execute()
  if (input.supervisorId === null) return
  await trx
    .insertInto('supervision_kind_assignment')
    .values({
      organisation_id: input.organisationId,
      supervisee_id: input.superviseeId,
      supervisor_id: input.supervisorId,
      session_type_id: input.sessionTypeId,
      starts_on: input.on,
      recorded_by: input.recordedBy,
    })
    .execute()
}
