/** The addresses of the account pages (see define.ts). */
import { path } from './define.ts'

export const account = {
  index: path('/account'),
}
