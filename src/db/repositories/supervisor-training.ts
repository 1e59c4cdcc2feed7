/** Supervisor training records (LH-08, PL-05) and standing teams (CA-05), scoped by school. */
import { sql } from 'kysely'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredTraining {
  id: string
  personId: string
  course: string
  kind: 'initial' | 'refresher'
  completedOn: IsoDate
  evidence: string | null
}

/** A person's supervisor training, latest first. */
export async function trainingOf(db: DbOrTrx, schoolId: string | null, personId: string): Promise<StoredTraining[]> {
  const rows = await db
    .selectFrom('supervisor_training')
    .select(['id', 'person_id', 'course', 'kind', 'completed_on', 'evidence'])
    .where((eb) => (schoolId === null ? eb('school_id', 'is', null) : eb('school_id', '=', schoolId)))
    .where('person_id', '=', personId)
    .orderBy('completed_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    course: r.course,
    kind: r.kind,
    completedOn: r.completed_on as IsoDate,
    evidence: r.evidence,
  }))
}

/**
 * Adds a record and keeps the person's supervisor_trained_on the latest completion, which every
 * rule reads. Call inside a transaction.
 */
export async function insertTraining(
  trx: DbOrTrx,
  input: {
    organisationId: string
    /** Null for one of the trust's own people (issue 14). */
    schoolId: string | null
    personId: string
    course: string
    kind: 'initial' | 'refresher'
    completedOn: IsoDate
    evidence: string | null
    recordedBy: string | null
  },
): Promise<string> {
  const row = await trx
    .insertInto('supervisor_training')
    .values({
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      person_id: input.personId,
      course: input.course,
      kind: input.kind,
      completed_on: input.completedOn,
      evidence: input.evidence,
      recorded_by: input.recordedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .updateTable('person')
    .set({
      supervisor_trained_on: sql`greatest(coalesce(supervisor_trained_on, ${input.completedOn}::date), ${input.completedOn}::date)`,
    })
    .where('id', '=', input.personId)
    .where('organisation_id', '=', input.organisationId)
    .execute()
  return row.id
}

export interface StoredTeam {
  id: string
  schoolId: string
  name: string
  leaderId: string
  memberIds: string[]
  sessionTypeId: string
  standingGroupId: string | null
  everyWeeks: number | null
  version: number
  /** The day it was ended; null while it stands. */
  endedOn: IsoDate | null
}

const teamColumns = [
  'id',
  'school_id',
  'name',
  'leader_id',
  'session_type_id',
  'standing_group_id',
  'every_weeks',
  'version',
  'ended_on',
] as const

async function withMembers(
  db: DbOrTrx,
  rows: {
    id: string
    school_id: string
    name: string
    leader_id: string
    session_type_id: string
    standing_group_id: string | null
    every_weeks: number | null
    version: number
    ended_on: string | null
  }[],
): Promise<StoredTeam[]> {
  if (rows.length === 0) return []
  const members = await db
    .selectFrom('supervision_team_member')
    .select(['team_id', 'person_id'])
    .where(
      'team_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('person_id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    name: r.name,
    leaderId: r.leader_id,
    memberIds: members.filter((m) => m.team_id === r.id).map((m) => m.person_id),
    sessionTypeId: r.session_type_id,
    standingGroupId: r.standing_group_id,
    everyWeeks: r.every_weeks,
    version: r.version,
    endedOn: r.ended_on as IsoDate | null,
  }))
}

/** The school's standing teams, by name: those standing, or with `ended: true` the ended ones too. */
export async function teamsOf(db: DbOrTrx, schoolId: string, options: { ended?: boolean } = {}): Promise<StoredTeam[]> {
  let query = db.selectFrom('supervision_team').select(teamColumns).where('school_id', '=', schoolId)
  if (!options.ended) query = query.where('ended_on', 'is', null)
  return withMembers(db, await query.orderBy('ended_on', 'desc').orderBy('name').execute())
}

/** One team of one of the schools, or null (locked for update when asked). */
export async function teamInSchools(
  db: DbOrTrx,
  schoolIds: readonly string[],
  teamId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredTeam | null> {
  if (schoolIds.length === 0 || !isUuid(teamId)) return null
  let query = db
    .selectFrom('supervision_team')
    .select(teamColumns)
    .where('id', '=', teamId)
    .where('school_id', 'in', [...schoolIds])
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? ((await withMembers(db, [row]))[0] ?? null) : null
}

/** Ends a standing team at the version read (false when it changed meanwhile, or has ended). Call inside a transaction. */
export async function endTeam(
  trx: DbOrTrx,
  schoolId: string,
  teamId: string,
  expectedVersion: number,
  input: { endedOn: IsoDate; endedBy: string },
): Promise<boolean> {
  const row = await trx
    .updateTable('supervision_team')
    .set({ ended_on: input.endedOn, ended_by: input.endedBy, version: sql`version + 1` })
    .where('id', '=', teamId)
    .where('school_id', '=', schoolId)
    .where('version', '=', expectedVersion)
    .where('ended_on', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export interface TeamValues {
  name: string
  leaderId: string
  memberIds: readonly string[]
  sessionTypeId: string
  standingGroupId: string | null
  everyWeeks: number | null
}

/** Adds a team or changes one (at the version read: false when it changed meanwhile). Call inside a transaction. */
export async function saveTeam(
  trx: DbOrTrx,
  scope: { organisationId: string; schoolId: string },
  teamId: string | null,
  values: TeamValues,
  expectedVersion: number | null,
): Promise<string | null> {
  const columns = {
    name: values.name,
    leader_id: values.leaderId,
    session_type_id: values.sessionTypeId,
    standing_group_id: values.standingGroupId,
    every_weeks: values.everyWeeks,
  }
  let id: string
  if (teamId === null) {
    const row = await trx
      .insertInto('supervision_team')
      .values({ ...columns, organisation_id: scope.organisationId, school_id: scope.schoolId })
      .returning('id')
      .executeTakeFirstOrThrow()
    id = row.id
  } else {
    const row = await trx
      .updateTable('supervision_team')
      .set({ ...columns, version: sql`version + 1` })
      .where('id', '=', teamId)
      .where('school_id', '=', scope.schoolId)
      .where('version', '=', expectedVersion ?? -1)
      .where('ended_on', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!row) return null
    id = row.id
    await trx.deleteFrom('supervision_team_member').where('team_id', '=', id).execute()
  }
  if (values.memberIds.length > 0)
    await trx
      .insertInto('supervision_team_member')
      .values(values.memberIds.map((personId) => ({ team_id: id, person_id: personId })))
      .execute()
  return id
}

/** Whether a standing team of that name (another than `exceptId`) exists at the school. */
export async function teamNameTaken(
  db: DbOrTrx,
  schoolId: string,
  name: string,
  exceptId: string | null,
): Promise<boolean> {
  let query = db
    .selectFrom('supervision_team')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('ended_on', 'is', null)
    .where(sql<boolean>`lower(name) = lower(${name})`)
  if (exceptId) query = query.where('id', '!=', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}
