/** The school calendar for people: year labels, regions, closures and the years' summaries. */
import {
  type AcademicYear,
  type BankHolidayRegion,
  bankHolidays,
  formatLongDate,
  halfTermLabels,
  parseAcademicYearId,
} from '../../domain/calendar/index.ts'

export const regionNames: Record<string, string> = {
  'england-and-wales': 'England and Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
}

const kindLabels: Record<string, string> = { inset: 'INSET day', closure: 'Closure' }

/** "2026 to 2027" for '2026-27'. */
export function yearLabel(id: string): string {
  const bounds = parseAcademicYearId(id)
  return bounds ? `${bounds.startYear} to ${bounds.startYear + 1}` : id
}

/** The half terms of a year as rows: name, first day, last day. */
export function halfTermRows(year: AcademicYear) {
  return year.halfTerms.map((h) => ({
    name: halfTermLabels[h.id] ?? h.name,
    start: formatLongDate(h.start),
    end: formatLongDate(h.end),
  }))
}

/** One year on the calendar page: its half terms, closures and the region's bank holidays. */
export function yearSummary(
  year: AcademicYear,
  input: {
    when: 'previous' | 'current' | 'next'
    isDefault: boolean
    region: BankHolidayRegion
    editHref: string | null
  },
) {
  const bounds = parseAcademicYearId(year.id)!
  return {
    id: year.id,
    label: yearLabel(year.id),
    when: input.when,
    isDefault: input.isDefault,
    halfTerms: halfTermRows(year),
    closures: [...year.closures]
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .map((c) => ({
        date: formatLongDate(c.date),
        kind: kindLabels[c.kind] ?? c.kind,
        description: c.description,
      })),
    bankHolidays: bankHolidays(input.region)
      .filter((h) => h.date >= bounds.start && h.date <= bounds.end)
      .map((h) => ({ date: formatLongDate(h.date), title: h.title })),
    editHref: input.editHref,
  }
}
