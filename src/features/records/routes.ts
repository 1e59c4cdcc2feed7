/**
 * Session records (issue 7): a session's records and preparation, the record page (draft with
 * autosave and optimistic locking, completion, signing, comments, disagreement, addenda, decisions
 * for the child's record), the PDF, and the list of decisions still to reach children's records.
 *
 * Every route is for signed-in people; who may open a record is decided per record by
 * domain/access/records.ts (the supervisees, the supervisors and the school's DSL), and every
 * opening and change is in the audit log. Handlers parse, call one service, render or redirect.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import {
  canCompleteRecord,
  canPrepare,
  canWriteRecord,
  type RecordedBy,
  type RecordRole,
  type RecordViewer,
  recordRoleOf,
} from '../../domain/access/records.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import { actionStatusLabels } from '../../domain/records/actions.ts'
import { displaySections } from '../../domain/records/display.ts'
import { type EntryErrors, validateEntry } from '../../domain/records/entry.ts'
import {
  actionsFieldOf,
  boundaryRequired,
  missingSigners,
  type RecordDocument,
  recordContentHash,
  recordStatusLabels,
  requiredSigners,
  sessionCanBeRecorded,
} from '../../domain/records/record.ts'
import type { Template } from '../../domain/records/template.ts'
import { type FormErrors, field, formErrors, noErrors } from '../../forms/errors.ts'
import { renderClientError, renderNotFound } from '../../plugins/errors.ts'
import { wantsJson } from '../../plugins/input-guard.ts'
import {
  partiesOf,
  policyOnDate,
  type SessionInfo,
  sessionForRecord,
  sessionTypeIn,
} from '../../services/records/context.ts'
import { recordIntegrity } from '../../services/records/integrity.ts'
import {
  decisionsToRecord,
  mayMarkRecorded,
  sessionsWithRecordsOf,
  thirdPersonChoices,
} from '../../services/records/lists.ts'
import { recordPdf } from '../../services/records/pdf.ts'
import {
  loadPreparation,
  type Preparation,
  preparationsOfSession,
  savePreparation,
  saveProforma,
} from '../../services/records/preparation.ts'
import {
  addAddendum,
  commentOnRecord,
  completeRecord,
  type DraftInput,
  markDecisionRecorded,
  type RecordActor,
  recordDisagreement,
  recordOpened,
  reopenRecord,
  SessionNotRecordableError,
  saveDraft,
  signRecord,
  startRecord,
} from '../../services/records/records.ts'
import {
  type LoadedRecord,
  type PreviousAction,
  previousActionsFor,
  recordInOrganisation,
  recordsOfSession,
} from '../../services/records/store.ts'
import { recordTemplateChoices, resolveTemplate } from '../../services/records/templates.ts'
import { isUuid } from '../../services/staff/repository.ts'
import { readStepUp, signStepUp } from '../step-up.ts'
import { assignedIds, type FormParticipant, readDraftVersion, readRecordForm, rowIndexes } from './forms.ts'
import { actionRows, decisionRows, formSections, reviewRows, unsavedChanges } from './presenters.ts'

const signedIn = { access: 'signed-in' as const }

function today(): string {
  return londonDateOf(new Date())
}

function viewerOf(req: FastifyRequest): RecordViewer {
  const p = req.session!.person
  return { personId: p.id, roles: p.roles, schoolId: p.schoolId, organisationId: p.organisationId }
}

function actorOf(req: FastifyRequest): RecordActor {
  const p = req.session!.person
  return { personId: p.id, name: p.name, organisationId: p.organisationId, ip: req.ip }
}

function participantsOf(session: SessionInfo): FormParticipant[] {
  return session.participants.map((p) => ({ personId: p.personId, name: p.name, role: p.role }))
}

function forbidden(reply: FastifyReply) {
  return renderClientError(reply, 403, {
    heading: 'You do not have permission to see this page',
    paragraphs: [
      'Only the people who took part in a supervision session and the designated safeguarding lead can open its record.',
    ],
  })
}

const notRecordableText =
  'The session did not take place: it was cancelled, postponed or not attended, so there is nothing to record. If it was rebooked, start the record from the new session.'

function notRecordable(reply: FastifyReply) {
  return renderClientError(reply, 409, {
    heading: 'A record cannot be started for this session',
    paragraphs: [notRecordableText],
  })
}

const roleWords: Record<RecordRole, string> = {
  supervisor: 'supervisor',
  supervisee: 'supervisee',
  dsl: 'designated safeguarding lead',
}

/** A record with everything the pages need about its session and policy. */
interface RecordContext {
  record: LoadedRecord
  session: SessionInfo
  policy: Awaited<ReturnType<typeof policyOnDate>>
  role: RecordRole
  recordedBy: RecordedBy
}

async function recordContext(req: FastifyRequest, recordId: string): Promise<RecordContext | 'missing' | 'forbidden'> {
  const db = req.server.db
  const organisationId = req.actor!.organisationId
  const record = await recordInOrganisation(db, organisationId, recordId)
  if (!record) return 'missing'
  const session = await sessionForRecord(db, organisationId, record.sessionId)
  if (!session) return 'missing'
  const role = recordRoleOf(viewerOf(req), partiesOf(session))
  if (role === null) return 'forbidden'
  const policy = await policyOnDate(db, session.schoolId, session.date)
  return { record, session, policy, role, recordedBy: policy?.recording.recordedBy ?? 'supervisor' }
}

const recordsRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db
  const mailer = { baseUrl: app.config.baseUrl }

  async function withRecord(
    req: FastifyRequest<{ Params: { recordId: string } }>,
    reply: FastifyReply,
    fn: (ctx: RecordContext) => Promise<unknown>,
  ) {
    const ctx = await recordContext(req, req.params.recordId)
    if (ctx === 'missing') return renderNotFound(req, reply)
    if (ctx === 'forbidden') return forbidden(reply)
    return fn(ctx)
  }

  // -------------------------------------------------------------------------------------------
  // The record page
  // -------------------------------------------------------------------------------------------

  interface RenderOptions {
    status?: number
    errors?: EntryErrors
    document?: RecordDocument
    draftVersion?: number
    notice?: { heading: string; text?: string } | null
    conflict?: { heading: string; text: string; unsaved: { label: string; lines: string[] }[] } | null
    extra?: ReadonlySet<string>
  }

  async function renderRecord(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: RecordContext,
    options: RenderOptions = {},
  ) {
    const { record, session, policy, role } = ctx
    const viewer = viewerOf(req)
    const parties = partiesOf(session)
    const doc = options.document ?? record.document
    const errors = options.errors ?? {}
    const draft = record.status === 'draft'
    const canWrite = draft && canWriteRecord(viewer, parties, ctx.recordedBy)
    const canComplete = draft && canCompleteRecord(viewer, parties)
    const previous: PreviousAction[] = draft ? await previousActionsFor(db, session, record.group) : []
    const type = sessionTypeIn(policy, session.typeId)
    const needsBoundary = boundaryRequired(
      type === null
        ? null
        : { group: record.group, recordsConfidentialityBoundary: type.recordsConfidentialityBoundary },
    )
    const preparations = (await preparationsOfSession(db, session.schoolId, session.id)).filter(
      (p) => role !== 'supervisee' || p.personId === viewer.personId,
    )
    const signers = doc.session ? requiredSigners(doc.session, policy?.recording.signedBy ?? []) : []
    const activeSignatures = record.signatures.filter((s) => !s.superseded)
    const facts = record.signatures.map((s) => ({
      personId: s.personId,
      contentHash: s.contentHash,
      superseded: s.superseded,
    }))
    const missing = missingSigners(signers, facts)
    const currentHash = recordContentHash(record.template, record.document)
    const integrity = await recordIntegrity(db, record)
    const errorList = formErrors(Object.entries(errors).map(([k, v]) => [k, v] as const))
    const actionsField = actionsFieldOf(record.template)
    const addParam = options.extra ?? new Set<string>()
    const sections = canWrite
      ? formSections(record.template, doc, errors, addParam)
      : displaySections(record.template, doc.values, { skipFieldIds: actionsField ? [actionsField.id] : [] }).map(
          (s) => ({
            ...s,
            fields: s.fields,
          }),
        )
    const needsMySignature =
      record.status === 'completed' && missing.some((m) => m.personId === viewer.personId) && !integrity.altered
    return reply.code(options.status ?? 200).view('records/views/record.njk', {
      pageTitle: record.template.name,
      backLink: { href: `/records/sessions/${session.id}`, text: 'Back to the session' },
      errors: errorList,
      record: {
        id: record.id,
        name: record.template.name,
        templateId: record.template.id,
        templateVersion: record.templateVersion,
        status: record.status,
        statusLabel: recordStatusLabels[record.status],
        group: record.group,
        draftVersion: options.draftVersion ?? record.draftVersion,
        completedAt: record.completedAt,
        lockedAt: record.lockedAt,
        disputed: record.disputedAt !== null,
        contentHash: record.contentHash,
        currentHash,
        notes: record.template.notes ?? [],
      },
      session: {
        id: session.id,
        schoolName: session.schoolName,
        date: session.date,
        startTime: session.startTime,
        typeName: doc.session?.typeName ?? type?.name ?? 'Supervision',
        supervisors: session.participants.filter((p) => p.role === 'supervisor'),
        present: session.participants.filter((p) => p.role === 'supervisee' && p.attended !== false),
        absent: session.participants.filter((p) => p.role === 'supervisee' && p.attended === false),
      },
      roleWords: roleWords[role],
      canWrite,
      canComplete,
      integrity,
      notice: options.notice ?? null,
      conflict: options.conflict ?? null,
      preparations: preparations.map((p) => preparationView(p, session.id)),
      carried: doc.carried.map((c) => ({
        ...c,
        who: session.participants.find((p) => p.personId === c.personId)?.name ?? '',
      })),
      reviews: draft
        ? reviewRows(previous, doc, errors, today())
        : doc.reviews.map((r, i) => ({
            number: i + 1,
            text: r.text,
            meta: [`Agreed ${r.raisedOn}`, r.ownerName ? `by ${r.ownerName}` : null].filter((x) => x).join(', '),
            statusLabel: actionStatusLabels[r.status] ?? r.status,
            reason: r.reason,
          })),
      sections,
      actionsFieldId: actionsField?.id ?? null,
      actions: canWrite
        ? actionRows(record.template, doc, errors, participantsOf(session), addParam.has('actions') ? 1 : 0)
        : { label: actionsField?.label ?? 'Agreed actions', list: doc.actions.filter((a) => a.text.trim() !== '') },
      decisions: canWrite
        ? decisionRows(doc, errors, addParam.has('decisions') ? 1 : 0)
        : doc.decisions.map((d) => ({ ...d, mark: record.decisionMarks.get(d.id) ?? null })),
      childRecordSystem: policy?.childRecord.system ?? null,
      canMarkRecorded: mayMarkRecorded(viewer, policy),
      decisionsMatter:
        (policy?.childRecord.decisionsMustReachChildRecord ?? true) || (type?.decisionsToChildRecord ?? false),
      boundary: {
        needed: record.group,
        required: needsBoundary,
        value: doc.boundary,
        error: errors['boundary'] ? { text: errors['boundary'] } : undefined,
      },
      signers: signers.map((s) => {
        const signature = activeSignatures.find((x) => x.personId === s.personId)
        return { ...s, signature: signature ?? null }
      }),
      signatures: activeSignatures,
      needsMySignature,
      canRespond: record.status === 'completed' && role === 'supervisee',
      canReopen: record.status === 'completed' && role === 'supervisor',
      canAddAddendum: record.status === 'signed',
      disputeRoute: policy?.disputeResolution ?? null,
      comments: record.comments,
      addenda: record.addenda,
      versions: record.versions,
    })
  }

  function preparationView(p: Preparation, sessionId: string) {
    return {
      personName: p.personName,
      agenda: p.content.agenda,
      cases: p.content.cases.map((c) => ({
        ...c,
        proformaHref: c.proforma ? `/records/sessions/${sessionId}/preparation/${p.personId}/cases/${c.id}` : null,
      })),
    }
  }

  function extraRows(query: unknown): Set<string> {
    const add = (query as Record<string, unknown>)?.['add']
    return new Set(typeof add === 'string' ? [add] : [])
  }

  app.get<{ Params: { recordId: string }; Querystring: Record<string, string | undefined> }>(
    '/records/:recordId',
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        await recordOpened(db, {
          recordId: ctx.record.id,
          schoolId: ctx.record.schoolId,
          actor: actorOf(req),
          format: 'page',
        })
        const notices: Record<string, { heading: string; text?: string }> = {
          saved: { heading: 'Your draft has been saved' },
          completed: {
            heading: 'The record is complete',
            text: 'Everyone who must sign it has been told it is ready.',
          },
          signed: { heading: 'You have signed the record' },
          locked: {
            heading: 'Everyone has signed: the record is locked',
            text: 'Any later change is added as a dated addendum.',
          },
          reopened: {
            heading: 'The record is a draft again',
            text: 'Signatures made so far no longer count: everyone signs again once you complete it.',
          },
          commented: { heading: 'Your comment has been added' },
          disagreed: {
            heading: 'Your disagreement has been recorded',
            text: 'The people named in the policy’s dispute route have been told.',
          },
          addendum: { heading: 'Your addendum has been added' },
          recorded: { heading: 'The decision is marked as recorded on the child’s record' },
        }
        const key = Object.keys(notices).find((k) => req.query[k] === '1')
        return renderRecord(req, reply, ctx, { notice: key ? notices[key]! : null, extra: extraRows(req.query) })
      }),
  )

  function draftFrom(ctx: RecordContext, body: unknown, previous: readonly PreviousAction[]): DraftInput {
    return readRecordForm(ctx.record.template, body, {
      existing: ctx.record.document,
      participants: participantsOf(ctx.session),
      previousActionIds: previous.map((a) => a.id),
    })
  }

  /** The submitted draft as a document, to show back when it could not be saved. */
  function asDocument(ctx: RecordContext, draft: DraftInput, previous: readonly PreviousAction[]): RecordDocument {
    return {
      ...ctx.record.document,
      values: draft.values,
      actions: draft.actions,
      decisions: draft.decisions,
      boundary: draft.boundary,
      reviews: draft.reviews
        .filter((r) => r.status !== '')
        .map((r) => {
          const a = previous.find((p) => p.id === r.actionId)
          return {
            actionId: r.actionId,
            status: r.status as Exclude<typeof r.status, ''>,
            reason: r.reason,
            text: a?.text ?? '',
            ownerName: a?.ownerName ?? '',
            dueOn: a?.dueOn ?? '',
            raisedOn: a?.raisedOn ?? '',
          }
        }),
    }
  }

  async function refused(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: RecordContext,
    outcome: 'conflict' | 'not-draft',
    current: LoadedRecord,
    submitted: RecordDocument,
  ) {
    const unsaved = unsavedChanges(ctx.record.template, submitted, current.document)
    const conflict =
      outcome === 'conflict'
        ? {
            heading: 'Someone else saved this draft while you were editing it',
            text: 'Your changes have not been saved, so nothing of theirs was overwritten. The form now shows the draft as they saved it. What you typed is below: copy what you need into the form, then save again.',
            unsaved,
          }
        : {
            heading: 'This record has been completed since you opened it',
            text: 'Your changes have not been saved. What you typed is below: ask the supervisor to make the record a draft again, or add it as a comment.',
            unsaved,
          }
    if (wantsJson(req)) {
      return reply.code(409).send({
        saved: false,
        conflict: outcome === 'conflict',
        notDraft: outcome === 'not-draft',
        message: conflict.heading,
      })
    }
    const fresh = { ...ctx, record: current }
    return renderRecord(req, reply, fresh, { status: 409, conflict })
  }

  app.post<{ Params: { recordId: string } }>('/records/:recordId', { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!canWriteRecord(viewerOf(req), partiesOf(ctx.session), ctx.recordedBy)) return forbidden(reply)
      const expected = readDraftVersion(req.body)
      if (expected === null) return renderClientError(reply, 400)
      const previous = ctx.record.status === 'draft' ? await previousActionsFor(db, ctx.session, ctx.record.group) : []
      const draft = draftFrom(ctx, req.body, previous)
      const result = await saveDraft(db, {
        recordId: ctx.record.id,
        expectedDraftVersion: expected,
        draft,
        actor: actorOf(req),
        today: today(),
      })
      if (result.outcome === 'missing') return renderNotFound(req, reply)
      if (result.outcome === 'conflict' || result.outcome === 'not-draft')
        return refused(req, reply, ctx, result.outcome, result.current, asDocument(ctx, draft, previous))
      if (wantsJson(req)) {
        return reply.send({
          saved: true,
          draftVersion: result.draftVersion,
          savedAt: new Date().toISOString(),
          ids: assignedIds(ctx.record.template, req.body, result.document),
          problems: Object.keys(result.errors).length,
        })
      }
      const add = field(req.body, 'add')
      if (add !== '') {
        const target =
          add === 'actions' ||
          add === 'decisions' ||
          ctx.record.template.sections.some((s) => s.fields.some((f) => f.id === add))
            ? add
            : ''
        const anchor = target === 'actions' ? 'actions' : target === 'decisions' ? 'decisions' : target
        return reply.redirect(
          `/records/${ctx.record.id}${target ? `?add=${encodeURIComponent(target)}#${anchor}` : ''}`,
          303,
        )
      }
      if (Object.keys(result.errors).length > 0) {
        const fresh = await recordContext(req, ctx.record.id)
        if (typeof fresh === 'string') return renderNotFound(req, reply)
        return renderRecord(req, reply, fresh, {
          status: 400,
          errors: result.errors,
          notice: {
            heading: 'Your draft has been saved',
            text: 'Some answers need correcting before the record can be completed.',
          },
        })
      }
      return reply.redirect(`/records/${ctx.record.id}?saved=1`, 303)
    }),
  )

  app.post<{ Params: { recordId: string } }>('/records/:recordId/complete', { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!canCompleteRecord(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      const expected = readDraftVersion(req.body)
      if (expected === null) return renderClientError(reply, 400)
      const previous = ctx.record.status === 'draft' ? await previousActionsFor(db, ctx.session, ctx.record.group) : []
      const draft = draftFrom(ctx, req.body, previous)
      const result = await completeRecord(db, {
        recordId: ctx.record.id,
        expectedDraftVersion: expected,
        draft,
        actor: actorOf(req),
        today: today(),
        mailer,
      })
      if (result.outcome === 'missing') return renderNotFound(req, reply)
      if (result.outcome === 'conflict' || result.outcome === 'not-draft')
        return refused(req, reply, ctx, result.outcome, result.current, asDocument(ctx, draft, previous))
      if (result.outcome === 'invalid') {
        const fresh = await recordContext(req, ctx.record.id)
        if (typeof fresh === 'string') return renderNotFound(req, reply)
        return renderRecord(req, reply, fresh, {
          status: 400,
          errors: result.errors,
          notice: { heading: 'Your draft has been saved', text: 'Correct the answers below to complete the record.' },
        })
      }
      return reply.redirect(`/records/${ctx.record.id}?completed=1`, 303)
    }),
  )

  app.post<{ Params: { recordId: string } }>('/records/:recordId/reopen', { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (ctx.role !== 'supervisor') return forbidden(reply)
      const result = await reopenRecord(db, { recordId: ctx.record.id, actor: actorOf(req) })
      if (!result.ok)
        return renderClientError(reply, 409, {
          heading: 'The record cannot be changed',
          paragraphs: ['Only a completed record that not everyone has signed can be made a draft again.'],
        })
      return reply.redirect(`/records/${ctx.record.id}?reopened=1`, 303)
    }),
  )

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
      backLink: { href: `/records/${ctx.record.id}`, text: 'Back to the record' },
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

  app.get<{ Params: { recordId: string } }>('/records/:recordId/sign', { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!mustSign(req, ctx)) return reply.redirect(`/records/${ctx.record.id}`, 303)
      await recordOpened(db, {
        recordId: ctx.record.id,
        schoolId: ctx.record.schoolId,
        actor: actorOf(req),
        format: 'sign',
      })
      return renderSign(req, reply, ctx)
    }),
  )

  app.post<{ Params: { recordId: string } }>('/records/:recordId/sign', { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!mustSign(req, ctx)) return reply.redirect(`/records/${ctx.record.id}`, 303)
      const read = readStepUp(req)
      if (!read.ok) return renderSign(req, reply, ctx, read.errors, read.status, read.method)
      const step = await signStepUp(req, read.form, 'sign-record', ctx.record.id)
      if (!step.ok) return renderSign(req, reply, ctx, step.errors, step.status, step.method)
      const result = await signRecord(db, step.proof, {
        recordId: ctx.record.id,
        actor: actorOf(req),
        shownHash: field(req.body, 'contentHash'),
        mailer,
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
      return reply.redirect(`/records/${ctx.record.id}?${result.locked ? 'locked' : 'signed'}=1`, 303)
    }),
  )

  // -------------------------------------------------------------------------------------------
  // Comments, disagreement (MW-11) and addenda
  // -------------------------------------------------------------------------------------------

  async function renderText(
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
      const rows = await thirdPersonChoices(db, ctx.session, today())
      const chosen = extra.values?.['thirdPersonId'] ?? ''
      people = [
        { value: '', text: 'Not yet known: the designated safeguarding lead will arrange it', selected: chosen === '' },
        ...rows.map((r) => ({
          value: r.id,
          text: r.jobTitle ? `${r.name} (${r.jobTitle})` : r.name,
          selected: chosen === r.id,
        })),
      ]
    }
    return reply.code(extra.status ?? 200).view('records/views/text.njk', {
      pageTitle: titles[kind],
      backLink: { href: `/records/${ctx.record.id}`, text: 'Back to the record' },
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
    { path: 'comment', kind: 'comment' as const },
    { path: 'disagree', kind: 'disagree' as const },
    { path: 'addendum', kind: 'addendum' as const },
  ]
  for (const page of textPages) {
    const allowed = (ctx: RecordContext) =>
      page.kind === 'addendum'
        ? ctx.record.status === 'signed'
        : ctx.record.status === 'completed' && ctx.role === 'supervisee'
    app.get<{ Params: { recordId: string } }>(
      `/records/:recordId/${page.path}`,
      { config: signedIn },
      async (req, reply) =>
        withRecord(req, reply, async (ctx) => {
          if (!allowed(ctx)) return reply.redirect(`/records/${ctx.record.id}`, 303)
          return renderText(reply, ctx, page.kind)
        }),
    )
    app.post<{ Params: { recordId: string } }>(
      `/records/:recordId/${page.path}`,
      { config: signedIn },
      async (req, reply) =>
        withRecord(req, reply, async (ctx) => {
          if (!allowed(ctx)) return forbidden(reply)
          const text = field(req.body, 'text').replace(/\r\n?/g, '\n')
          const thirdPersonId = field(req.body, 'thirdPersonId')
          const values = { text, thirdPersonId }
          const max = page.kind === 'addendum' ? 10_000 : 5000
          const what = {
            comment: 'your comment',
            disagree: 'what you disagree with and why',
            addendum: 'the addendum',
          }[page.kind]
          if (text === '')
            return renderText(reply, ctx, page.kind, {
              errors: formErrors([['text', `Enter ${what}`]]),
              values,
              status: 400,
            })
          if (text.length > max)
            return renderText(reply, ctx, page.kind, {
              errors: formErrors([
                ['text', `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${String(max)} characters or fewer`],
              ]),
              values,
              status: 400,
            })
          if (thirdPersonId !== '' && !isUuid(thirdPersonId))
            return renderText(reply, ctx, page.kind, {
              errors: formErrors([['thirdPersonId', 'Select a person from the list']]),
              values,
              status: 400,
            })
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
                    today: today(),
                  })
                : await addAddendum(db, { recordId: ctx.record.id, actor, text, mailer })
          if (!result.ok) {
            if (result.reason === 'not-allowed')
              return renderText(reply, ctx, page.kind, {
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
          return reply.redirect(`/records/${ctx.record.id}?${done}=1`, 303)
        }),
    )
  }

  // -------------------------------------------------------------------------------------------
  // Decisions for the child's record (X-07)
  // -------------------------------------------------------------------------------------------

  app.post<{ Params: { recordId: string; decisionId: string } }>(
    '/records/:recordId/decisions/:decisionId/recorded',
    { config: signedIn },
    async (req, reply) =>
      withRecord(req, reply, async (ctx) => {
        if (!mayMarkRecorded(viewerOf(req), ctx.policy)) {
          return renderClientError(reply, 403, {
            heading: 'Only the designated safeguarding lead can do this',
            paragraphs: ['Your school’s policy says decisions entered on a child’s record are signed off by them.'],
          })
        }
        const system = field(req.body, 'system')
        const back = field(req.body, 'back') === 'transfers' ? '/records/transfers' : `/records/${ctx.record.id}`
        if (system === '' || system.length > 100) {
          return renderClientError(reply, 400, {
            heading:
              system === ''
                ? 'Enter the name of the system the decision was recorded in'
                : 'The name of the system must be 100 characters or fewer',
            paragraphs: ['Go back and try again.'],
          })
        }
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

  app.get<{ Querystring: { recorded?: string } }>('/records/transfers', { config: signedIn }, async (req, reply) => {
    const pending = await decisionsToRecord(db, viewerOf(req))
    return reply.view('records/views/transfers.njk', {
      pageTitle: 'Decisions to record on children’s files',
      backLink: { href: '/records', text: 'Records' },
      pending,
      recorded: req.query.recorded === '1',
    })
  })

  // -------------------------------------------------------------------------------------------
  // PDF
  // -------------------------------------------------------------------------------------------

  app.get<{ Params: { recordId: string } }>('/records/:recordId/record.pdf', { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      await recordOpened(db, {
        recordId: ctx.record.id,
        schoolId: ctx.record.schoolId,
        actor: actorOf(req),
        format: 'pdf',
      })
      const pdf = await recordPdf({
        record: ctx.record,
        schoolName: ctx.session.schoolName,
        integrity: await recordIntegrity(db, ctx.record),
        generatedAt: new Date(),
        childRecordSystem: ctx.policy?.childRecord.system ?? null,
      })
      const filename = `supervision-record-${ctx.session.date}.pdf`
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf)
    }),
  )

  // -------------------------------------------------------------------------------------------
  // A session: its records and preparation
  // -------------------------------------------------------------------------------------------

  async function sessionContext(req: FastifyRequest, sessionId: string) {
    const session = await sessionForRecord(db, req.actor!.organisationId, sessionId)
    if (!session) return 'missing' as const
    const role = recordRoleOf(viewerOf(req), partiesOf(session))
    if (role === null) return 'forbidden' as const
    const policy = await policyOnDate(db, session.schoolId, session.date)
    return { session, role, policy }
  }

  app.get<{ Params: { sessionId: string }; Querystring: { prepared?: string } }>(
    '/records/sessions/:sessionId',
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
    ctx: Exclude<Awaited<ReturnType<typeof sessionContext>>, 'missing' | 'forbidden'>,
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
    return reply.code(extra.status ?? 200).view('records/views/session.njk', {
      pageTitle: `${type?.name ?? 'Supervision'} on ${session.date}`,
      backLink: { href: '/records', text: 'Records' },
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

  app.post<{ Params: { sessionId: string } }>(
    '/records/sessions/:sessionId/start',
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden') return forbidden(reply)
      const viewer = viewerOf(req)
      if (!canWriteRecord(viewer, partiesOf(ctx.session), ctx.policy?.recording.recordedBy ?? 'supervisor'))
        return forbidden(reply)
      if (!sessionCanBeRecorded(ctx.session.status)) return notRecordable(reply)
      const choices = await recordTemplateChoices(db, ctx.session.schoolId, ctx.policy, ctx.session.typeId)
      const chosen = field(req.body, 'template')
      const choice = choices.find((c) => `${c.template.id}@${String(c.template.version)}` === chosen)
      if (!choice)
        return renderSession(req, reply, ctx, {
          errors: formErrors([['template', 'Select the form to record the session on']]),
          status: 400,
        })
      const template = (await resolveTemplate(db, ctx.session.schoolId, choice.template.id)) ?? choice.template
      try {
        const id = await startRecord(db, { session: ctx.session, policy: ctx.policy, template, actor: actorOf(req) })
        return reply.redirect(`/records/${id}`, 303)
      } catch (error) {
        if (error instanceof SessionNotRecordableError) return notRecordable(reply)
        throw error
      }
    },
  )

  // Preparation (CA-06) ---------------------------------------------------------------------

  async function renderPreparation(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: Exclude<Awaited<ReturnType<typeof sessionContext>>, 'missing' | 'forbidden'>,
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
      backLink: { href: `/records/sessions/${ctx.session.id}`, text: 'Back to the session' },
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
            ? `/records/sessions/${ctx.session.id}/preparation/cases/${c.id}/proforma`
            : null,
        hasProforma: withProforma.get(c.id) ?? false,
      })),
      preparationTemplate: ctx.policy?.templates.preparation ?? null,
      conflict: extra.conflict ?? false,
    })
  }

  app.get<{ Params: { sessionId: string }; Querystring: { add?: string } }>(
    '/records/sessions/:sessionId/preparation',
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden' || !canPrepare(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      return renderPreparation(req, reply, ctx, { add: req.query.add ?? '' })
    },
  )

  app.post<{ Params: { sessionId: string } }>(
    '/records/sessions/:sessionId/preparation',
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden' || !canPrepare(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      const body = req.body
      const versionRaw = field(body, 'version')
      if (!/^\d{1,9}$/.test(versionRaw)) return renderClientError(reply, 400)
      const agenda = rowIndexes(body, 'agenda')
        .map((n) => field(body, `agenda-${String(n)}-text`))
        .filter((t) => t !== '')
      const cases = rowIndexes(body, 'cases')
        .map((n) => {
          const at = `cases-${String(n)}`
          return {
            id: field(body, `${at}-id`),
            kind: (field(body, `${at}-kind`) === 'family' ? 'family' : 'child') as 'child' | 'family',
            name: field(body, `${at}-name`),
            reference: field(body, `${at}-reference`),
            notes: field(body, `${at}-notes`).replace(/\r\n?/g, '\n'),
          }
        })
        .filter((c) => c.name !== '' || c.reference !== '' || c.notes !== '')
      const problems: [string, string][] = []
      agenda.forEach((t, i) => {
        if (t.length > 500)
          problems.push([`agenda-${String(i)}-text`, `Agenda item ${String(i + 1)} must be 500 characters or fewer`])
      })
      cases.forEach((c, i) => {
        if (c.name === '')
          problems.push([`cases-${String(i)}-name`, `Enter the name of the child or family for case ${String(i + 1)}`])
        if (c.name.length > 300)
          problems.push([
            `cases-${String(i)}-name`,
            `The name for case ${String(i + 1)} must be 300 characters or fewer`,
          ])
        if (c.notes.length > 5000)
          problems.push([
            `cases-${String(i)}-notes`,
            `What you want to discuss about case ${String(i + 1)} must be 5000 characters or fewer`,
          ])
      })
      if (problems.length > 0 || agenda.length > 100 || cases.length > 50) {
        return renderPreparation(req, reply, ctx, {
          errors: formErrors(
            problems.length ? problems : [['agenda-0-text', 'You can add up to 100 agenda items and 50 cases']],
          ),
          status: 400,
          agenda,
          cases,
          version: Number(versionRaw),
        })
      }
      const me = req.session!.person
      const result = await savePreparation(db, {
        sessionId: ctx.session.id,
        actor: { personId: me.id, organisationId: me.organisationId, schoolId: ctx.session.schoolId, ip: req.ip },
        expectedVersion: Number(versionRaw),
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
        return reply.redirect(`/records/sessions/${ctx.session.id}/preparation?add=${add}#${add}`, 303)
      return reply.redirect(`/records/sessions/${ctx.session.id}?prepared=1`, 303)
    },
  )

  async function preparationTemplateOf(
    ctx: Exclude<Awaited<ReturnType<typeof sessionContext>>, 'missing' | 'forbidden'>,
  ): Promise<Template | null> {
    const id = ctx.policy?.templates.preparation
    return id ? resolveTemplate(db, ctx.session.schoolId, id) : null
  }

  async function renderProforma(
    reply: FastifyReply,
    ctx: Exclude<Awaited<ReturnType<typeof sessionContext>>, 'missing' | 'forbidden'>,
    prep: Preparation,
    caseId: string,
    template: Template,
    extra: { values?: Record<string, unknown>; errors?: EntryErrors; status?: number } = {},
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
      backLink: { href: `/records/sessions/${ctx.session.id}/preparation`, text: 'Back to your preparation' },
      errors: formErrors(Object.entries(errors).map(([k, v]) => [k, v] as const)),
      template: { name: template.name, description: template.description, notes: template.notes ?? [] },
      caseName: target.name,
      sections: formSections(template, doc, errors, new Set()),
      version: prep.version,
      action: `/records/sessions/${ctx.session.id}/preparation/cases/${caseId}/proforma`,
    })
  }

  app.get<{ Params: { sessionId: string; caseId: string } }>(
    '/records/sessions/:sessionId/preparation/cases/:caseId/proforma',
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden' || !canPrepare(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      const template = await preparationTemplateOf(ctx)
      const prep = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, viewerOf(req).personId)
      if (!template || !prep?.content.cases.some((c) => c.id === req.params.caseId)) return renderNotFound(req, reply)
      return renderProforma(reply, ctx, prep, req.params.caseId, template)
    },
  )

  app.post<{ Params: { sessionId: string; caseId: string } }>(
    '/records/sessions/:sessionId/preparation/cases/:caseId/proforma',
    { config: signedIn },
    async (req, reply) => {
      const ctx = await sessionContext(req, req.params.sessionId)
      if (ctx === 'missing') return renderNotFound(req, reply)
      if (ctx === 'forbidden' || !canPrepare(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      const template = await preparationTemplateOf(ctx)
      const me = viewerOf(req).personId
      const prep = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, me)
      if (!template || !prep?.content.cases.some((c) => c.id === req.params.caseId)) return renderNotFound(req, reply)
      const versionRaw = field(req.body, 'version')
      if (!/^\d{1,9}$/.test(versionRaw)) return renderClientError(reply, 400)
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
      const checked = validateEntry(template, draft.values, { mode: 'draft', today: today() })
      if (!checked.ok) {
        const errors = Object.fromEntries(Object.entries(checked.errors).map(([k, v]) => [k.replaceAll('.', '-'), v]))
        return renderProforma(reply, ctx, prep, req.params.caseId, template, {
          values: draft.values,
          errors,
          status: 400,
        })
      }
      const person = req.session!.person
      const result = await saveProforma(db, {
        sessionId: ctx.session.id,
        actor: {
          personId: person.id,
          organisationId: person.organisationId,
          schoolId: ctx.session.schoolId,
          ip: req.ip,
        },
        expectedVersion: Number(versionRaw),
        caseId: req.params.caseId,
        template,
        values: checked.values,
      })
      if (!result.ok) {
        const fresh = await loadPreparation(db, ctx.session.schoolId, ctx.session.id, me)
        if (!fresh) return renderNotFound(req, reply)
        return renderProforma(reply, ctx, fresh, req.params.caseId, template, {
          values: draft.values,
          errors: { form: 'Your preparation was changed in another window. Check the answers shown, then save again' },
          status: 409,
        })
      }
      return reply.redirect(`/records/sessions/${ctx.session.id}/preparation`, 303)
    },
  )

  app.get<{ Params: { sessionId: string; personId: string; caseId: string } }>(
    '/records/sessions/:sessionId/preparation/:personId/cases/:caseId',
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
        backLink: { href: `/records/sessions/${ctx.session.id}`, text: 'Back to the session' },
        personName: prep.personName,
        caseName: target.name,
        template: { name: target.proforma.template.name },
        sections: displaySections(target.proforma.template, target.proforma.values),
      })
    },
  )

  // -------------------------------------------------------------------------------------------
  // Records: the sessions you took part in
  // -------------------------------------------------------------------------------------------

  app.get('/records', { config: signedIn }, async (req, reply) => {
    const viewer = viewerOf(req)
    const rows = (await sessionsWithRecordsOf(db, viewer)).map((s) => ({
      ...s,
      records: s.records.map((r) => ({ ...r, statusLabel: recordStatusLabels[r.status] })),
    }))
    return reply.view('records/views/list.njk', {
      pageTitle: 'Records',
      sessions: rows,
      isDsl: viewer.roles.includes('dsl'),
    })
  })
}

export default recordsRoutes
