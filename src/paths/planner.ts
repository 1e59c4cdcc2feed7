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
}
