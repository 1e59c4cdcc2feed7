/** The addresses of the planner pages (see define.ts). */
import { path } from './define.ts'

export const planner = {
  index: path('/planner'),
  propose: path('/planner/propose'),
  confirm: path('/planner/confirm'),
  discard: path('/planner/discard'),
  removeRow: path('/planner/rows/:id/remove'),
  changeDate: path('/planner/rows/:id/date'),
  settings: path('/planner/settings'),
  /** CA-05: the school's standing teams for group supervision (`?school=<slug>`), adding one, changing one, ending one. */
  teams: path('/planner/teams'),
  newTeam: path('/planner/teams/new'),
  team: path('/planner/teams/:teamId'),
  endTeam: path('/planner/teams/:teamId/end'),
}
