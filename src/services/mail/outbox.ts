/**
 * The mail outbox. Every email Haven sends is first written here, in the transaction of the change
 * that causes it: the email exists only if the change commits, and is sent (services/mail/sender.ts)
 * only after. Without an SMTP server, messages stay pending and administrators read them in Haven
 * (features/outbox).
 */
import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { Database, OutboxAttachment } from '../../db/schema.ts'
import { isUuid } from '../../domain/ids.ts'
import { recordAudit } from '../audit.ts'

export type { OutboxAttachment }

export interface EmailToSend {
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
export async function enqueueEmail(
  db: Kysely<Database>,
  email: EmailToSend,
  options: { send: boolean } = { send: true },
): Promise<{ id: string; created: boolean }> {
  check(email)
  const id = randomUUID()
  const messageId = `<${id}@${email.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN}>`
  const inserted = await db
    .insertInto('outbox_message')
    .columns([
      'id',
      'organisation_id',
      'to_address',
      'subject',
      'text_body',
      'html_body',
      'attachments',
      'dedupe_key',
      'message_id',
    ])
    .expression(
      db
        .selectNoFrom([
          sql<string>`${id}::uuid`.as('id'),
          sql<string | null>`${email.organisationId ?? null}::uuid`.as('organisation_id'),
          sql<string>`${email.to.trim()}::text`.as('to_address'),
          sql<string>`${email.subject}::text`.as('subject'),
          sql<string>`${email.text}::text`.as('text_body'),
          sql<string | null>`${email.html ?? null}::text`.as('html_body'),
          sql<string>`${JSON.stringify(email.attachments ?? [])}::jsonb`.as('attachments'),
          sql<string | null>`${email.dedupeKey ?? null}::text`.as('dedupe_key'),
          sql<string>`${messageId}::text`.as('message_id'),
        ])
        .where(sql<boolean>`${options.send}::boolean`),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return { id: inserted.id, created: true }
  if (!options.send || email.dedupeKey === undefined) return { id: '', created: false }
  const existing = await db
    .selectFrom('outbox_message')
    .select('id')
    .where('dedupe_key', '=', email.dedupeKey)
    .executeTakeFirstOrThrow()
  return { id: existing.id, created: false }
}

// Reading the outbox (administrators) ----------------------------------------------------------

export type OutboxStatus = 'pending' | 'sent' | 'failed'

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
  db: Kysely<Database>,
  options: { page: number; pageSize?: number; organisationId?: string },
): Promise<OutboxPage> {
  const pageSize = options.pageSize ?? 50
  const page = Math.max(1, Math.floor(options.page))
  let base = db.selectFrom('outbox_message')
  if (options.organisationId !== undefined) {
    base = base.where('organisation_id', '=', options.organisationId)
  }
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'created_at', 'to_address', 'subject', 'status'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  const total = Number(count.n)
  return {
    messages: rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      to: r.to_address,
      subject: r.subject,
      status: r.status,
    })),
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
  db: Kysely<Database>,
  id: string,
  reader: { actorId: string | null; ip: string | null; organisationId?: string },
): Promise<OutboxMessage | null> {
  if (!isUuid(id)) return null
  return db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('outbox_message').selectAll().where('id', '=', id)
    if (reader.organisationId !== undefined) query = query.where('organisation_id', '=', reader.organisationId)
    const r = await query.executeTakeFirst()
    if (!r) return null
    await recordAudit(trx, {
      action: 'outbox.read',
      subjectType: 'outbox-message',
      subjectId: r.id,
      actorId: reader.actorId,
      organisationId: r.organisation_id,
      ip: reader.ip,
    })
    return {
      id: r.id,
      createdAt: r.created_at,
      to: r.to_address,
      subject: r.subject,
      status: r.status,
      organisationId: r.organisation_id,
      text: r.text_body,
      hasHtml: r.html_body !== null,
      attachments: r.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        bytes: Buffer.byteLength(a.contentBase64, 'base64'),
      })),
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      sentAt: r.sent_at,
      messageId: r.message_id,
    }
  })
}
