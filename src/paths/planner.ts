/** The addresses of the planner pages (see define.ts). */
import { path } from './define.ts'

export const planner = {
  index: path('/planner'),
}
