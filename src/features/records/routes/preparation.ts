/** Preparation before a session (CA-06): agenda items, cases and a proforma for each case. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { canPrepare } from '../../../domain/access/records.ts'
import { displaySections } from '../../../domain/records/display.ts'
import { type EntryErrors, validateEntry } from '../../../domain/records/entry.ts'
import type { RecordDocument } from '../../../domain/records/record.ts'
import type { Template } from '../../../domain/records/template.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../../forms/errors.ts'
import { parseForm } from '../../../forms/form.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { partiesOf, sessionTypeIn } from '../../../services/records/context.ts'
import {
  loadPreparation,
  type Preparation,
  type PreparationActor,
  savePreparation,
  saveProforma,
} from '../../../services/records/preparation.ts'
import { recordOpened } from '../../../services/records/records.ts'
import { resolveTemplate } from '../../../services/records/templates.ts'
import { preparationForm, preparationTyped, proformaVersionForm, readRecordForm } from '../forms.ts'
import { formSections } from '../presenters.ts'
import { actorOf, forbidden, type SessionContext, sessionContext, signedIn, today, viewerOf } from './shared.ts'

/** The supervisee preparing, in the session's school. */
function preparationActor(req: FastifyRequest, ctx: SessionContext): PreparationActor {
  const { personId, organisationId } = req.actor!
  return { personId, organisationId, schoolId: ctx.session.schoolId, ip: req.ip }
}

export function preparationRoutes(app: FastifyInstance): void {
  const db = app.db

  // Preparation (CA-06) ---------------------------------------------------------------------

  /** The session, when the person may prepare for it (its supervisee); else the refusal. */
  async function withPreparer(
    req: FastifyRequest<{ Params: { sessionId: string } }>,
    reply: FastifyReply,
    fn: (ctx: SessionContext) => Promise<unknown>,
  ) {
    const ctx = await sessionContext(req, req.params.sessionId)
    if (ctx === 'missing') return renderNotFound(req, reply)
    if (ctx === 'forbidden' || !canPrepare(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
    return fn(ctx)
  }

  /** One case of the person's own preparation, with the policy's preparation template; else not found. */
  async function withProformaCase(
    req: FastifyRequest<{ Params: { sessionId: string; caseId: string } }>,
    reply: FastifyReply,
    fn: (ctx: SessionContext, prep: Preparation, template: Template) => Promise<unknown>,
  ) {
    return withPreparer(req, reply, async (ctx) => {
      const template = await preparationTemplateOf(ctx)
      const prep = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, viewerOf(req).personId)
      if (!template || !prep?.content.cases.some((c) => c.id === req.params.caseId)) return renderNotFound(req, reply)
      return fn(ctx, prep, template)
    })
  }

  async function renderPreparation(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SessionContext,
    extra: {
      errors?: FormErrors
      status?: number
      agenda?: string[]
      cases?: { id: string; kind: string; name: string; reference: string; notes: string }[]
      version?: number
      conflict?: boolean
      add?: string
    } = {},
  ) {
    const me = viewerOf(req).personId
    const prep = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, me)
    const agenda = extra.agenda ?? prep?.content.agenda.map((a) => a.text) ?? []
    const cases = extra.cases ?? prep?.content.cases ?? []
    const add = extra.add ?? ''
    const agendaRows = [...agenda, '', ...(add === 'agenda' ? [''] : [])]
    const caseRows = [
      ...cases,
      { id: '', kind: 'child', name: '', reference: '', notes: '' },
      ...(add === 'cases' ? [{ id: '', kind: 'child', name: '', reference: '', notes: '' }] : []),
    ]
    const withProforma = new Map((prep?.content.cases ?? []).map((c) => [c.id, c.proforma !== null]))
    return reply.code(extra.status ?? 200).view('records/views/preparation.njk', {
      pageTitle: 'Prepare for your supervision',
      backLink: { href: paths.records.session({ sessionId: ctx.session.id }), text: 'Back to the session' },
      errors: extra.errors ?? noErrors,
      session: {
        id: ctx.session.id,
        date: ctx.session.date,
        typeName: sessionTypeIn(ctx.policy, ctx.session.typeId)?.name ?? 'Supervision',
      },
      version: extra.version ?? prep?.version ?? 0,
      agendaRows: agendaRows.map((text, i) => ({
        id: `agenda-${String(i)}-text`,
        value: text,
        label: `Agenda item ${String(i + 1)}${i >= agenda.length ? ' (new)' : ''}`,
      })),
      caseRows: caseRows.map((c, i) => ({
        n: i,
        legend: `Case ${String(i + 1)}${i >= cases.length ? ' (new)' : ''}`,
        ...c,
        proformaHref:
          c.id && ctx.policy?.templates.preparation
            ? paths.records.proforma({ sessionId: ctx.session.id, caseId: c.id })
            : null,
        hasProforma: withProforma.get(c.id) ?? false,
      })),
      preparationTemplate: ctx.policy?.templates.preparation ?? null,
      conflict: extra.conflict ?? false,
    })
  }

  app.get<{ Params: { sessionId: string }; Querystring: { add?: string } }>(
    paths.records.preparation.pattern,
    { config: signedIn },
    async (req, reply) =>
      withPreparer(req, reply, (ctx) => renderPreparation(req, reply, ctx, { add: req.query.add ?? '' })),
  )

  app.post<{ Params: { sessionId: string } }>(
    paths.records.preparation.pattern,
    { config: signedIn },
    async (req, reply) =>
      withPreparer(req, reply, async (ctx) => {
        const body = req.body
        const form = parseForm(preparationForm, body)
        if (!form.ok) {
          if (form.errors.fields['version']) return renderClientError(reply, 400)
          return renderPreparation(req, reply, ctx, { errors: form.errors, status: 400, ...preparationTyped(body) })
        }
        const { agenda, cases, version } = form.value
        const result = await savePreparation(db, {
          sessionId: ctx.session.id,
          actor: preparationActor(req, ctx),
          expectedVersion: version,
          agenda,
          cases,
        })
        if (!result.ok) {
          return renderPreparation(req, reply, ctx, {
            errors: formErrors([
              [
                'agenda-0-text',
                'Your preparation was changed in another window. Your changes have not been saved: check what is shown, then add them again',
              ],
            ]),
            status: 409,
            conflict: true,
          })
        }
        const add = field(body, 'add')
        if (add === 'agenda' || add === 'cases')
          return reply.redirect(`${paths.records.preparation({ sessionId: ctx.session.id }, { add })}#${add}`, 303)
        return reply.redirect(paths.records.session({ sessionId: ctx.session.id }, { prepared: '1' }), 303)
      }),
  )

  async function preparationTemplateOf(ctx: SessionContext): Promise<Template | null> {
    const id = ctx.policy?.templates.preparation
    return id ? resolveTemplate(db, ctx.session.schoolId, id) : null
  }

  async function renderProforma(
    reply: FastifyReply,
    ctx: SessionContext,
    prep: Preparation,
    caseId: string,
    template: Template,
    extra: { values?: Record<string, unknown>; errors?: EntryErrors; status?: number; add?: string } = {},
  ) {
    const target = prep.content.cases.find((c) => c.id === caseId)!
    const values = extra.values ??
      target.proforma?.values ?? { case: { kind: target.kind, name: target.name, reference: target.reference || null } }
    const errors = extra.errors ?? {}
    const doc = {
      values,
      actions: [],
      reviews: [],
      carried: [],
      decisions: [],
      boundary: '',
      session: null,
    } as unknown as RecordDocument
    return reply.code(extra.status ?? 200).view('records/views/proforma.njk', {
      pageTitle: template.name,
      backLink: { href: paths.records.preparation({ sessionId: ctx.session.id }), text: 'Back to your preparation' },
      errors: formErrors(Object.entries(errors).map(([k, v]) => [k, v] as const)),
      template: { name: template.name, description: template.description, notes: template.notes ?? [] },
      caseName: target.name,
      sections: formSections(template, doc, errors, new Set(extra.add ? [extra.add] : [])),
      version: prep.version,
      action: paths.records.proforma({ sessionId: ctx.session.id, caseId }),
    })
  }

  app.get<{ Params: { sessionId: string; caseId: string }; Querystring: { add?: string } }>(
    paths.records.proforma.pattern,
    { config: signedIn },
    async (req, reply) =>
      withProformaCase(req, reply, (ctx, prep, template) =>
        renderProforma(reply, ctx, prep, req.params.caseId, template, {
          add: typeof req.query.add === 'string' ? req.query.add : '',
        }),
      ),
  )

  app.post<{ Params: { sessionId: string; caseId: string } }>(
    paths.records.proforma.pattern,
    { config: signedIn },
    async (req, reply) =>
      withProformaCase(req, reply, async (ctx, prep, template) => {
        const me = viewerOf(req).personId
        const versionForm = parseForm(proformaVersionForm, req.body)
        if (!versionForm.ok) return renderClientError(reply, 400)
        const existing = {
          values: {},
          actions: [],
          reviews: [],
          carried: [],
          decisions: [],
          boundary: '',
          session: null,
        } as unknown as RecordDocument
        const draft = readRecordForm(template, req.body, { existing, participants: [], previousActionIds: [] })
        const checked = validateEntry(template, draft.values, { mode: 'draft', today: today(app) })
        if (!checked.ok) {
          const errors = Object.fromEntries(Object.entries(checked.errors).map(([k, v]) => [k.replaceAll('.', '-'), v]))
          return renderProforma(reply, ctx, prep, req.params.caseId, template, {
            values: draft.values,
            errors,
            status: 400,
          })
        }
        const result = await saveProforma(db, {
          sessionId: ctx.session.id,
          actor: preparationActor(req, ctx),
          expectedVersion: versionForm.value.version,
          caseId: req.params.caseId,
          template,
          values: checked.values,
        })
        if (!result.ok) {
          const fresh = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, me)
          if (!fresh) return renderNotFound(req, reply)
          return renderProforma(reply, ctx, fresh, req.params.caseId, template, {
            values: draft.values,
            errors: {
              form: 'Your preparation was changed in another window. Check the answers shown, then save again',
            },
            status: 409,
          })
        }
        // Issue 18: "Add another row" saves and comes back to the proforma with a new row.
        const add = field(req.body, 'add')
        if (add !== '' && template.sections.some((s) => s.fields.some((f) => f.id === add))) {
          const back = paths.records.proforma({ sessionId: ctx.session.id, caseId: req.params.caseId }, { add })
          return reply.redirect(`${back}#${add}`, 303)
        }
        return reply.redirect(paths.records.preparation({ sessionId: ctx.session.id }), 303)
      }),
  )

  app.get<{ Params: { sessionId: string; personId: string; caseId: string } }>(
    paths.records.preparedCase.pattern,
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden') return forbidden(reply)
      if (ctx.role === 'supervisee' && req.params.personId !== viewerOf(req).personId) return forbidden(reply)
      const prep = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, req.params.personId)
      const target = prep?.content.cases.find((c) => c.id === req.params.caseId)
      if (!prep || !target?.proforma) return renderNotFound(req, reply)
      await recordOpened(db, {
        recordId: ctx.session.id,
        schoolId: ctx.session.schoolId,
        actor: actorOf(req),
        format: 'preparation',
        subjectType: 'session',
      })
      return reply.view('records/views/proforma-view.njk', {
        pageTitle: target.proforma.template.name,
        backLink: { href: paths.records.session({ sessionId: ctx.session.id }), text: 'Back to the session' },
        personName: prep.personName,
        caseName: target.name,
        template: { name: target.proforma.template.name },
        sections: displaySections(target.proforma.template, target.proforma.values),
      })
    },
  )
}
