/** The addresses of the records pages (see define.ts). */
import { path } from './define.ts'

export const records = {
  index: path('/records'),
}
