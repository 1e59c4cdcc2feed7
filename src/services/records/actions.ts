/**
 * Everyone's own open actions (X-05, CA-07): for the home page ("Your actions") and the actions
 * page, with those overdue and those drifting (carried forward at two sessions running) marked.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  actionHistories,
  countOpenActionsOwnedBy,
  type OwnedActionRow,
  openActionsOwnedBy,
} from '../../db/repositories/records/actions.ts'
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
  const rows = await openActionsOwnedBy(db, personId, options)
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

/**
 * The actions page: every open action the person owns. Their words come from records, so each
 * record shown is in the access trail.
 */
export async function openActionsSeenBy(db: DbOrTrx, actor: RecordActor, today: IsoDate): Promise<OwnAction[]> {
  const actions = await openActionsOf(db, actor.personId, today)
  await recordsSeen(db, { recordIds: actions.map((a) => a.recordId), actor, format: 'actions' })
  return actions
}

/** How many open actions the person owns (for "and N more" on the home page). */
export async function countOpenActionsOf(db: DbOrTrx, personId: string): Promise<number> {
  return countOpenActionsOwnedBy(db, personId)
}
