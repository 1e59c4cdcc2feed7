/**
 * The school's webhook for decisions (issue 15, X-07): its address, a new signing secret shown
 * once when it is set, and the delivery log.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { decisionStatusLabels, retryMinutes, webhookUrlProblem } from '../../../domain/children/decisions.ts'
import { type FormErrors, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { formatDateTime } from '../../../presenters/format.ts'
import { deliveryLog, removeWebhook, schoolWebhook, setWebhook } from '../../../services/children/decisions.ts'
import type { FoundSchool } from '../../school-scope.ts'
import { schoolPage } from '../../school-scope.ts'
import { webhookForm } from '../forms.ts'
import { dslOnly, schoolParam, schoolWith } from './shared.ts'

const deliveryStatus = { waiting: 'Waiting to be tried again', delivered: 'Delivered', failed: 'Failed' } as const

const webhookRoutes: FastifyPluginAsync = async (app) => {
  async function render(
    reply: FastifyReply,
    found: FoundSchool,
    extra: { secret?: string; errors?: FormErrors; url?: string; removed?: boolean; status?: number } = {},
  ) {
    const hook = await schoolWebhook(app.db, found.school.id)
    const school = schoolParam(found)
    return reply.code(extra.status ?? 200).view('children/views/webhook.njk', {
      pageTitle: 'Send decisions to your system',
      backLink: { href: paths.children.decisions({ school }), text: 'Decisions for children’s records' },
      school: found.school,
      hook: hook ? { url: hook.url, updatedAt: formatDateTime(hook.updatedAt) } : null,
      secret: extra.secret ?? null,
      url: extra.url ?? hook?.url ?? '',
      removed: extra.removed ?? false,
      action: paths.children.webhook({ school }),
      deliveriesHref: paths.children.deliveries({ school }),
      retries: retryMinutes.length,
      errors: extra.errors ?? noErrors,
    })
  }

  app.get<{ Querystring: { school?: string; removed?: string } }>(
    paths.children.webhook.pattern,
    { config: dslOnly },
    schoolPage(schoolWith, async (req, reply, found) => {
      return render(reply, found, { removed: req.query.removed === '1' })
    }),
  )

  app.post<{ Querystring: { school?: string } }>(
    paths.children.webhook.pattern,
    { config: dslOnly },
    schoolPage(schoolWith, async (req, reply, found) => {
      const form = parseForm(webhookForm, req.body)
      const value = form.ok ? form.value : { action: '', url: '' }
      const who = {
        organisationId: found.school.organisationId,
        schoolId: found.school.id,
        actorId: req.actor!.personId,
        ip: req.ip,
      }
      if (value.action === 'remove') {
        await removeWebhook(app.db, who)
        return reply.redirect(paths.children.webhook({ school: schoolParam(found), removed: 1 }), 303)
      }
      const problem = webhookUrlProblem(value.url)
      if (problem) return render(reply, found, { errors: formErrors([['url', problem]]), url: value.url, status: 400 })
      const { secret } = await setWebhook(app.db, { ...who, url: value.url })
      // The secret is shown this once, on this answer, and never again.
      return render(reply, found, { secret })
    }),
  )

  app.get<{ Querystring: { school?: string } }>(
    paths.children.deliveries.pattern,
    { config: dslOnly },
    schoolPage(schoolWith, async (_req, reply, found) => {
      const rows = await deliveryLog(app.db, found.school.id)
      return reply.view('children/views/deliveries.njk', {
        pageTitle: 'Deliveries to your system',
        backLink: {
          href: paths.children.webhook({ school: schoolParam(found) }),
          text: 'Send decisions to your system',
        },
        school: found.school,
        rows: rows.map((d) => ({
          created: formatDateTime(d.createdAt),
          decisionHref: paths.children.decision({ decisionId: d.decisionId }),
          status: deliveryStatus[d.status],
          attempts: d.attempts,
          last: d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : 'Not yet',
          next: d.status === 'waiting' && d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '',
          answer: d.responseStatus !== null ? `Answered ${d.responseStatus}` : (d.error ?? ''),
        })),
        statusLabels: decisionStatusLabels,
      })
    }),
  )
}

export default webhookRoutes
