/**
 * What the records services read about a session: the session with its school and participants,
 * its session type (the policy on its date comes from `policyBook`, ADR 0021), as a snapshot a record keeps.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  currentStaffOfSchool,
  type SessionInfo,
  type SessionParticipantInfo,
  type StaffMember,
  sessionForRecord,
} from '../../db/repositories/records/sessions.ts'
import { type RecordParties, sessionRecorder } from '../../domain/access/records.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument, SessionType } from '../../domain/policy/index.ts'
import type { SessionSnapshot } from '../../domain/records/record.ts'
import { supervisionFactsOf } from '../../domain/records/template-conditions.ts'

export type { SessionInfo, SessionParticipantInfo }
export { sessionForRecord }

/** Who took part, and who completes the record (issue 14: the session's choice, else its relationships' on its date). */
export function partiesOf(session: SessionInfo): RecordParties {
  const supervisorIds = session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId)
  const superviseeIds = session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId)
  return {
    organisationId: session.organisationId,
    schoolId: session.schoolId,
    supervisorIds,
    superviseeIds,
    recorderId: sessionRecorder({
      date: session.date,
      supervisorIds,
      superviseeIds,
      recorderId: session.recorderId ?? null,
      relationships: session.relationships ?? [],
    }),
  }
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
      .map((p) => ({
        personId: p.personId,
        name: p.name,
        attended: p.attended,
        ...(p.maySign ? {} : { maySign: false as const }),
      }))
  return {
    date: session.date,
    startTime: session.startTime,
    typeId: session.typeId,
    typeName: type?.name ?? 'Supervision',
    group: isGroupSession(session, type),
    supervisors: people('supervisor'),
    supervisees: people('supervisee'),
    supervision: supervisionFactsOf(
      session.participants.filter((p) => p.role === 'supervisor'),
      session.participants.filter((p) => p.role === 'supervisee'),
    ),
  }
}

/** The school's current DSLs (deputy DSLs when there is none), for disputes and transfers. */
export async function schoolLeads(
  db: DbOrTrx,
  organisationId: string,
  schoolId: string,
  today: IsoDate,
): Promise<StaffMember[]> {
  const staff = await currentStaffOfSchool(db, organisationId, schoolId, today)
  const dsls = staff.filter((r) => r.roles.includes('dsl'))
  return dsls.length > 0 ? dsls : staff.filter((r) => r.roles.includes('deputy-dsl'))
}
