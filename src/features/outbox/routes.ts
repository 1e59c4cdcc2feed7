/**
 * The outbox, for administrators: every email Haven has sent or is waiting to send. Without an
 * SMTP server this is how emails reach people: an administrator reads them here and passes them on.
 * Opening a message is audited ('outbox.read'). Single-use links (invitations, password resets,
 * calendar feeds) are removed from what is shown (redact.ts): an administrator sees that the email
 * went and to whom, never a link that would let them act as the person.
 */
import type { FastifyPluginAsync } from 'fastify'
import { Permission } from '../../domain/access/permissions.ts'
import { paths } from '../../paths/index.ts'
import { renderNotFound } from '../../plugins/errors.ts'
import { listOutbox, readOutboxMessage } from '../../services/mail/outbox.ts'
import { pageNumber, pagination } from './pagination.ts'
import { redactOptional, redactSecrets } from './redact.ts'

const read = { access: { permission: Permission.OutboxRead } }
const PAGE_SIZE = 50

export const statusTags = {
  pending: { text: 'Waiting', classes: 'govuk-tag--blue' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  failed: { text: 'Not sent', classes: 'govuk-tag--red' },
  held: { text: 'Waiting for daily summary', classes: 'govuk-tag--grey' },
  digested: { text: 'Sent in daily summary', classes: 'govuk-tag--green' },
} as const

export { paginationItems } from './pagination.ts'

/** The text body as paragraphs of lines, shown with line breaks kept and long links wrapped. */
export function paragraphsOf(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/^\n+|\n+$/g, '')
    .split(/\n{2,}/)
    .map((p) => p.split('\n'))
    .filter((lines) => lines.some((l) => l.trim() !== ''))
}

const outboxRoutes: FastifyPluginAsync<{ smtpConfigured: boolean }> = async (app, opts) => {
  app.get<{ Querystring: { page?: string } }>(paths.admin.outbox.pattern, { config: read }, async (req, reply) => {
    const organisationId = req.actor?.organisationId
    const page = pageNumber(req.query.page)
    if (!organisationId || page === null) return renderNotFound(req, reply)
    const result = await listOutbox(app.db, { page, pageSize: PAGE_SIZE, organisationId })
    if (page > result.pageCount) return renderNotFound(req, reply)
    const href = (n: number) => paths.admin.outbox({ page: n > 1 ? n : undefined })
    return reply.view('outbox/views/list.njk', {
      pageTitle: page === 1 ? 'Outbox' : `Outbox (page ${page} of ${result.pageCount})`,
      backLink: { href: paths.admin.index(), text: 'Administration' },
      messages: result.messages.map((m) => ({ ...m, subject: redactSecrets(m.subject) })),
      total: result.total,
      statusTags,
      smtpConfigured: opts.smtpConfigured,
      pagination: pagination(page, result.pageCount, href),
    })
  })

  app.get<{ Params: { id: string } }>(paths.admin.outboxMessage.pattern, { config: read }, async (req, reply) => {
    const organisationId = req.actor?.organisationId
    if (!organisationId) return renderNotFound(req, reply)
    const message = await readOutboxMessage(app.db, req.params.id, {
      actorId: req.actor?.personId ?? null,
      ip: req.ip,
      organisationId,
    })
    if (!message) return renderNotFound(req, reply)
    // Single-use links are never shown, to anyone (ADR 0011): only the text, redacted, reaches the page.
    const shown = {
      ...message,
      subject: redactSecrets(message.subject),
      text: redactSecrets(message.text),
      lastError: redactOptional(message.lastError),
    }
    return reply.view('outbox/views/message.njk', {
      pageTitle: 'Email',
      backLink: { href: paths.admin.outbox(), text: 'Outbox' },
      message: shown,
      status: statusTags[message.status],
      paragraphs: paragraphsOf(shown.text),
    })
  })
}

export default outboxRoutes
