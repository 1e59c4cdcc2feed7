/** The addresses of the templates pages (see define.ts). */
import { path } from './define.ts'

export const templates = {
  index: path('/templates'),
}
