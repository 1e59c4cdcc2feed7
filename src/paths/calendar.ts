/** The addresses of the calendar pages (see define.ts). */
import { path } from './define.ts'

export const calendar = {
  index: path('/calendar'),
}
