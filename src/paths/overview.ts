/** The addresses of the overview pages (see define.ts). */
import { path } from './define.ts'

export const overview = {
  index: path('/overview'),
}
