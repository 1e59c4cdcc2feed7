/**
 * The emails scheduling sends, through the outbox in the transaction of the change (AM-05:
 * whoever cancels or postpones tells the other party; CA-04: requests reach the supervisor and
 * the DSLs, and the requester hears the answer). They carry dates, times, places and links, never
 * what was discussed.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { formatLongDate } from '../../domain/calendar/index.ts'
import type { EmailKind } from '../../domain/mail/kinds.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { formatSpan } from '../../domain/scheduling/index.ts'
import { paths } from '../../paths/index.ts'
import { enqueueEmail, type OutboxAttachment } from '../mail/outbox.ts'

export interface Recipient {
  id: string
  name: string
  email: string
}

export interface SessionWhen {
  id: string
  typeName: string
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
  venue: string | null
  onlineLink: string | null
}

/** Everyone once, by id, leaving out the person who acted. */
export function othersThan(actorId: string, people: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>([actorId])
  const out: Recipient[] = []
  for (const p of people) {
    if (seen.has(p.id) || p.email.trim() === '') continue
    seen.add(p.id)
    out.push(p)
  }
  return out
}

export function whenText(session: SessionWhen): string {
  const time = session.startTime ? `, ${formatSpan(session.startTime, session.durationMinutes)}` : ''
  return `${formatLongDate(session.date)}${time}`
}

function whereLines(session: SessionWhen): string[] {
  const lines: string[] = []
  if (session.venue) lines.push(`Where: ${session.venue}`)
  if (session.onlineLink) lines.push(`Online: ${session.onlineLink}`)
  return lines
}

export async function sendToEach(
  db: DbOrTrx,
  organisationId: string,
  recipients: readonly Recipient[],
  email: { kind: EmailKind; subject: string; body: (recipient: Recipient) => string[] },
  /** The calendar invitations (.ics) this recipient gets, if any (issue 6 item 6). */
  attachments?: (recipient: Recipient) => OutboxAttachment[],
): Promise<void> {
  for (const r of recipients) {
    const files = attachments?.(r) ?? []
    await enqueueEmail(db, {
      kind: email.kind,
      to: r.email,
      organisationId,
      subject: email.subject,
      text: [`Dear ${r.name},`, '', ...email.body(r)].join('\n'),
      ...(files.length > 0 ? { attachments: files } : {}),
    })
  }
}

export function bookedEmail(session: SessionWhen, byName: string, baseUrl: string) {
  return {
    kind: 'session.booked' as const,
    subject: `Supervision booked for ${formatLongDate(session.date)}`,
    body: () => [
      `${byName} has booked a supervision session (${session.typeName}) with you.`,
      '',
      `When: ${whenText(session)}`,
      ...whereLines(session),
      '',
      `See it in Haven: ${baseUrl}${paths.sessions.show({ id: session.id })}`,
    ],
  }
}

export function cancelledEmail(
  session: SessionWhen,
  what: 'cancelled' | 'postponed' | 'did-not-attend',
  detail: { byName: string; reasonName: string; deadline: string | null; newSession: SessionWhen | null },
  baseUrl: string,
) {
  const verb = what === 'postponed' ? 'postponed' : what === 'cancelled' ? 'cancelled' : 'recorded as not attended'
  const subject =
    what === 'did-not-attend'
      ? `Supervision on ${formatLongDate(session.date)} did not take place`
      : `Supervision on ${formatLongDate(session.date)} ${verb}`
  return {
    kind: 'session.changed' as const,
    subject,
    body: () => [
      `${detail.byName} has ${verb} the supervision session (${session.typeName}) on ${whenText(session)}.`,
      `Reason: ${detail.reasonName}.`,
      ...(detail.newSession
        ? ['', `It is now on ${whenText(detail.newSession)}.`, ...whereLines(detail.newSession)]
        : []),
      ...(detail.deadline ? ['', detail.deadline] : []),
      '',
      `See it in Haven: ${baseUrl}${paths.sessions.show({ id: detail.newSession?.id ?? session.id })}`,
    ],
  }
}

export function requestEmail(
  requesterName: string,
  topic: string,
  preferred: readonly IsoDate[],
  requestId: string,
  baseUrl: string,
  /** Issue 14: the person it is for, when `requesterName` asked on their behalf. */
  forName: string | null = null,
) {
  const forText = forName ? ` for ${forName}` : ''
  return {
    kind: 'session.request' as const,
    subject: `${requesterName} has asked for a supervision session${forText}`,
    body: () => [
      `${requesterName} has asked for a supervision session${forText} about ${topic}.`,
      ...(preferred.length > 0 ? [`Dates that suit them: ${preferred.map(formatLongDate).join(', ')}.`] : []),
      '',
      'Read their request and answer it in Haven: book a session, or decline it with a reason.',
      `${baseUrl}${paths.sessions.request({ id: requestId })}`,
    ],
  }
}

export function requestBookedEmail(session: SessionWhen, byName: string, baseUrl: string) {
  return {
    kind: 'session.request-answered' as const,
    subject: 'Your request for supervision: a session is booked',
    body: () => [
      `${byName} has booked the supervision session you asked for.`,
      '',
      `When: ${whenText(session)}`,
      ...whereLines(session),
      '',
      `See it in Haven: ${baseUrl}${paths.sessions.show({ id: session.id })}`,
    ],
  }
}

export function requestDeclinedEmail(byName: string, requestId: string, baseUrl: string) {
  return {
    kind: 'session.request-answered' as const,
    subject: 'Your request for supervision has been answered',
    body: () => [
      `${byName} has declined your request for a supervision session, and has given a reason.`,
      '',
      `Read it in Haven: ${baseUrl}${paths.sessions.request({ id: requestId })}`,
      '',
      'You can ask again at any time, or speak to your DSL.',
    ],
  }
}
