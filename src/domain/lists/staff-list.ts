/**
 * The staff list's own sorts and filters (issue 16): by name, job title or line manager; by
 * current supervisor; and by where someone stands against the school's policy (in scope or not,
 * up to date, due soon, overdue). The standing comes from the overview's people (those the policy
 * requires to be supervised, with their status): the filter becomes a set of ids to keep or to
 * leave out, so the list still pages and counts in SQL. Pure.
 */
import type { ComplianceStatus } from '../compliance/index.ts'
import type { ListSpec } from './list-query.ts'

export type StaffListSort = 'name' | 'job-title' | 'line-manager'

export const staffStatuses = ['in-scope', 'not-in-scope', 'compliant', 'due-soon', 'overdue'] as const
export type StaffStatusFilter = (typeof staffStatuses)[number]

export const staffStatusLabels: Readonly<Record<StaffStatusFilter, string>> = {
  'in-scope': 'Needs supervision',
  'not-in-scope': 'Does not need supervision',
  compliant: 'Up to date',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
}

export const staffListSpec: ListSpec<StaffListSort> = {
  sorts: ['name', 'job-title', 'line-manager'],
  defaultDirection: 'asc',
  filters: ['supervisor', 'status'],
  statuses: staffStatuses,
}

export function isStaffStatusFilter(value: unknown): value is StaffStatusFilter {
  return typeof value === 'string' && (staffStatuses as readonly string[]).includes(value)
}

/** Which people a standing filter keeps: `keep` true keeps only `ids`; false keeps everyone else. */
export interface PeopleByStanding {
  ids: string[]
  keep: boolean
}

/**
 * The people of a standing, from those the policy requires to be supervised (everyone else is not
 * in scope). "Overdue" counts those never supervised too.
 */
export function peopleOfStanding(
  inScope: readonly { id: string; status: ComplianceStatus }[],
  filter: StaffStatusFilter,
): PeopleByStanding {
  const of = (...statuses: ComplianceStatus[]) => inScope.filter((p) => statuses.includes(p.status)).map((p) => p.id)
  switch (filter) {
    case 'in-scope':
      return { ids: inScope.map((p) => p.id), keep: true }
    case 'not-in-scope':
      return { ids: inScope.map((p) => p.id), keep: false }
    case 'compliant':
      return { ids: of('compliant'), keep: true }
    case 'due-soon':
      return { ids: of('due-soon'), keep: true }
    case 'overdue':
      return { ids: of('overdue', 'never-supervised'), keep: true }
  }
}
