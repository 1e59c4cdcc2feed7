/** The record page: the draft with autosave and optimistic locking, completing it, and making it a draft again. */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { canCompleteRecord, canWriteRecord } from '../../../domain/access/records.ts'
import { recordGuidance } from '../../../domain/policy/practice.ts'
import { actionStatusLabels } from '../../../domain/records/actions.ts'
import { displaySections } from '../../../domain/records/display.ts'
import type { EntryErrors } from '../../../domain/records/entry.ts'
import {
  actionsFieldOf,
  boundaryRequired,
  missingSigners,
  type RecordDocument,
  recordContentHash,
  recordStatusLabels,
  requiredSigners,
} from '../../../domain/records/record.ts'
import { canShareRecord } from '../../../domain/records/sharing.ts'
import { field, formErrors } from '../../../forms/errors.ts'
import { paths } from '../../../paths/index.ts'
import { renderClientError, renderNotFound } from '../../../plugins/errors.ts'
import { wantsJson } from '../../../plugins/input-guard.ts'
import { decisionRegister, settleDecisions } from '../../../services/children/register.ts'
import { partiesOf, sessionTypeIn } from '../../../services/records/context.ts'
import { disputeMeetingsOf } from '../../../services/records/disputes.ts'
import { recordIntegrity } from '../../../services/records/integrity.ts'
import { preparationsOfSession } from '../../../services/records/preparation.ts'
import {
  completeRecord,
  type DraftInput,
  recordOpened,
  reopenRecord,
  saveDraft,
  templateShownFor,
} from '../../../services/records/records.ts'
import { partsOf, sharesOfRecord } from '../../../services/records/sharing.ts'
import { type LoadedRecord, type PreviousAction, previousActionsFor } from '../../../services/records/store.ts'
import { assignedIds, readDraftVersion, readRecordForm } from '../forms.ts'
import { actionRows, decisionRows, formSections, reviewRows, unsavedChanges } from '../presenters.ts'
import {
  actorOf,
  forbidden,
  participantsOf,
  preparationView,
  type RecordContext,
  recordContext,
  roleWords,
  signedIn,
  today,
  viewerOf,
  withRecord,
} from './shared.ts'
import { shareRows } from './sharing.ts'

export function recordPageRoutes(app: FastifyInstance): void {
  const db = app.db
  const mailer = { baseUrl: app.config.baseUrl }

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
    /** What was typed in one decision's "Find a pupil" (issue 15: a long register). */
    pupilSearch?: { row: number; term: string } | null
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
    const disputeMeetings = record.disputedAt ? await disputeMeetingsOf(db, record.schoolId, record.id) : []
    const errorList = formErrors(Object.entries(errors).map(([k, v]) => [k, v] as const))
    const actionsField = actionsFieldOf(record.template)
    const addParam = options.extra ?? new Set<string>()
    // Only the items that fit who the supervisor is in this session (issue 14).
    const shown = templateShownFor(record.template, record, session)
    const sections = canWrite
      ? formSections(shown, doc, errors, addParam)
      : displaySections(shown, doc.values, { skipFieldIds: actionsField ? [actionsField.id] : [] }).map((s) => ({
          ...s,
          fields: s.fields,
        }))
    // CA-09: who the record is shared with, and why; the supervisee sees it on their record.
    const shares = record.status === 'signed' ? await sharesOfRecord(db, record.schoolId, record.id) : []
    const needsMySignature =
      record.status === 'completed' && missing.some((m) => m.personId === viewer.personId) && !integrity.altered
    return reply.code(options.status ?? 200).view('records/views/record.njk', {
      pageTitle: record.template.name,
      backLink: { href: paths.records.session({ sessionId: session.id }), text: 'Back to the session' },
      errors: errorList,
      // who has opened this record (the DSL reads the school's trail; a participant their own).
      trailHref:
        role === 'dsl'
          ? paths.records.accessTrail({ record: record.id })
          : role === 'recorder'
            ? null
            : paths.records.whoOpened({ record: record.id }),
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
        ? reviewRows(previous, doc, errors, today(app))
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
        ? decisionRows(doc, errors, addParam.has('decisions') ? 1 : 0, {
            ...(await decisionRegister(db, session.schoolId, session)),
            search: options.pupilSearch ?? null,
          })
        : doc.decisions.map((d) => ({ ...d, mark: record.decisionMarks.get(d.id) ?? null })),
      childRecordSystem: policy?.childRecord.system ?? null,
      reviewsRequired: policy?.recording.actionsReviewedAtNextSession ?? true,
      guidance: recordGuidance(policy, {
        role: role === 'recorder' ? 'supervisor' : role,
        signed: record.status === 'signed',
      }),
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
      canReopen: record.status === 'completed' && canCompleteRecord(viewer, parties),
      canAddAddendum: record.status === 'signed',
      // LH-10: the DSL or the session's supervisor escalates a case from the record.
      canEscalateCase:
        (role === 'dsl' || role === 'supervisor') && (policy?.practice.caseEscalationStages.length ?? 0) > 0,
      disputeRoute: policy?.disputeResolution ?? null,
      comments: record.comments,
      disputeMeetings,
      disputeMeetingOpen: disputeMeetings.some((m) => m.outcome === null),
      canBookDisputeMeeting: record.disputedAt !== null && role !== 'recorder',
      addenda: record.addenda,
      versions: record.versions,
      shareHref: canShareRecord(role, record.status, policy?.confidentiality?.disclosure)
        ? paths.records.share({ recordId: record.id })
        : null,
      shares: shareRows(shares, {
        recordId: record.id,
        now: app.clock(),
        viewerId: viewer.personId,
        isDsl: role === 'dsl',
        parts: shares.length > 0 ? partsOf(record) : [],
      }),
    })
  }

  function extraRows(query: unknown): Set<string> {
    const add = (query as Record<string, unknown>)?.['add']
    return new Set(typeof add === 'string' ? [add] : [])
  }

  /** `?find=2&pupil=zoe`: what was typed in decision 3's "Find a pupil". */
  function pupilSearchOf(query: unknown): { row: number; term: string } | null {
    const row = field(query, 'find')
    const term = field(query, 'pupil').trim().slice(0, 100)
    return /^\d{1,2}$/.test(row) && term !== '' ? { row: Number(row), term } : null
  }

  app.get<{ Params: { recordId: string }; Querystring: Record<string, string | undefined> }>(
    paths.records.show.pattern,
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
          meetingBooked: {
            heading: 'The meeting has been booked',
            text: 'The supervisor, the supervisee and the third person have been told its date and time.',
          },
          outcomeRecorded: { heading: 'The outcome of the meeting has been recorded' },
          recorded: { heading: 'The decision is marked as recorded on the child’s record' },
          shared: {
            heading: 'The record has been shared',
            text: 'The supervisee has been told who has it and why, and so has the person you shared it with.',
          },
          withdrawn: { heading: 'The record is no longer shared with that person' },
        }
        const key = Object.keys(notices).find((k) => req.query[k] === '1')
        return renderRecord(req, reply, ctx, {
          notice: key ? notices[key]! : null,
          extra: extraRows(req.query),
          pupilSearch: pupilSearchOf(req.query),
        })
      }),
  )

  /** The draft as submitted, a child chosen from the register named as the register names them (issue 15). */
  async function draftFrom(
    ctx: RecordContext,
    body: unknown,
    previous: readonly PreviousAction[],
  ): Promise<DraftInput> {
    const draft = readDraft(ctx, body, previous)
    const { choices } = await decisionRegister(db, ctx.session.schoolId, ctx.session)
    return { ...draft, decisions: await settleDecisions(db, ctx.session.schoolId, draft.decisions, choices) }
  }

  function readDraft(ctx: RecordContext, body: unknown, previous: readonly PreviousAction[]): DraftInput {
    return readRecordForm(templateShownFor(ctx.record.template, ctx.record, ctx.session), body, {
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

  app.post<{ Params: { recordId: string } }>(paths.records.show.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!canWriteRecord(viewerOf(req), partiesOf(ctx.session), ctx.recordedBy)) return forbidden(reply)
      const expected = readDraftVersion(req.body)
      if (expected === null) return renderClientError(reply, 400)
      const previous = ctx.record.status === 'draft' ? await previousActionsFor(db, ctx.session, ctx.record.group) : []
      const draft = await draftFrom(ctx, req.body, previous)
      const result = await saveDraft(db, {
        recordId: ctx.record.id,
        expectedDraftVersion: expected,
        draft,
        actor: actorOf(req),
        today: today(app),
      })
      if (result.outcome === 'missing') return renderNotFound(req, reply)
      if (result.outcome === 'conflict' || result.outcome === 'not-draft')
        return refused(req, reply, ctx, result.outcome, result.current, asDocument(ctx, draft, previous))
      if (wantsJson(req)) {
        return reply.send({
          saved: true,
          draftVersion: result.draftVersion,
          savedAt: app.clock().toISOString(),
          ids: assignedIds(ctx.record.template, req.body, result.document),
          problems: Object.keys(result.errors).length,
        })
      }
      // "Find a pupil" (issue 15): the draft is saved, so nothing typed is lost, and the record
      // opens again with that decision's register choices narrowed to what was typed.
      const find = field(req.body, 'find')
      if (/^\d{1,2}$/.test(find)) {
        const term = field(req.body, `decisions-${find}-find`).trim().slice(0, 100)
        const back = paths.records.show({ recordId: ctx.record.id }, { find, pupil: term })
        return reply.redirect(`${back}#decisions-${find}-pupil`, 303)
      }
      const add = field(req.body, 'add')
      if (add !== '') {
        const target =
          add === 'actions' ||
          add === 'decisions' ||
          ctx.record.template.sections.some((s) => s.fields.some((f) => f.id === add))
            ? add
            : ''
        const back = paths.records.show({ recordId: ctx.record.id }, { add: target })
        return reply.redirect(target ? `${back}#${target}` : back, 303)
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
      return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { saved: '1' }), 303)
    }),
  )

  app.post<{ Params: { recordId: string } }>(paths.records.complete.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!canCompleteRecord(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      const expected = readDraftVersion(req.body)
      if (expected === null) return renderClientError(reply, 400)
      const previous = ctx.record.status === 'draft' ? await previousActionsFor(db, ctx.session, ctx.record.group) : []
      const draft = await draftFrom(ctx, req.body, previous)
      const result = await completeRecord(db, {
        recordId: ctx.record.id,
        expectedDraftVersion: expected,
        draft,
        actor: actorOf(req),
        today: today(app),
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
      return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { completed: '1' }), 303)
    }),
  )

  app.post<{ Params: { recordId: string } }>(paths.records.reopen.pattern, { config: signedIn }, async (req, reply) =>
    withRecord(req, reply, async (ctx) => {
      if (!canCompleteRecord(viewerOf(req), partiesOf(ctx.session))) return forbidden(reply)
      const result = await reopenRecord(db, { recordId: ctx.record.id, actor: actorOf(req) })
      if (!result.ok)
        return renderClientError(reply, 409, {
          heading: 'The record cannot be changed',
          paragraphs: ['Only a completed record that not everyone has signed can be made a draft again.'],
        })
      return reply.redirect(paths.records.show({ recordId: ctx.record.id }, { reopened: '1' }), 303)
    }),
  )
}
