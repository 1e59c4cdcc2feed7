/**
 * Everyone's own open actions (X-05, CA-07): for the home page ("Your actions") and the actions
 * page, with those overdue and those drifting (carried forward at two sessions running) marked.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  type ActionsListSort,
  actionHistories,
  countOpenActionsOwnedBy,
  type OwnedActionRow,
  openActionsOwnedBy,
  openActionsPage,
} from '../../db/repositories/records/actions.ts'
import type { ListQuery, ListSpec } from '../../domain/lists/list-query.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { isDrifting, isOverdue } from '../../domain/records/actions.ts'
import { recordsSeen } from './access-trail.ts'
import type { RecordActor } from './records.ts'

export interface OwnAction extends OwnedActionRow {
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
  return withFlags(db, await openActionsOwnedBy(db, personId, options), today)
}

async function withFlags(db: DbOrTrx, rows: OwnedActionRow[], today: IsoDate): Promise<OwnAction[]> {
  if (rows.length === 0) return []
  const histories = await actionHistories(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    ...r,
    overdue: isOverdue({ status: r.status, dueOn: r.dueOn }, today),
    drifting: isDrifting(histories.get(r.id) ?? []),
  }))
}

/** The actions list (issue 16): sorted by due date or the date agreed, filtered by due date and status. */
export const actionsListSpec: ListSpec<ActionsListSort> = {
  sorts: ['due', 'raised'],
  defaultDirection: { due: 'asc', raised: 'desc' },
  filters: ['from', 'to', 'status'],
  statuses: ['open', 'in-progress', 'carried-forward'],
}

/**
 * The actions page: one page of the open actions the person owns (issue 16: counted, never cut
 * short). Their words come from records, so each record shown is in the access trail.
 */
export async function openActionsSeenBy(
  db: DbOrTrx,
  actor: RecordActor,
  today: IsoDate,
  query: ListQuery<ActionsListSort>,
): Promise<{ total: number; actions: OwnAction[] }> {
  const page = await openActionsPage(db, {
    ...query,
    organisationId: actor.organisationId,
    personId: actor.personId,
  })
  const actions = await withFlags(db, page.rows, today)
  await recordsSeen(db, { recordIds: actions.map((a) => a.recordId), actor, format: 'actions' })
  return { total: page.total, actions }
}

/** How many open actions the person owns (for "and N more" on the home page). */
export async function countOpenActionsOf(db: DbOrTrx, personId: string): Promise<number> {
  return countOpenActionsOwnedBy(db, personId)
}
