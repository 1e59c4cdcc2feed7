/**
 * Times of day for sessions: wall-clock times in Europe/London ('HH:MM', 24-hour), as people type
 * them ("14:30", "2:30pm", "9.15am"), and the span a session takes.
 */
import { type ClockTime, formatClockTime } from '../calendar/index.ts'

/** Minutes after midnight of a 'HH:MM' time. */
export function minutesOf(time: ClockTime): number {
  const [hours = '0', minutes = '0'] = time.split(':')
  return Number(hours) * 60 + Number(minutes)
}

/** 'HH:MM' for minutes after midnight (0 to 1439). */
export function clockTimeOf(minutes: number): ClockTime {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

/**
 * A time as typed: '14:30', '14.30', '1430', '9:05', '2:30pm', '2pm', '12am' (midnight), '12pm'
 * (midday). Null when it is not a time of day.
 */
export function parseClockTime(input: string): ClockTime | null {
  const text = input.trim().toLowerCase().replace(/\s+/g, '')
  const twelve = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)$/.exec(text)
  if (twelve) {
    const hour = Number(twelve[1])
    const minute = Number(twelve[2] ?? '0')
    if (hour < 1 || hour > 12 || minute > 59) return null
    const h24 = (hour % 12) + (twelve[3] === 'pm' ? 12 : 0)
    return clockTimeOf(h24 * 60 + minute)
  }
  const plain = /^(\d{1,2})[:.](\d{2})$/.exec(text) ?? /^(\d{2})(\d{2})$/.exec(text)
  if (!plain) return null
  const hour = Number(plain[1])
  const minute = Number(plain[2])
  if (hour > 23 || minute > 59) return null
  return clockTimeOf(hour * 60 + minute)
}

/** Whether a session starting then and lasting so long ends by midnight. */
export function endsByMidnight(start: ClockTime, durationMinutes: number): boolean {
  return minutesOf(start) + durationMinutes <= 24 * 60
}

/** Whether two spans on the same day overlap (touching end to start does not). */
export function spansOverlap(
  a: { start: ClockTime; durationMinutes: number },
  b: { start: ClockTime; durationMinutes: number },
): boolean {
  const aStart = minutesOf(a.start)
  const bStart = minutesOf(b.start)
  return aStart < bStart + b.durationMinutes && bStart < aStart + a.durationMinutes
}

/** '2:30pm', GOV.UK style: one formatter for the whole app, kept with the calendar (ADR 0017). */
export { formatClockTime } from '../calendar/index.ts'

/** '2:30pm to 3:30pm', or just the start when the length is unknown. */
export function formatSpan(start: ClockTime | null, durationMinutes: number | null): string {
  if (start === null) return 'Time not set'
  if (durationMinutes === null) return formatClockTime(start)
  const end = minutesOf(start) + durationMinutes
  if (end >= 24 * 60) return `${formatClockTime(start)} to midnight`
  return `${formatClockTime(start)} to ${formatClockTime(clockTimeOf(end))}`
}
