/** The addresses of the contracts pages (see define.ts). */
import { path } from './define.ts'

export const contracts = {
  index: path('/contracts'),
}
