/** The addresses of the case escalation pages (LH-10; see define.ts). */
import { path } from './define.ts'

export const escalations = {
  /** The school's escalations (the DSL), or those the signed-in person raised. */
  index: path('/escalations'),
  /** Raising one (`?record=<id>` when it comes from a record). */
  new: path('/escalations/new'),
  show: path('/escalations/:id'),
  /** Moving it to the next stage. */
  stage: path('/escalations/:id/stage'),
  /** Recording its outcome. */
  outcome: path('/escalations/:id/outcome'),
}
