/** The addresses of the account pages (see define.ts). */
import { path } from './define.ts'

export const account = {
  index: path('/account'),
  signOutEverywhere: path('/account/sessions/sign-out-everywhere'),
  signOutSession: path('/account/sessions/:ref/sign-out'),
  twoStepSetUp: path('/account/two-step/set-up'),
  twoStepStart: path('/account/two-step/start'),
  newAuthenticator: path('/account/two-step/new-authenticator'),
  recoveryCodes: path('/account/two-step/recovery-codes'),
  /** The page of the person's calendar feed (registered by features/calendar-feed). */
  calendarFeed: path('/account/calendar-feed'),
}
