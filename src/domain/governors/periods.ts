/**
 * The terms and years a governors' report is for (issue 16, X-02): the terms of the school's own
 * calendar (each from the first day of its first half term to the last day of its second), and
 * whole academic years (the first day of autumn to the last day of summer). Only periods that have
 * begun can be chosen; one still running is reported up to today. Pure.
 */
import { type IsoDate, parseAcademicYearId, periodsFor, type SchoolCalendar, termsOf } from '../calendar/index.ts'

export interface ReportPeriod {
  /** '2026-27/autumn' for a term, '2026-27' for a year. */
  id: string
  kind: 'term' | 'year'
  /** 'Autumn term 2026', 'Academic year 2026 to 2027'. */
  name: string
  start: IsoDate
  end: IsoDate
}

/** How many academic years back a report may be chosen from (and so how much history it reads). */
export const yearsOfReports = 3

function yearName(id: string): string {
  const bounds = parseAcademicYearId(id)
  return bounds ? `Academic year ${bounds.startYear} to ${bounds.startYear + 1}` : id
}

function allPeriods(calendar: SchoolCalendar): ReportPeriod[] {
  const periods: ReportPeriod[] = []
  for (const year of calendar.years) {
    const terms = termsOf(year)
    if (terms.length === 0) continue
    periods.push({
      id: year.id,
      kind: 'year',
      name: yearName(year.id),
      start: terms[0]!.start,
      end: terms[terms.length - 1]!.end,
    })
  }
  const first = calendar.years[0]?.halfTerms[0]?.start
  const last = calendar.years.at(-1)?.halfTerms.at(-1)?.end
  if (first && last) {
    for (const term of periodsFor(calendar, 'term', first, last)) {
      periods.push({
        id: term.id,
        kind: 'term',
        name: `${term.name} term ${term.start.slice(0, 4)}`,
        start: term.start,
        end: term.end,
      })
    }
  }
  return periods
}

/**
 * The periods that can be chosen on `today`, newest first: every term and year begun, of this
 * academic year and the `yearsOfReports` before it.
 */
export function reportPeriods(calendar: SchoolCalendar, today: IsoDate): ReportPeriod[] {
  const begun = allPeriods(calendar).filter((p) => p.start <= today)
  const years = [...new Set(begun.map((p) => p.id.slice(0, 7)))].sort().slice(-(yearsOfReports + 1))
  return begun
    .filter((p) => years.includes(p.id.slice(0, 7)))
    .sort((a, b) => (a.start !== b.start ? (a.start < b.start ? 1 : -1) : a.kind === 'year' ? -1 : 1))
}

/** The period asked for, if it can be chosen; with no id, the latest term begun. */
export function chosenPeriod(calendar: SchoolCalendar, today: IsoDate, id: string | undefined): ReportPeriod | null {
  const periods = reportPeriods(calendar, today)
  if (id === undefined || id === '') return periods.find((p) => p.kind === 'term') ?? null
  return periods.find((p) => p.id === id) ?? null
}

/** Up to `count` periods of the same kind before this one, oldest first (the trend). */
export function previousPeriods(calendar: SchoolCalendar, period: ReportPeriod, count = 3): ReportPeriod[] {
  return allPeriods(calendar)
    .filter((p) => p.kind === period.kind && p.end < period.start)
    .sort((a, b) => (a.start < b.start ? -1 : 1))
    .slice(-count)
}

/** The last day a period is reported up to: its end, or today while it is still running. */
export function asAtOf(period: ReportPeriod, today: IsoDate): IsoDate {
  return period.end < today ? period.end : today
}
