/**
 * Delivers the outbox over SMTP (nodemailer). Runs as a background job (jobs/outbox-delivery.ts)
 * only when SMTP_URL is set; otherwise messages stay pending for administrators to read.
 *
 * Claiming: due messages are selected with FOR UPDATE SKIP LOCKED and leased (their next attempt
 * is pushed out by LEASE_MINUTES) before any is sent, so two deliveries running at once, in one
 * instance or several, never send the same message. A process that dies mid-send leaves the lease
 * to expire and the message is tried again (at least once, never twice at the same time).
 *
 * Given the database, the claim commits at once and no connection is held while talking to the
 * mail server. Given a transaction (the scheduler's job transaction), everything happens in it.
 *
 * Logs carry message ids, attempt counts and error codes: never addresses, subjects or content.
 */
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { claimDueMessages, markAttemptFailed, markSent, releaseLease } from '../../db/repositories/mail.ts'

export const MAX_ATTEMPTS = 8
const LEASE_MINUTES = 10
const MINUTE = 60_000
const MAX_BACKOFF_MINUTES = 60

/** Minutes to wait after the given number of failed attempts: 1, 2, 4 ... capped at 60. */
export function backoffMinutes(failedAttempts: number): number {
  return Math.min(2 ** Math.max(0, failedAttempts - 1), MAX_BACKOFF_MINUTES)
}

/** What the sender needs of nodemailer (a Transporter, or a stand-in in tests). */
export type MailTransport = Pick<Transporter, 'sendMail'>

export interface SenderLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

const silent: SenderLog = { info() {}, warn() {} }

/**
 * A nodemailer transport for an smtp:// or smtps:// URL, with timeouts short enough that an
 * unreachable server cannot hold a delivery run for minutes. `from` is the sender of every email.
 */
export function createTransport(smtpUrl: string, options: { from?: string } = {}): Transporter {
  return nodemailer.createTransport(
    {
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      dnsTimeout: 10_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    options.from ? { from: options.from } : {},
  )
}

/** Errors about the server or the connection rather than this message: stop the run, try later. */
const SERVER_PROBLEMS = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROXY'])

function isServerProblem(err: NodemailerError): boolean {
  return err.responseCode === 421 || (typeof err.code === 'string' && SERVER_PROBLEMS.has(err.code))
}

/** A code safe to store and log: nodemailer's error code and the SMTP reply code, never the reply text (it may hold an address). */
export function errorCode(error: unknown): string {
  const err = (error ?? {}) as NodemailerError
  const code = typeof err.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(err.code) ? err.code : 'ERROR'
  return typeof err.responseCode === 'number' ? `${code} ${err.responseCode}` : code
}

export interface DeliveryResult {
  claimed: number
  sent: number
  failed: number
  retrying: number
}

export interface DeliverOptions {
  now: Date
  batchSize?: number
  log?: SenderLog
}

/** Sends the due pending messages, up to batchSize. */
export async function deliverPending(
  db: DbOrTrx,
  transport: MailTransport,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  const { now } = options
  const batchSize = options.batchSize ?? 20
  const log = options.log ?? silent

  const claim = (trx: DbOrTrx) =>
    claimDueMessages(trx, now, batchSize, new Date(now.getTime() + LEASE_MINUTES * MINUTE))
  const claimed = db.isTransaction ? await claim(db) : await db.transaction().execute(claim)

  const result: DeliveryResult = { claimed: claimed.length, sent: 0, failed: 0, retrying: 0 }
  let serverDown = false
  for (const message of claimed) {
    if (serverDown) {
      // Release the lease: the message did not get its turn.
      await releaseLease(db, message.id, message.nextAttemptAt)
      continue
    }
    try {
      await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== null ? { html: message.html } : {}),
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.contentBase64, 'base64'),
        })),
        messageId: message.messageId,
        disableFileAccess: true,
        disableUrlAccess: true,
      })
      await markSent(db, message.id, now, message.attempts + 1)
      result.sent++
      log.info({ outboxMessageId: message.id, attempts: message.attempts + 1 }, 'email sent')
    } catch (error) {
      const attempts = message.attempts + 1
      const code = errorCode(error)
      const givingUp = attempts >= MAX_ATTEMPTS
      await markAttemptFailed(db, message.id, {
        attempts,
        error: code,
        givingUp,
        nextAttemptAt: givingUp ? message.nextAttemptAt : new Date(now.getTime() + backoffMinutes(attempts) * MINUTE),
      })
      if (givingUp) result.failed++
      else result.retrying++
      log.warn(
        { outboxMessageId: message.id, attempts, code, givingUp },
        givingUp ? 'email could not be sent: giving up' : 'email could not be sent: will retry',
      )
      if (isServerProblem(error as NodemailerError)) serverDown = true
    }
  }
  return result
}
