/** The addresses of the actions pages (see define.ts). */
import { path } from './define.ts'

export const actions = {
  index: path('/actions'),
}
