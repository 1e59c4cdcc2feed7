/** How planned sessions read in emails and pages: "Tuesday 15 September 2026 at 9:00am". */
import type { IsoDate } from '../../domain/calendar/index.ts'

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/** 'Tuesday 15 September 2026' */
export function longDayDate(date: IsoDate): string {
  return dayFormat.format(new Date(`${date}T12:00:00Z`)).replace(',', '')
}

/** '9:00am', '2:30pm', 'midday' from 'HH:MM'. */
export function clockText(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number)
  if (h === 12 && m === 0) return 'midday'
  if (h === 0 && m === 0) return 'midnight'
  const suffix = h < 12 ? 'am' : 'pm'
  const hour = h % 12 === 0 ? 12 : h % 12
  return `${hour}:${String(m).padStart(2, '0')}${suffix}`
}

/** 'Tuesday 15 September 2026 at 9:00am' (or just the day when there is no time). */
export function sessionWhen(date: IsoDate, time: string | null): string {
  return time ? `${longDayDate(date)} at ${clockText(time)}` : longDayDate(date)
}
