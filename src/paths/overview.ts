/** The addresses of the overview pages (see define.ts). */
import { path } from './define.ts'

export const overview = {
  index: path('/overview'),
  /** One list behind a figure, and its CSV file (`overdue`, `never-supervised`, ...). */
  list: (slug: string) => `/overview/${slug}`,
  listCsv: (slug: string) => `/overview/${slug}.csv`,
  balance: path('/overview/balance'),
  balanceCsv: path('/overview/balance.csv'),
  supervisorLoad: path('/overview/supervisor-load'),
  supervisorLoadCsv: path('/overview/supervisor-load.csv'),
}
