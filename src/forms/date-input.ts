/**
 * The one reader of a GOV.UK date input (issue 13, ADR 16): three fields named `<name>-day`,
 * `<name>-month` and `<name>-year`, read into an ISO date (YYYY-MM-DD), or refused with the
 * Design System's message and the parts to highlight:
 * - nothing entered (when required): "Enter the end date" (the caller may give its own words);
 * - a part missing: "<Label> must include a month", "... must include a day and year";
 * - a year that is not 4 numbers: "Year must include 4 numbers";
 * - anything else that is not a day on the calendar (31 February, 29 February 2027, month 13,
 *   day 0, letters): "<Label> must be a real date";
 * - a date outside what the form allows: "<Label> must be the same as or after 1 September 2026",
 *   "... must be the same as or before ...", "... must be today or in the past" /
 *   "... must be today or in the future".
 * Dates in messages are written as everywhere else in Haven: "1 September 2026".
 * Pure: no I/O.
 */
import { z } from 'zod'
import { daysInMonth, formatLongDate } from '../domain/calendar/dates.ts'
import type { IsoDate } from '../domain/people/person.ts'
import { field } from './errors.ts'

/** The three fields as typed (trimmed), to show again after a mistake. */
export interface DateParts {
  day: string
  month: string
  year: string
}

export type DatePart = keyof DateParts

export const datePartNames: readonly DatePart[] = ['day', 'month', 'year']

export const emptyDateParts: DateParts = Object.freeze({ day: '', month: '', year: '' })

export interface DateInputOptions {
  /** A blank date is a problem (default: blank is no date). */
  required?: boolean
  /** The message when a required date is blank (default "Enter the <label>": "Enter the end date"). */
  blank?: string
  /** The earliest date allowed, and optionally how to name it instead of writing the date. */
  onOrAfter?: IsoDate | { date: IsoDate; name: string }
  /** The latest date allowed, and optionally how to name it instead of writing the date. */
  onOrBefore?: IsoDate | { date: IsoDate; name: string }
  /** Today's date, for `past` and `future`. */
  today?: IsoDate
  /** 'past': today or earlier; 'future': today or later (needs `today`). */
  when?: 'past' | 'future'
}

export interface DateInputProblem {
  message: string
  /** The parts to highlight: one or two when only they are wrong, all three otherwise. */
  highlight: DatePart[]
}

export type DateInputResult = {
  /** The date, or null when blank or refused. */
  value: IsoDate | null
  /** The message, or null. */
  error: string | null
  /** The parts to highlight when there is an error (empty otherwise). */
  highlight: DatePart[]
  /** As typed, trimmed. */
  parts: DateParts
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function lowerFirst(text: string): string {
  // Keep an acronym as it is ("DSL training date").
  return /^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1)
}

function listed(parts: readonly string[]): string {
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}

function boundName(bound: IsoDate | { date: IsoDate; name: string }): { date: IsoDate; name: string } {
  return typeof bound === 'string' ? { date: bound, name: formatLongDate(bound) } : bound
}

export function isBlankDate(parts: DateParts): boolean {
  return parts.day === '' && parts.month === '' && parts.year === ''
}

/**
 * What is wrong with the typed parts, or the ISO date they name (null when blank and allowed).
 * The heart of the reader, shared by `dateInputSchema` and `readDateInput`.
 */
export function checkDateParts(
  parts: DateParts,
  label: string,
  options: DateInputOptions = {},
): { value: IsoDate | null } | { problem: DateInputProblem } {
  const Label = upperFirst(label)
  if (isBlankDate(parts)) {
    if (!options.required) return { value: null }
    const blank = options.blank ?? `Enter the ${lowerFirst(label.replace(/^the /i, ''))}`
    return { problem: { message: blank, highlight: [...datePartNames] } }
  }
  const missing = datePartNames.filter((p) => parts[p] === '')
  if (missing.length > 0)
    return { problem: { message: `${Label} must include a ${listed(missing)}`, highlight: missing } }
  const wrong: DatePart[] = []
  if (!/^\d{1,2}$/.test(parts.day) || Number(parts.day) < 1 || Number(parts.day) > 31) wrong.push('day')
  if (!/^\d{1,2}$/.test(parts.month) || Number(parts.month) < 1 || Number(parts.month) > 12) wrong.push('month')
  if (!/^\d+$/.test(parts.year)) wrong.push('year')
  if (wrong.length > 0) return { problem: { message: `${Label} must be a real date`, highlight: wrong } }
  if (parts.year.length !== 4) return { problem: { message: 'Year must include 4 numbers', highlight: ['year'] } }
  const year = Number(parts.year)
  if (year < 1) return { problem: { message: `${Label} must be a real date`, highlight: ['year'] } }
  if (Number(parts.day) > daysInMonth(year, Number(parts.month)))
    return { problem: { message: `${Label} must be a real date`, highlight: ['day'] } }
  const iso = `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`
  const all = [...datePartNames]
  if (options.onOrAfter) {
    const bound = boundName(options.onOrAfter)
    if (iso < bound.date)
      return { problem: { message: `${Label} must be the same as or after ${bound.name}`, highlight: all } }
  }
  if (options.onOrBefore) {
    const bound = boundName(options.onOrBefore)
    if (iso > bound.date)
      return { problem: { message: `${Label} must be the same as or before ${bound.name}`, highlight: all } }
  }
  if (options.today && options.when === 'past' && iso > options.today)
    return { problem: { message: `${Label} must be today or in the past`, highlight: all } }
  if (options.today && options.when === 'future' && iso < options.today)
    return { problem: { message: `${Label} must be today or in the future`, highlight: all } }
  return { value: iso }
}

const part = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().catch('')).catch('')

/** The parts as the date input sends them: each a trimmed string ('' when missing or not text). */
export const datePartsSchema = z
  .object({ day: part, month: part, year: part })
  .catch({ ...emptyDateParts }) as z.ZodType<DateParts, unknown>

/**
 * A Zod schema for one date input: from `{ day, month, year }` (as typed) to an ISO date, or null
 * when blank and not required. An error's issue carries the message and, in `params.highlight`,
 * the parts to highlight; inside a form's object schema its path is the field's name.
 */
export function dateInputSchema(label: string, options: DateInputOptions = {}) {
  return datePartsSchema.transform((parts, ctx): IsoDate | null => {
    const checked = checkDateParts(parts, label, options)
    if ('value' in checked) return checked.value
    ctx.addIssue({ code: 'custom', message: checked.problem.message, params: { highlight: checked.problem.highlight } })
    return z.NEVER
  })
}

/** The three parts of the date input `name` in a urlencoded body (first value if repeated, trimmed). */
export function datePartsFrom(body: unknown, name: string): DateParts {
  return { day: field(body, `${name}-day`), month: field(body, `${name}-month`), year: field(body, `${name}-year`) }
}

/**
 * Reads the date input `name` from a urlencoded body: the ISO date, or the Design System's message
 * naming the field by `label` and the parts to highlight; the parts as typed, to show again.
 */
export function readDateInput(
  body: unknown,
  name: string,
  label: string,
  options: DateInputOptions = {},
): DateInputResult {
  const parts = datePartsFrom(body, name)
  const parsed = dateInputSchema(label, options).safeParse(parts)
  if (parsed.success) return { value: parsed.data, error: null, highlight: [], parts }
  const issue = parsed.error.issues[0]!
  const highlight = (issue as { params?: { highlight?: DatePart[] } }).params?.highlight ?? [...datePartNames]
  return { value: null, error: issue.message, highlight, parts }
}

/** The parts of a stored ISO date, for a date input (blank for anything that is not an ISO date). */
export function datePartsOf(iso: unknown): DateParts {
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! } : { ...emptyDateParts }
}

/** The id of the first part to highlight, for the error summary's link ("startDate-month"). */
export function dateErrorHref(name: string, highlight: readonly DatePart[]): string {
  return `${name}-${highlight[0] ?? 'day'}`
}

/**
 * Which parts of a date input to highlight when it has an error, from the parts as typed: the
 * parts the reader finds at fault ("must include a month": the month; 31 February: the day), or
 * all three when the date itself is refused (blank, or outside what the form allows). The one
 * date-input macro calls it, so every page highlights the same way.
 */
export function dateInputHighlight(values: unknown): DatePart[] {
  const parts = datePartsSchema.parse(values ?? {})
  const checked = checkDateParts(parts, 'Date', { required: true })
  return 'problem' in checked ? checked.problem.highlight : [...datePartNames]
}
