/**
 * The planner's page rules (issue 6): proposed and planned sessions shown half term by half term,
 * a long proposal shown one half term at a time, and the academic years offered around the one
 * being planned. Pure: no I/O, no clock.
 */
import { academicYearBounds, parseAcademicYearId } from '../calendar/index.ts'

/** Above this many proposals, the planner shows one half term at a time. */
export const ROWS_ON_ONE_PAGE = 600

export interface HalfTermGroup<T> {
  /** The half term's id (`2026-27/autumn-1`), or '' for sessions outside term. */
  id: string
  name: string
  /** The page anchor and `half` query value (`half-term-autumn-1`). */
  anchor: string
  rows: T[]
}

/** The anchor of a half term's group: its own id after the year, or `other` outside term. */
export function halfTermAnchor(halfTermId: string): string {
  return `half-term-${halfTermId.split('/')[1] ?? 'other'}`
}

/**
 * Rows grouped by half term, in the order their half terms first appear (rows come sorted by
 * date), each row shaped by `shape`.
 */
export function groupByHalfTerm<R extends { halfTermId: string; halfTermName: string }, T>(
  rows: readonly R[],
  shape: (row: R) => T,
): HalfTermGroup<T>[] {
  const groups = new Map<string, HalfTermGroup<T>>()
  for (const row of rows) {
    let group = groups.get(row.halfTermId)
    if (!group) {
      group = { id: row.halfTermId, name: row.halfTermName, anchor: halfTermAnchor(row.halfTermId), rows: [] }
      groups.set(row.halfTermId, group)
    }
    group.rows.push(shape(row))
  }
  return [...groups.values()]
}

/** Rows grouped by half term name only (sessions already planned carry no half term id). */
export function groupByHalfTermName<R extends { halfTermName: string }, T>(
  rows: readonly R[],
  shape: (row: R) => T,
): { name: string; sessions: T[] }[] {
  const groups = new Map<string, { name: string; sessions: T[] }>()
  for (const row of rows) {
    let group = groups.get(row.halfTermName)
    if (!group) {
      group = { name: row.halfTermName, sessions: [] }
      groups.set(row.halfTermName, group)
    }
    group.sessions.push(shape(row))
  }
  return [...groups.values()]
}

/**
 * Which half term a proposal of `rowCount` rows shows: null when it fits on one page (every half
 * term shown), else the half term asked for by its anchor, or the first.
 */
export function shownHalfTerm(
  groups: readonly { anchor: string }[],
  rowCount: number,
  asked: string | null | undefined,
): string | null {
  if (rowCount <= ROWS_ON_ONE_PAGE) return null
  return (groups.find((g) => g.anchor === asked) ?? groups[0])?.anchor ?? null
}

/** The academic year `by` years after `yearId` (`2026-27`, 1 gives `2027-28`). */
export function yearAfter(yearId: string, by: number): string {
  const bounds = parseAcademicYearId(yearId)
  if (!bounds) throw new Error(`Not an academic year: ${yearId}`)
  return academicYearBounds(bounds.startYear + by).id
}

/** The last day of a year's half terms, or null when the calendar has no half terms for it. */
export function lastDayOfYear(halfTerms: readonly { end: string }[] | undefined): string | null {
  if (!halfTerms) return null
  return (
    halfTerms
      .map((h) => h.end)
      .sort()
      .at(-1) ?? null
  )
}

/** A count carried in the planner's address after a change (`?proposed=12`), or null. */
export function countParam(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : null
}
