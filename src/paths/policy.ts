/** The addresses of the policy pages (see define.ts). */
import { path } from './define.ts'

export const policy = {
  index: path('/policy'),
}
