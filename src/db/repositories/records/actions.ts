/**
 * Actions agreed in records, as stored: a person's own open actions, the actions a session reviews
 * (last time's), and each action's review history.
 */

import { sql } from 'kysely'
import { isUuid } from '../../../domain/ids.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { ActionStatus, OwnerKind, ReviewHistoryEntry } from '../../../domain/records/actions.ts'
import type { DbOrTrx } from '../connection.ts'
import { direction, nameContains, type Page, pageOf } from '../paging.ts'

const openStatuses = ['open', 'in-progress', 'carried-forward'] as const

export interface OwnedActionRow {
  id: string
  text: string
  ownerKind: OwnerKind
  dueOn: IsoDate | null
  status: ActionStatus
  raisedOn: IsoDate
  recordId: string
  /** The other people of the session the action was agreed at, by name. */
  withNames: string[]
}

/**
 * Open actions owned by the person (scoped by that person: only their own), soonest due first
 * (undated last). `limit` caps the list.
 */
export async function openActionsOwnedBy(
  db: DbOrTrx,
  personId: string,
  options: { limit?: number } = {},
): Promise<OwnedActionRow[]> {
  if (!isUuid(personId)) return []
  let query = db
    .selectFrom('record_action as a')
    .innerJoin('supervision_session as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.description', 'a.owner_kind', 'a.due_on', 'a.status', 'a.record_id', 'a.session_id', 's.date'])
    .where('a.owner_person_id', '=', personId)
    .where('a.status', 'in', openStatuses)
    .orderBy((eb) => eb.case().when('a.due_on', 'is', null).then(1).else(0).end())
    .orderBy('a.due_on')
    .orderBy('s.date')
    .orderBy('a.position')
    .orderBy('a.id')
  if (options.limit !== undefined) query = query.limit(options.limit)
  return withNames(db, await query.execute(), personId)
}

/** Action rows as the lists show them, with the names of the others of the session. */
async function withNames(
  db: DbOrTrx,
  rows: {
    id: string
    description: string
    owner_kind: OwnerKind
    due_on: IsoDate | null
    status: ActionStatus
    record_id: string
    session_id: string
    date: IsoDate
  }[],
  personId: string,
): Promise<OwnedActionRow[]> {
  if (rows.length === 0) return []
  const participants = await db
    .selectFrom('session_participant as p')
    .innerJoin('person as pe', 'pe.id', 'p.person_id')
    .select(['p.session_id', 'p.person_id', 'pe.name'])
    .where('p.session_id', 'in', [...new Set(rows.map((r) => r.session_id))])
    .orderBy('pe.name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    text: r.description,
    ownerKind: r.owner_kind,
    dueOn: r.due_on,
    status: r.status,
    raisedOn: r.date,
    recordId: r.record_id,
    withNames: participants.filter((p) => p.session_id === r.session_id && p.person_id !== personId).map((p) => p.name),
  }))
}

export type ActionsListSort = 'due' | 'raised'

/** A page of the actions list: whose (the viewer's own, in their organisation) and which. */
export interface ActionsListRequest {
  organisationId: string
  personId: string
  page: number
  pageSize: number
  sort: ActionsListSort
  direction: 'asc' | 'desc'
  /** Part of the name of someone else of the session the action was agreed at. */
  q: string
  /** The due date, from and to. */
  from: string | null
  to: string | null
  status: string | null
}

/**
 * One page of the person's open actions (issue 16): scoped in the query to their own actions in
 * their organisation, filtered by due date, status and the names of the session's people, counted,
 * and sorted by due date (undated last) or the date agreed; never cut short.
 */
export async function openActionsPage(db: DbOrTrx, list: ActionsListRequest): Promise<Page<OwnedActionRow>> {
  if (!isUuid(list.personId)) return { total: 0, rows: [] }
  const statuses = (openStatuses as readonly string[]).includes(list.status ?? '')
    ? [list.status as (typeof openStatuses)[number]]
    : [...openStatuses]
  let base = db
    .selectFrom('record_action as a')
    .innerJoin('supervision_session as s', 's.id', 'a.session_id')
    .innerJoin('school as sc', 'sc.id', 'a.school_id')
    .where('sc.organisation_id', '=', list.organisationId)
    .where('a.owner_person_id', '=', list.personId)
    .where('a.status', 'in', statuses)
  if (list.from) base = base.where('a.due_on', '>=', list.from)
  if (list.to) base = base.where('a.due_on', '<=', list.to)
  if (list.q) {
    const q = list.q
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('session_participant as qp')
          .innerJoin('person as qn', 'qn.id', 'qp.person_id')
          .select('qp.person_id')
          .whereRef('qp.session_id', '=', 'a.session_id')
          .where('qp.person_id', '<>', list.personId)
          .where(nameContains('qn.name', q)),
      ),
    )
  }
  const page = await pageOf(
    base,
    (q) => {
      const columns = q.select([
        'a.id',
        'a.description',
        'a.owner_kind',
        'a.due_on',
        'a.status',
        'a.record_id',
        'a.session_id',
        's.date',
      ])
      const sorted =
        list.sort === 'raised'
          ? columns.orderBy(sql`s.date ${direction(list.direction)}`).orderBy(sql`a.due_on asc nulls last`)
          : columns.orderBy(sql`a.due_on ${direction(list.direction)}`).orderBy('s.date')
      return sorted.orderBy('a.position').orderBy('a.id')
    },
    list,
  )
  return { total: page.total, rows: await withNames(db, page.rows, list.personId) }
}

/** How many open actions the person owns. */
export async function countOpenActionsOwnedBy(db: DbOrTrx, personId: string): Promise<number> {
  if (!isUuid(personId)) return 0
  const row = await db
    .selectFrom('record_action')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_person_id', '=', personId)
    .where('status', 'in', openStatuses)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface PreviousActionRow {
  id: string
  text: string
  ownerKind: 'supervisor' | 'supervisee' | 'other'
  ownerId: string | null
  ownerName: string
  dueOn: string
  status: ActionStatus
  raisedOn: string
  raisedRecordId: string
}

/**
 * Actions of the school agreed at earlier sessions (on or before `date`, not `sessionId` itself)
 * that are still open or that `sessionId` already reviewed: of the same supervisees (one-to-one),
 * or of the same type and supervisors (a group). Oldest first.
 */
export async function actionsBefore(
  db: DbOrTrx,
  schoolId: string,
  session: {
    id: string
    date: string
    typeId: string
    group: boolean
    supervisorIds: readonly string[]
    superviseeIds: readonly string[]
  },
): Promise<PreviousActionRow[]> {
  let query = db
    .selectFrom('record_action as a')
    .innerJoin('supervision_record as r', 'r.id', 'a.record_id')
    .innerJoin('supervision_session as s', 's.id', 'a.session_id')
    .select([
      'a.id',
      'a.description',
      'a.owner_kind',
      'a.owner_person_id',
      'a.owner_name',
      'a.due_on',
      'a.status',
      'a.record_id',
      'a.position',
      'a.created_at',
      's.date',
    ])
    .where('a.school_id', '=', schoolId)
    .where('a.session_id', '<>', session.id)
    .where('s.date', '<=', session.date)
    .where('r.group_record', '=', session.group)
    .where((eb) =>
      eb.or([
        eb('a.status', 'in', openStatuses),
        eb.exists(
          eb
            .selectFrom('record_action_review as rv')
            .select('rv.action_id')
            .whereRef('rv.action_id', '=', 'a.id')
            .where('rv.session_id', '=', session.id),
        ),
      ]),
    )
  if (session.group) {
    query = query.where('s.type_id', '=', session.typeId)
    if (session.supervisorIds.length > 0)
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('session_participant as p')
            .select('p.person_id')
            .whereRef('p.session_id', '=', 'a.session_id')
            .where('p.role', '=', 'supervisor')
            .where('p.person_id', 'in', [...session.supervisorIds]),
        ),
      )
  } else {
    if (session.superviseeIds.length === 0) return []
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('session_participant as p')
          .select('p.person_id')
          .whereRef('p.session_id', '=', 'a.session_id')
          .where('p.role', '=', 'supervisee')
          .where('p.person_id', 'in', [...session.superviseeIds]),
      ),
    )
  }
  const rows = await query.orderBy('s.date').orderBy('a.created_at').orderBy('a.position').orderBy('a.id').execute()
  return rows.map((r) => ({
    id: r.id,
    text: r.description,
    ownerKind: r.owner_kind,
    ownerId: r.owner_person_id,
    ownerName: r.owner_name,
    dueOn: r.due_on ?? '',
    status: r.status,
    raisedOn: r.date,
    raisedRecordId: r.record_id,
  }))
}

/** The status each action was given at each session that reviewed it, in session order. */
export async function actionHistories(
  db: DbOrTrx,
  actionIds: readonly string[],
): Promise<Map<string, ReviewHistoryEntry[]>> {
  const map = new Map<string, ReviewHistoryEntry[]>()
  if (actionIds.length === 0) return map
  const rows = await db
    .selectFrom('record_action_review')
    .select(['action_id', 'session_date', 'status'])
    .where('action_id', 'in', [...actionIds])
    .orderBy('session_date')
    .orderBy('reviewed_at')
    .execute()
  for (const r of rows)
    map.set(r.action_id, [...(map.get(r.action_id) ?? []), { sessionDate: r.session_date, status: r.status }])
  return map
}
