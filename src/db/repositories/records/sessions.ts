/**
 * What the records area reads about a session and the people around it, scoped by the
 * organisation (a record's parties may be anywhere in the trust; who may open it is decided by
 * domain/access/records.ts) or by the school.
 */
import { isUuid } from '../../../domain/ids.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { DbOrTrx } from '../connection.ts'
import { type RecorderSettingEntry, relationshipsBetween } from '../staff/recorders.ts'

export interface SessionParticipantInfo {
  personId: string
  name: string
  email: string
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
  /** The person's line manager as it stands now (Haven keeps no history of line management). */
  lineManagerId: string | null
  /** From outside the school (employment type "external", or an external supervisor). */
  external: boolean
  /** Issue 14: whether they may sign (people who are not employees may not). */
  maySign: boolean
}

export interface SessionInfo {
  id: string
  schoolId: string
  schoolName: string
  organisationId: string
  date: IsoDate
  startTime: string | null
  typeId: string
  status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
  participants: SessionParticipantInfo[]
  /** Issue 14: who completes the record, chosen for this session at booking (null: not chosen). */
  recorderId: string | null
  /**
   * Issue 14 (ADR 0042): the supervision relationships between the session's supervisors and its
   * supervisees current on its date, each with its history of who completes the records.
   */
  relationships: { supervisorId: string; superviseeId: string; history: RecorderSettingEntry[] }[]
}

/** A session of one of the organisation's schools, with its participants; null when it is not one of theirs. */
export async function sessionForRecord(
  db: DbOrTrx,
  organisationId: string,
  sessionId: string,
): Promise<SessionInfo | null> {
  if (!isUuid(sessionId) || !isUuid(organisationId)) return null
  return sessionWhere(db, sessionId, organisationId)
}

/**
 * A session by its id alone, whichever organisation it belongs to. Only for callers that already
 * hold the session's id from a trusted place (tests, jobs); requests use `sessionForRecord`.
 */
export async function sessionByIdAcrossOrganisations(db: DbOrTrx, sessionId: string): Promise<SessionInfo | null> {
  if (!isUuid(sessionId)) return null
  return sessionWhere(db, sessionId, null)
}

async function sessionWhere(db: DbOrTrx, sessionId: string, organisationId: string | null) {
  let query = db
    .selectFrom('supervision_session as s')
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .select([
      's.id',
      's.school_id',
      'sc.name as school_name',
      'sc.organisation_id',
      's.date',
      's.start_time',
      's.type_id',
      's.status',
      's.recorder_id',
    ])
    .where('s.id', '=', sessionId)
  if (organisationId !== null) query = query.where('sc.organisation_id', '=', organisationId)
  const row = await query.executeTakeFirst()
  if (!row) return null
  const participants = await db
    .selectFrom('session_participant as p')
    .innerJoin('person as pe', 'pe.id', 'p.person_id')
    .select([
      'p.person_id',
      'pe.name',
      'pe.email',
      'p.role',
      'p.attended',
      'pe.line_manager_id',
      'pe.employment_type',
      'pe.kind',
      'pe.capabilities',
    ])
    .where('p.session_id', '=', sessionId)
    .orderBy('p.role', 'desc')
    .orderBy('pe.name')
    .execute()
  const supervisors = participants.filter((p) => p.role === 'supervisor')
  const supervisees = participants.filter((p) => p.role === 'supervisee')
  const relationships = await relationshipsBetween(
    db,
    row.organisation_id,
    supervisors.map((p) => p.person_id),
    supervisees.map((p) => p.person_id),
    row.date,
  )
  return {
    id: row.id,
    schoolId: row.school_id,
    schoolName: row.school_name,
    organisationId: row.organisation_id,
    date: row.date,
    startTime: row.start_time,
    typeId: row.type_id,
    status: row.status,
    participants: participants.map((p) => ({
      personId: p.person_id,
      name: p.name,
      email: p.email,
      role: p.role,
      attended: p.attended,
      lineManagerId: p.line_manager_id,
      external: p.employment_type === 'external' || p.kind === 'external-supervisor',
      maySign: p.capabilities.includes('sign'),
    })),
    recorderId: row.recorder_id,
    relationships,
  }
}

/** The session's status now, locked until the transaction ends (so it cannot be cancelled meanwhile). */
export async function lockSessionStatus(
  trx: DbOrTrx,
  schoolId: string,
  sessionId: string,
): Promise<SessionInfo['status'] | null> {
  const row = await trx
    .selectFrom('supervision_session')
    .select('status')
    .where('id', '=', sessionId)
    .where('school_id', '=', schoolId)
    .forUpdate()
    .executeTakeFirst()
  return row?.status ?? null
}

export interface StaffMember {
  id: string
  name: string
  email: string
  jobTitle: string
  roles: string[]
}

/** The school's staff still employed on `today`, by name. */
export async function currentStaffOfSchool(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string,
  today: IsoDate,
): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'email', 'job_title', 'roles'])
    .where('organisation_id', '=', organisationId)
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, jobTitle: r.job_title, roles: r.roles }))
}

/** One person of the organisation (anyone may be named to help resolve a disagreement). */
export async function personInOrganisation(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<{ id: string; name: string; email: string } | null> {
  if (!isUuid(personId)) return null
  const row = await db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row ?? null
}
