/** The addresses of the trust rollup (issue 16, ADR 0033; see define.ts). */
import { path } from './define.ts'

export const trustRollup = {
  /** Every academy side by side (`?period=2026-27/autumn&sort=percent&order=asc`). */
  index: path('/trust/rollup'),
  /** The percentage below which an academy is flagged: its form, and saving it. */
  threshold: path('/trust/rollup/threshold'),
}
