/** The addresses of the overview pages (see define.ts). */
import { path } from './define.ts'

/** The lists behind the figures, one page (and one CSV file) each. */
const lists = {
  inScope: path('/overview/in-scope'),
  overdue: path('/overview/overdue'),
  dueSoon: path('/overview/due-soon'),
  neverSupervised: path('/overview/never-supervised'),
  rebookingsAtRisk: path('/overview/rebookings-at-risk'),
  rebookingsMissed: path('/overview/rebookings-missed'),
  recordsAwaitingSignature: path('/overview/records-awaiting-signature'),
  contractsUnsigned: path('/overview/contracts-unsigned'),
  overdueActions: path('/overview/overdue-actions'),
  driftingActions: path('/overview/drifting-actions'),
  supervisorsUntrained: path('/overview/supervisors-untrained'),
  supervisorsTrainingExpiring: path('/overview/supervisors-training-expiring'),
  supervisorsUnsupervised: path('/overview/supervisors-unsupervised'),
}

export const overview = {
  /** The overview (`?school=<slug>` for someone choosing among the trust's schools). */
  index: path('/overview'),
  ...lists,
  /** One list behind a figure by its slug (`overdue`, `never-supervised`, ...), and its CSV file. */
  list: (slug: string) => `/overview/${encodeURIComponent(slug)}`,
  listCsv: (slug: string) => `/overview/${encodeURIComponent(slug)}.csv`,
  balance: path('/overview/balance'),
  balanceCsv: path('/overview/balance.csv'),
  supervisorLoad: path('/overview/supervisor-load'),
  supervisorLoadCsv: path('/overview/supervisor-load.csv'),
}
