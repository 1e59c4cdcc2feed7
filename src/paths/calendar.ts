/** The addresses of the calendar pages (see define.ts), and of a person's calendar feed. */
import { path } from './define.ts'

export const calendar = {
  /** The school calendar (`?saved=<yearId>`, `?reset=<yearId>`). */
  index: path('/calendar'),
  year: path('/calendar/:yearId'),
  reset: path('/calendar/:yearId/reset'),
  /** A person's private calendar feed address, to create, replace or turn off (`?off=1`). */
  feed: path('/account/calendar-feed'),
  feedTurnOff: path('/account/calendar-feed/turn-off'),
  /** The feed itself: `<token>.ics`. */
  feedFile: path('/feeds/:file'),
}
