/** Dates and times for people: en-GB wording, always in Europe/London. */
const TZ = 'Europe/London'

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TZ })
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: TZ })

function toDate(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T12:00:00Z`)
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v)
    return Number.isNaN(d.getTime()) ? null : d
  }
  return null
}

/** 1 September 2026 */
export function formatDate(v: unknown): string {
  const d = toDate(v)
  return d ? dateFormat.format(d) : ''
}

/** 2:30pm (GOV.UK style: lower case am/pm, no leading zero). */
export function formatTime(v: unknown): string {
  const d = toDate(v)
  return d ? timeFormat.format(d).replace(/\s/g, '').toLowerCase() : ''
}

/** 1 September 2026 at 2:30pm */
export function formatDateTime(v: unknown): string {
  const d = toDate(v)
  return d ? `${formatDate(d)} at ${formatTime(d)}` : ''
}
