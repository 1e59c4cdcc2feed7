/**
 * Supervision sessions as the scheduling screens need them: rows of supervision_session with their
 * people, cancellation and rebookings, mapped to plain camelCase objects. Every read and write is
 * scoped in the query by the school (or, where a person may take part in sessions of several
 * schools of a trust, by the organisation): a session of another school is simply not found.
 */
import { sql } from 'kysely'
import { isUuid } from '../../../domain/ids.ts'
import type { ListQuery } from '../../../domain/lists/list-query.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { DbOrTrx } from '../connection.ts'
import { type Page, pageOf, sessionListFilters } from '../paging.ts'

export type SessionStatus = 'planned' | 'held' | 'cancelled' | 'did-not-attend'
export type CancellationKind = 'cancelled' | 'postponed' | 'did-not-attend'

export interface PersonName {
  id: string
  name: string
  email: string
}

export interface Participant extends PersonName {
  role: 'supervisor' | 'supervisee'
  attended: boolean | null
}

export interface CancellationDetail {
  id: string
  kind: CancellationKind
  reasonId: string
  reasonNote: string | null
  returnDate: IsoDate | null
  cancelledBy: PersonName | null
  cancelledAt: Date
}

export interface SessionSummary {
  id: string
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  venue: string | null
  onlineLink: string | null
  status: SessionStatus
  unplanned: boolean
  rebooksSessionId: string | null
  /** CA-01: how a multi-agency session is focused, or null. */
  focusId: string | null
  sequence: number
  version: number
  supervisors: Participant[]
  supervisees: Participant[]
  cancellationKind: CancellationKind | null
}

export interface SessionDetail extends SessionSummary {
  createdBy: string | null
  createdAt: Date
  cancellation: CancellationDetail | null
  /** Sessions that rebook this one, live ones first, earliest first. */
  rebookings: { id: string; date: IsoDate; status: SessionStatus }[]
  /** The session this one rebooks. */
  rebooks: { id: string; date: IsoDate; status: SessionStatus } | null
}

type SessionRow = {
  id: string
  school_id: string
  type_id: string
  date: string
  start_time: string | null
  duration_minutes: number | null
  venue: string | null
  online_link: string | null
  status: SessionStatus
  unplanned: boolean
  rebooks_session_id: string | null
  focus_id: string | null
  sequence: number
  version: number
}

const sessionColumns = [
  's.id',
  's.school_id',
  's.type_id',
  's.date',
  's.start_time',
  's.duration_minutes',
  's.venue',
  's.online_link',
  's.status',
  's.unplanned',
  's.rebooks_session_id',
  's.focus_id',
  's.sequence',
  's.version',
] as const

/** The schools of an organisation, as a subquery. */
function schoolsOfOrganisation(db: DbOrTrx, organisationId: string) {
  return db.selectFrom('school').select('id').where('organisation_id', '=', organisationId)
}

async function participantsOf(db: DbOrTrx, sessionIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const byId = new Map<string, Participant[]>()
  if (sessionIds.length === 0) return byId
  const rows = await db
    .selectFrom('session_participant as sp')
    .innerJoin('person as p', 'p.id', 'sp.person_id')
    .select(['sp.session_id', 'sp.role', 'sp.attended', 'p.id', 'p.name', 'p.email'])
    .where('sp.session_id', 'in', [...new Set(sessionIds)])
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
  for (const r of rows) {
    const list = byId.get(r.session_id) ?? []
    list.push({ id: r.id, name: r.name, email: r.email, role: r.role, attended: r.attended })
    byId.set(r.session_id, list)
  }
  return byId
}

async function summaries(db: DbOrTrx, rows: readonly SessionRow[]): Promise<SessionSummary[]> {
  const ids = rows.map((r) => r.id)
  const [people, cancellations] = await Promise.all([
    participantsOf(db, ids),
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom('session_cancellation').select(['session_id', 'kind']).where('session_id', 'in', ids).execute(),
  ])
  const kinds = new Map(cancellations.map((c) => [c.session_id, c.kind]))
  return rows.map((r) => {
    const participants = people.get(r.id) ?? []
    return {
      id: r.id,
      schoolId: r.school_id,
      typeId: r.type_id,
      date: r.date,
      startTime: r.start_time,
      durationMinutes: r.duration_minutes,
      venue: r.venue,
      onlineLink: r.online_link,
      status: r.status,
      unplanned: r.unplanned,
      rebooksSessionId: r.rebooks_session_id,
      focusId: r.focus_id,
      sequence: r.sequence,
      version: r.version,
      supervisors: participants.filter((p) => p.role === 'supervisor'),
      supervisees: participants.filter((p) => p.role === 'supervisee'),
      cancellationKind: kinds.get(r.id) ?? null,
    }
  })
}

/**
 * One session of any of these schools (the schools a person reaches), with everything its page
 * shows; null when none of them has it.
 */
export async function sessionInSchools(
  db: DbOrTrx,
  schoolIds: readonly string[],
  id: string,
): Promise<SessionDetail | null> {
  if (!isUuid(id) || schoolIds.length === 0) return null
  const row = await db
    .selectFrom('supervision_session as s')
    .select([...sessionColumns, 's.created_by', 's.created_at'])
    .where('s.id', '=', id)
    .where('s.school_id', 'in', [...schoolIds])
    .executeTakeFirst()
  if (!row) return null
  const [summary] = await summaries(db, [row])
  const [cancellation, rebookings, rebooks] = await Promise.all([
    db
      .selectFrom('session_cancellation as c')
      .leftJoin('person as p', 'p.id', 'c.cancelled_by')
      .select([
        'c.id',
        'c.kind',
        'c.reason_id',
        'c.reason_note',
        'c.return_date',
        'c.cancelled_at',
        'p.id as by_id',
        'p.name as by_name',
        'p.email as by_email',
      ])
      .where('c.session_id', '=', id)
      .where('c.school_id', '=', row.school_id)
      .executeTakeFirst(),
    db
      .selectFrom('supervision_session')
      .select(['id', 'date', 'status'])
      .where('rebooks_session_id', '=', id)
      .where('school_id', '=', row.school_id)
      .orderBy(sql`case when status = 'cancelled' then 1 else 0 end`)
      .orderBy('date')
      .execute(),
    row.rebooks_session_id
      ? db
          .selectFrom('supervision_session')
          .select(['id', 'date', 'status'])
          .where('id', '=', row.rebooks_session_id)
          .where('school_id', '=', row.school_id)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ])
  return {
    ...(summary as SessionSummary),
    createdBy: row.created_by,
    createdAt: row.created_at,
    cancellation: cancellation
      ? {
          id: cancellation.id,
          kind: cancellation.kind,
          reasonId: cancellation.reason_id,
          reasonNote: cancellation.reason_note,
          returnDate: cancellation.return_date,
          cancelledBy: cancellation.by_id
            ? { id: cancellation.by_id, name: cancellation.by_name ?? '', email: cancellation.by_email ?? '' }
            : null,
          cancelledAt: cancellation.cancelled_at,
        }
      : null,
    rebookings: rebookings.map((r) => ({ id: r.id, date: r.date, status: r.status })),
    rebooks: rebooks ? { id: rebooks.id, date: rebooks.date, status: rebooks.status } : null,
  }
}

/** One session of the school, with everything its page shows; null when the school has none with this id. */
export function sessionInSchool(db: DbOrTrx, schoolId: string, id: string): Promise<SessionDetail | null> {
  return sessionInSchools(db, [schoolId], id)
}

export type MySessionsSort = 'date' | 'type'

const sessionStatuses: readonly SessionStatus[] = ['planned', 'held', 'cancelled', 'did-not-attend']

function sessionsOfPersonBase(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  when: { from?: IsoDate; before?: IsoDate },
  list: Pick<ListQuery, 'person' | 'supervisor' | 'from' | 'to' | 'kind' | 'q' | 'status'>,
) {
  let query = db
    .selectFrom('supervision_session as s')
    .where('s.school_id', 'in', schoolsOfOrganisation(db, organisationId))
    .where('s.id', 'in', db.selectFrom('session_participant').select('session_id').where('person_id', '=', personId))
  if (when.from) query = query.where('s.date', '>=', when.from)
  if (when.before) query = query.where('s.date', '<', when.before)
  for (const condition of sessionListFilters(list)) query = query.where(condition)
  if (list.status && (sessionStatuses as readonly string[]).includes(list.status))
    query = query.where('s.status', '=', list.status as SessionStatus)
  return query
}

/**
 * One page of a person's sessions in the organisation's schools (issue 16: "your sessions", no
 * longer cut at 100 upcoming and 50 past), upcoming (`from`) or past (`before`), filtered, searched
 * and sorted in the query, with how many match.
 */
export async function sessionsOfPersonPage(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  when: { from?: IsoDate; before?: IsoDate },
  list: ListQuery<MySessionsSort>,
): Promise<Page<SessionSummary>> {
  if (!isUuid(personId)) return { total: 0, rows: [] }
  const dir = list.direction
  const page = await pageOf(
    sessionsOfPersonBase(db, organisationId, personId, when, list),
    (q) =>
      q
        .select(sessionColumns)
        .orderBy(list.sort === 'type' ? 's.type_id' : 's.date', dir)
        .orderBy('s.date', dir)
        .orderBy(sql`coalesce(s.start_time, '')`, dir)
        .orderBy('s.id'),
    list,
  )
  return { total: page.total, rows: await summaries(db, page.rows) }
}

/** What a person's sessions may be filtered by: the people in them and their kinds. */
export async function sessionsOfPersonChoices(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<{ people: { id: string; name: string; role: 'supervisor' | 'supervisee' }[]; typeIds: string[] }> {
  if (!isUuid(personId)) return { people: [], typeIds: [] }
  const none = { person: null, supervisor: null, from: null, to: null, kind: null, q: '', status: null }
  const sessions = sessionsOfPersonBase(db, organisationId, personId, {}, none).select('s.id')
  const [people, types] = await Promise.all([
    db
      .selectFrom('session_participant as p')
      .innerJoin('person as pe', 'pe.id', 'p.person_id')
      .select(['p.person_id', 'pe.name', 'p.role'])
      .distinct()
      .where('p.session_id', 'in', sessions)
      .where('p.person_id', '<>', personId)
      .orderBy('pe.name')
      .orderBy('p.person_id')
      .execute(),
    sessionsOfPersonBase(db, organisationId, personId, {}, none).select('s.type_id').distinct().execute(),
  ])
  return {
    people: people.map((p) => ({ id: p.person_id, name: p.name, role: p.role })),
    typeIds: types.map((t) => t.type_id).sort(),
  }
}

/** The person's sessions at the school that did not take place (for rebooking warnings, CA-03). */
export async function missedSessionIdsOfPerson(db: DbOrTrx, schoolId: string, personId: string): Promise<string[]> {
  if (!isUuid(personId)) return []
  const rows = await db
    .selectFrom('supervision_session as s')
    .select('s.id')
    .where('s.school_id', '=', schoolId)
    .where('s.status', 'in', ['cancelled', 'did-not-attend'])
    .where('s.id', 'in', db.selectFrom('session_participant').select('session_id').where('person_id', '=', personId))
    .execute()
  return rows.map((r) => r.id)
}

/** The school's sessions between two dates (both included), in date and time order. */
export async function sessionsBetween(
  db: DbOrTrx,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
  limit = 2000,
): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom('supervision_session as s')
    .select(sessionColumns)
    .where('s.school_id', '=', schoolId)
    .where('s.date', '>=', from)
    .where('s.date', '<=', to)
    .orderBy('s.date')
    .orderBy(sql`coalesce(s.start_time, '')`)
    .orderBy('s.id')
    .limit(limit)
    .execute()
  return summaries(db, rows)
}

/**
 * Planned and held sessions on a day, in any school of the organisation (a trust's DSL may
 * supervise in two schools), that involve any of these people.
 */
export async function liveSessionsOnDay(
  db: DbOrTrx,
  organisationId: string,
  date: IsoDate,
  personIds: readonly string[],
): Promise<SessionSummary[]> {
  const ids = [...new Set(personIds)].filter(isUuid)
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('supervision_session as s')
    .select(sessionColumns)
    .where('s.school_id', 'in', schoolsOfOrganisation(db, organisationId))
    .where('s.date', '=', date)
    .where('s.status', 'in', ['planned', 'held'])
    .where('s.id', 'in', db.selectFrom('session_participant').select('session_id').where('person_id', 'in', ids))
    .execute()
  return summaries(db, rows)
}

/** Serialises bookings within an organisation (until the transaction ends), so two people cannot book one supervisee twice at once. */
export async function lockBookings(trx: DbOrTrx, organisationId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`haven:sessions:${organisationId}`}))`.execute(trx)
}

/** Locks the school's session for a change; its version, or null when the school has no such session. */
export async function lockSession(
  trx: DbOrTrx,
  schoolId: string,
  sessionId: string,
): Promise<{ id: string; version: number } | null> {
  if (!isUuid(sessionId)) return null
  const row = await trx
    .selectFrom('supervision_session')
    .select(['id', 'version'])
    .where('id', '=', sessionId)
    .where('school_id', '=', schoolId)
    .forUpdate()
    .executeTakeFirst()
  return row ?? null
}

export interface NewSession {
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  venue: string | null
  onlineLink: string | null
  status: 'planned' | 'held'
  unplanned: boolean
  rebooksSessionId: string | null
  createdBy: string
  supervisorIds: readonly string[]
  superviseeIds: readonly string[]
  /** Issue 14: who completes the record, chosen at booking (missing or null: as set for the relationship). */
  recorderId?: string | null
  /** CA-01: how a multi-agency session is focused. */
  focusId?: string | null
}

/** Inserts a session of the school and its people; returns its id. Runs in the caller's transaction. */
export async function insertSession(trx: DbOrTrx, s: NewSession): Promise<string> {
  const row = await trx
    .insertInto('supervision_session')
    .values({
      school_id: s.schoolId,
      type_id: s.typeId,
      date: s.date,
      start_time: s.startTime,
      duration_minutes: s.durationMinutes,
      venue: s.venue,
      online_link: s.onlineLink,
      status: s.status,
      unplanned: s.unplanned,
      rebooks_session_id: s.rebooksSessionId,
      created_by: s.createdBy,
      recorder_id: s.recorderId ?? null,
      focus_id: s.focusId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const attended = s.status === 'held' ? true : null
  await trx
    .insertInto('session_participant')
    .values([
      ...s.supervisorIds.map((id) => ({ session_id: row.id, person_id: id, role: 'supervisor' as const, attended })),
      ...s.superviseeIds.map((id) => ({ session_id: row.id, person_id: id, role: 'supervisee' as const, attended })),
    ])
    .execute()
  return row.id
}

/** The session changed: a new version and a new iCalendar sequence number (and a new status, if given). */
export async function bumpSession(
  trx: DbOrTrx,
  schoolId: string,
  sessionId: string,
  set: { status?: SessionStatus } = {},
): Promise<void> {
  await trx
    .updateTable('supervision_session')
    .set((eb) => ({ ...set, sequence: eb('sequence', '+', 1), version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', sessionId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** Records who attended: everyone in `role`, or one person, of the school's session. */
export async function setAttendance(
  trx: DbOrTrx,
  schoolId: string,
  sessionId: string,
  who: { role: 'supervisor' | 'supervisee' } | { personId: string },
  attended: boolean,
): Promise<void> {
  let query = trx
    .updateTable('session_participant')
    .set({ attended })
    .where('session_id', '=', sessionId)
    .where(
      'session_id',
      'in',
      trx.selectFrom('supervision_session').select('id').where('id', '=', sessionId).where('school_id', '=', schoolId),
    )
  query = 'role' in who ? query.where('role', '=', who.role) : query.where('person_id', '=', who.personId)
  await query.execute()
}

export interface NewCancellation {
  sessionId: string
  kind: CancellationKind
  reasonId: string
  reasonNote: string | null
  returnDate: IsoDate | null
  cancelledBy: string
}

export async function insertCancellation(trx: DbOrTrx, schoolId: string, c: NewCancellation): Promise<void> {
  await trx
    .insertInto('session_cancellation')
    .values({
      session_id: c.sessionId,
      school_id: schoolId,
      kind: c.kind,
      reason_id: c.reasonId,
      reason_note: c.reasonNote,
      return_date: c.returnDate,
      cancelled_by: c.cancelledBy,
    })
    .execute()
}

export async function setReturnDate(
  trx: DbOrTrx,
  schoolId: string,
  cancellationId: string,
  returnDate: IsoDate | null,
): Promise<void> {
  await trx
    .updateTable('session_cancellation')
    .set({ return_date: returnDate })
    .where('id', '=', cancellationId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** A session that did not take place, as the cancellations page and "my sessions" list it. */
export interface CancelledSession {
  cancellationId: string
  sessionId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  kind: CancellationKind
  reasonId: string
  reasonNote: string | null
  returnDate: IsoDate | null
  cancelledBy: PersonName | null
  cancelledAt: Date
  supervisors: PersonName[]
  supervisees: PersonName[]
  /** The earliest live session rebooking it. */
  rebookedFor: IsoDate | null
  rebookingSessionId: string | null
}

export type CancellationsSort = 'date' | 'recorded'

function cancellationsBase(
  db: DbOrTrx,
  schoolId: string,
  where: { sessionIds?: readonly string[]; list?: ListQuery<CancellationsSort> },
) {
  let query = db
    .selectFrom('session_cancellation as c')
    .innerJoin('supervision_session as s', 's.id', 'c.session_id')
    .leftJoin('person as p', 'p.id', 'c.cancelled_by')
    .where('c.school_id', '=', schoolId)
  if (where.sessionIds) query = query.where('c.session_id', 'in', [...where.sessionIds])
  const list = where.list
  if (!list) return query
  for (const condition of sessionListFilters(list)) query = query.where(condition)
  if (list.status) query = query.where('c.kind', '=', list.status as CancellationKind)
  return query
}

/**
 * The school's sessions that did not take place (or those of some sessions), newest first, with
 * how many there are: a page of them, filtered, when `list` is given (issue 16), else all.
 */
export async function cancelledSessionsPage(
  db: DbOrTrx,
  schoolId: string,
  where: { sessionIds?: readonly string[]; list?: ListQuery<CancellationsSort> } = {},
): Promise<Page<CancelledSession>> {
  if (where.sessionIds && where.sessionIds.length === 0) return { total: 0, rows: [] }
  const list = where.list
  const dir = list?.direction ?? 'desc'
  const columns = (q: ReturnType<typeof cancellationsBase>) =>
    q
      .select([
        'c.id',
        'c.kind',
        'c.reason_id',
        'c.reason_note',
        'c.return_date',
        'c.cancelled_at',
        's.id as session_id',
        's.type_id',
        's.date',
        's.start_time',
        'p.id as by_id',
        'p.name as by_name',
        'p.email as by_email',
      ])
      .orderBy(list?.sort === 'recorded' ? 'c.cancelled_at' : 's.date', dir)
      .orderBy('c.cancelled_at', 'desc')
      .orderBy('c.id')
  const base = cancellationsBase(db, schoolId, where)
  const page = list ? await pageOf(base, columns, list) : { total: -1, rows: await columns(base).execute() }
  const rows = page.rows
  const total = page.total < 0 ? rows.length : page.total
  return { total, rows: await hydrateCancellations(db, schoolId, rows) }
}

/** The school's sessions that did not take place (or those of some sessions), newest first: all of them. */
export async function cancelledSessions(
  db: DbOrTrx,
  schoolId: string,
  where: { sessionIds?: readonly string[] } = {},
): Promise<CancelledSession[]> {
  return (await cancelledSessionsPage(db, schoolId, where)).rows
}

async function hydrateCancellations(
  db: DbOrTrx,
  schoolId: string,
  rows: {
    id: string
    kind: CancellationKind
    reason_id: string
    reason_note: string | null
    return_date: IsoDate | null
    cancelled_at: Date
    session_id: string
    type_id: string
    date: IsoDate
    start_time: string | null
    by_id: string | null
    by_name: string | null
    by_email: string | null
  }[],
): Promise<CancelledSession[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.session_id)
  const [participants, rebookings] = await Promise.all([
    participantsOf(db, ids),
    db
      .selectFrom('supervision_session')
      .select(['id', 'date', 'rebooks_session_id'])
      .where('school_id', '=', schoolId)
      .where('rebooks_session_id', 'in', ids)
      .where('status', '!=', 'cancelled')
      .orderBy('date')
      .execute(),
  ])
  return rows.map((r) => {
    const people = participants.get(r.session_id) ?? []
    const named = (role: 'supervisor' | 'supervisee') =>
      people.filter((p) => p.role === role).map((p) => ({ id: p.id, name: p.name, email: p.email }))
    const rebooking = rebookings.find((b) => b.rebooks_session_id === r.session_id) ?? null
    return {
      cancellationId: r.id,
      sessionId: r.session_id,
      typeId: r.type_id,
      date: r.date,
      startTime: r.start_time,
      kind: r.kind,
      reasonId: r.reason_id,
      reasonNote: r.reason_note,
      returnDate: r.return_date,
      cancelledBy: r.by_id ? { id: r.by_id, name: r.by_name ?? '', email: r.by_email ?? '' } : null,
      cancelledAt: r.cancelled_at,
      supervisors: named('supervisor'),
      supervisees: named('supervisee'),
      rebookedFor: rebooking?.date ?? null,
      rebookingSessionId: rebooking?.id ?? null,
    }
  })
}

/** What an iCalendar invitation says about a session of the school: who, when and where. */
export interface InvitationSession {
  id: string
  typeId: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  venue: string | null
  onlineLink: string | null
  sequence: number
  createdAt: Date
  updatedAt: Date
  /** Participants with their role, supervisees first, each by name. */
  participants: { id: string; name: string; email: string; role: 'supervisor' | 'supervisee' }[]
}

const CHUNK = 1000

/**
 * The school's sessions with these ids, as invitations describe them. `schoolId` null is only for
 * sessions the caller has just inserted in its own transaction (planning's drafts, which do not
 * pass their school yet): those ids came from the insert, not from a request.
 */
export async function sessionsForInvitations(
  db: DbOrTrx,
  schoolId: string | null,
  sessionIds: readonly string[],
): Promise<InvitationSession[]> {
  const ids = [...new Set(sessionIds)].filter(isUuid)
  const out: InvitationSession[] = []
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const [sessions, people] = await Promise.all([
      db
        .selectFrom('supervision_session as s')
        .select([...sessionColumns, 's.created_at', 's.updated_at'])
        .where('s.id', 'in', chunk)
        .$if(schoolId !== null, (q) => q.where('s.school_id', '=', schoolId as string))
        .execute(),
      participantsOf(db, chunk),
    ])
    for (const s of sessions) {
      const here = people.get(s.id) ?? []
      out.push({
        id: s.id,
        typeId: s.type_id,
        date: s.date,
        startTime: s.start_time,
        durationMinutes: s.duration_minutes,
        venue: s.venue,
        onlineLink: s.online_link,
        sequence: s.sequence,
        createdAt: s.created_at,
        updatedAt: s.updated_at,
        // Supervisees first, then supervisors, each by name.
        participants: [
          ...here.filter((p) => p.role === 'supervisee'),
          ...here.filter((p) => p.role === 'supervisor'),
        ].map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role })),
      })
    }
  }
  return out
}
