/**
 * The trust rollup (issue 16, item 2; ADR 0033): every academy of a trust side by side, for the
 * trust's central team, with the same content-blind figures as the governors' report and the
 * overview, for a term and the term before it, sortable by any column, and academies below the
 * trust's threshold flagged. Pure: the service passes each academy's figures (worked out by
 * `academyFigures` from the compliance engine's answer) and the trust's threshold.
 *
 * Definitions, for an academy and a term, up to the last day reported (the term's end, or today
 * while it runs); the same as the governors' report (src/domain/governors/report.ts):
 * - In scope, up to date, percentage: the engine's on the last day reported (complianceFigures).
 * - Overdue: in scope and overdue on that day, including people never supervised.
 * - Sessions held and required, cancellations, rebooking deadlines missed: `periodFigures`.
 * - Contracts signed: people whose contract was signed by every party in the term (MW-02).
 *
 * Cross-school supervision (LH-05: a DSL supervised by a DSL of another academy) is counted once,
 * where the supervisee belongs: `sessionsWhereTheyBelong` gives an academy its own sessions and
 * the sessions recorded at another academy of the trust in which its own people were supervised
 * (only those people); the supervisor's academy counts nothing for it, as its compliance and held
 * sessions only ever count its own people.
 *
 * The central team reaches every academy's overview by name (ADR 0010), so figures here are not
 * suppressed as the governors' report's are (ADR 0027): they are the academy's own.
 */
import type { IsoDate, SchoolCalendar } from '../calendar/index.ts'
import type { CancellationFact, PersonCompliance, SessionFact } from '../compliance/index.ts'
import { type ContractSignedFact, periodFigures, type ReportPeriod } from '../governors/index.ts'
import { complianceFigures } from '../overview/build.ts'
import type { PolicyBook } from '../policy/versions.ts'

/** One academy's figures for one term. */
export interface AcademyFigures {
  inScope: number
  upToDate: number
  /** Up to date as a whole percentage of in scope, rounded down; null when no one is in scope. */
  percent: number | null
  overdue: number
  held: number
  required: number
  cancellations: number
  rebookingsMissed: number
  contractsSigned: number
}

export interface AcademyFiguresInput {
  calendar: SchoolCalendar
  book: PolicyBook
  period: ReportPeriod
  /** The last day reported: the period's end, or today while it runs. */
  asAt: IsoDate
  /** The engine's answer on `asAt` for the academy's people. */
  compliance: readonly PersonCompliance[]
  /** `sessionsWhereTheyBelong`: the academy's sessions and its people's sessions elsewhere in the trust. */
  sessions: readonly SessionFact[]
  cancellations: readonly CancellationFact[]
  contractsSigned: readonly ContractSignedFact[]
}

const within = (date: IsoDate, start: IsoDate, end: IsoDate) => date >= start && date <= end

/** An academy's figures for a term, from the same computations as the governors' report. */
export function academyFigures(input: AcademyFiguresInput): AcademyFigures {
  const { inScope, upToDate, percentCompliant } = complianceFigures(input.compliance)
  const figures = periodFigures(
    { book: input.book, cancellations: input.cancellations, calendar: input.calendar },
    input.period,
    input.asAt,
    input.compliance,
    input.sessions,
  )
  const overdue = input.compliance.filter(
    (c) => c.required && (c.status === 'overdue' || c.status === 'never-supervised'),
  ).length
  const signed = new Set(
    input.contractsSigned.filter((c) => within(c.signedOn, input.period.start, input.asAt)).map((c) => c.superviseeId),
  )
  return {
    inScope,
    upToDate,
    percent: percentCompliant,
    overdue,
    held: figures.held,
    required: figures.required,
    cancellations: figures.cancellations.length,
    rebookingsMissed: figures.rebookingsMissed,
    contractsSigned: signed.size,
  }
}

/**
 * Cross-school supervision counted once, where the supervisee belongs (LH-05): the academy's own
 * sessions, and each session recorded at another academy of the trust in which some of the
 * academy's own people were supervised, with only those people as its supervisees. A session
 * recorded at the academy is never also taken from elsewhere (by id).
 */
export function sessionsWhereTheyBelong(
  own: readonly SessionFact[],
  elsewhere: readonly SessionFact[],
  homePeople: ReadonlySet<string>,
): SessionFact[] {
  const seen = new Set(own.map((s) => s.id))
  const theirs: SessionFact[] = []
  for (const session of elsewhere) {
    if (seen.has(session.id)) continue
    const superviseeIds = session.superviseeIds.filter((id) => homePeople.has(id))
    if (superviseeIds.length === 0) continue
    seen.add(session.id)
    theirs.push({ ...session, superviseeIds })
  }
  return [...own, ...theirs]
}

// ---------------------------------------------------------------------------------------------
// The rollup

/** The columns, in the order shown; each can be sorted. */
export const rollupColumns = [
  { id: 'academy', label: 'Academy' },
  { id: 'percent', label: 'Up to date' },
  { id: 'inScope', label: 'In scope' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'held', label: 'Sessions held' },
  { id: 'required', label: 'Sessions required' },
  { id: 'cancellations', label: 'Cancellations' },
  { id: 'rebookingsMissed', label: 'Rebooking deadlines missed' },
  { id: 'contractsSigned', label: 'Contracts signed' },
] as const

export type RollupColumn = (typeof rollupColumns)[number]['id']
export type FigureColumn = Exclude<RollupColumn, 'academy'>
export const figureColumns = rollupColumns.map((c) => c.id).filter((id): id is FigureColumn => id !== 'academy')

export interface RollupSort {
  column: RollupColumn
  direction: 'asc' | 'desc'
}

/** The lowest percentage first: the academies that need attention at the top. */
export const defaultSort: RollupSort = { column: 'percent', direction: 'asc' }

/** The sort asked for in the address (`sort`, `order`); anything else is the default, never an error. */
export function parseSort(sort: unknown, order: unknown): RollupSort {
  const column = rollupColumns.find((c) => c.id === sort)?.id
  if (!column) return defaultSort
  const direction = order === 'desc' ? 'desc' : order === 'asc' ? 'asc' : column === 'academy' ? 'asc' : 'desc'
  return { column, direction }
}

/** The threshold a trust starts with until its central team sets its own. */
export const defaultThreshold = 80

export interface AcademyInput {
  school: { id: string; name: string; slug: string }
  /** Null when the academy has no policy yet (nothing to count). */
  current: AcademyFigures | null
  /** The term before; null when there is none or the academy had no policy then. */
  previous: AcademyFigures | null
}

export interface RollupRow {
  school: AcademyInput['school']
  current: AcademyFigures | null
  previous: AcademyFigures | null
  /** This term less the term before, for each figure; null when either is unknown. */
  change: Record<FigureColumn, number | null>
  /** Up to date below the trust's threshold (an academy with no one in scope is not flagged). */
  flagged: boolean
}

export interface TrustRollup {
  threshold: number
  sort: RollupSort
  rows: RollupRow[]
  /** The trust as a whole: each figure summed over its academies, the percentage of the sums. */
  total: { current: AcademyFigures; previous: AcademyFigures | null; change: Record<FigureColumn, number | null> }
  flaggedCount: number
}

function figureOf(f: AcademyFigures | null, column: FigureColumn): number | null {
  return f === null ? null : f[column]
}

function changeOf(
  current: AcademyFigures | null,
  previous: AcademyFigures | null,
): Record<FigureColumn, number | null> {
  return Object.fromEntries(
    figureColumns.map((c) => {
      const now = figureOf(current, c)
      const then = figureOf(previous, c)
      return [c, now === null || then === null ? null : now - then]
    }),
  ) as Record<FigureColumn, number | null>
}

/** Whether an academy's figures fall below the trust's threshold. */
export function belowThreshold(f: AcademyFigures | null, threshold: number): boolean {
  return f !== null && f.percent !== null && f.percent < threshold
}

function sum(list: readonly AcademyFigures[]): AcademyFigures {
  const total: AcademyFigures = {
    inScope: 0,
    upToDate: 0,
    percent: null,
    overdue: 0,
    held: 0,
    required: 0,
    cancellations: 0,
    rebookingsMissed: 0,
    contractsSigned: 0,
  }
  for (const f of list) {
    total.inScope += f.inScope
    total.upToDate += f.upToDate
    total.overdue += f.overdue
    total.held += f.held
    total.required += f.required
    total.cancellations += f.cancellations
    total.rebookingsMissed += f.rebookingsMissed
    total.contractsSigned += f.contractsSigned
  }
  total.percent = total.inScope === 0 ? null : Math.floor((total.upToDate * 100) / total.inScope)
  return total
}

/** Rows in the order asked for: unknown values last whichever way, then by name. */
function compareRows(sort: RollupSort): (a: RollupRow, b: RollupRow) => number {
  const byName = (a: RollupRow, b: RollupRow) => a.school.name.localeCompare(b.school.name, 'en-GB')
  const sign = sort.direction === 'asc' ? 1 : -1
  if (sort.column === 'academy') return (a, b) => sign * byName(a, b)
  const column = sort.column
  return (a, b) => {
    const x = figureOf(a.current, column)
    const y = figureOf(b.current, column)
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1
    return x !== y ? sign * (x - y) : byName(a, b)
  }
}

export function buildTrustRollup(input: {
  academies: readonly AcademyInput[]
  threshold: number
  sort: RollupSort
}): TrustRollup {
  const rows: RollupRow[] = input.academies.map((a) => ({
    school: a.school,
    current: a.current,
    previous: a.previous,
    change: changeOf(a.current, a.previous),
    flagged: belowThreshold(a.current, input.threshold),
  }))
  rows.sort(compareRows(input.sort))
  const current = sum(rows.flatMap((r) => (r.current ? [r.current] : [])))
  const withPrevious = rows.flatMap((r) => (r.previous ? [r.previous] : []))
  const previous = withPrevious.length > 0 ? sum(withPrevious) : null
  return {
    threshold: input.threshold,
    sort: input.sort,
    rows,
    total: { current, previous, change: changeOf(current, previous) },
    flaggedCount: rows.filter((r) => r.flagged).length,
  }
}
