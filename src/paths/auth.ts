/** The addresses of the auth pages (see define.ts). */
import { path } from './define.ts'

export const auth = {
  index: path('/sign-in'),
  signIn: path('/sign-in'),
  twoStep: path('/sign-in/two-step'),
  signOut: path('/sign-out'),
  signedOut: path('/signed-out'),
  passwordReset: path('/password-reset'),
  newPassword: path('/password-reset/:token'),
  invitation: path('/invitation/:token'),
}
