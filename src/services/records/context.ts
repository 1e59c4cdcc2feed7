/**
 * What the records services read about a session: the session with its school and participants,
 * the policy in force on its date and its session type, as a snapshot a record keeps.
 */

import type { RecordParties } from '../../domain/access/records.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { type PolicyDocument, policyInForce, type SessionType } from '../../domain/policy/index.ts'
import type { SessionSnapshot } from '../../domain/records/record.ts'
import { policyVersions } from '../policy/store.ts'
import { type DbOrTrx, isUuid } from '../staff/repository.ts'

export interface SessionParticipantInfo {
  personId: string
  name: string
  email: string
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
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
}

export async function loadSession(db: DbOrTrx, sessionId: string): Promise<SessionInfo | null> {
  if (!isUuid(sessionId)) return null
  const row = await db
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
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
  if (!row) return null
  const participants = await db
    .selectFrom('session_participant as p')
    .innerJoin('person as pe', 'pe.id', 'p.person_id')
    .select(['p.person_id', 'pe.name', 'pe.email', 'p.role', 'p.attended'])
    .where('p.session_id', '=', sessionId)
    .orderBy('p.role', 'desc')
    .orderBy('pe.name')
    .execute()
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
    })),
  }
}

export function partiesOf(session: SessionInfo): RecordParties {
  return {
    organisationId: session.organisationId,
    schoolId: session.schoolId,
    supervisorIds: session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId),
    superviseeIds: session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId),
  }
}

/** The policy in force on the date, else the earliest version (a session before any took effect), else null. */
export async function policyOnDate(db: DbOrTrx, schoolId: string, date: IsoDate): Promise<PolicyDocument | null> {
  const versions = (await policyVersions(db, schoolId)).map((v) => v.document)
  return policyInForce(versions, date) ?? versions[0] ?? null
}

export function sessionTypeIn(policy: PolicyDocument | null, typeId: string): SessionType | null {
  return policy?.sessionTypes.find((t) => t.id === typeId) ?? null
}

/** A group session: the policy says the type is a group, or more than one supervisee takes part. */
export function isGroupSession(session: SessionInfo, type: SessionType | null): boolean {
  return (type?.group ?? false) || session.participants.filter((p) => p.role === 'supervisee').length > 1
}

export function snapshotOf(session: SessionInfo, policy: PolicyDocument | null): SessionSnapshot {
  const type = sessionTypeIn(policy, session.typeId)
  const people = (role: 'supervisor' | 'supervisee') =>
    session.participants
      .filter((p) => p.role === role)
      .map((p) => ({ personId: p.personId, name: p.name, attended: p.attended }))
  return {
    date: session.date,
    startTime: session.startTime,
    typeId: session.typeId,
    typeName: type?.name ?? 'Supervision',
    group: isGroupSession(session, type),
    supervisors: people('supervisor'),
    supervisees: people('supervisee'),
  }
}

/** The school's current DSLs (deputy DSLs when there is none), for disputes and transfers. */
export async function schoolLeads(db: DbOrTrx, schoolId: string, today: IsoDate) {
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
