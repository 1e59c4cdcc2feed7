/**
 * Dates, times and numbers for people: GOV.UK wording, always in Europe/London (ADR 0017).
 *
 * The one place pages, PDFs and emails format them. The words themselves come from the pure
 * calendar (`formatLongDate`, `formatLongDateWithWeekday`, `formatClockTime`), which domain rules
 * use for their messages, so a date or time reads the same wherever it appears:
 * '1 September 2026', 'Tuesday 1 September 2026', '2pm', '2:30pm', 'midday', 'midnight', '12,345'.
 */
import {
  formatClockTime,
  formatLongDate,
  formatLongDateWithWeekday,
  type IsoDate,
  isValidIsoDate,
  londonDateOf,
  londonTimeOf,
} from '../domain/calendar/index.ts'

export { formatClockTime, formatLongDate, formatLongDateWithWeekday }

function toInstant(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v)
    return Number.isNaN(d.getTime()) ? null : d
  }
  return null
}

/** The London calendar date of a value: an ISO date as it is, an instant on London's clock. */
function londonDate(v: unknown): IsoDate | null {
  if (isValidIsoDate(v)) return v
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return null
  const d = toInstant(v)
  return d ? londonDateOf(d) : null
}

/** 1 September 2026 */
export function formatDate(v: unknown): string {
  const date = londonDate(v)
  return date ? formatLongDate(date) : ''
}

/** Tuesday 1 September 2026 */
export function formatDateWithWeekday(v: unknown): string {
  const date = londonDate(v)
  return date ? formatLongDateWithWeekday(date) : ''
}

/** 2:30pm, 2pm, midday, midnight: the London time of an instant. */
export function formatTime(v: unknown): string {
  const d = toInstant(v)
  return d ? formatClockTime(londonTimeOf(d)) : ''
}

/** 1 September 2026 at 2:30pm */
export function formatDateTime(v: unknown): string {
  const d = toInstant(v)
  return d ? `${formatDate(d)} at ${formatTime(d)}` : ''
}

/** 12,345: a whole number with thousands separators. */
export function formatNumber(n: number): string {
  return n.toLocaleString('en-GB')
}

/**
 * '1 person', '2 people', '12,345 people': a count with its noun, the singular for exactly one.
 * The one way pages say how many (the `plural` filter in templates).
 */
export function formatCount(n: number, singular: string, plural: string): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`
}
