/**
 * iCalendar (RFC 5545) for supervision sessions, written by ical-generator (ADR 0014) with the
 * choices Haven's calendars rely on:
 * - times are Europe/London wall-clock times (DTSTART;TZID=Europe/London), with the zone's own
 *   VTIMEZONE, so a 10:00 session stays at 10:00 on both sides of a clock change;
 * - each session is one VEVENT with a stable UID (its id @ Haven's host) and SEQUENCE from
 *   supervision_session.sequence, so a change or a cancellation (STATUS:CANCELLED) replaces the
 *   event a calendar already holds rather than adding another;
 * - the library escapes text and folds lines at 75 octets without splitting a character.
 * Pure: the caller passes "now" (DTSTAMP).
 *
 * For booking emails (RFC 5546), sessionInvitationIcs gives METHOD:REQUEST or METHOD:CANCEL with
 * ORGANIZER and ATTENDEE lines; sessionInvitationAttachment wraps it for enqueueEmail.
 */
import ical, {
  escape as escapeText,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventClass,
  type ICalEventData,
  ICalEventStatus,
  ICalEventTransparency,
  type ICalTemporalPlainDateTimeStub,
  type ICalTemporalZonedDateTimeStub,
} from 'ical-generator'
import { addDays, type IsoDate, londonDateOf, londonTimeOf, londonToInstant } from '../../domain/calendar/index.ts'
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

/**
 * An instant as London's clocks show it, in the shape ical-generator takes for a Temporal
 * ZonedDateTime: it writes these fields as they are after TZID=Europe/London (a plain Date would
 * be written in the server's own zone), and orders start and end by the instant.
 */
function londonClock(instant: Date): ICalTemporalZonedDateTimeStub {
  const [year, month, day] = londonDateOf(instant).split('-').map(Number) as [number, number, number]
  const [hour, minute] = londonTimeOf(instant).split(':').map(Number) as [number, number]
  const second = instant.getUTCSeconds()
  const iso = instant.toISOString()
  const plain: ICalTemporalPlainDateTimeStub = {
    year,
    month,
    day,
    hour,
    minute,
    second,
    toPlainDate: () => ({ year, month, day, toJSON: () => iso.slice(0, 10), toString: () => iso.slice(0, 10) }),
    toZonedDateTime: (zone) => clockIn(zone),
    toJSON: () => iso,
    toString: () => iso,
  }
  const zoned: ICalTemporalZonedDateTimeStub = {
    ...plain,
    timeZoneId: LONDON,
    toInstant: () => ({
      epochMilliseconds: instant.getTime(),
      toJSON: () => iso,
      toString: () => iso,
      toZonedDateTimeISO: (zone) => clockIn(zone),
    }),
    toPlainDateTime: () => plain,
    withTimeZone: (zone) => clockIn(zone),
  }
  function clockIn(zone: string): ICalTemporalZonedDateTimeStub {
    if (zone !== LONDON) throw new RangeError(`Only ${LONDON} times are written, not ${zone}`)
    return zoned
  }
  return zoned
}

/** A name for a quoted parameter (CN="..."): characters a quoted value cannot hold removed. */
function paramText(value: string): string {
  return [...value]
    .filter((char) => char !== '"' && char !== '\\' && char.charCodeAt(0) >= 32 && char.charCodeAt(0) !== 127)
    .join('')
}

function dayStart(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`)
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

function eventData(event: IcsEvent, now: Date): ICalEventData {
  const start = event.startTime === null ? null : londonToInstant(event.date, event.startTime)
  return {
    id: event.uid,
    sequence: Math.max(0, Math.trunc(event.sequence)),
    stamp: now,
    ...(start === null
      ? { allDay: true, start: dayStart(event.date), end: dayStart(addDays(event.date, 1)) }
      : {
          timezone: LONDON,
          start: londonClock(start),
          end: londonClock(new Date(start.getTime() + event.durationMinutes * 60_000)),
        }),
    status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: event.summary,
    description: event.description || null,
    location: event.location || null,
    url: event.url && /^https?:\/\/[^\s]+$/.test(event.url) ? event.url : null,
    created: event.created ?? null,
    lastModified: event.lastModified,
    transparency: ICalEventTransparency.OPAQUE,
    class: ICalEventClass.PRIVATE,
    organizer: event.organiser
      ? { name: paramText(event.organiser.name) || event.organiser.email, email: event.organiser.email }
      : null,
    attendees: (event.attendees ?? []).map((attendee) => ({
      name: paramText(attendee.name) || null,
      email: attendee.email,
      role: attendee.role === 'CHAIR' ? ICalAttendeeRole.CHAIR : ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: false,
    })),
  }
}

/** A whole VCALENDAR, CRLF line ends, folded, ending with CRLF. */
export function buildCalendar(calendar: IcsCalendar): string {
  const text = ical({
    prodId: PRODUCT_ID.slice(1),
    scale: 'GREGORIAN',
    method: ICalCalendarMethod[calendar.method ?? 'PUBLISH'],
    // No calendar-wide zone name: DTSTAMP, CREATED and LAST-MODIFIED stay in UTC. The generator
    // writes the VTIMEZONE of each zone an event names (only timed events name one).
    timezone: { name: null, generator: (zone) => (zone === LONDON ? londonVTimezone.join('\r\n') : null) },
    ...(calendar.name
      ? {
          // The library writes the name as it is: escaped here as the TEXT value it is.
          name: escapeText(calendar.name, false),
          ttl: 60 * 60,
          x: { 'X-WR-TIMEZONE': LONDON },
        }
      : {}),
    events: calendar.events.map((event) => eventData(event, calendar.now)),
  }).toString()
  return `${text}\r\n`
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
