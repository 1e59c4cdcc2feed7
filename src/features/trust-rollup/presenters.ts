/**
 * The trust rollup's table as the page shows it (issue 16): each column's header a link that sorts
 * by it (aria-sort says how the table is sorted), each academy's figures with the change since the
 * term before in words, its name a link to its overview, and the trust's total last. Pure.
 */
import { type AcademyFigures, type FigureColumn, type RollupColumn, rollupColumns } from '../../domain/trust/rollup.ts'
import { paths } from '../../paths/index.ts'
import type { LoadedRollup } from '../../services/trust/rollup.ts'

export interface HeaderCell {
  id: RollupColumn
  label: string
  href: string
  ariaSort: 'ascending' | 'descending' | 'none'
  numeric: boolean
}

export interface FigureCell {
  text: string
  /** The change since the term before, in words; '' when there is nothing to compare. */
  change: string
}

export interface AcademyRowView {
  name: string
  href: string | null
  flagged: boolean
  /** Why there are no figures, when there are none. */
  note: string | null
  cells: FigureCell[]
}

const figureIds = rollupColumns.filter((c) => c.id !== 'academy').map((c) => c.id as FigureColumn)

function shown(column: FigureColumn, value: number | null): string {
  if (value === null) return column === 'percent' ? 'No one in scope' : 'Not known'
  const n = value.toLocaleString('en-GB')
  return column === 'percent' ? `${n}%` : n
}

function changeWords(column: FigureColumn, change: number | null): string {
  if (change === null) return ''
  if (change === 0) return 'No change'
  const size = Math.abs(change).toLocaleString('en-GB')
  const unit = column === 'percent' ? (Math.abs(change) === 1 ? ' point' : ' points') : ''
  return `${change > 0 ? 'Up' : 'Down'} ${size}${unit}`
}

function cells(current: AcademyFigures | null, change: Record<FigureColumn, number | null>): FigureCell[] {
  return figureIds.map((id) => ({
    text: current === null ? '' : shown(id, current[id]),
    change: current === null ? '' : changeWords(id, change[id]),
  }))
}

export function rollupTable(loaded: LoadedRollup) {
  const { rollup, period } = loaded
  const head: HeaderCell[] = rollupColumns.map((c) => {
    const current = rollup.sort.column === c.id
    const order = current ? (rollup.sort.direction === 'asc' ? 'desc' : 'asc') : c.id === 'academy' ? 'asc' : 'desc'
    return {
      id: c.id,
      label: c.label,
      href: paths.trustRollup.index({ period: period.id, sort: c.id, order }),
      ariaSort: current ? (rollup.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none',
      numeric: c.id !== 'academy',
    }
  })
  const rows: AcademyRowView[] = rollup.rows.map((r) => ({
    name: r.school.name,
    href: paths.overview.index({ school: r.school.slug }),
    flagged: r.flagged,
    note: r.current === null ? 'No supervision policy in force' : null,
    cells: cells(r.current, r.change),
  }))
  return {
    head,
    rows,
    total: cells(rollup.total.current, rollup.total.change),
    flaggedCount: rollup.flaggedCount,
    threshold: rollup.threshold,
  }
}
