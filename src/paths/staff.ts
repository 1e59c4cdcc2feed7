/** The addresses of the staff pages (see define.ts). */
import { path } from './define.ts'

export const staff = {
  index: path('/staff'),
}
