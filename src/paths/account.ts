/** The addresses of the account pages (see define.ts). */
import { calendar } from './calendar.ts'
import { path } from './define.ts'

export const account = {
  index: path('/account'),
  signOutEverywhere: path('/account/sessions/sign-out-everywhere'),
  signOutSession: path('/account/sessions/:ref/sign-out'),
  twoStepSetUp: path('/account/two-step/set-up'),
  twoStepStart: path('/account/two-step/start'),
  newAuthenticator: path('/account/two-step/new-authenticator'),
  recoveryCodes: path('/account/two-step/recovery-codes'),
  /** Issue 18: each email as it happens, or one a day. */
  emailChoice: path('/account/email'),
  /** The page of the person's calendar feed: the same builder as paths.calendar.feed, which its route is registered with. */
  calendarFeed: calendar.feed,
}
