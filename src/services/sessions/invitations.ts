/**
 * The iCalendar invitations (RFC 5546) that scheduling emails carry (issue 6 item 6): METHOD:REQUEST
 * when a session is booked, rebooked or planned, METHOD:CANCEL when it is cancelled or postponed,
 * so the event lands in (or leaves) each participant's calendar. Built from what is in the
 * database at that moment, in the caller's transaction, so the SEQUENCE is the one the change has
 * just bumped. Only who, when and where: never notes, reasons or what was discussed.
 */

import { type InvitationParticipant, sessionInvitationAttachment } from '../calendar-feed/ical.ts'
import type { OutboxAttachment } from '../mail/outbox.ts'
import type { DbOrTrx } from '../staff/repository.ts'

export interface SessionInvitation {
  attachment: OutboxAttachment
  /** The people the invitation names (participants with an email address), by id. */
  attendeeIds: ReadonlySet<string>
}

const CHUNK = 1000

/**
 * One invitation per session, by session id. `typeNameOf` gives the session type's name from the
 * policy; `baseUrl` is Haven's address (its host name is the right-hand side of the UID).
 */
export async function sessionInvitations(
  db: DbOrTrx,
  sessionIds: readonly string[],
  typeNameOf: (typeId: string) => string,
  method: 'REQUEST' | 'CANCEL',
  baseUrl: string,
): Promise<Map<string, SessionInvitation>> {
  const out = new Map<string, SessionInvitation>()
  const ids = [...new Set(sessionIds)]
  if (ids.length === 0) return out
  const host = new URL(baseUrl).hostname
  const now = new Date()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const [sessions, people] = await Promise.all([
      db
        .selectFrom('supervision_session')
        .select([
          'id',
          'type_id',
          'date',
          'start_time',
          'duration_minutes',
          'venue',
          'online_link',
          'sequence',
          'created_at',
          'updated_at',
        ])
        .where('id', 'in', chunk)
        .execute(),
      db
        .selectFrom('session_participant as sp')
        .innerJoin('person as p', 'p.id', 'sp.person_id')
        .select(['sp.session_id', 'sp.role', 'p.id', 'p.name', 'p.email'])
        .where('sp.session_id', 'in', chunk)
        .orderBy('sp.role')
        .orderBy('p.name')
        .orderBy('p.id')
        .execute(),
    ])
    const bySession = new Map<string, (InvitationParticipant & { id: string })[]>()
    for (const p of people) {
      if (p.email.trim() === '') continue
      const list = bySession.get(p.session_id) ?? []
      list.push({ id: p.id, name: p.name, email: p.email.trim(), role: p.role })
      bySession.set(p.session_id, list)
    }
    for (const s of sessions) {
      const participants = bySession.get(s.id) ?? []
      const attachment = sessionInvitationAttachment(
        {
          id: s.id,
          date: s.date,
          startTime: s.start_time,
          durationMinutes: s.duration_minutes,
          sequence: s.sequence,
          typeName: typeNameOf(s.type_id),
          venue: s.venue,
          onlineLink: s.online_link,
          updatedAt: s.updated_at,
          createdAt: s.created_at,
        },
        participants.map(({ name, email, role }) => ({ name, email, role })),
        method,
        { host, link: `${baseUrl}/sessions/${s.id}`, now },
      )
      out.set(s.id, { attachment, attendeeIds: new Set(participants.map((p) => p.id)) })
    }
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
