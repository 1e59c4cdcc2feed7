/**
 * The addresses of the scheduling pages (see define.ts). A session's and a request's id is `:id`
 * (the authorisation matrix lists the routes by these patterns).
 */
import { path } from './define.ts'

export const sessions = {
  /** "Your sessions". */
  index: path('/sessions'),
  /** Book (`?rebook=<session>`, `?request=<request>`, `?supervisee=<person>`, `?group=<standing group>` prefill it). */
  book: path('/sessions/new'),
  unplanned: path('/sessions/unplanned'),
  week: path('/sessions/week'),
  month: path('/sessions/month'),
  cancellations: path('/sessions/cancellations'),
  /** CA-05: the policy's standing supervision groups. */
  groups: path('/sessions/groups'),
  requests: path('/sessions/requests'),
  newRequest: path('/sessions/requests/new'),
  request: path('/sessions/requests/:id'),
  declineRequest: path('/sessions/requests/:id/decline'),
  show: path('/sessions/:id'),
  returnDate: path('/sessions/:id/return-date'),
  cancel: path('/sessions/:id/cancel'),
  didNotAttend: path('/sessions/:id/did-not-attend'),
  postpone: path('/sessions/:id/postpone'),
  held: path('/sessions/:id/held'),
}
