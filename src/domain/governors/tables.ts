/**
 * The governors' report as tables (issue 16): one shape for the page, the PDF and the CSV file, so
 * the three always say the same. The caller says how a figure is written: in words for people
 * ("Hidden", "90%"), or as data for the CSV file ("[c]", 90). Pure.
 */
import { formatLongDate } from '../calendar/index.ts'
import type { GovernorsReport, GroupRow } from './report.ts'
import { type Count, isHidden, type Percent } from './suppression.ts'

export interface Writer<Cell> {
  count(value: Count): Cell
  percent(value: Percent): Cell
}

export interface ReportTable<Cell> {
  id: string
  heading: string
  /** What the figures mean, in a sentence. */
  description: string
  head: string[]
  rows: { label: string; cells: Cell[] }[]
}

/** Figures written for people. */
export const inWords: Writer<string> = {
  count: (value) => (isHidden(value) ? 'Hidden' : value.toLocaleString('en-GB')),
  percent: (value) => (value === null ? 'No one' : isHidden(value) ? 'Hidden' : `${value}%`),
}

/** Figures written as data: "[c]" for a hidden figure, an empty cell for no percentage. */
export const asData: Writer<string | number> = {
  count: (value) => (isHidden(value) ? '[c]' : value),
  percent: (value) => (value === null ? '' : isHidden(value) ? '[c]' : value),
}

export const hiddenExplained =
  'To keep anyone from being identified, a figure about fewer than 5 people (or fewer than 5 of their sessions) is hidden, and so is any figure from which a hidden one could be worked out.'

export function reportTables<Cell>(report: GovernorsReport, w: Writer<Cell>): ReportTable<Cell>[] {
  const groupHead = ['Group', 'In scope', 'Up to date', 'Percentage up to date']
  const group = (row: GroupRow) => ({
    label: row.label,
    cells: [w.count(row.inScope), w.count(row.upToDate), w.percent(row.percent)],
  })
  const measure = (label: string, value: Cell) => ({ label, cells: [value] })
  const tables: ReportTable<Cell>[] = [
    {
      id: 'in-scope-by-role',
      heading: 'Who must be supervised, by role',
      description: `People the supervision policy says must be supervised on ${formatLongDate(report.asAt)}, and those up to date (not overdue). Someone with two roles is counted under each.`,
      head: groupHead,
      rows: [group(report.headline), ...report.byRole.map(group)],
    },
    {
      id: 'in-scope-by-kind',
      heading: 'By kind of supervision',
      description:
        'Each kind of supervision the policy requires: the people it applies to, and those up to date with it.',
      head: groupHead,
      rows: report.byKind.map(group),
    },
    {
      id: 'sessions',
      heading: 'Sessions held against sessions required',
      description:
        'Sessions held in the period that count towards each person’s supervision, against what the policy’s frequency asks of everyone in scope in a period of this length.',
      head: ['Measure', 'Number'],
      rows: [
        measure('Sessions held', w.count(report.sessions.held)),
        measure('Sessions required', w.count(report.sessions.required)),
        measure('Held as a percentage of required', w.percent(report.sessions.percent)),
      ],
    },
    {
      id: 'cancellations',
      heading: 'Sessions that did not take place, by reason',
      description: 'Sessions cancelled or postponed in the period, grouped by the reason given.',
      head: ['Reason', 'Sessions'],
      rows: [
        ...report.cancellations.byReason.map((r) => measure(r.label, w.count(r.count))),
        measure('All reasons', w.count(report.cancellations.total)),
      ],
    },
    {
      id: 'rebooking',
      heading: 'Rebooking deadlines',
      description: 'Deadlines for rebooking a session that did not take place that fell in the period.',
      head: ['Measure', 'Number'],
      rows: [
        measure('Met: rebooked in time', w.count(report.rebooking.met)),
        measure('Missed', w.count(report.rebooking.missed)),
      ],
    },
    {
      id: 'contracts',
      heading: 'Supervision contracts',
      description: 'People whose supervision contract was signed by everyone who signs it, in the period.',
      head: ['Measure', 'Number'],
      rows: [measure('Contracts signed', w.count(report.contractsSigned))],
    },
    {
      id: 'supervisors',
      heading: 'Supervisors',
      description: `Staff who supervise others (external supervisors left out), on ${formatLongDate(report.asAt)}: with supervisor training recorded, and supervised themselves in the 12 months before.`,
      head: ['Measure', 'Number'],
      rows: [
        measure('Supervisors', w.count(report.supervisors.total)),
        measure('Trained', w.count(report.supervisors.trained)),
        measure('Themselves supervised', w.count(report.supervisors.supervised)),
      ],
    },
    ...report.balance.frameworks.map((f, i) => ({
      id: `balance-${i + 1}`,
      heading: `Balance of functions: ${f.name}`,
      description: `Supervisees in scope whose sessions covered each function in the 12 months to ${formatLongDate(report.asAt)}.`,
      head: ['Function', 'Supervisees'],
      rows: [
        ...f.items.map((item) => measure(item.name, w.count(item.covered))),
        measure('Supervisees in scope', w.count(f.supervisees)),
        measure('With a function not covered', w.count(f.notCovered)),
      ],
    })),
    {
      id: 'escalations',
      heading: 'Escalations',
      description:
        'People whose missed supervision or missed rebooking was escalated in the period, and those no longer escalated at its end.',
      head: ['Measure', 'People'],
      rows: [
        measure('Raised', w.count(report.escalations.raised)),
        measure('Resolved', w.count(report.escalations.resolved)),
        measure('Still open', w.count(report.escalations.open)),
      ],
    },
    {
      id: 'case-escalations',
      heading: 'Case escalations',
      description:
        'Cases escalated to another agency through the local safeguarding partnership’s procedure because they were not progressing or working together was not effective: raised and closed in the period, and still open at its end.',
      head: ['Measure', 'Cases'],
      rows: [
        measure('Raised', w.count(report.caseEscalations.raised)),
        measure('Resolved', w.count(report.caseEscalations.resolved)),
        measure('Closed without being resolved', w.count(report.caseEscalations.closedOtherwise)),
        measure('Still open', w.count(report.caseEscalations.open)),
      ],
    },
    ...report.focused.map((f, i) => ({
      id: `focus-${i + 1}`,
      heading: `${f.typeName} by focus`,
      description: `${f.typeName} held in the period, by the focus recorded when each session was booked (theme-, case- or staff-centred, for example). Sessions are counted, not people or cases.`,
      head: ['Focus', 'Sessions'],
      rows: [
        ...f.byFocus.map((row) => measure(row.label, w.count(row.count))),
        ...(f.notRecorded === 0 ? [] : [measure('Not recorded', w.count(f.notRecorded))]),
        measure('All sessions', w.count(f.total)),
      ],
    })),
    {
      id: 'trend',
      heading: 'Trend',
      description: 'This period and the three before it, each judged on its own last day.',
      head: [
        'Period',
        'In scope',
        'Percentage up to date',
        'Sessions held',
        'Sessions required',
        'Did not take place',
        'Rebooking deadlines missed',
      ],
      rows: report.trend.map((t) => ({
        label: t.name,
        cells: [
          w.count(t.inScope),
          w.percent(t.percent),
          w.count(t.held),
          w.count(t.required),
          w.count(t.cancellations),
          w.count(t.rebookingsMissed),
        ],
      })),
    },
  ]
  return tables
}

/**
 * The whole report as CSV rows, one figure a row (section, row, measure, value), so a spreadsheet
 * can filter and chart it; "[c]" marks a hidden figure.
 */
export function reportCsvRows(report: GovernorsReport): { head: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = []
  for (const table of reportTables(report, asData)) {
    for (const row of table.rows) {
      table.head.slice(1).forEach((measure, i) => {
        rows.push([report.period.name, table.heading, row.label, measure, row.cells[i] ?? ''])
      })
    }
  }
  rows.push([report.period.name, 'Note', 'Hidden figures', '[c]', hiddenExplained])
  return { head: ['Period', 'Section', 'Row', 'Measure', 'Value'], rows }
}
