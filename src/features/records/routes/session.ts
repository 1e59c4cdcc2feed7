/** A session's records: the page listing them and starting one. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { canPrepare, canWriteRecord } from '../../../domain/access/records.ts'
import { recordStatusLabels, sessionCanBeRecorded } from '../../../domain/records/record.ts'
import { type FormErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm, problemErrors } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderNotFound } from '../../../plugins/errors.ts'
import { formatDate } from '../../../presenters/format.ts'
import { partiesOf, sessionTypeIn } from '../../../services/records/context.ts'
import { preparationsOfSession } from '../../../services/records/preparation.ts'
import { recordOpened, SessionNotRecordableError, startRecord } from '../../../services/records/records.ts'
import { recordsOfSession } from '../../../services/records/store.ts'
import { recordTemplateChoices, resolveTemplate } from '../../../services/records/templates.ts'
import { startRecordForm } from '../forms.ts'
import {
  actorOf,
  forbidden,
  notRecordable,
  notRecordableText,
  preparationView,
  type SessionContext,
  sessionContext,
  signedIn,
  viewerOf,
} from './shared.ts'

export function sessionRoutes(app: FastifyInstance): void {
  const db = app.db

  // -------------------------------------------------------------------------------------------
  // A session: its records and preparation
  // -------------------------------------------------------------------------------------------

  app.get<{ Params: { sessionId: string }; Querystring: { prepared?: string } }>(
    paths.records.session.pattern,
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden') return forbidden(reply)
      return renderSession(req, reply, ctx)
    },
  )

  async function renderSession(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SessionContext,
    extra: { errors?: FormErrors; status?: number } = {},
  ) {
    const { session, role, policy } = ctx
    const viewer = viewerOf(req)
    const parties = partiesOf(session)
    const records = await recordsOfSession(db, session.schoolId, session.id)
    const mayWrite = canWriteRecord(viewer, parties, policy?.recording.recordedBy ?? 'supervisor')
    const recordable = sessionCanBeRecorded(session.status)
    const canStart = mayWrite && recordable
    const choices = canStart ? await recordTemplateChoices(db, session.schoolId, policy, session.typeId) : []
    const preparations = (await preparationsOfSession(db, session.schoolId, session.id)).filter(
      (p) => role !== 'supervisee' || p.personId === viewer.personId,
    )
    const type = sessionTypeIn(policy, session.typeId)
    // the page shows what supervisees wrote to prepare, so opening it is in the access trail.
    if (preparations.length > 0 && req.method === 'GET') {
      await recordOpened(db, {
        recordId: session.id,
        subjectType: 'session',
        schoolId: session.schoolId,
        actor: actorOf(req),
        format: 'session',
      })
    }
    return reply.code(extra.status ?? 200).view('records/views/session.njk', {
      pageTitle: `${type?.name ?? 'Supervision'} on ${formatDate(session.date)}`,
      backLink: { href: paths.records.index(), text: 'Records' },
      errors: extra.errors ?? noErrors,
      session: {
        id: session.id,
        schoolName: session.schoolName,
        date: session.date,
        startTime: session.startTime,
        status: session.status,
        typeName: type?.name ?? 'Supervision',
        group: (type?.group ?? false) || parties.superviseeIds.length > 1,
        supervisors: session.participants.filter((p) => p.role === 'supervisor'),
        supervisees: session.participants.filter((p) => p.role === 'supervisee'),
      },
      records: records.map((r) => ({ ...r, statusLabel: recordStatusLabels[r.status] })),
      choices: choices.map((c, i) => ({
        value: `${c.template.id}@${String(c.template.version)}`,
        text: c.template.name,
        hint: { text: c.description },
        checked: i === 0,
      })),
      canStart,
      notRecordable: mayWrite && !recordable ? notRecordableText : null,
      canPrepare: canPrepare(viewer, parties),
      preparations: preparations.map((p) => preparationView(p, session.id)),
      prepared: (req.query as { prepared?: string }).prepared === '1',
      preparationTemplate: policy?.templates.preparation ?? null,
    })
  }

  app.post<{ Params: { sessionId: string } }>(paths.records.start.pattern, { config: signedIn }, async (req, reply) => {
    const ctx = await sessionContext(req, req.params.sessionId)
    if (ctx === 'missing') return renderNotFound(req, reply)
    if (ctx === 'forbidden') return forbidden(reply)
    const viewer = viewerOf(req)
    if (!canWriteRecord(viewer, partiesOf(ctx.session), ctx.policy?.recording.recordedBy ?? 'supervisor'))
      return forbidden(reply)
    if (!sessionCanBeRecorded(ctx.session.status)) return notRecordable(reply)
    const choices = await recordTemplateChoices(db, ctx.session.schoolId, ctx.policy, ctx.session.typeId)
    const form = parseForm(startRecordForm, req.body)
    const choice = form.ok
      ? choices.find((c) => `${c.template.id}@${String(c.template.version)}` === form.value.template)
      : undefined
    if (!choice)
      return renderSession(req, reply, ctx, {
        errors: form.ok
          ? problemErrors([{ field: 'template', message: 'Select the form to record the session on' }])
          : form.errors,
        status: 400,
      })
    const template = (await resolveTemplate(db, ctx.session.schoolId, choice.template.id)) ?? choice.template
    try {
      const id = await startRecord(db, { session: ctx.session, policy: ctx.policy, template, actor: actorOf(req) })
      return reply.redirect(paths.records.show({ recordId: id }), 303)
    } catch (error) {
      if (error instanceof SessionNotRecordableError) return notRecordable(reply)
      throw error
    }
  })
}
