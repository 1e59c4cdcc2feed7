/**
 * The iCalendar invitations (RFC 5546) that scheduling emails carry (issue 6 item 6): METHOD:REQUEST
 * when a session is booked, rebooked or planned, METHOD:CANCEL when it is cancelled or postponed,
 * so the event lands in (or leaves) each participant's calendar. Built from what is in the
 * database at that moment, in the caller's transaction, so the SEQUENCE is the one the change has
 * just bumped. Only who, when and where: never notes, reasons or what was discussed.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { sessionsForInvitations } from '../../db/repositories/sessions/index.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { paths } from '../../paths/index.ts'
import { sessionInvitationAttachment } from '../calendar-feed/ical.ts'
import type { OutboxAttachment } from '../mail/outbox.ts'

export interface SessionInvitation {
  attachment: OutboxAttachment
  /** The people the invitation names (participants with an email address), by id. */
  attendeeIds: ReadonlySet<string>
}

/**
 * One invitation per session of the school, by session id. `typeNameOf` gives the session type's
 * name from the policy on the session's date (ADR 0021); `baseUrl` is Haven's address (its host name is the right-hand side of the UID).
 */
export function schoolSessionInvitations(
  db: DbOrTrx,
  schoolId: string,
  sessionIds: readonly string[],
  typeNameOf: (typeId: string, date: IsoDate) => string,
  method: 'REQUEST' | 'CANCEL',
  baseUrl: string,
): Promise<Map<string, SessionInvitation>> {
  return invitations(db, schoolId, sessionIds, typeNameOf, method, baseUrl)
}

/**
 * As schoolSessionInvitations, for sessions the caller has just inserted in its own transaction
 * (planning's drafts, which should move to schoolSessionInvitations with their school).
 */
export function sessionInvitations(
  db: DbOrTrx,
  sessionIds: readonly string[],
  typeNameOf: (typeId: string, date: IsoDate) => string,
  method: 'REQUEST' | 'CANCEL',
  baseUrl: string,
): Promise<Map<string, SessionInvitation>> {
  return invitations(db, null, sessionIds, typeNameOf, method, baseUrl)
}

async function invitations(
  db: DbOrTrx,
  schoolId: string | null,
  sessionIds: readonly string[],
  typeNameOf: (typeId: string, date: IsoDate) => string,
  method: 'REQUEST' | 'CANCEL',
  baseUrl: string,
): Promise<Map<string, SessionInvitation>> {
  const out = new Map<string, SessionInvitation>()
  if (sessionIds.length === 0) return out
  const host = new URL(baseUrl).hostname
  const now = new Date()
  for (const s of await sessionsForInvitations(db, schoolId, sessionIds)) {
    const participants = s.participants.filter((p) => p.email.trim() !== '')
    const attachment = sessionInvitationAttachment(
      {
        id: s.id,
        date: s.date,
        startTime: s.startTime,
        durationMinutes: s.durationMinutes,
        sequence: s.sequence,
        typeName: typeNameOf(s.typeId, s.date),
        venue: s.venue,
        onlineLink: s.onlineLink,
        updatedAt: s.updatedAt,
        createdAt: s.createdAt,
      },
      participants.map(({ name, email, role }) => ({ name, email: email.trim(), role })),
      method,
      { host, link: `${baseUrl}${paths.sessions.show({ id: s.id })}`, now },
    )
    out.set(s.id, { attachment, attendeeIds: new Set(participants.map((p) => p.id)) })
  }
  return out
}

/** The attachments for one recipient: the invitations that name them, in the order given. */
export function invitationsFor(
  recipientId: string,
  invitations: readonly (SessionInvitation | undefined)[],
): OutboxAttachment[] {
  return invitations.flatMap((inv) => (inv?.attendeeIds.has(recipientId) ? [inv.attachment] : []))
}
