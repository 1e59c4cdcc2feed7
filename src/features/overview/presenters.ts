/**
 * How the overview reads on the page and in its CSV files (issue 9): the figures as panels, and
 * for each list its columns, once for the table and once for the download, so the two always
 * match. What a column shows depends on the viewer:
 * - the headteacher's general view (compliance.read without sensitive access; MW-10) gets
 *   figures, staff names, dates and statuses only: no action wording, no reasons, no links into
 *   records, and never the additional-support flag;
 * - the DSL and deputy DSL also see who needs additional support (LH-03);
 * - people who may read every record (records.read-all) also see the wording of actions and link
 *   to the records.
 */
import type { ComplianceStatus } from '../../domain/compliance/index.ts'
import {
  type ActionEntry,
  type Bar,
  barChartSvg,
  type CsvCell,
  escapeXml,
  type Overview,
  type OverviewFigures,
  type OverviewSummary,
  type PersonEntry,
  type RebookingEntry,
  type SupervisorEntry,
  type SupervisorRole,
} from '../../domain/overview/index.ts'
import { describeDuration, type Party } from '../../domain/policy/index.ts'
import { actionStatusLabels } from '../../domain/records/actions.ts'
import { paths } from '../../paths/index.ts'
import { formatDate, formatNumber } from '../../presenters/format.ts'

export interface Viewer {
  /** The headteacher's view: figures and staff names and statuses only (MW-10). */
  general: boolean
  /** May see who needs additional support (never in the general view). */
  sensitive: boolean
  /** May read record content: the wording of actions, links to records. */
  content: boolean
  /** May open contracts (contracts.manage). */
  contracts: boolean
}

/** Live additions for viewers allowed them (never stored with the overview). */
export interface Extras {
  additionalSupport: ReadonlySet<string>
  actionWording: ReadonlyMap<string, string>
}

export type TableCell = { text: string; classes?: string } | { html: string; classes?: string }

export interface ListTable {
  head: { text: string; format?: 'numeric' }[]
  rows: TableCell[][]
  csvHead: string[]
  csvRows: CsvCell[][]
}

interface Column<T> {
  heading: string
  /** Right-aligned, as numbers are. */
  numeric?: boolean
  /** Only in the download (the page shows it another way). */
  csvOnly?: boolean
  cell: (item: T) => TableCell
  csv: (item: T) => CsvCell
}

function table<T>(items: readonly T[], columns: readonly (Column<T> | null | false)[]): ListTable {
  const used = columns.filter((c): c is Column<T> => Boolean(c))
  const shown = used.filter((c) => !c.csvOnly)
  return {
    head: shown.map((c) => (c.numeric ? { text: c.heading, format: 'numeric' } : { text: c.heading })),
    rows: items.map((item) =>
      shown.map((c) => {
        const cell = c.cell(item)
        return c.numeric ? { ...cell, classes: 'govuk-table__cell--numeric' } : cell
      }),
    ),
    csvHead: used.map((c) => c.heading),
    csvRows: items.map((item) => used.map((c) => c.csv(item))),
  }
}

const esc = escapeXml

function dateCell(date: string | null, none = 'None'): TableCell {
  return { text: date ? formatDate(date) : none, classes: 'haven-nowrap' }
}

function textColumn<T>(heading: string, value: (item: T) => string): Column<T> {
  return { heading, cell: (item) => ({ text: value(item) }), csv: value }
}

function dateColumn<T>(heading: string, value: (item: T) => string | null, none = 'None'): Column<T> {
  return { heading, cell: (item) => dateCell(value(item), none), csv: (item) => value(item) ?? '' }
}

function tag(text: string, colour: string | null): string {
  return `<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${esc(text)}</strong>`
}

export const statusLabels: Readonly<Record<ComplianceStatus, string>> = {
  'not-required': 'Not required',
  compliant: 'Up to date',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  'never-supervised': 'Never supervised',
}

const statusColours: Readonly<Record<ComplianceStatus, string>> = {
  'not-required': 'grey',
  compliant: 'green',
  'due-soon': 'yellow',
  overdue: 'red',
  'never-supervised': 'red',
}

function statusColumn<T>(heading: string, value: (item: T) => ComplianceStatus | null): Column<T> {
  return {
    heading,
    cell: (item) => {
      const status = value(item)
      return status
        ? { html: tag(statusLabels[status], statusColours[status]) }
        : { text: 'Not on this school’s staff' }
    },
    csv: (item) => {
      const status = value(item)
      return status ? statusLabels[status] : ''
    },
  }
}

function personColumn<T>(
  heading: string,
  id: (item: T) => string,
  name: (item: T) => string,
  viewer: Viewer,
  extras: Extras,
): Column<T> {
  return {
    heading,
    cell: (item) => {
      const flag =
        viewer.sensitive && extras.additionalSupport.has(id(item))
          ? `<br>${tag('Needs additional support', 'purple')}`
          : ''
      return {
        html: `<a class="govuk-link" href="${esc(paths.staff.person({ id: id(item) }))}">${esc(name(item))}</a>${flag}`,
      }
    },
    csv: name,
  }
}

/** LH-03: the flag in the download, only for viewers allowed to see it (the page tags the name). */
function supportColumn<T>(id: (item: T) => string, viewer: Viewer, extras: Extras): Column<T> | null {
  if (!viewer.sensitive) return null
  return {
    heading: 'Needs additional support',
    csvOnly: true,
    cell: (item) => ({ text: extras.additionalSupport.has(id(item)) ? 'Yes' : 'No' }),
    csv: (item) => extras.additionalSupport.has(id(item)),
  }
}

const partyLabels: Readonly<Record<Party, string>> = { supervisee: 'Supervisee', supervisor: 'Supervisor' }

const roleLabels: Readonly<Record<SupervisorRole, string>> = {
  supervised: 'Led sessions in the last 12 months',
  'line-manager': 'Line manager',
  'current-supervisor': 'Current supervisor',
}

function names(list: readonly string[]): string {
  return list.length ? list.join(', ') : 'No one'
}

// ---------------------------------------------------------------------------------------------
// The lists

export const ListSlug = {
  InScope: 'in-scope',
  Overdue: 'overdue',
  DueSoon: 'due-soon',
  NeverSupervised: 'never-supervised',
  RebookingsAtRisk: 'rebookings-at-risk',
  RebookingsMissed: 'rebookings-missed',
  RecordsAwaitingSignature: 'records-awaiting-signature',
  ContractsUnsigned: 'contracts-unsigned',
  OverdueActions: 'overdue-actions',
  DriftingActions: 'drifting-actions',
  SupervisorsUntrained: 'supervisors-untrained',
  SupervisorsTrainingExpiring: 'supervisors-training-expiring',
  SupervisorsUnsupervised: 'supervisors-unsupervised',
} as const
export type ListSlug = (typeof ListSlug)[keyof typeof ListSlug]
export const listSlugs: readonly ListSlug[] = Object.values(ListSlug)

export interface ListPage {
  slug: string
  title: string
  /** What the list is, in a sentence. */
  description: string
  /** The things listed: "person", "people". */
  noun: { one: string; many: string }
  empty: string
  table: ListTable
}

function peopleTable(
  people: readonly PersonEntry[],
  viewer: Viewer,
  extras: Extras,
  due: 'next' | 'was' | null,
  showStatus: boolean,
) {
  return table<PersonEntry>(people, [
    personColumn(
      'Name',
      (p) => p.id,
      (p) => p.name,
      viewer,
      extras,
    ),
    textColumn('Job title', (p) => p.jobTitle || 'Not recorded'),
    showStatus && statusColumn('Status', (p) => p.status),
    dateColumn('Last supervised', (p) => p.lastSession, 'Never'),
    due && dateColumn(due === 'next' ? 'Due by' : 'Was due by', (p) => p.nextDue, 'No date set'),
    textColumn('Supervisor', (p) => p.supervisorName ?? 'None recorded'),
    supportColumn((p) => p.id, viewer, extras),
  ])
}

function rebookingTable(items: readonly RebookingEntry[], viewer: Viewer, extras: Extras, missed: boolean) {
  return table<RebookingEntry>(items, [
    personColumn(
      'Supervisee',
      (r) => r.personId,
      (r) => r.personName,
      viewer,
      extras,
    ),
    dateColumn('Session that did not take place', (r) => r.sessionDate),
    dateColumn(missed ? 'Deadline was' : 'Rebook by', (r) => r.deadline, 'When they return'),
    missed && dateColumn('Rebooked for', (r) => r.rebookedFor, 'Not rebooked'),
  ])
}

function actionTable(items: readonly ActionEntry[], viewer: Viewer, extras: Extras, drifting: boolean) {
  return table<ActionEntry>(items, [
    viewer.content && {
      heading: 'Action',
      cell: (a: ActionEntry) => ({
        html: `<a class="govuk-link" href="${esc(paths.records.show({ recordId: a.recordId }))}">${esc(extras.actionWording.get(a.id) ?? 'Open the record')}</a>`,
        classes: 'govuk-!-text-break-word',
      }),
      csv: (a: ActionEntry) => extras.actionWording.get(a.id) ?? '',
    },
    textColumn('Who will do it', (a) => a.ownerName || 'Not recorded'),
    dateColumn('Due by', (a) => a.dueOn, 'No date agreed'),
    drifting && {
      heading: 'Carried forward',
      cell: (a: ActionEntry) => ({ text: `${a.carriedForwardRun} sessions running` }),
      csv: (a: ActionEntry) => a.carriedForwardRun,
    },
    textColumn('Status', (a) => actionStatusLabels[a.status]),
    dateColumn('Agreed at the session on', (a) => a.raisedOn, 'Not known'),
    textColumn('Supervisor', (a) => names(a.supervisorNames)),
    textColumn('Supervisee', (a) => names(a.superviseeNames)),
  ])
}

function supervisorTable(items: readonly SupervisorEntry[], viewer: Viewer, extras: Extras, unsupervised: boolean) {
  return table<SupervisorEntry>(items, [
    personColumn(
      'Name',
      (s) => s.id,
      (s) => s.name,
      viewer,
      extras,
    ),
    textColumn('Job title', (s) => s.jobTitle || 'Not recorded'),
    textColumn('Supervises as', (s) => s.roles.map((r) => roleLabels[r]).join('; ')),
    !unsupervised && dateColumn('Supervisor training', (s) => s.trainedOn, 'Not recorded'),
    !unsupervised && dateColumn('Runs out', (s) => s.trainingExpiresOn ?? null, 'Does not run out'),
    dateColumn('Last supervised themselves', (s) => s.lastSupervisedOn, 'Not in Haven'),
    unsupervised && statusColumn('Their own status', (s) => s.status),
  ])
}

/** The list behind a figure, as the viewer may see it; null for an unknown list. */
export function listPage(slug: string, overview: Overview, viewer: Viewer, extras: Extras): ListPage | null {
  const { lists } = overview
  const people = { one: 'person', many: 'people' }
  switch (slug) {
    case ListSlug.InScope:
      return {
        slug,
        title: 'People in scope',
        description: 'Everyone the policy says must be supervised, with how they stand today.',
        noun: people,
        empty: 'No one is in scope of the policy.',
        table: peopleTable(lists.people, viewer, extras, 'next', true),
      }
    case ListSlug.Overdue:
      return {
        slug,
        title: 'Overdue',
        description: 'People who have been supervised before and are now past the date their next session was due.',
        noun: people,
        empty: 'No one is overdue.',
        table: peopleTable(
          lists.people.filter((p) => p.status === 'overdue'),
          viewer,
          extras,
          'was',
          false,
        ),
      }
    case ListSlug.DueSoon:
      return {
        slug,
        title: 'Due in the next 14 days',
        description: 'People whose next session is due today or within the next 14 days.',
        noun: people,
        empty: 'No one is due in the next 14 days.',
        table: peopleTable(
          lists.people.filter((p) => p.status === 'due-soon'),
          viewer,
          extras,
          'next',
          false,
        ),
      }
    case ListSlug.NeverSupervised:
      return {
        slug,
        title: 'Never supervised',
        description: 'People in scope who are past the date their first session was due and have never had one.',
        noun: people,
        empty: 'Everyone in scope has been supervised.',
        table: peopleTable(
          lists.people.filter((p) => p.status === 'never-supervised'),
          viewer,
          extras,
          'was',
          false,
        ),
      }
    case ListSlug.RebookingsAtRisk:
      return {
        slug,
        title: 'Rebooking deadlines at risk',
        description:
          'Sessions that did not take place and have not been rebooked, whose rebooking deadline is 2 working days away or less.',
        noun: { one: 'session', many: 'sessions' },
        empty: 'No rebooking deadline is at risk.',
        table: rebookingTable(lists.rebookingsAtRisk, viewer, extras, false),
      }
    case ListSlug.RebookingsMissed:
      return {
        slug,
        title: 'Rebooking deadlines missed',
        description:
          'Sessions that did not take place and were not rebooked in time, with deadlines in the last 12 months.',
        noun: { one: 'session', many: 'sessions' },
        empty: 'No rebooking deadline was missed in the last 12 months.',
        table: rebookingTable(lists.rebookingsMissed, viewer, extras, true),
      }
    case ListSlug.RecordsAwaitingSignature:
      return {
        slug,
        title: 'Records awaiting a signature',
        description: 'Records of sessions that have been completed and are waiting for someone to sign them.',
        noun: { one: 'record', many: 'records' },
        empty: 'No record is waiting for a signature.',
        table: table(lists.recordsAwaitingSignature, [
          {
            heading: 'Session',
            cell: (r) =>
              viewer.content
                ? {
                    html: `<a class="govuk-link" href="${esc(paths.records.show({ recordId: r.id }))}">${esc(formatDate(r.sessionDate))}</a>`,
                  }
                : dateCell(r.sessionDate),
            csv: (r) => r.sessionDate,
          },
          textColumn('Supervisor', (r) => names(r.supervisorNames)),
          textColumn('Supervisee', (r) => names(r.superviseeNames)),
          dateColumn('Completed', (r) => r.completedOn, 'Not known'),
          textColumn('Waiting for', (r) => names(r.waitingFor)),
        ]),
      }
    case ListSlug.ContractsUnsigned:
      return {
        slug,
        title: 'Contracts unsigned',
        description: 'Supervision contracts that have been issued and are still waiting for a signature.',
        noun: { one: 'contract', many: 'contracts' },
        empty: 'Every contract issued has been signed.',
        table: table(lists.contractsUnsigned, [
          {
            heading: 'Supervisee',
            cell: (c) =>
              viewer.contracts && !viewer.general
                ? {
                    html: `<a class="govuk-link" href="${esc(paths.contracts.show({ id: c.id }))}">${esc(c.superviseeName)}</a>`,
                  }
                : { text: c.superviseeName },
            csv: (c) => c.superviseeName,
          },
          textColumn('Supervisor', (c) => c.supervisorName),
          textColumn('Academic year', (c) => c.academicYear),
          dateColumn('Issued', (c) => c.issuedOn, 'Not known'),
          textColumn('Waiting for', (c) => c.waitingFor.map((p) => partyLabels[p]).join(' and ')),
        ]),
      }
    case ListSlug.OverdueActions:
      return {
        slug,
        title: 'Overdue actions',
        description: 'Actions agreed in supervision that are still open and past the date they were due.',
        noun: { one: 'action', many: 'actions' },
        empty: 'No action is overdue.',
        table: actionTable(lists.overdueActions, viewer, extras, false),
      }
    case ListSlug.DriftingActions:
      return {
        slug,
        title: 'Drifting actions',
        description: 'Actions carried forward at two sessions running or more.',
        noun: { one: 'action', many: 'actions' },
        empty: 'No action is drifting.',
        table: actionTable(lists.driftingActions, viewer, extras, true),
      }
    case ListSlug.SupervisorsUntrained:
      return {
        slug,
        title: 'Supervisors with no recorded training',
        description:
          'People who supervise (led a session in the last 12 months, line-manage someone, or are someone’s supervisor) with no supervisor training recorded, or whose training has run out. External supervisors are not included.',
        noun: people,
        empty: 'Every supervisor has training recorded.',
        table: supervisorTable(lists.supervisorsUntrained, viewer, extras, false),
      }
    case ListSlug.SupervisorsTrainingExpiring:
      return {
        slug,
        title: 'Supervisors whose training runs out soon',
        description:
          'People who supervise whose supervisor training runs out in the next 60 days, under the policy’s refresher period. Record their refresher on their page.',
        noun: people,
        empty: 'No supervisor’s training runs out in the next 60 days.',
        table: supervisorTable(lists.supervisorsTrainingExpiring ?? [], viewer, extras, false),
      }
    case ListSlug.SupervisorsUnsupervised:
      return {
        slug,
        title: 'Supervisors not themselves supervised',
        description:
          'People who supervise and have had no supervision session themselves in the last 12 months, or whose own supervision is overdue.',
        noun: people,
        empty: 'Every supervisor is supervised.',
        table: supervisorTable(lists.supervisorsUnsupervised, viewer, extras, true),
      }
    default:
      return null
  }
}

// ---------------------------------------------------------------------------------------------
// The overview page

export interface FigurePanel {
  title: string
  value: string
  /** The words after the number in the link, e.g. "people overdue". */
  linkText: string
  href: string
  hint: string
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many
}

export function figurePanels(figures: OverviewFigures): { heading: string; panels: FigurePanel[] }[] {
  const f = figures
  const panel = (title: string, n: number, one: string, many: string, href: string, hint: string): FigurePanel => ({
    title,
    value: formatNumber(n),
    linkText: plural(n, one, many),
    href,
    hint,
  })
  return [
    {
      heading: 'Supervision',
      panels: [
        panel(
          'In scope',
          f.inScope,
          'person must be supervised',
          'people must be supervised',
          paths.overview.inScope(),
          'Everyone the policy says must be supervised',
        ),
        {
          title: 'Compliant',
          value: f.percentCompliant === null ? 'None' : `${f.percentCompliant}%`,
          linkText: f.percentCompliant === null ? 'no one in scope' : 'of people in scope are up to date',
          href: paths.overview.inScope(),
          hint: `${formatNumber(f.upToDate)} of ${formatNumber(f.inScope)} are up to date or due soon`,
        },
        panel(
          'Overdue',
          f.overdue,
          'person overdue',
          'people overdue',
          paths.overview.overdue(),
          'Supervised before, now past their due date',
        ),
        panel(
          'Due soon',
          f.dueSoon,
          'person due in the next 14 days',
          'people due in the next 14 days',
          paths.overview.dueSoon(),
          'Book these sessions now',
        ),
        panel(
          'Never supervised',
          f.neverSupervised,
          'person never supervised',
          'people never supervised',
          paths.overview.neverSupervised(),
          'Past the date their first session was due',
        ),
        panel(
          'Rebooking at risk',
          f.rebookingsAtRisk,
          'rebooking deadline at risk',
          'rebooking deadlines at risk',
          paths.overview.rebookingsAtRisk(),
          'Deadline 2 working days away or less',
        ),
        panel(
          'Rebooking missed',
          f.rebookingsMissed,
          'rebooking deadline missed',
          'rebooking deadlines missed',
          paths.overview.rebookingsMissed(),
          'In the last 12 months',
        ),
      ],
    },
    {
      heading: 'Records, contracts and actions',
      panels: [
        panel(
          'Records to sign',
          f.recordsAwaitingSignature,
          'record awaiting a signature',
          'records awaiting a signature',
          paths.overview.recordsAwaitingSignature(),
          'Completed, waiting for a signature',
        ),
        panel(
          'Contracts',
          f.contractsUnsigned,
          'contract unsigned',
          'contracts unsigned',
          paths.overview.contractsUnsigned(),
          'Issued and not yet signed',
        ),
        panel(
          'Overdue actions',
          f.overdueActions,
          'action overdue',
          'actions overdue',
          paths.overview.overdueActions(),
          'Open and past the date due',
        ),
        panel(
          'Drifting actions',
          f.driftingActions,
          'action drifting',
          'actions drifting',
          paths.overview.driftingActions(),
          'Carried forward at two sessions running',
        ),
      ],
    },
    {
      heading: 'Supervisors',
      panels: [
        panel(
          'No training recorded',
          f.supervisorsUntrained,
          'supervisor with no recorded training',
          'supervisors with no recorded training',
          paths.overview.supervisorsUntrained(),
          'Supervisors must be trained',
        ),
        panel(
          'Training runs out soon',
          f.supervisorsTrainingExpiring ?? 0,
          'supervisor whose training runs out soon',
          'supervisors whose training runs out soon',
          paths.overview.supervisorsTrainingExpiring(),
          'In the next 60 days',
        ),
        panel(
          'Not supervised',
          f.supervisorsUnsupervised,
          'supervisor not supervised',
          'supervisors not supervised',
          paths.overview.supervisorsUnsupervised(),
          'No session of their own in 12 months, or overdue',
        ),
        panel(
          'Over the weekly limit',
          f.supervisorsOverLimit,
          'supervisor over the weekly limit',
          'supervisors over the weekly limit',
          paths.overview.supervisorLoad(),
          'In their busiest week this half term',
        ),
        panel(
          'Functions not covered',
          f.frameworkGaps,
          'supervisee with a function not covered',
          'supervisees with a function not covered',
          paths.overview.balance(),
          'In the last 12 months',
        ),
      ],
    },
  ]
}

export function statusChart(summary: OverviewSummary): { svg: string; rows: { label: string; count: number }[] } {
  const rows = summary.statusCounts.map((s) => ({
    label: s.status === 'due-soon' ? 'Due within 14 days' : statusLabels[s.status],
    count: s.count,
  }))
  const bars: Bar[] = rows.map((r) => ({ label: r.label, value: r.count }))
  const description = rows.map((r) => `${r.label}: ${r.count}`).join('; ')
  return {
    svg: barChartSvg({
      id: 'status-chart',
      title: `People in scope by status (${summary.figures.inScope} in all)`,
      description,
      bars,
      unit: { one: 'person', many: 'people' },
    }),
    rows,
  }
}

// ---------------------------------------------------------------------------------------------
// Balance of functions and supervisor load

export function balanceTables(overview: Overview, viewer: Viewer) {
  const { balance } = overview.lists
  return balance.frameworks.map((framework) => {
    const itemName = new Map(framework.items.map((i) => [i.id, i.name]))
    const totals = table(framework.items, [
      textColumn('Function', (i) => i.name),
      {
        heading: 'Supervisees who covered it',
        cell: (i) => ({ text: `${i.coveredBy} of ${framework.rows.length}` }),
        csv: (i) => i.coveredBy,
      },
    ])
    // The general view: how many functions each person has not covered, not which.
    const people = viewer.general
      ? table(framework.rows, [
          textColumn('Supervisee', (r) => r.name),
          {
            heading: 'Sessions in the last 12 months',
            numeric: true,
            cell: (r) => ({ text: String(r.sessions) }),
            csv: (r) => r.sessions,
          },
          {
            heading: 'Functions not covered',
            cell: (r) => ({ text: r.flagged ? `${r.missing.length} of ${framework.items.length}` : 'None flagged' }),
            csv: (r) => (r.flagged ? r.missing.length : 0),
          },
        ])
      : table(framework.rows, [
          {
            heading: 'Supervisee',
            cell: (r) => ({
              html: `<a class="govuk-link" href="${esc(paths.staff.person({ id: r.personId }))}">${esc(r.name)}</a>`,
            }),
            csv: (r) => r.name,
          },
          { heading: 'Sessions', numeric: true, cell: (r) => ({ text: String(r.sessions) }), csv: (r) => r.sessions },
          ...framework.items.map(
            (item): Column<(typeof framework.rows)[number]> => ({
              heading: item.name,
              cell: (r) =>
                r.covered.includes(item.id)
                  ? { text: 'Covered' }
                  : { html: r.flagged ? tag('Not covered', 'red') : 'Not covered' },
              csv: (r) => (r.covered.includes(item.id) ? 'Covered' : 'Not covered'),
            }),
          ),
        ])
    const flagged = framework.rows.filter((r) => r.flagged)
    return {
      id: framework.id,
      name: framework.name,
      flaggedCount: flagged.length,
      flaggedNames: viewer.general
        ? []
        : flagged.map((r) => ({ name: r.name, missing: r.missing.map((m) => itemName.get(m) ?? m) })),
      totals,
      people,
      // LH-02: the policy's own look-back (a snapshot kept before it existed has none: 12 months).
      since: framework.windowStart ?? balance.windowStart,
      lookback: framework.lookback ? describeDuration(framework.lookback) : '12 months',
      byTerm: balanceByTerm(framework, viewer),
    }
  })
}

/**
 * LH-02: the balance per term: for each supervisee and each term of the window, how many of the
 * framework's items their held sessions covered (and, for viewers who may read which, their names).
 */
function balanceByTerm(framework: Overview['lists']['balance']['frameworks'][number], viewer: Viewer) {
  const terms = framework.terms ?? []
  const itemName = new Map(framework.items.map((i) => [i.id, i.name]))
  const total = framework.items.length
  return table(framework.rows, [
    textColumn('Supervisee', (r) => r.name),
    ...terms.map(
      (term, i): Column<(typeof framework.rows)[number]> => ({
        heading: term.name,
        cell: (r) => {
          const got = r.byTerm?.[i] ?? { sessions: 0, covered: [] }
          const count = `${got.covered.length} of ${total}`
          const sessions = `${got.sessions} ${got.sessions === 1 ? 'session' : 'sessions'}`
          return viewer.general || got.covered.length === 0
            ? { text: `${count} (${sessions})` }
            : { text: `${count} (${sessions}): ${got.covered.map((c) => itemName.get(c) ?? c).join(', ')}` }
        },
        csv: (r) => r.byTerm?.[i]?.covered.length ?? 0,
      }),
    ),
  ])
}

/**
 * The balance as one CSV whatever the number of frameworks: a row per supervisee and item (or, in
 * the general view, per supervisee: how many items were not covered).
 */
export function balanceCsv(overview: Overview, viewer: Viewer): { head: string[]; rows: CsvCell[][] } {
  const { frameworks } = overview.lists.balance
  if (viewer.general) {
    return {
      head: ['Framework', 'Supervisee', 'Sessions in the last 12 months', 'Items not covered', 'Flagged'],
      rows: frameworks.flatMap((f) =>
        f.rows.map((r) => [f.name, r.name, r.sessions, r.flagged ? r.missing.length : 0, r.flagged]),
      ),
    }
  }
  return {
    head: ['Framework', 'Supervisee', 'Sessions in the last 12 months', 'Item', 'Covered', 'Flagged'],
    rows: frameworks.flatMap((f) =>
      f.rows.flatMap((r) =>
        f.items.map((item) => [
          f.name,
          r.name,
          r.sessions,
          item.name,
          r.covered.includes(item.id),
          r.flagged && !r.covered.includes(item.id),
        ]),
      ),
    ),
  }
}

export function loadTable(overview: Overview) {
  const { load } = overview.lists
  const current = load.currentPeriodIndex
  const limit = load.maxPerWeek.value
  const head = ['Supervisor', ...load.periods.map((p) => p.name)]
  const withBusiest = current !== null
  return {
    current: current === null ? null : load.periods[current]!,
    limit,
    source: load.maxPerWeek.source,
    table: table(load.rows, [
      textColumn('Supervisor', (r) => r.name),
      ...load.periods.map(
        (_, i): Column<(typeof load.rows)[number]> => ({
          heading: head[i + 1]!,
          numeric: true,
          cell: (r) => ({ text: String(r.counts[i] ?? 0) }),
          csv: (r) => r.counts[i] ?? 0,
        }),
      ),
      withBusiest && {
        heading: 'Busiest week this half term',
        cell: (r: (typeof load.rows)[number]) => {
          const n = r.busiestWeek[current!] ?? 0
          return n > limit ? { html: `${n} ${tag('Over the limit', 'red')}` } : { text: String(n) }
        },
        csv: (r: (typeof load.rows)[number]) => r.busiestWeek[current!] ?? 0,
      },
    ]),
    chart:
      current === null
        ? null
        : barChartSvg({
            id: 'load-chart',
            title: `Sessions led by each supervisor in ${load.periods[current]!.name}`,
            description: `Sessions held or planned in ${load.periods[current]!.name} (${formatDate(load.periods[current]!.start)} to ${formatDate(load.periods[current]!.end)}). The weekly limit is ${limit}; bars of supervisors over it in their busiest week are hatched and say so.`,
            unit: { one: 'session', many: 'sessions' },
            bars: load.rows.map((r) => ({
              label: r.name,
              value: r.counts[current] ?? 0,
              ...((r.busiestWeek[current] ?? 0) > limit
                ? { note: `${r.busiestWeek[current]} in one week, over the limit of ${limit}` }
                : {}),
            })),
          }),
  }
}
