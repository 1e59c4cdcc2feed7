/** The addresses of the home pages (see define.ts). */
import { path } from './define.ts'

export const home = {
  index: path('/'),
  accessibility: path('/accessibility'),
  privacy: path('/privacy'),
  health: path('/healthz'),
}
