/** The addresses of the governors' report (issue 16; see define.ts). */
import { path } from './define.ts'

export const governors = {
  /** The report for a term or a year (`?period=2026-27/autumn` or `?period=2026-27`; `&school=<slug>` for the trust's central people). */
  report: path('/governors/report'),
  /** The same figures as a tagged PDF and as CSV. */
  reportPdf: path('/governors/report.pdf'),
  reportCsv: path('/governors/report.csv'),
  /** Sending the report's link to the school's governors (the DSL and the headteacher). */
  send: path('/governors/report/send'),
}
