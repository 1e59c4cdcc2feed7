/**
 * The mail outbox (`outbox_message`). Messages are written in the transaction of the change that
 * causes them (services/mail/outbox.ts) and delivered after (services/mail/sender.ts). Lists and
 * reads take the organisation's id when the reader belongs to one.
 */
import { sql } from 'kysely'
import type { OutboxAttachment } from '../schema.ts'
import type { DbOrTrx } from './connection.ts'

export type { OutboxAttachment }

export interface NewOutboxMessage {
  id: string
  organisationId: string | null
  to: string
  subject: string
  text: string
  html: string | null
  attachments: OutboxAttachment[]
  dedupeKey: string | null
  messageId: string
  /** The email's kind (domain/mail/kinds.ts). */
  kind: string | null
  /** 'held' waits for the recipient's daily digest (issue 18). */
  status: 'pending' | 'held'
}

/**
 * Inserts the message, when `send` is true and no message has its dedupe key; its id, or undefined
 * when nothing was inserted. The same statement runs either way (ADR 0011).
 */
export async function insertOutboxMessage(
  db: DbOrTrx,
  message: NewOutboxMessage,
  send: boolean,
): Promise<string | undefined> {
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
      'kind',
      'status',
    ])
    .expression(
      db
        .selectNoFrom([
          sql<string>`${message.id}::uuid`.as('id'),
          sql<string | null>`${message.organisationId}::uuid`.as('organisation_id'),
          sql<string>`${message.to}::text`.as('to_address'),
          sql<string>`${message.subject}::text`.as('subject'),
          sql<string>`${message.text}::text`.as('text_body'),
          sql<string | null>`${message.html}::text`.as('html_body'),
          sql<string>`${JSON.stringify(message.attachments)}::jsonb`.as('attachments'),
          sql<string | null>`${message.dedupeKey}::text`.as('dedupe_key'),
          sql<string>`${message.messageId}::text`.as('message_id'),
          sql<string | null>`${message.kind}::text`.as('kind'),
          sql<string>`${message.status}::text`.as('status'),
        ])
        .where(sql<boolean>`${send}::boolean`),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted?.id
}

export async function outboxIdByDedupeKey(db: DbOrTrx, dedupeKey: string): Promise<string> {
  const existing = await db
    .selectFrom('outbox_message')
    .select('id')
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirstOrThrow()
  return existing.id
}

/** Which of these dedupe keys an email already has. */
export async function takenDedupeKeys(db: DbOrTrx, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await db
    .selectFrom('outbox_message')
    .select('dedupe_key')
    .where('dedupe_key', 'in', [...keys])
    .execute()
  return new Set(rows.flatMap((r) => (r.dedupe_key === null ? [] : [r.dedupe_key])))
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'held' | 'digested'

/** A message as stored. */
export interface StoredOutboxMessage extends Omit<NewOutboxMessage, 'dedupeKey' | 'status'> {
  createdAt: Date
  status: OutboxStatus
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  sentAt: Date | null
}

type OutboxRow = {
  id: string
  created_at: Date
  organisation_id: string | null
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  attachments: OutboxAttachment[]
  status: OutboxStatus
  attempts: number
  next_attempt_at: Date
  last_error: string | null
  sent_at: Date | null
  message_id: string
  kind: string | null
}

function stored(r: OutboxRow): StoredOutboxMessage {
  return {
    id: r.id,
    createdAt: r.created_at,
    organisationId: r.organisation_id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    attachments: r.attachments,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    sentAt: r.sent_at,
    messageId: r.message_id,
    kind: r.kind,
  }
}

/** One page of the outbox, newest first, and how many messages there are (of one organisation when given). */
export async function outboxPage(
  db: DbOrTrx,
  options: { organisationId?: string; limit: number; offset: number },
): Promise<{
  rows: { id: string; createdAt: Date; to: string; subject: string; status: OutboxStatus }[]
  total: number
}> {
  let base = db.selectFrom('outbox_message')
  if (options.organisationId !== undefined) {
    base = base.where('organisation_id', '=', options.organisationId)
  }
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'created_at', 'to_address', 'subject', 'status'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    rows: rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      to: r.to_address,
      subject: r.subject,
      status: r.status,
    })),
    total: Number(count.n),
  }
}

/** One message (of one organisation when given). */
export async function outboxMessage(
  db: DbOrTrx,
  id: string,
  organisationId?: string,
): Promise<StoredOutboxMessage | undefined> {
  let query = db.selectFrom('outbox_message').selectAll().where('id', '=', id)
  if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId)
  const row = await query.executeTakeFirst()
  return row ? stored(row) : undefined
}

/**
 * Claims up to `limit` pending messages due by `now`, skipping any another delivery holds, and
 * leases them until `leaseUntil` (their next attempt is pushed out) before any is sent.
 */
export async function claimDueMessages(
  trx: DbOrTrx,
  now: Date,
  limit: number,
  leaseUntil: Date,
): Promise<StoredOutboxMessage[]> {
  const rows = await trx
    .selectFrom('outbox_message')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  if (rows.length > 0) {
    await trx
      .updateTable('outbox_message')
      .set({ next_attempt_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()
  }
  return rows.map(stored)
}

/** Gives a claimed message back, still pending, for its earlier next attempt. */
export async function releaseLease(db: DbOrTrx, id: string, nextAttemptAt: Date): Promise<void> {
  await db
    .updateTable('outbox_message')
    .set({ next_attempt_at: nextAttemptAt })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

export async function markSent(db: DbOrTrx, id: string, sentAt: Date, attempts: number): Promise<void> {
  await db
    .updateTable('outbox_message')
    .set({ status: 'sent', sent_at: sentAt, attempts, last_error: null })
    .where('id', '=', id)
    .execute()
}

export async function markAttemptFailed(
  db: DbOrTrx,
  id: string,
  attempt: { attempts: number; error: string; givingUp: boolean; nextAttemptAt: Date },
): Promise<void> {
  await db
    .updateTable('outbox_message')
    .set({
      attempts: attempt.attempts,
      last_error: attempt.error,
      status: attempt.givingUp ? 'failed' : 'pending',
      next_attempt_at: attempt.nextAttemptAt,
    })
    .where('id', '=', id)
    .execute()
}

// Issue 18: who an address belongs to, and the daily digest ---------------------------------------

/**
 * What Haven knows of the person of `organisationId` (or, without one, of anyone) with this
 * address: whether they exist, have been invited (an invitation sent, a password set or a sign-in)
 * and asked for a daily digest.
 */
export async function recipientStanding(
  db: DbOrTrx,
  address: string,
  organisationId: string | null,
): Promise<{ known: boolean; invited: boolean; digest: boolean }> {
  let query = db
    .selectFrom('person as p')
    .leftJoin('account as a', 'a.person_id', 'p.id')
    .select((eb) => [
      'a.email_digest',
      eb
        .or([
          eb('a.password_hash', 'is not', null),
          eb.exists(
            eb
              .selectFrom('auth_token as t')
              .select('t.person_id')
              .whereRef('t.person_id', '=', 'p.id')
              .where('t.kind', '=', 'invitation'),
          ),
          eb.exists(eb.selectFrom('user_session as s').select('s.person_id').whereRef('s.person_id', '=', 'p.id')),
        ])
        .as('invited'),
    ])
    .where('p.email', '=', address.trim().toLowerCase())
  if (organisationId !== null) query = query.where('p.organisation_id', '=', organisationId)
  const rows = await query.execute()
  if (rows.length === 0) return { known: false, invited: false, digest: false }
  return {
    known: true,
    invited: rows.some((r) => r.invited === true),
    digest: rows.every((r) => r.email_digest === true),
  }
}

/** Addresses with messages held for their digest, written before `before`. */
export async function addressesWithHeldMessages(
  db: DbOrTrx,
  before: Date,
): Promise<{ to: string; organisationId: string | null }[]> {
  const rows = await db
    .selectFrom('outbox_message')
    .select(['to_address', 'organisation_id'])
    .where('status', '=', 'held')
    .where('created_at', '<', before)
    .groupBy(['to_address', 'organisation_id'])
    .orderBy('to_address')
    .execute()
  return rows.map((r) => ({ to: r.to_address, organisationId: r.organisation_id }))
}

/** One address's held messages, oldest first, locked until the digest commits. */
export async function heldMessagesOf(
  db: DbOrTrx,
  to: string,
  organisationId: string | null,
  before: Date,
): Promise<{ id: string; subject: string; text: string; attachments: OutboxAttachment[] }[]> {
  let query = db
    .selectFrom('outbox_message')
    .select(['id', 'subject', 'text_body', 'attachments'])
    .where('status', '=', 'held')
    .where('to_address', '=', to)
    .where('created_at', '<', before)
  query =
    organisationId === null
      ? query.where('organisation_id', 'is', null)
      : query.where('organisation_id', '=', organisationId)
  const rows = await query.orderBy('created_at').orderBy('id').forUpdate().skipLocked().execute()
  return rows.map((r) => ({ id: r.id, subject: r.subject, text: r.text_body, attachments: r.attachments }))
}

/** Marks held messages as gone inside a digest. */
export async function markDigested(db: DbOrTrx, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('outbox_message')
    .set({ status: 'digested', sent_at: at })
    .where('id', 'in', [...ids])
    .where('status', '=', 'held')
    .execute()
}

/** A person's choice of one email a day. */
export async function setEmailDigest(db: DbOrTrx, personId: string, digest: boolean): Promise<void> {
  await db.updateTable('account').set({ email_digest: digest }).where('person_id', '=', personId).execute()
}

export async function emailDigestOf(db: DbOrTrx, personId: string): Promise<boolean> {
  const row = await db.selectFrom('account').select('email_digest').where('person_id', '=', personId).executeTakeFirst()
  return row?.email_digest ?? false
}
