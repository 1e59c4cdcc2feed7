/**
 * What the compliance engine reads for one school, as stored: sessions with their participants,
 * cancellations with their rebookings, and the overrides in force. Every query is scoped by the
 * school; the services turn these into the engine's facts.
 */
import type { PersonOverride } from '../../domain/policy/index.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredSession {
  id: string
  typeId: string
  date: string
  status: 'planned' | 'held' | 'cancelled' | 'did-not-attend'
  tags: string[]
}

export interface StoredParticipant {
  sessionId: string
  personId: string
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
}

/** The school's sessions, by date. */
export async function sessionsOfSchool(db: DbOrTrx, schoolId: string): Promise<StoredSession[]> {
  const rows = await db
    .selectFrom('supervision_session')
    .select(['id', 'type_id', 'date', 'status', 'tags'])
    .where('school_id', '=', schoolId)
    .orderBy('date')
    .execute()
  return rows.map((s) => ({ id: s.id, typeId: s.type_id, date: s.date, status: s.status, tags: s.tags }))
}

/** Everyone taking part in the school's sessions. */
export async function participantsOfSchool(db: DbOrTrx, schoolId: string): Promise<StoredParticipant[]> {
  const rows = await db
    .selectFrom('session_participant as p')
    .innerJoin('supervision_session as s', 's.id', 'p.session_id')
    .select(['p.session_id', 'p.person_id', 'p.role', 'p.attended'])
    .where('s.school_id', '=', schoolId)
    .execute()
  return rows.map((p) => ({ sessionId: p.session_id, personId: p.person_id, role: p.role, attended: p.attended }))
}

export interface StoredCancellation {
  id: string
  sessionId: string
  typeId: string
  date: string
  reasonId: string
  returnDate: string | null
  /** The date of one rebooking not itself cancelled (one row per rebooking), or null. */
  rebookedFor: string | null
}

/** The school's cancellations, one row per rebooking that was not itself cancelled. */
export async function cancellationsOfSchool(db: DbOrTrx, schoolId: string): Promise<StoredCancellation[]> {
  const rows = await db
    .selectFrom('session_cancellation as c')
    .innerJoin('supervision_session as s', 's.id', 'c.session_id')
    .leftJoin('supervision_session as r', (join) =>
      join.onRef('r.rebooks_session_id', '=', 's.id').on('r.status', '!=', 'cancelled'),
    )
    .select(['c.id', 'c.session_id', 's.type_id', 's.date', 'c.reason_id', 'c.return_date', 'r.date as rebooked_for'])
    .where('c.school_id', '=', schoolId)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    typeId: r.type_id,
    date: r.date,
    reasonId: r.reason_id,
    returnDate: r.return_date,
    rebookedFor: r.rebooked_for ?? null,
  }))
}

/** The supervisees of the school's cancelled sessions. */
export async function cancelledSupervisees(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ sessionId: string; personId: string }[]> {
  const rows = await db
    .selectFrom('session_participant as p')
    .innerJoin('session_cancellation as c', 'c.session_id', 'p.session_id')
    .select(['p.session_id', 'p.person_id'])
    .where('c.school_id', '=', schoolId)
    .where('p.role', '=', 'supervisee')
    .execute()
  return rows.map((r) => ({ sessionId: r.session_id, personId: r.person_id }))
}

/** The overrides in force at the school, oldest first. */
export async function overridesInForce(db: DbOrTrx, schoolId: string): Promise<PersonOverride[]> {
  const rows = await db
    .selectFrom('person_override')
    .select(['override'])
    .where('school_id', '=', schoolId)
    .where('ended_at', 'is', null)
    .orderBy('set_at')
    .execute()
  return rows.map((r) => r.override as PersonOverride)
}
