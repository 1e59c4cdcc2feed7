/** The addresses of the auth pages (see define.ts). */
import { path } from './define.ts'

export const auth = {
  index: path('/sign-in'),
}
