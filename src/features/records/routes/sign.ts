/** Signing a record (X-05, AM-06): the password again, or a fresh two-step code. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { missingSigners, recordContentHash, requiredSigners } from '../../../domain/records/record.ts'
import { type FormErrors, field, noErrors } from '../../../forms/errors.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError } from '../../../plugins/errors.ts'
import { recordOpened, signRecord } from '../../../services/records/records.ts'
import { readStepUp, signStepUp } from '../../step-up.ts'
import { actorOf, type RecordContext, signedIn, viewerOf, withRecord } from './shared.ts'

export function signRoutes(app: FastifyInstance): void {
  const db = app.db
  const mailer = { baseUrl: app.config.baseUrl }

  // -------------------------------------------------------------------------------------------
  // Signing (X-05, AM-06): the password again, or a fresh two-step code
  // -------------------------------------------------------------------------------------------

  function mustSign(req: FastifyRequest, ctx: RecordContext): boolean {
    if (ctx.record.status !== 'completed' || !ctx.record.document.session) return false
    const required = requiredSigners(ctx.record.document.session, ctx.policy?.recording.signedBy ?? [])
    const facts = ctx.record.signatures.map((s) => ({
      personId: s.personId,
      contentHash: s.contentHash,
      superseded: s.superseded,
    }))
    return missingSigners(required, facts).some((m) => m.personId === viewerOf(req).personId)
  }

  function renderSign(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: RecordContext,
    errors: FormErrors = noErrors,
    status = 200,
    method = 'password',
  ) {
    return reply.code(status).view('records/views/sign.njk', {
      pageTitle: 'Sign the record',
      backLink: { href: paths.records.show({ recordId: ctx.record.id }), text: 'Back to the record' },
      errors,
      record: {
        id: ctx.record.id,
        name: ctx.record.template.name,
        date: ctx.session.date,
        hash: recordContentHash(ctx.record.template, ctx.record.document),
      },
      twoStep: req.session!.twoStepEnabled,
      method,
    })
  }

  app.get<{ Params: { recordId: string } }>(paths.records.sign.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!mustSign(req, ctx)) return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
      await recordOpened(db, {
        recordId: ctx.record.id,
        schoolId: ctx.record.schoolId,
        actor: actorOf(req),
        format: 'sign',
      })
      return renderSign(req, reply, ctx)
    }),
  )

  app.post<{ Params: { recordId: string } }>(paths.records.sign.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!mustSign(req, ctx)) return reply.redirect(paths.records.show({ recordId: ctx.record.id }), 303)
      const read = readStepUp(req)
      if (!read.ok) return renderSign(req, reply, ctx, read.errors, read.status, read.method)
      const step = await signStepUp(req, read.form, 'sign-record', ctx.record.id)
      if (!step.ok) return renderSign(req, reply, ctx, step.errors, step.status, step.method)
      const result = await signRecord(db, step.proof, {
        recordId: ctx.record.id,
        actor: actorOf(req),
        shownHash: field(req.body, 'contentHash'),
        mailer,
        now: req.server.clock(),
      })
      if (!result.ok) {
        const paragraphs: Record<string, string> = {
          altered:
            'This record no longer matches what was completed: it may have been changed outside Haven. Tell the designated safeguarding lead. It cannot be signed.',
          changed: 'The record changed after you opened it. Read it again before you sign.',
        }
        return renderClientError(reply, 409, {
          heading: 'The record has not been signed',
          paragraphs: [
            paragraphs[result.reason] ?? 'It may already be signed or no longer waiting for your signature.',
          ],
        })
      }
      return reply.redirect(
        paths.records.show({ recordId: ctx.record.id }, { [result.locked ? 'locked' : 'signed']: '1' }),
        303,
      )
    }),
  )
}
