/** Comments, disagreement (MW-11) and addenda on a record. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type FormErrors, field, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError } from '../../../plugins/errors.ts'
import { contractNamedThirdPerson } from '../../../services/records/disputes.ts'
import { thirdPersonChoices } from '../../../services/records/lists.ts'
import { addAddendum, commentOnRecord, recordDisagreement } from '../../../services/records/records.ts'
import { textPageForm } from '../forms.ts'
import { actorOf, forbidden, type RecordContext, signedIn, today, withRecord } from './shared.ts'

export function responseRoutes(app: FastifyInstance): void {
  const db = app.db
  const mailer = { baseUrl: app.config.baseUrl }

  // -------------------------------------------------------------------------------------------
  // Comments, disagreement (MW-11) and addenda
  // -------------------------------------------------------------------------------------------

  async function renderText(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: RecordContext,
    kind: 'comment' | 'disagree' | 'addendum',
    extra: { errors?: FormErrors; values?: Record<string, string>; status?: number } = {},
  ) {
    const titles = {
      comment: 'Add a comment',
      disagree: 'Say you disagree with the record',
      addendum: 'Add an addendum',
    }
    let people: { value: string; text: string; selected: boolean }[] = []
    if (kind === 'disagree') {
      const rows = await thirdPersonChoices(db, ctx.session, today(app))
      const named = await contractNamedThirdPerson(db, ctx.session.organisationId, req.actor!.personId)
      const chosen = extra.values?.['thirdPersonId'] ?? ''
      people = [
        {
          value: '',
          text: named?.personId
            ? `The person named in your contract: ${named.name}`
            : 'Not yet known: the designated safeguarding lead will arrange it',
          selected: chosen === '',
        },
        ...rows.map((r) => ({
          value: r.id,
          text: r.jobTitle ? `${r.name} (${r.jobTitle})` : r.name,
          selected: chosen === r.id,
        })),
      ]
    }
    return reply.code(extra.status ?? 200).view('records/views/text.njk', {
      pageTitle: titles[kind],
      backLink: { href: paths.records.show({ recordId: ctx.record.id }), text: 'Back to the record' },
      errors: extra.errors ?? noErrors,
      kind,
      heading: titles[kind],
      record: { id: ctx.record.id, name: ctx.record.template.name, date: ctx.session.date },
      values: extra.values ?? { text: '', thirdPersonId: '' },
      people,
      disputeRoute: ctx.policy?.disputeResolution ?? null,
    })
  }

  const textPages = [
    { path: paths.records.comment, kind: 'comment' as const },
    { path: paths.records.disagree, kind: 'disagree' as const },
    { path: paths.records.addendum, kind: 'addendum' as const },
  ]
  for (const page of textPages) {
    const allowed = (ctx: RecordContext) =>
      page.kind === 'addendum'
        ? ctx.record.status === 'signed'
        : ctx.record.status === 'completed' && ctx.role === 'supervisee'
    app.get<{ Params: { recordId: string } }>(page.path.pattern, { config: signedIn }, async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!allowed(ctx)) return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
        return renderText(req, reply, ctx, page.kind)
      }),
    )
    app.post<{ Params: { recordId: string } }>(page.path.pattern, { config: signedIn }, async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!allowed(ctx)) return forbidden(reply)
        const form = parseForm(textPageForm(page.kind), req.body)
        if (!form.ok)
          return renderText(req, reply, ctx, page.kind, {
            errors: form.errors,
            values: {
              text: field(req.body, 'text').replace(/\r\n?/g, '\n'),
              thirdPersonId: field(req.body, 'thirdPersonId'),
            },
            status: 400,
          })
        const { text, thirdPersonId } = form.value
        const values = { text, thirdPersonId }
        const actor = actorOf(req)
        const result =
          page.kind === 'comment'
            ? await commentOnRecord(db, { recordId: ctx.record.id, actor, text, mailer })
            : page.kind === 'disagree'
              ? await recordDisagreement(db, {
                  recordId: ctx.record.id,
                  actor,
                  text,
                  thirdPersonId: thirdPersonId || null,
                  mailer,
                  today: today(app),
                })
              : await addAddendum(db, { recordId: ctx.record.id, actor, text, mailer })
        if (!result.ok) {
          if (result.reason === 'not-allowed')
            return renderText(req, reply, ctx, page.kind, {
              errors: formErrors([['thirdPersonId', 'Select a person from the list']]),
              values,
              status: 400,
            })
          return renderClientError(reply, 409, {
            heading: 'That could not be saved',
            paragraphs: ['The record has changed. Go back to the record and try again.'],
          })
        }
        const done = { comment: 'commented', disagree: 'disagreed', addendum: 'addendum' }[page.kind]
        return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { [done]: '1' }), 303)
      }),
    )
  }
}
