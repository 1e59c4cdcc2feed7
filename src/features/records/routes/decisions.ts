/** Decisions for the child's record: marking one recorded, and the list of those still to record. */
import type { FastifyInstance } from 'fastify'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { decisionsToRecord, mayMarkRecorded } from '../../../services/records/lists.ts'
import { markDecisionRecorded } from '../../../services/records/records.ts'
import { decisionRecordedForm } from '../forms.ts'
import { actorOf, signedIn, viewerOf, withRecord } from './shared.ts'

export function decisionRoutes(app: FastifyInstance): void {
  const db = app.db

  // -------------------------------------------------------------------------------------------
  // Decisions for the child's record
  // -------------------------------------------------------------------------------------------

  app.post<{ Params: { recordId: string; decisionId: string } }>(
    paths.records.decisionRecorded.pattern,
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!mayMarkRecorded(viewerOf(req), ctx.policy)) {
          return renderClientError(reply, 403, {
            heading: 'Only the designated safeguarding lead can do this',
            paragraphs: ['Your school’s policy says decisions entered on a child’s record are signed off by them.'],
          })
        }
        const form = parseForm(decisionRecordedForm, req.body)
        if (!form.ok) {
          return renderClientError(reply, 400, {
            heading: form.errors.summary[0]?.text ?? 'Enter the name of the system the decision was recorded in',
            paragraphs: ['Go back and try again.'],
          })
        }
        const { system } = form.value
        const back =
          form.value.back === 'transfers'
            ? paths.records.transfers.pattern
            : paths.records.show({ recordId: ctx.record.id })
        const result = await markDecisionRecorded(db, {
          recordId: ctx.record.id,
          decisionId: req.params.decisionId,
          actor: actorOf(req),
          system,
        })
        if (!result.ok && result.reason === 'missing') return renderNotFound(req, reply)
        return reply.redirect(`${back}?recorded=1`, 303)
      }),
  )

  app.get<{ Querystring: { recorded?: string } }>(
    paths.records.transfers.pattern,
    { config: signedIn },
    async (req, reply) => {
      const pending = await decisionsToRecord(db, viewerOf(req), actorOf(req))
      return reply.view('records/views/transfers.njk', {
        pageTitle: 'Decisions to record on children’s files',
        backLink: { href: paths.records.index(), text: 'Records' },
        pending,
        recorded: req.query.recorded === '1',
      })
    },
  )
}
