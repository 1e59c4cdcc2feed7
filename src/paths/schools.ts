/** The addresses of the schools pages (see define.ts). */
import { path } from './define.ts'

export const schools = {
  index: path('/admin/schools'),
}
