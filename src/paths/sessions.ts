/** The addresses of the sessions pages (see define.ts). */
import { path } from './define.ts'

export const sessions = {
  index: path('/sessions'),
}
