/**
 * iCalendar (RFC 5545) for supervision sessions, written by hand so that every byte is known:
 * - times are Europe/London wall-clock times (DTSTART;TZID=Europe/London), with the zone's own
 *   VTIMEZONE, so a 10:00 session stays at 10:00 on both sides of a clock change;
 * - each session is one VEVENT with a stable UID (its id @ Haven's host) and SEQUENCE from
 *   supervision_session.sequence, so a change or a cancellation (STATUS:CANCELLED) replaces the
 *   event a calendar already holds rather than adding another;
 * - text is escaped (backslash, semicolon, comma, new line) and lines are folded at 75 octets
 *   without splitting a UTF-8 character, with CRLF line ends.
 * Pure: the caller passes "now" (DTSTAMP).
 *
 * For booking emails (RFC 5546), sessionInvitationIcs gives METHOD:REQUEST or METHOD:CANCEL with
 * ORGANIZER and ATTENDEE lines; sessionInvitationAttachment wraps it for enqueueEmail.
 */
import { type IsoDate, londonDateOf, londonTimeOf, londonToInstant } from '../../domain/calendar/index.ts'
import type { OutboxAttachment } from '../mail/outbox.ts'

export const PRODUCT_ID = '-//Haven//Staff supervision//EN'
export const LONDON = 'Europe/London'

/** Europe/London since 1996: BST from 01:00 UTC on the last Sunday in March to 01:00 UTC on the last Sunday in October. */
export const londonVTimezone: readonly string[] = Object.freeze([
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'X-LIC-LOCATION:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
])

/** TEXT value escaping (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** A property parameter value (CN=...): quoted, with characters a quoted value cannot hold removed. */
export function paramValue(value: string): string {
  const printable = [...value].filter((char) => char !== '"' && char.charCodeAt(0) >= 32 && char.charCodeAt(0) !== 127)
  return `"${printable.join('')}"`
}

/** Folds a content line into lines of at most 75 octets (RFC 5545 3.1), never splitting a character. */
export function foldLine(line: string): string {
  const bytes = Buffer.byteLength(line, 'utf8')
  if (bytes <= 75) return line
  const parts: string[] = []
  let current = ''
  let currentBytes = 0
  let limit = 75
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8')
    if (currentBytes + size > limit) {
      parts.push(current)
      current = ''
      currentBytes = 0
      limit = 74 // the leading space of a continuation line counts
    }
    current += char
    currentBytes += size
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/** '20261026T100000Z' */
export function formatUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function compactDate(date: IsoDate): string {
  return date.replace(/-/g, '')
}

/** The London wall-clock date and time `minutes` after `time` on `date`, as '20261026T110000'. */
export function londonLocalAfter(date: IsoDate, time: string, minutes: number): string {
  const end = new Date(londonToInstant(date, time).getTime() + minutes * 60_000)
  return `${compactDate(londonDateOf(end))}T${londonTimeOf(end).replace(':', '')}00`
}

function nextDay(date: IsoDate): string {
  const d = new Date(`${date}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return compactDate(d.toISOString().slice(0, 10))
}

export interface IcsPerson {
  name: string
  email: string
}

export interface IcsAttendee extends IcsPerson {
  /** The supervisor chairs the session. */
  role: 'CHAIR' | 'REQ-PARTICIPANT'
}

export interface IcsEvent {
  uid: string
  sequence: number
  date: IsoDate
  /** 'HH:MM' in Europe/London, or null for a session with no time yet (an all-day event). */
  startTime: string | null
  durationMinutes: number
  cancelled: boolean
  summary: string
  description?: string | null
  location?: string | null
  url?: string | null
  lastModified: Date
  created?: Date | null
  organiser?: IcsPerson | null
  attendees?: readonly IcsAttendee[]
}

export interface IcsCalendar {
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL'
  /** Shown as the calendar's name by Google, Apple and Outlook (X-WR-CALNAME). */
  name?: string
  events: readonly IcsEvent[]
  now: Date
}

function eventLines(event: IcsEvent, now: Date): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${event.uid}`, `DTSTAMP:${formatUtc(now)}`]
  if (event.startTime === null) {
    lines.push(`DTSTART;VALUE=DATE:${compactDate(event.date)}`, `DTEND;VALUE=DATE:${nextDay(event.date)}`)
  } else {
    lines.push(
      `DTSTART;TZID=${LONDON}:${compactDate(event.date)}T${event.startTime.replace(':', '')}00`,
      `DTEND;TZID=${LONDON}:${londonLocalAfter(event.date, event.startTime, event.durationMinutes)}`,
    )
  }
  lines.push(`SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`)
  lines.push(`STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`)
  lines.push(`SUMMARY:${escapeText(event.summary)}`)
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`)
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`)
  if (event.url && /^https?:\/\/[^\s]+$/.test(event.url)) lines.push(`URL:${event.url}`)
  if (event.created) lines.push(`CREATED:${formatUtc(event.created)}`)
  lines.push(`LAST-MODIFIED:${formatUtc(event.lastModified)}`)
  lines.push('TRANSP:OPAQUE', 'CLASS:PRIVATE')
  if (event.organiser) {
    lines.push(`ORGANIZER;CN=${paramValue(event.organiser.name)}:mailto:${event.organiser.email}`)
  }
  for (const attendee of event.attendees ?? []) {
    lines.push(
      `ATTENDEE;CN=${paramValue(attendee.name)};ROLE=${attendee.role};PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${attendee.email}`,
    )
  }
  lines.push('END:VEVENT')
  return lines
}

/** A whole VCALENDAR, CRLF line ends, folded, ending with CRLF. */
export function buildCalendar(calendar: IcsCalendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODUCT_ID}`, 'CALSCALE:GREGORIAN']
  lines.push(`METHOD:${calendar.method ?? 'PUBLISH'}`)
  if (calendar.name) {
    lines.push(`X-WR-CALNAME:${escapeText(calendar.name)}`, `NAME:${escapeText(calendar.name)}`)
    lines.push(`X-WR-TIMEZONE:${LONDON}`, 'REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H')
  }
  if (calendar.events.some((event) => event.startTime !== null)) lines.push(...londonVTimezone)
  for (const event of calendar.events) lines.push(...eventLines(event, calendar.now))
  lines.push('END:VCALENDAR')
  return `${lines.map(foldLine).join('\r\n')}\r\n`
}

// ---------------------------------------------------------------------------------------------
// Booking emails (for the sessions screens)

/** A session as an invitation needs it. */
export interface InvitationSession {
  id: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  /** supervision_session.sequence: bump it on every change, cancellation included. */
  sequence: number
  /** The session type's name, e.g. "One-to-one supervision". */
  typeName: string
  venue?: string | null
  onlineLink?: string | null
  updatedAt: Date
  createdAt?: Date | null
}

export interface InvitationParticipant {
  name: string
  email: string
  role: 'supervisor' | 'supervisee'
}

export interface InvitationOptions {
  /** Haven's host name (from BASE_URL): the right-hand side of the UID. */
  host: string
  /** Who the invitation is from; default the first supervisor. */
  organiser?: IcsPerson
  now?: Date
  /** Haven's address for the session, shown in the description. */
  link?: string | null
}

/** The UID a session has in every calendar, feed and invitation alike. */
export function sessionUid(sessionId: string, host: string): string {
  return `${sessionId}@${host}`
}

/** "One-to-one supervision: Ben Carter with Amira Khan". */
export function sessionSummary(typeName: string, participants: readonly InvitationParticipant[]): string {
  const supervisees = participants.filter((p) => p.role === 'supervisee').map((p) => p.name)
  const supervisors = participants.filter((p) => p.role === 'supervisor').map((p) => p.name)
  const who =
    supervisees.length > 3
      ? `${supervisees.slice(0, 3).join(', ')} and ${supervisees.length - 3} more`
      : supervisees.join(', ')
  return [typeName, [who, supervisors.length > 0 ? `with ${supervisors.join(', ')}` : ''].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(': ')
}

/**
 * The .ics for a booking email: METHOD:REQUEST when a session is booked or changed, METHOD:CANCEL
 * when it is cancelled (with the session's bumped sequence), so that the event in each person's
 * calendar is added, updated or removed. Pure.
 */
export function sessionInvitationIcs(
  session: InvitationSession,
  participants: readonly InvitationParticipant[],
  method: 'REQUEST' | 'CANCEL',
  options: InvitationOptions,
): string {
  const supervisors = participants.filter((p) => p.role === 'supervisor')
  const organiser = options.organiser ?? supervisors[0] ?? participants[0] ?? null
  const description = [
    session.onlineLink ? `Join online: ${session.onlineLink}` : null,
    options.link ? `In Haven: ${options.link}` : null,
  ]
    .filter(Boolean)
    .join('\n')
  return buildCalendar({
    method,
    now: options.now ?? new Date(),
    events: [
      {
        uid: sessionUid(session.id, options.host),
        sequence: session.sequence,
        date: session.date,
        startTime: session.startTime,
        durationMinutes: session.durationMinutes ?? 60,
        cancelled: method === 'CANCEL',
        summary: sessionSummary(session.typeName, participants),
        description: description || null,
        location: session.venue ?? null,
        url: options.link ?? null,
        lastModified: session.updatedAt,
        created: session.createdAt ?? null,
        organiser: organiser ? { name: organiser.name, email: organiser.email } : null,
        attendees: participants.map((p) => ({
          name: p.name,
          email: p.email,
          role: p.role === 'supervisor' ? 'CHAIR' : 'REQ-PARTICIPANT',
        })),
      },
    ],
  })
}

/** sessionInvitationIcs as an attachment for enqueueEmail. */
export function sessionInvitationAttachment(
  session: InvitationSession,
  participants: readonly InvitationParticipant[],
  method: 'REQUEST' | 'CANCEL',
  options: InvitationOptions,
): OutboxAttachment {
  const text = sessionInvitationIcs(session, participants, method, options)
  return {
    filename: method === 'CANCEL' ? 'cancelled.ics' : 'invite.ics',
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    contentBase64: Buffer.from(text, 'utf8').toString('base64'),
  }
}
