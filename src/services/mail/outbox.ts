/**
 * The mail outbox. Every email Haven sends is first written here, in the transaction of the change
 * that causes it: the email exists only if the change commits, and is sent (services/mail/sender.ts)
 * only after. Without an SMTP server, messages stay pending and administrators read them in Haven
 * (features/outbox).
 */
import { randomUUID } from 'node:crypto'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  addressesWithHeldMessages,
  heldMessagesOf,
  insertOutboxMessage,
  markDigested,
  type OutboxAttachment,
  type OutboxStatus,
  outboxIdByDedupeKey,
  outboxMessage,
  outboxPage,
  recipientStanding,
  takenDedupeKeys,
} from '../../db/repositories/mail.ts'
import { hasMovedAway } from '../../db/repositories/school-bundle.ts'
import { isUuid } from '../../domain/ids.ts'
import { composeDigest, type Delivery, deliveryOf, EMAIL_KINDS, type EmailKind } from '../../domain/mail/kinds.ts'
import { recordAudit } from '../audit.ts'

export type { OutboxAttachment }
/** Which of these dedupe keys an email already has (a batch checks its parts' keys). */
export { takenDedupeKeys }

export interface EmailToSend {
  /** What the email is (issue 18): decides whether it waits for a digest or reaches the uninvited. */
  kind: EmailKind
  to: string
  subject: string
  text: string
  html?: string
  attachments?: OutboxAttachment[]
  organisationId?: string | null
  /**
   * Makes the email go at most once ever: a second enqueue with the same key does nothing
   * (a reminder: `reminder:<kind>:<subject id>:<due date>`). Never put an address in it.
   */
  dedupeKey?: string
  /** Right-hand side of the Message-ID; the host name of BASE_URL is a good choice. */
  messageIdDomain?: string
}

export const DEFAULT_MESSAGE_ID_DOMAIN = 'haven.localhost'

export class OutboxError extends Error {
  override name = 'OutboxError'
}

function check(email: EmailToSend): void {
  if (!email.to.trim() || /[\r\n]/.test(email.to)) throw new OutboxError('an email needs one recipient address')
  if (/[\r\n]/.test(email.subject)) throw new OutboxError('an email subject must be one line')
  for (const a of email.attachments ?? []) {
    if (!a.filename || /[\r\n/\\]/.test(a.filename)) throw new OutboxError('an attachment needs a plain file name')
  }
  if (email.messageIdDomain !== undefined && !/^[A-Za-z0-9.-]+$/.test(email.messageIdDomain)) {
    throw new OutboxError('messageIdDomain must be a host name')
  }
}

/**
 * Puts an email in the outbox, in the caller's transaction when given one. Returns its id and
 * whether it was created (false when an email with the same dedupeKey already exists; the id is
 * then that email's).
 *
 * With `send: false` the same statement runs and inserts nothing (id ''): a caller whose two
 * branches must not differ in the work they do, such as a password reset for an unknown address
 * (ADR 0011), passes whether to send rather than choosing whether to call.
 */
/** An organisation id no organisation has (the nil UUID). */
const noOrganisation = '00000000-0000-0000-0000-000000000000'

export async function enqueueEmail(
  db: DbOrTrx,
  email: EmailToSend,
  options: { send: boolean } = { send: true },
): Promise<{ id: string; created: boolean; delivery?: Delivery }> {
  check(email)
  // Issue 18: urgent kinds that reach the uninvited (sign-in links) skip the look-up, so a password
  // reset does the same work whether or not the address is known (ADR 0011).
  const rule = EMAIL_KINDS[email.kind]
  const delivery =
    rule.urgent && rule.reachesUninvited
      ? 'now'
      : deliveryOf(email.kind, await recipientStanding(db, email.to, email.organisationId ?? null))
  if (delivery === 'skip') return { id: '', created: false, delivery }
  // Issue 14 (ADR 0052): no more mail for a school that moved to its trust's Haven elsewhere.
  // Asked whether or not the email names an organisation, so that a password reset does the same
  // database work for an unknown address as for a known one (issue 12).
  const moved = await hasMovedAway(db, email.organisationId ?? noOrganisation)
  if (email.organisationId && moved) return { id: '', created: false, delivery: 'skip' }
  const id = randomUUID()
  const messageId = `<${id}@${email.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN}>`
  const inserted = await insertOutboxMessage(
    db,
    {
      id,
      organisationId: email.organisationId ?? null,
      to: email.to.trim(),
      subject: email.subject,
      text: email.text,
      html: email.html ?? null,
      attachments: email.attachments ?? [],
      dedupeKey: email.dedupeKey ?? null,
      messageId,
      kind: email.kind,
      status: delivery === 'hold' ? 'held' : 'pending',
    },
    options.send,
  )
  if (inserted) return { id: inserted, created: true, delivery }
  if (!options.send || email.dedupeKey === undefined) return { id: '', created: false }
  return { id: await outboxIdByDedupeKey(db, email.dedupeKey), created: false }
}

/**
 * Issue 18: folds each person's held emails (written before `now`) into one digest message, which
 * goes at once, and marks them digested. Returns how many digests were written.
 */
export async function sendDailyDigests(db: DbOrTrx, now: Date, dayName: string): Promise<number> {
  let written = 0
  for (const { to, organisationId } of await addressesWithHeldMessages(db, now)) {
    const held = await heldMessagesOf(db, to, organisationId, now)
    const digest = composeDigest(held, dayName)
    if (!digest) continue
    const attachments = held.flatMap((h) => h.attachments)
    await enqueueEmail(db, {
      kind: 'digest.daily',
      to,
      organisationId,
      subject: digest.subject,
      text: digest.text,
      ...(attachments.length > 0 ? { attachments } : {}),
    })
    await markDigested(
      db,
      held.map((h) => h.id),
      now,
    )
    written++
  }
  return written
}

// Reading the outbox (administrators) ----------------------------------------------------------

export type { OutboxStatus }

export interface OutboxSummary {
  id: string
  createdAt: Date
  to: string
  subject: string
  status: OutboxStatus
}

export interface OutboxPage {
  messages: OutboxSummary[]
  page: number
  pageSize: number
  total: number
  pageCount: number
}

/** One page of the outbox, newest first. `organisationId` scopes it to one organisation's messages. */
export async function listOutbox(
  db: DbOrTrx,
  options: { page: number; pageSize?: number; organisationId?: string },
): Promise<OutboxPage> {
  const pageSize = options.pageSize ?? 50
  const page = Math.max(1, Math.floor(options.page))
  const { rows, total } = await outboxPage(db, {
    ...(options.organisationId !== undefined ? { organisationId: options.organisationId } : {}),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  })
  return {
    messages: rows,
    page,
    pageSize,
    total,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  }
}

export interface OutboxMessage extends OutboxSummary {
  organisationId: string | null
  text: string
  hasHtml: boolean
  attachments: { filename: string; contentType: string; bytes: number }[]
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  sentAt: Date | null
  messageId: string
}

/**
 * Opens one message for an administrator and records that they read it ('outbox.read'), in one
 * transaction. Null when there is no such message (or it belongs to another organisation).
 */
export async function readOutboxMessage(
  db: DbOrTrx,
  id: string,
  reader: { actorId: string | null; ip: string | null; organisationId?: string },
): Promise<OutboxMessage | null> {
  if (!isUuid(id)) return null
  return db.transaction().execute(async (trx) => {
    const r = await outboxMessage(trx, id, reader.organisationId)
    if (!r) return null
    await recordAudit(trx, {
      action: 'outbox.read',
      subjectType: 'outbox-message',
      subjectId: r.id,
      actorId: reader.actorId,
      organisationId: r.organisationId,
      ip: reader.ip,
    })
    return {
      id: r.id,
      createdAt: r.createdAt,
      to: r.to,
      subject: r.subject,
      status: r.status,
      organisationId: r.organisationId,
      text: r.text,
      hasHtml: r.html !== null,
      attachments: r.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        bytes: Buffer.byteLength(a.contentBase64, 'base64'),
      })),
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt,
      lastError: r.lastError,
      sentAt: r.sentAt,
      messageId: r.messageId,
    }
  })
}
