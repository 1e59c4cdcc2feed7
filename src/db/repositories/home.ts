/**
 * What the home page reads about one person's work (issue 18): their sessions near today with
 * who else took part, the statuses of the sessions' records and who has prepared; the completed
 * records still waiting for their signature; and, for a school being set up, who in it has a
 * session or a contract for the year and how many staff it has. Every function takes the schools
 * it may read (the person's organisation's) or the one school it is about.
 */
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'
import { namedOnRelationship, type RecorderSettingEntry, relationshipsBetween } from './staff/recorders.ts'

export interface HomeSessionRow {
  id: string
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  status: 'planned' | 'held'
  recorderId: string | null
  /** Issue 14 (ADR 0042): the relationships between its supervisors and supervisees on its date, with who completes the records. */
  relationships: { supervisorId: string; superviseeId: string; history: RecorderSettingEntry[] }[]
  participants: { personId: string; name: string; role: 'supervisor' | 'supervisee'; attended: boolean | null }[]
  recordStatuses: ('draft' | 'completed' | 'signed')[]
  /** Who has prepared for it. */
  preparedBy: { personId: string; name: string }[]
}

/**
 * The person's planned or held sessions from `from` to `to` (inclusive), as a participant or the one
 * who records them (chosen at booking, or named on a relationship: ADR 0042).
 */
export async function sessionsNear(
  db: DbOrTrx,
  organisationId: string,
  schoolIds: readonly string[],
  personId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<HomeSessionRow[]> {
  if (schoolIds.length === 0) return []
  const sessions = await db
    .selectFrom('supervision_session as s')
    .select(['s.id', 's.school_id', 's.type_id', 's.date', 's.start_time', 's.status', 's.recorder_id'])
    .where('s.school_id', 'in', schoolIds)
    .where('s.status', 'in', ['planned', 'held'])
    .where('s.date', '>=', from)
    .where('s.date', '<=', to)
    .where((eb) =>
      eb.or([
        eb('s.recorder_id', '=', personId),
        namedOnRelationship(personId),
        eb.exists(
          eb
            .selectFrom('session_participant as p')
            .select('p.session_id')
            .whereRef('p.session_id', '=', 's.id')
            .where('p.person_id', '=', personId),
        ),
      ]),
    )
    .orderBy('s.date')
    .limit(500)
    .execute()
  if (sessions.length === 0) return []
  const ids = sessions.map((s) => s.id)
  const [participants, records, preparations] = await Promise.all([
    db
      .selectFrom('session_participant as p')
      .innerJoin('person as x', 'x.id', 'p.person_id')
      .select(['p.session_id', 'p.person_id', 'x.name', 'p.role', 'p.attended'])
      .where('p.session_id', 'in', ids)
      .orderBy('x.name')
      .execute(),
    db
      .selectFrom('supervision_record')
      .select(['session_id', 'status'])
      .where('school_id', 'in', schoolIds)
      .where('session_id', 'in', ids)
      .execute(),
    db
      .selectFrom('record_preparation as r')
      .innerJoin('person as x', 'x.id', 'r.person_id')
      .select(['r.session_id', 'r.person_id', 'x.name'])
      .where('r.school_id', 'in', schoolIds)
      .where('r.session_id', 'in', ids)
      .orderBy('x.name')
      .execute(),
  ])
  const rows: HomeSessionRow[] = []
  for (const s of sessions) {
    const of = participants.filter((p) => p.session_id === s.id)
    const relationships =
      s.recorder_id === null
        ? await relationshipsBetween(
            db,
            organisationId,
            of.filter((p) => p.role === 'supervisor').map((p) => p.person_id),
            of.filter((p) => p.role === 'supervisee').map((p) => p.person_id),
            s.date,
          )
        : []
    rows.push({
      id: s.id,
      schoolId: s.school_id,
      typeId: s.type_id,
      date: s.date,
      startTime: s.start_time,
      status: s.status as 'planned' | 'held',
      recorderId: s.recorder_id,
      relationships,
      participants: of.map((p) => ({ personId: p.person_id, name: p.name, role: p.role, attended: p.attended })),
      recordStatuses: records.filter((r) => r.session_id === s.id).map((r) => r.status),
      preparedBy: preparations
        .filter((p) => p.session_id === s.id)
        .map((p) => ({ personId: p.person_id, name: p.name })),
    })
  }
  return rows
}

export interface UnsignedRecordRow {
  recordId: string
  schoolId: string
  typeId: string
  date: IsoDate
  role: 'supervisor' | 'supervisee'
}

/** Completed records of sessions the person attended that hold no current signature of theirs. */
export async function completedRecordsUnsignedBy(
  db: DbOrTrx,
  schoolIds: readonly string[],
  personId: string,
): Promise<UnsignedRecordRow[]> {
  if (schoolIds.length === 0) return []
  const rows = await db
    .selectFrom('supervision_record as r')
    .innerJoin('supervision_session as s', 's.id', 'r.session_id')
    .innerJoin('session_participant as p', (join) =>
      join.onRef('p.session_id', '=', 's.id').on('p.person_id', '=', personId),
    )
    .select(['r.id', 'r.school_id', 's.type_id', 's.date', 'p.role'])
    .where('r.school_id', 'in', schoolIds)
    .where('r.status', '=', 'completed')
    .where((eb) => eb.or([eb('p.attended', 'is', null), eb('p.attended', '=', true)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('record_signature as g')
            .select('g.record_id')
            .whereRef('g.record_id', '=', 'r.id')
            .where('g.person_id', '=', personId)
            .where('g.superseded_at', 'is', null),
        ),
      ),
    )
    .orderBy('s.date')
    .limit(200)
    .execute()
  return rows.map((r) => ({ recordId: r.id, schoolId: r.school_id, typeId: r.type_id, date: r.date, role: r.role }))
}

/** For a school being set up: its current staff, and who has a session and who a contract in the year. */
export async function setupCounts(
  db: DbOrTrx,
  schoolId: string,
  year: { id: string; start: IsoDate; end: IsoDate },
  today: IsoDate,
): Promise<{ staffCount: number; withSession: Set<string>; withContract: Set<string> }> {
  const [staff, sessions, contracts] = await Promise.all([
    db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('school_id', '=', schoolId)
      .where('kind', '=', 'staff')
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('session_participant as p')
      .innerJoin('supervision_session as s', 's.id', 'p.session_id')
      .select('p.person_id')
      .distinct()
      .where('s.school_id', '=', schoolId)
      .where('p.role', '=', 'supervisee')
      .where('s.status', 'in', ['planned', 'held'])
      .where('s.date', '>=', year.start)
      .where('s.date', '<=', year.end)
      .execute(),
    db
      .selectFrom('contract')
      .select('supervisee_id')
      .distinct()
      .where('school_id', '=', schoolId)
      .where('academic_year', '=', year.id)
      .where('status', 'in', ['issued', 'signed'])
      .execute(),
  ])
  return {
    staffCount: Number(staff.n),
    withSession: new Set(sessions.map((s) => s.person_id)),
    withContract: new Set(contracts.map((c) => c.supervisee_id)),
  }
}
