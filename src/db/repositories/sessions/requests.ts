/** Requests for supervision (session_request), scoped by the school, as plain objects. */
import { sql } from 'kysely'
import { addDays } from '../../../domain/calendar/dates.ts'
import { isUuid } from '../../../domain/ids.ts'
import type { ListQuery } from '../../../domain/lists/list-query.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { DbOrTrx } from '../connection.ts'
import { direction, nameContains, type Page, pageOf } from '../paging.ts'

export type RequestStatus = 'open' | 'booked' | 'declined'

export interface SessionRequest {
  id: string
  schoolId: string
  /** The person the session is for. */
  requester: { id: string; name: string }
  /** Who asked (issue 14): the requester themselves, or someone on their behalf. */
  requestedBy: { id: string; name: string } | null
  topic: string
  note: string
  preferredDates: IsoDate[]
  supervisor: { id: string; name: string } | null
  status: RequestStatus
  sessionId: string | null
  declineReason: string | null
  answeredBy: { id: string; name: string } | null
  answeredAt: Date | null
  version: number
  createdAt: Date
}

const requestColumns = [
  'r.id',
  'r.school_id',
  'r.topic',
  'r.note',
  sql<string[]>`r.preferred_dates::text[]`.as('preferred_dates'),
  'r.status',
  'r.session_id',
  'r.decline_reason',
  'r.answered_at',
  'r.version',
  'r.created_at',
  'rq.id as requester_id',
  'rq.name as requester_name',
  'rb.id as requested_by_id',
  'rb.name as requested_by_name',
  'sv.id as supervisor_id',
  'sv.name as supervisor_name',
  'an.id as answered_by_id',
  'an.name as answered_by_name',
] as const

function requestQuery(db: DbOrTrx) {
  return requestsBase(db).select(requestColumns)
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['execute']>>[number]

function toRequest(r: RequestRow): SessionRequest {
  return {
    id: r.id,
    schoolId: r.school_id,
    requester: { id: r.requester_id, name: r.requester_name },
    requestedBy: r.requested_by_id ? { id: r.requested_by_id, name: r.requested_by_name ?? '' } : null,
    topic: r.topic,
    note: r.note,
    preferredDates: [...r.preferred_dates],
    supervisor: r.supervisor_id ? { id: r.supervisor_id, name: r.supervisor_name ?? '' } : null,
    status: r.status,
    sessionId: r.session_id,
    declineReason: r.decline_reason,
    answeredBy: r.answered_by_id ? { id: r.answered_by_id, name: r.answered_by_name ?? '' } : null,
    answeredAt: r.answered_at,
    version: r.version,
    createdAt: r.created_at,
  }
}

/** One request of any of these schools; null when none of them has it. */
export async function requestInSchools(
  db: DbOrTrx,
  schoolIds: readonly string[],
  id: string,
): Promise<SessionRequest | null> {
  if (!isUuid(id) || schoolIds.length === 0) return null
  const row = await requestQuery(db)
    .where('r.id', '=', id)
    .where('r.school_id', 'in', [...schoolIds])
    .executeTakeFirst()
  return row ? toRequest(row) : null
}

export type RequestsSort = 'status' | 'asked'

const requestStatuses: readonly RequestStatus[] = ['open', 'booked', 'declined']

type RequestsBase = ReturnType<typeof requestsBase>

function requestsBase(db: DbOrTrx) {
  return db
    .selectFrom('session_request as r')
    .innerJoin('person as rq', 'rq.id', 'r.requester_id')
    .leftJoin('person as sv', 'sv.id', 'r.supervisor_id')
    .leftJoin('person as rb', 'rb.id', 'r.requested_by')
    .leftJoin('person as an', 'an.id', 'r.answered_by')
}

/**
 * One page of requests (issue 16): filtered by the person asked for, the supervisor, the date asked,
 * status and a name search, counted, and sorted (open first, or by date asked) in a stable order.
 */
async function requestsPage(base: RequestsBase, list: ListQuery<RequestsSort>): Promise<Page<SessionRequest>> {
  let query = base
  if (list.person) query = query.where('r.requester_id', '=', list.person)
  if (list.supervisor) query = query.where('r.supervisor_id', '=', list.supervisor)
  if (list.from) query = query.where('r.created_at', '>=', new Date(`${list.from}T00:00:00Z`))
  if (list.to) query = query.where('r.created_at', '<', new Date(`${addDays(list.to, 1)}T00:00:00Z`))
  if (list.status && (requestStatuses as readonly string[]).includes(list.status))
    query = query.where('r.status', '=', list.status as RequestStatus)
  if (list.q) {
    const q = list.q
    query = query.where((eb) =>
      eb.or([
        nameContains('rq.name', q),
        nameContains(sql`coalesce(sv.name, '')`, q),
        nameContains(sql`coalesce(rb.name, '')`, q),
      ]),
    )
  }
  const dir = list.direction
  const page = await pageOf(
    query,
    (q) => {
      const columns = q.select(requestColumns)
      const sorted =
        list.sort === 'asked'
          ? columns.orderBy(sql`r.created_at ${direction(dir)}`)
          : columns
              .orderBy(sql`case when r.status = 'open' then 0 else 1 end ${direction(dir)}`)
              .orderBy('r.created_at', 'desc')
      return sorted.orderBy('r.id')
    },
    list,
  )
  return { total: page.total, rows: page.rows.map(toRequest) }
}

function toAnswerOf(base: RequestsBase, schoolId: string, personId: string, all: boolean): RequestsBase {
  let query = base
    .where('r.school_id', '=', schoolId)
    .where('r.requester_id', '!=', personId)
    .where((eb) => eb.or([eb('r.requested_by', 'is', null), eb('r.requested_by', '!=', personId)]))
  if (!all) query = query.where('r.supervisor_id', '=', personId)
  return query
}

function madeByOf(base: RequestsBase, organisationId: string, personId: string): RequestsBase {
  return base
    .where('r.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('r.requester_id', '=', personId), eb('r.requested_by', '=', personId)]))
}

/** The school's requests from others for `personId` to answer (all of them when `all`): one page (issue 16). */
export function requestsToAnswerPage(
  db: DbOrTrx,
  schoolId: string,
  personId: string,
  all: boolean,
  list: ListQuery<RequestsSort>,
): Promise<Page<SessionRequest>> {
  return requestsPage(toAnswerOf(requestsBase(db), schoolId, personId, all), list)
}

/** A person's own requests in the organisation's schools (for them, or asked by them for someone else): one page (issue 16). */
export function requestsMadeByPage(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  list: ListQuery<RequestsSort>,
): Promise<Page<SessionRequest>> {
  return requestsPage(madeByOf(requestsBase(db), organisationId, personId), list)
}

/**
 * Everyone asked for and every supervisor of the requests a person sees (those they answer and
 * their own), each once, by name: the choices of the list's person and supervisor filters.
 */
export async function requestPeople(
  db: DbOrTrx,
  scope: { schoolId: string; organisationId: string },
  personId: string,
  all: boolean,
): Promise<{ requesters: { id: string; name: string }[]; supervisors: { id: string; name: string }[] }> {
  const seen = toAnswerOf(requestsBase(db), scope.schoolId, personId, all)
    .select(['r.id', 'r.requester_id', 'r.supervisor_id'])
    .union(
      madeByOf(requestsBase(db), scope.organisationId, personId).select(['r.id', 'r.requester_id', 'r.supervisor_id']),
    )
  const of = (column: 'v.requester_id' | 'v.supervisor_id') =>
    db
      .selectFrom(seen.as('v'))
      .innerJoin('person as p', 'p.id', column)
      .select(['p.id', 'p.name'])
      .distinct()
      .orderBy('p.name')
      .orderBy('p.id')
      .execute()
  const [requesters, supervisors] = await Promise.all([of('v.requester_id'), of('v.supervisor_id')])
  return { requesters, supervisors }
}

/** How many of the school's open requests from others wait for `personId` (any of them when `all`). */
export async function openRequestsFor(db: DbOrTrx, schoolId: string, personId: string, all: boolean): Promise<number> {
  let query = db
    .selectFrom('session_request')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', '=', 'open')
    .where('requester_id', '!=', personId)
    .where((eb) => eb.or([eb('requested_by', 'is', null), eb('requested_by', '!=', personId)]))
  if (!all) query = query.where('supervisor_id', '=', personId)
  const row = await query.executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface NewRequest {
  requesterId: string
  /** Who asked: the requester, or someone on their behalf. */
  requestedBy: string
  topic: string
  note: string
  preferredDates: readonly IsoDate[]
  supervisorId: string | null
}

export async function insertRequest(
  trx: DbOrTrx,
  school: { id: string; organisationId: string },
  r: NewRequest,
): Promise<string> {
  const row = await trx
    .insertInto('session_request')
    .values({
      organisation_id: school.organisationId,
      school_id: school.id,
      requester_id: r.requesterId,
      requested_by: r.requestedBy,
      topic: r.topic,
      note: r.note,
      preferred_dates: [...r.preferredDates],
      supervisor_id: r.supervisorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface LockedRequest {
  id: string
  status: RequestStatus
  version: number
  requesterId: string
  requestedById: string | null
  supervisorId: string | null
}

/** Locks the school's request for an answer; null when the school has no such request. */
export async function lockRequest(trx: DbOrTrx, schoolId: string, id: string): Promise<LockedRequest | null> {
  if (!isUuid(id)) return null
  const row = await trx
    .selectFrom('session_request')
    .select(['id', 'status', 'version', 'requester_id', 'requested_by', 'supervisor_id'])
    .where('id', '=', id)
    .where('school_id', '=', schoolId)
    .forUpdate()
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        status: row.status,
        version: row.version,
        requesterId: row.requester_id,
        requestedById: row.requested_by,
        supervisorId: row.supervisor_id,
      }
    : null
}

/** The request is answered: booked as a session, or declined with a reason. */
export async function answerRequest(
  trx: DbOrTrx,
  schoolId: string,
  id: string,
  answer: { status: 'booked'; sessionId: string } | { status: 'declined'; reason: string },
  answeredBy: string,
): Promise<void> {
  await trx
    .updateTable('session_request')
    .set((eb) => ({
      status: answer.status,
      ...(answer.status === 'booked' ? { session_id: answer.sessionId } : { decline_reason: answer.reason }),
      answered_by: answeredBy,
      answered_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('school_id', '=', schoolId)
    .execute()
}
