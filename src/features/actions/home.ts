/**
 * The "Your actions" section of the home page: the first few open actions the person owns,
 * with how many there are in all and how many are overdue.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { countOpenActionsOf, openActionsOf } from '../../services/records/actions.ts'
import { actionView } from './routes.ts'

export const HOME_ACTIONS = 5

/** `now` is the app's clock (app.clock), so tests can set it. */
export async function homeActions(db: DbOrTrx, personId: string, now: Date) {
  const today = londonDateOf(now)
  const [list, total] = await Promise.all([
    openActionsOf(db, personId, today, { limit: HOME_ACTIONS }),
    countOpenActionsOf(db, personId),
  ])
  return { list: list.map(actionView), total, more: Math.max(0, total - list.length) }
}
