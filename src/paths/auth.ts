/** The addresses of the auth pages (see define.ts). */
import { path } from './define.ts'

export const auth = {
  index: path('/sign-in'),
  signIn: path('/sign-in'),
  twoStep: path('/sign-in/two-step'),
  /** Signing in with Microsoft or Google (ADR 0048): the start, and where the provider sends people back. */
  provider: path('/sign-in/provider'),
  providerCallback: path('/sign-in/provider/callback'),
  signOut: path('/sign-out'),
  signedOut: path('/signed-out'),
  passwordReset: path('/password-reset'),
  newPassword: path('/password-reset/:token'),
  invitation: path('/invitation/:token'),
}
