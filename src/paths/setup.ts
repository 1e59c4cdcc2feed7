/** The addresses of the setup pages (see define.ts). */
import { path } from './define.ts'

export const setup = {
  index: path('/setup'),
}
