/**
 * Everyone's own open actions (X-05, CA-07): for the home page ("Your actions") and the actions
 * page, with those overdue and those drifting (carried forward at two sessions running) marked.
 */

import type { IsoDate } from '../../domain/people/person.ts'
import { type ActionStatus, isDrifting, isOverdue, type OwnerKind } from '../../domain/records/actions.ts'
import { type DbOrTrx, isUuid } from '../staff/repository.ts'
import { actionHistories } from './store.ts'

export interface OwnAction {
  id: string
  text: string
  ownerKind: OwnerKind
  dueOn: IsoDate | null
  status: ActionStatus
  raisedOn: IsoDate
  recordId: string
  /** The person the action was agreed with (the other party of the session). */
  withNames: string[]
  overdue: boolean
  drifting: boolean
}

/**
 * Open actions owned by the person, soonest due first (undated last). `limit` caps the list for
 * the home page.
 */
export async function openActionsOf(
  db: DbOrTrx,
  personId: string,
  today: IsoDate,
  options: { limit?: number } = {},
): Promise<OwnAction[]> {
  if (!isUuid(personId)) return []
  let query = db
    .selectFrom('record_action as a')
    .innerJoin('supervision_session as s', 's.id', 'a.session_id')
    .select([
      'a.id',
      'a.description',
      'a.owner_kind',
      'a.due_on',
      'a.status',
      'a.record_id',
      'a.session_id',
      's.date',
      'a.created_at',
      'a.position',
    ])
    .where('a.owner_person_id', '=', personId)
    .where('a.status', 'in', ['open', 'in-progress', 'carried-forward'])
    .orderBy((eb) => eb.case().when('a.due_on', 'is', null).then(1).else(0).end())
    .orderBy('a.due_on')
    .orderBy('s.date')
    .orderBy('a.position')
    .orderBy('a.id')
  if (options.limit !== undefined) query = query.limit(options.limit)
  const rows = await query.execute()
  if (rows.length === 0) return []
  const histories = await actionHistories(
    db,
    rows.map((r) => r.id),
  )
  const sessionIds = [...new Set(rows.map((r) => r.session_id))]
  const participants = await db
    .selectFrom('session_participant as p')
    .innerJoin('person as pe', 'pe.id', 'p.person_id')
    .select(['p.session_id', 'p.person_id', 'pe.name'])
    .where('p.session_id', 'in', sessionIds)
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
    overdue: isOverdue({ status: r.status, dueOn: r.due_on }, today),
    drifting: isDrifting(histories.get(r.id) ?? []),
  }))
}

/** How many open actions the person owns (for "and N more" on the home page). */
export async function countOpenActionsOf(db: DbOrTrx, personId: string): Promise<number> {
  if (!isUuid(personId)) return 0
  const row = await db
    .selectFrom('record_action')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_person_id', '=', personId)
    .where('status', 'in', ['open', 'in-progress', 'carried-forward'])
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
