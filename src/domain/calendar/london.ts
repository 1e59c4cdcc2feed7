/**
 * Europe/London wall-clock conversions (X-02), using only the Intl time-zone database.
 *
 * London is on GMT (UTC+0) in winter and BST (UTC+1) in summer. Clocks go forward at 01:00 GMT
 * on the last Sunday of March (01:00 to 01:59 does not exist) and back at 02:00 BST on the last
 * Sunday of October (01:00 to 01:59 happens twice).
 */
import { formatIsoDate, type IsoDate, parseIsoDate } from './dates.ts'

/** A wall-clock time of day, 'HH:MM', 24-hour: '00:00' to '23:59'. */
export type ClockTime = string

const clockTimePattern = /^([01]\d|2[0-3]):([0-5]\d)$/
const minuteMs = 60_000

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function londonWallClock(instant: Date): WallClock {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid Date')
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of londonFormat.formatToParts(instant)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value)
  }
  return wall
}

/** Milliseconds since the epoch of a wall-clock reading taken as if it were UTC. */
function wallClockAsUtcMs(year: number, month: number, day: number, hour: number, minute: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute))
  date.setUTCFullYear(year) // Date.UTC maps years 0 to 99 onto 1900 to 1999.
  return date.getTime()
}

export function isValidClockTime(value: unknown): value is ClockTime {
  return typeof value === 'string' && clockTimePattern.test(value)
}

/**
 * A wall-clock time as GOV.UK writes it: '2pm', '2:30pm', 'midday', 'midnight' (lower-case am/pm,
 * no leading zero, minutes only when there are some). The one time formatter (ADR 0017).
 */
export function formatClockTime(time: ClockTime): string {
  const [hours = '0', minutes = '0'] = time.split(':')
  const h = Number(hours)
  const m = Number(minutes)
  if (h === 12 && m === 0) return 'midday'
  if (h === 0 && m === 0) return 'midnight'
  const hour12 = h % 12 === 0 ? 12 : h % 12
  return `${hour12}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}${h < 12 ? 'am' : 'pm'}`
}

/** The last answer of londonDateOf, by the UTC minute asked about (London's offset is whole hours). */
let lastDate: { minute: number; date: IsoDate } | null = null

/** The calendar date in London at this instant. */
export function londonDateOf(instant: Date): IsoDate {
  // Asked on every request: the same minute has the same date.
  const minute = Math.floor(instant.getTime() / minuteMs)
  if (lastDate !== null && lastDate.minute === minute) return lastDate.date
  const { year, month, day } = londonWallClock(instant)
  const date = formatIsoDate({ year, month, day })
  lastDate = { minute, date }
  return date
}

/** The London wall-clock time at this instant, 'HH:MM' (seconds dropped, not rounded). */
export function londonTimeOf(instant: Date): ClockTime {
  const { hour, minute } = londonWallClock(instant)
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}

/** Minutes London is ahead of UTC at this instant: 0 (GMT) or 60 (BST). */
export function londonOffsetMinutes(instant: Date): number {
  const wall = londonWallClock(instant)
  const wallMs = wallClockAsUtcMs(wall.year, wall.month, wall.day, wall.hour, wall.minute) + wall.second * 1000
  const instantMs = Math.floor(instant.getTime() / 1000) * 1000
  return Math.round((wallMs - instantMs) / minuteMs)
}

/**
 * The instant at which London's clocks show `time` on `date`.
 * - A time in the spring gap (e.g. 01:30 on 29 March 2026) does not exist; it is moved forward
 *   by the size of the gap (to 02:30 BST), as a clock that had not been changed would read.
 * - A time in the autumn overlap (e.g. 01:30 on 25 October 2026) happens twice; the first
 *   occurrence (BST) is returned.
 * Throws RangeError for an invalid date or time.
 */
export function londonToInstant(date: IsoDate, time: ClockTime): Date {
  const { year, month, day } = parseIsoDate(date)
  const match = clockTimePattern.exec(time)
  if (!match) throw new RangeError(`Not a valid time (HH:MM): ${JSON.stringify(time)}`)
  const hour = Number(match[1])
  const minute = Number(match[2])
  const wallMs = wallClockAsUtcMs(year, month, day, hour, minute)

  // London's clocks change at most once within any 24 hours, so the offsets a day either side
  // are the only candidates. Try the larger offset first: it gives the earlier instant.
  const offsetBefore = londonOffsetMinutes(new Date(wallMs - 86_400_000))
  const offsetAfter = londonOffsetMinutes(new Date(wallMs + 86_400_000))
  const candidates = [...new Set([offsetBefore, offsetAfter])].sort((a, b) => b - a)
  for (const offset of candidates) {
    const instant = new Date(wallMs - offset * minuteMs)
    const wall = londonWallClock(instant)
    if (
      wall.year === year &&
      wall.month === month &&
      wall.day === day &&
      wall.hour === hour &&
      wall.minute === minute
    ) {
      return instant
    }
  }
  // In the gap: read the wall time with the offset in force before the change.
  return new Date(wallMs - offsetBefore * minuteMs)
}
