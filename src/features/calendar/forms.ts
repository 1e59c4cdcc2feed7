/**
 * The academic year form: six half terms as pairs of GOV.UK date inputs, and closure days as
 * rows (date, INSET day or closure, description) added and removed without JavaScript. Field names
 * follow validateAcademicYear's paths with hyphens: `halfTerms.2.end` is `halfTerms-2-end`.
 * Two Zod schemas (issue 13, point 3): `yearValuesSchema` reads what was typed (to show again, and
 * to add or remove a row), `yearFormSchema` reads the year to save, or refuses it with every
 * problem in the form's order; `resetFormSchema` reads the version of a reset.
 */
import { z } from 'zod'
import {
  type AcademicYear,
  type ClosureKind,
  halfTermLabels,
  halfTermNames,
  validateAcademicYear,
} from '../../domain/calendar/index.ts'
import {
  type DateParts,
  datePartsFrom,
  datePartsOf,
  emptyDateParts,
  isBlankDate,
  readDateInput,
} from '../../forms/date-input.ts'
import { field } from '../../forms/errors.ts'

export type { DateParts }

export interface ClosureRow {
  date: DateParts
  kind: string
  description: string
}

export interface YearFormValues {
  halfTerms: { start: DateParts; end: DateParts }[]
  closures: ClosureRow[]
  version: string
}

export const MAX_CLOSURES = 60

export function blankClosure(): ClosureRow {
  return { date: { ...emptyDateParts }, kind: '', description: '' }
}

export function yearFormValues(year: AcademicYear, version: number | null): YearFormValues {
  return {
    halfTerms: halfTermNames.map((name) => {
      const halfTerm = year.halfTerms.find((h) => h.id === name)
      return { start: datePartsOf(halfTerm?.start), end: datePartsOf(halfTerm?.end) }
    }),
    closures: year.closures.map((c) => ({ date: datePartsOf(c.date), kind: c.kind, description: c.description })),
    version: version === null ? '' : String(version),
  }
}

function closureRowBlank(row: ClosureRow): boolean {
  return isBlankDate(row.date) && row.kind === '' && row.description === ''
}

/** The closure rows as submitted (`closureCount` of them), before any are added or removed. */
export function submittedValues(body: unknown): YearFormValues {
  const countText = field(body, 'closureCount')
  const count = /^\d{1,3}$/.test(countText) ? Math.min(Number(countText), MAX_CLOSURES) : 0
  const parts = (name: string): DateParts => datePartsFrom(body, name)
  return {
    halfTerms: halfTermNames.map((_, i) => ({
      start: parts(`halfTerms-${i}-start`),
      end: parts(`halfTerms-${i}-end`),
    })),
    closures: Array.from({ length: count }, (_, i) => ({
      date: parts(`closures-${i}-date`),
      kind: field(body, `closures-${i}-kind`),
      description: field(body, `closures-${i}-description`),
    })),
    version: field(body, 'version'),
  }
}

export type YearFormResult =
  | { ok: true; year: AcademicYear; expectedVersion: number | null }
  | { ok: false; errors: [string, string][] }

/** A version from the hidden field: null for a year not stored yet (or anything that is not a version). */
export function versionOf(text: string): number | null {
  return /^\d{1,9}$/.test(text) ? Number(text) : null
}

/** What was typed, and which button was pressed ('save', 'add-closure', 'remove-closure-<n>'). */
export const yearValuesSchema = z
  .unknown()
  .transform((body) => ({ values: submittedValues(body), action: field(body, 'action') }))

/** The year to save (with the version read), or every problem with it, each under its field's id. */
export function yearFormSchema(yearId: string) {
  return z.unknown().transform((body, ctx) => {
    const result = readYearForm(yearId, body, submittedValues(body))
    if (result.ok) return { year: result.year, expectedVersion: result.expectedVersion }
    for (const [key, message] of result.errors) ctx.addIssue({ code: 'custom', path: [key], message })
    return z.NEVER
  })
}

/** Where the error summary links: a date's day field, else the field itself. */
export function yearFormHrefs(values: YearFormValues): Record<string, string> {
  const hrefs: Record<string, string> = {}
  halfTermNames.forEach((_, i) => {
    hrefs[`halfTerms-${i}-start`] = `halfTerms-${i}-start-day`
    hrefs[`halfTerms-${i}-end`] = `halfTerms-${i}-end-day`
  })
  values.closures.forEach((_, i) => {
    hrefs[`closures-${i}-date`] = `closures-${i}-date-day`
  })
  return hrefs
}

/** Resetting a year to the England default: the version read. */
export const resetFormSchema = z.object({
  version: z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().catch(''))
    .catch('')
    .transform(versionOf),
})

/**
 * Checks the submitted year: dates that cannot be read, then validateAcademicYear. Blank closure
 * rows are ignored. Error keys are field ids (`halfTerms-2-end`, `closures-0-kind`).
 */
export function readYearForm(yearId: string, body: unknown, values: YearFormValues): YearFormResult {
  const errors = new Map<string, string>()
  const halfTerms = halfTermNames.map((name, i) => {
    const label = halfTermLabels[name]
    const start = readDateInput(body, `halfTerms-${i}-start`, `${label} start date`, {
      required: true,
      blank: `Enter the date ${label} starts`,
    })
    const end = readDateInput(body, `halfTerms-${i}-end`, `${label} end date`, {
      required: true,
      blank: `Enter the date ${label} ends`,
    })
    if (start.error) errors.set(`halfTerms-${i}-start`, start.error)
    if (end.error) errors.set(`halfTerms-${i}-end`, end.error)
    return { id: name, name: label, start: start.value ?? '', end: end.value ?? '' }
  })
  const rowIndex: number[] = []
  const closures = values.closures.flatMap((row, i) => {
    if (closureRowBlank(row)) return []
    const date = readDateInput(body, `closures-${i}-date`, `Date of closure ${i + 1}`, {
      required: true,
      blank: `Enter the date of closure ${i + 1}`,
    })
    if (date.error) errors.set(`closures-${i}-date`, date.error)
    rowIndex.push(i)
    return [{ date: date.value ?? '', kind: row.kind as ClosureKind, description: row.description }]
  })
  const year: AcademicYear = { id: yearId, halfTerms, closures }
  for (const issue of validateAcademicYear(year)) {
    const match = /^(halfTerms|closures)\.(\d+)\.(\w+)$/.exec(issue.path)
    if (!match) {
      if (!errors.has('halfTerms-0-start')) errors.set('halfTerms-0-start', issue.message)
      continue
    }
    const index = match[1] === 'closures' ? (rowIndex[Number(match[2])] ?? Number(match[2])) : Number(match[2])
    const key = `${match[1]}-${index}-${match[3]}`
    // Messages name closures by their row, as the person sees them.
    const message =
      match[1] === 'closures'
        ? issue.message.replace(/(closure) (\d+)/gi, (_m, word: string, n: string) => {
            const row = rowIndex[Number(n) - 1] ?? Number(n) - 1
            return `${word} ${row + 1}`
          })
        : issue.message
    if (!errors.has(key)) errors.set(key, message)
  }
  if (errors.size > 0) {
    const order = [
      ...halfTermNames.flatMap((_, i) => [`halfTerms-${i}-start`, `halfTerms-${i}-end`]),
      ...values.closures.flatMap((_, i) => [`closures-${i}-date`, `closures-${i}-kind`, `closures-${i}-description`]),
    ]
    const sorted = [...errors].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    return { ok: false, errors: sorted }
  }
  return { ok: true, year, expectedVersion: versionOf(values.version) }
}
