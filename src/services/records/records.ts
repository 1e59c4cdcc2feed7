/**
 * Use cases for the record of a session (issue 7; X-05, X-06, X-07, CA-07, AM-06, LH-06, MW-11):
 * start it, save the draft (optimistic locking on its draft version), complete it, reopen it,
 * sign it, comment on it or record a disagreement, add dated addenda once it is locked, and mark
 * decisions as entered on the child's own record. Every change writes its audit entry and its
 * emails in the same transaction; emails name no content, only that there is something to do.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import * as stored from '../../db/repositories/records/records.ts'
import { lockSessionStatus, personInOrganisation } from '../../db/repositories/records/sessions.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import type { ReviewStatus } from '../../domain/records/actions.ts'
import {
  addendumHash,
  checkRecord,
  hashOf,
  missingSigners,
  newRecordDocument,
  type RecordDocument,
  type ReviewedAction,
  recordContent,
  recordContentHash,
  requiredSigners,
  sessionCanBeRecorded,
  withActionValues,
} from '../../domain/records/record.ts'
import type { Template } from '../../domain/records/template.ts'
import {
  supervisionFactsOf,
  visibleTemplate,
  withoutGroupRepeats,
  withoutHiddenValues,
} from '../../domain/records/template-conditions.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { type StepUpProof, spendStepUp } from '../auth/step-up.ts'
import { queueRecordDecisions } from '../children/decisions.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { policyBook } from '../policy/on-date.ts'
import { feedDevelopmentPlan } from '../wellbeing/development-plan.ts'
import { askForFeedback } from '../wellbeing/supervision-feedback.ts'
import { type SessionInfo, schoolLeads, sessionForRecord, sessionTypeIn, snapshotOf } from './context.ts'
import { contractNamedThirdPerson } from './disputes.ts'
import { recordIntegrity } from './integrity.ts'
import { queueForStaffFile } from './staff-file.ts'
import { carriedIssuesFor, type LoadedRecord, type PreviousAction, previousActionsFor } from './store.ts'

export interface RecordActor {
  personId: string
  name: string
  organisationId: string
  ip?: string | null
}

export interface Mailer {
  baseUrl: string
}

const recordUrl = (mailer: Mailer, recordId: string) =>
  `${mailer.baseUrl.replace(/\/$/, '')}${paths.records.show({ recordId })}`

/** An email to one person through the outbox, in the caller's transaction; nobody without an address is written to. */
export async function email(
  trx: DbOrTrx,
  organisationId: string,
  to: { email: string; name: string },
  subject: string,
  lines: string[],
): Promise<void> {
  if (to.email.trim() === '') return
  await enqueueEmail(trx, {
    kind: 'record.step',
    to: to.email,
    subject,
    text: [`Dear ${to.name},`, '', ...lines, '', 'Haven'].join('\n'),
    organisationId,
  })
}

// ---------------------------------------------------------------------------------------------
// Starting a record

/** The session did not take place (cancelled, postponed or not attended): there is nothing to record. */
export class SessionNotRecordableError extends Error {
  override name = 'SessionNotRecordableError'
}

export async function startRecord(
  db: Db,
  input: { session: SessionInfo; policy: PolicyDocument | null; template: Template; actor: RecordActor },
): Promise<string> {
  const snapshot = snapshotOf(input.session, input.policy)
  const doc = newRecordDocument(input.template, snapshot)
  return db.transaction().execute(async (trx) => {
    // The session as it stands now, locked so it cannot be cancelled while its record is started.
    const status = await lockSessionStatus(trx, input.session.schoolId, input.session.id)
    if (!status || !sessionCanBeRecorded(status))
      throw new SessionNotRecordableError('the session did not take place: there is nothing to record')
    doc.carried = await carriedIssuesFor(trx, input.session, snapshot.group)
    const id = await stored.insertRecord(trx, input.session.schoolId, {
      sessionId: input.session.id,
      template: input.template,
      group: snapshot.group,
      document: doc,
      actorId: input.actor.personId,
    })
    await recordAudit(trx, {
      action: 'record.create',
      subjectType: 'record',
      subjectId: id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: input.session.schoolId,
      detail: { sessionId: input.session.id, templateId: input.template.id, templateVersion: input.template.version },
      ip: input.actor.ip ?? null,
    })
    return id
  })
}

// ---------------------------------------------------------------------------------------------
// The draft

/** What a form sends: everything but the session snapshot and the carried issues, which Haven fills. */
export interface DraftInput {
  values: RecordDocument['values']
  actions: RecordDocument['actions']
  reviews: { actionId: string; status: ReviewStatus | ''; reason: string }[]
  decisions: RecordDocument['decisions']
  boundary: string
}

export type SaveResult =
  | { outcome: 'saved'; draftVersion: number; document: RecordDocument; errors: Record<string, string> }
  | { outcome: 'conflict'; current: LoadedRecord }
  | { outcome: 'not-draft'; current: LoadedRecord }
  | { outcome: 'missing' }

export type CompleteResult =
  | { outcome: 'completed'; contentHash: string }
  | { outcome: 'invalid'; draftVersion: number; document: RecordDocument; errors: Record<string, string> }
  | { outcome: 'conflict'; current: LoadedRecord }
  | { outcome: 'not-draft'; current: LoadedRecord }
  | { outcome: 'missing' }

/** The draft as it will be stored: reviews filled in from last time's actions, ids checked. */
function buildDocument(
  template: Template,
  existing: RecordDocument,
  input: DraftInput,
  previous: readonly PreviousAction[],
  session: SessionInfo,
  policy: PolicyDocument | null,
  carried: RecordDocument['carried'],
): RecordDocument {
  // Ids of actions and decisions come from the form: keep only those this record already has.
  const knownActions = new Set(existing.actions.map((a) => a.id))
  const knownDecisions = new Set(existing.decisions.map((d) => d.id))
  const actions = input.actions.map((a) => ({ ...a, id: knownActions.has(a.id) ? a.id : randomUUID() }))
  const decisions = input.decisions.map((d) => ({ ...d, id: knownDecisions.has(d.id) ? d.id : randomUUID() }))
  const reviews: ReviewedAction[] = []
  for (const action of previous) {
    const given = input.reviews.find((r) => r.actionId === action.id)
    if (!given || given.status === '') continue
    reviews.push({
      actionId: action.id,
      status: given.status,
      reason: given.status === 'dropped' ? given.reason.trim() : '',
      text: action.text,
      ownerName: action.ownerName,
      dueOn: action.dueOn,
      raisedOn: action.raisedOn,
    })
  }
  const snapshot = snapshotOf(session, policy)
  return {
    // Items the session's form does not show (issue 14) are neither asked nor kept.
    values: withoutHiddenValues(template, snapshot.supervision, input.values),
    actions,
    reviews,
    carried,
    decisions,
    boundary: input.boundary,
    session: snapshot,
  }
}

/**
 * The template as the record page shows it (issue 14): a draft follows who the supervisor is to the
 * supervisees now (it is checked against that when saved); a completed record, what it saw when completed.
 */
export function templateShownFor(
  template: Template,
  record: { status: string; document: RecordDocument; group: boolean },
  session: SessionInfo,
): Template {
  if (record.status !== 'draft') return shownTemplate(template, record.document, record.group)
  return withoutGroupRepeats(
    visibleTemplate(
      template,
      supervisionFactsOf(
        session.participants.filter((p) => p.role === 'supervisor'),
        session.participants.filter((p) => p.role === 'supervisee'),
      ),
    ),
    { group: record.group, values: record.document.values },
  )
}

/**
 * The template as this record's form shows it: items whose supervision condition fails are left
 * out (issue 14), and on a group record the fields Haven asks in its own sections (issue 18).
 */
export function shownTemplate(template: Template, doc: RecordDocument, group: boolean): Template {
  return withoutGroupRepeats(visibleTemplate(template, doc.session?.supervision), { group, values: doc.values })
}

/** Stores the actions agreed in the record, the statuses it gave last time's actions and its decisions. */
async function syncActionsAndDecisions(
  trx: DbOrTrx,
  record: { id: string; schoolId: string; sessionId: string; actorId: string; sessionDate: string },
  doc: RecordDocument,
  at: Date,
): Promise<void> {
  await stored.syncActions(
    trx,
    record.schoolId,
    { id: record.id, sessionId: record.sessionId, sessionDate: record.sessionDate, actorId: record.actorId, at },
    doc.actions.filter((a) => a.text.trim() !== ''),
    doc.reviews,
  )
  await stored.syncDecisions(
    trx,
    record.schoolId,
    record.id,
    doc.decisions.map((d) => d.id),
  )
}

interface SaveContext {
  record: LoadedRecord
  session: SessionInfo
  policy: PolicyDocument | null
  previous: PreviousAction[]
}

async function saveInTransaction(
  trx: DbOrTrx,
  input: { recordId: string; expectedDraftVersion: number; draft: DraftInput; actor: RecordActor; today: string },
): Promise<
  | { outcome: 'saved'; ctx: SaveContext; draftVersion: number; document: RecordDocument }
  | Exclude<SaveResult, { outcome: 'saved' }>
> {
  const record = await stored.recordInOrganisation(trx, input.actor.organisationId, input.recordId, { forUpdate: true })
  if (!record) return { outcome: 'missing' }
  if (record.status !== 'draft') return { outcome: 'not-draft', current: record }
  if (record.draftVersion !== input.expectedDraftVersion) return { outcome: 'conflict', current: record }
  const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
  if (!session) return { outcome: 'missing' }
  const policy = (await policyBook(trx, session.schoolId)).on(session.date)
  const previous = await previousActionsFor(trx, session, record.group)
  const carried = await carriedIssuesFor(trx, session, record.group)
  const document = withActionValues(
    record.template,
    buildDocument(record.template, record.document, input.draft, previous, session, policy, carried),
  )
  const draftVersion = record.draftVersion + 1
  const now = new Date()
  await stored.updateDraft(trx, record.schoolId, record.id, {
    document,
    draftVersion,
    actorId: input.actor.personId,
    at: now,
  })
  await syncActionsAndDecisions(
    trx,
    {
      id: record.id,
      schoolId: record.schoolId,
      sessionId: record.sessionId,
      actorId: input.actor.personId,
      sessionDate: session.date,
    },
    document,
    now,
  )
  await recordAudit(trx, {
    action: 'record.save',
    subjectType: 'record',
    subjectId: record.id,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: record.schoolId,
    detail: { draftVersion },
    ip: input.actor.ip ?? null,
  })
  return { outcome: 'saved', ctx: { record, session, policy, previous }, draftVersion, document }
}

function checkOptions(ctx: SaveContext, mode: 'draft' | 'complete', today: string) {
  const type = sessionTypeIn(ctx.policy, ctx.session.typeId)
  return {
    mode,
    today,
    previousActions: ctx.previous,
    reviewsRequired: ctx.policy?.recording.actionsReviewedAtNextSession ?? true,
    boundaryRequired: ctx.record.group && (type?.recordsConfidentialityBoundary ?? false),
  }
}

/**
 * Saves the draft. Refused when someone else saved it since this person loaded it (their draft
 * version is older): nothing is saved and the caller shows them their unsaved text.
 * A draft with answers in the wrong format is still saved; the problems are returned.
 */
export async function saveDraft(
  db: Db,
  input: { recordId: string; expectedDraftVersion: number; draft: DraftInput; actor: RecordActor; today: string },
): Promise<SaveResult> {
  return db.transaction().execute(async (trx) => {
    const saved = await saveInTransaction(trx, input)
    if (saved.outcome !== 'saved') return saved
    const errors = checkRecord(
      shownTemplate(saved.ctx.record.template, saved.document, saved.ctx.record.group),
      saved.document,
      checkOptions(saved.ctx, 'draft', input.today),
    )
    return { outcome: 'saved', draftVersion: saved.draftVersion, document: saved.document, errors } as const
  })
}

/**
 * The supervisor completes the record (X-05, AM-06): the draft is saved, checked as complete, its
 * content hash taken and kept as version 1, and everyone who must sign is told it is ready.
 */
export async function completeRecord(
  db: Db,
  input: {
    recordId: string
    expectedDraftVersion: number
    draft: DraftInput
    actor: RecordActor
    today: string
    mailer: Mailer
  },
): Promise<CompleteResult> {
  return db.transaction().execute(async (trx) => {
    const saved = await saveInTransaction(trx, input)
    if (saved.outcome !== 'saved') return saved
    const { ctx, document } = saved
    const errors = checkRecord(
      shownTemplate(ctx.record.template, document, ctx.record.group),
      document,
      checkOptions(ctx, 'complete', input.today),
    )
    if (Object.keys(errors).length > 0)
      return { outcome: 'invalid', draftVersion: saved.draftVersion, document, errors } as const
    const contentHash = recordContentHash(ctx.record.template, document)
    const now = new Date()
    await stored.markCompleted(trx, ctx.record.schoolId, ctx.record.id, {
      contentHash,
      actorId: input.actor.personId,
      at: now,
    })
    await appendVersion(
      trx,
      ctx.record.id,
      'completed',
      recordContent(ctx.record.template, document),
      input.actor.personId,
    )
    // Issue 14: a record (or an answered item) filed to the staff file waits on its list.
    await queueForStaffFile(trx, ctx.record.schoolId, ctx.record.id, ctx.record.template, document)
    const signers = requiredSigners(document.session!, ctx.policy?.recording.signedBy ?? [])
    for (const signer of signers) {
      if (signer.personId === input.actor.personId) continue
      const person = ctx.session.participants.find((p) => p.personId === signer.personId)
      if (!person) continue
      await email(trx, input.actor.organisationId, person, 'A supervision record is ready for you to read and sign', [
        `${input.actor.name} has completed the record of your supervision session. Read it, then sign it, add a comment or say if you disagree with it:`,
        '',
        recordUrl(input.mailer, ctx.record.id),
      ])
    }
    await recordAudit(trx, {
      action: 'record.complete',
      subjectType: 'record',
      subjectId: ctx.record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: ctx.record.schoolId,
      detail: { contentHash },
      ip: input.actor.ip ?? null,
    })
    return { outcome: 'completed', contentHash } as const
  })
}

async function appendVersion(
  trx: DbOrTrx,
  recordId: string,
  kind: stored.VersionKind,
  content: unknown,
  actorId: string,
): Promise<number> {
  return stored.appendVersion(trx, recordId, { kind, content, contentHash: hashOf(content), actorId })
}

export type SimpleResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'wrong-state' | 'not-allowed' | 'altered' | 'changed' }

/** The supervisor takes a completed record back to a draft to change it; signatures so far are kept, superseded. */
export async function reopenRecord(db: Db, input: { recordId: string; actor: RecordActor }): Promise<SimpleResult> {
  return db.transaction().execute(async (trx) => {
    const record = await stored.recordInOrganisation(trx, input.actor.organisationId, input.recordId, {
      forUpdate: true,
    })
    if (!record) return { ok: false, reason: 'missing' } as const
    if (record.status !== 'completed') return { ok: false, reason: 'wrong-state' } as const
    const now = new Date()
    await stored.markReopened(trx, record.schoolId, record.id, {
      draftVersion: record.draftVersion + 1,
      actorId: input.actor.personId,
      at: now,
    })
    await appendVersion(
      trx,
      record.id,
      'reopened',
      recordContent(record.template, record.document),
      input.actor.personId,
    )
    await recordAudit(trx, {
      action: 'record.reopen',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: {},
      ip: input.actor.ip ?? null,
    })
    return { ok: true } as const
  })
}

// ---------------------------------------------------------------------------------------------
// Signing (X-05, X-06, AM-06, LH-06)

export type SignResult =
  | { ok: true; locked: boolean }
  | { ok: false; reason: 'missing' | 'wrong-state' | 'not-a-signer' | 'already-signed' | 'altered' | 'changed' }

/**
 * Signs the record for one person, over the content hash they were shown. Refused when the record
 * changed since (`changed`) or is not as Haven left it (`altered`: its content, hashes or
 * signatures disagree with each other or with the audit log, services/records/integrity.ts). When everyone who
 * must sign has signed, the record is locked and the locked version kept.
 *
 * Only with the signer's proof of step-up (services/auth/step-up.ts), which it uses up: without
 * one, it throws `StepUpRequiredError` and signs nothing.
 */
export async function signRecord(
  db: Db,
  proof: StepUpProof,
  input: {
    recordId: string
    actor: RecordActor
    shownHash: string
    mailer: Mailer
    /** When it is signed: the app's clock (the handler passes it); real time if not given. */
    now?: Date
  },
): Promise<SignResult> {
  const method = spendStepUp(proof, input.actor.personId)
  return db.transaction().execute(async (trx) => {
    const record = await stored.recordInOrganisation(trx, input.actor.organisationId, input.recordId, {
      forUpdate: true,
    })
    if (!record) return { ok: false, reason: 'missing' } as const
    if (record.status !== 'completed') return { ok: false, reason: 'wrong-state' } as const
    const current = recordContentHash(record.template, record.document)
    if ((await recordIntegrity(trx, record)).altered) return { ok: false, reason: 'altered' } as const
    if (input.shownHash !== current) return { ok: false, reason: 'changed' } as const
    const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
    const policy = session ? (await policyBook(trx, session.schoolId)).on(session.date) : null
    const required = requiredSigners(record.document.session!, policy?.recording.signedBy ?? [])
    const me = required.find((r) => r.personId === input.actor.personId)
    if (!me) return { ok: false, reason: 'not-a-signer' } as const
    if (record.signatures.some((s) => !s.superseded && s.personId === me.personId))
      return { ok: false, reason: 'already-signed' } as const
    const now = input.now ?? new Date()
    await stored.insertSignature(trx, record.id, {
      personId: me.personId,
      role: me.role,
      name: input.actor.name,
      signedAt: now,
      contentHash: current,
      method,
    })
    const facts = [
      ...record.signatures.map((s) => ({ personId: s.personId, contentHash: s.contentHash, superseded: s.superseded })),
      { personId: me.personId, contentHash: current, superseded: false },
    ]
    const locked = missingSigners(required, facts).length === 0
    if (locked) {
      await stored.markLocked(trx, record.schoolId, record.id, now)
      // X-07, AM-04: the signed record's decisions join the DSL's queue for the child's record (issue 15).
      await queueRecordDecisions(trx, {
        organisationId: input.actor.organisationId,
        schoolId: record.schoolId,
        recordId: record.id,
        sessionId: record.sessionId,
        document: record.document,
        policy,
        now,
      })
      await appendVersion(
        trx,
        record.id,
        'locked',
        recordContent(record.template, record.document),
        input.actor.personId,
      )
      // PL-07: the development needs agreed in it go on the supervisees' development plans.
      await feedDevelopmentPlan(trx, {
        organisationId: input.actor.organisationId,
        schoolId: record.schoolId,
        recordId: record.id,
        template: record.template,
        document: record.document,
        policy,
      })
      // PL-06: each supervisee is asked for feedback on their supervision, as the policy sets.
      if (session)
        await askForFeedback(trx, { session, policy, today: londonDateOf(now), baseUrl: input.mailer.baseUrl })
      for (const p of session?.participants ?? []) {
        if (p.personId === input.actor.personId) continue
        await email(trx, input.actor.organisationId, p, 'A supervision record has been signed', [
          'Everyone has signed the record of your supervision session. It is now locked: any later change is added as a dated addendum.',
          '',
          recordUrl(input.mailer, record.id),
        ])
      }
    }
    await recordAudit(trx, {
      action: 'record.sign',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: { method, contentHash: current, locked },
      ip: input.actor.ip ?? null,
    })
    return { ok: true, locked } as const
  })
}

// ---------------------------------------------------------------------------------------------
// Comments and disagreement (MW-11)

/** A supervisee's comment on a completed record: the supervisors are told. */
export async function commentOnRecord(
  db: Db,
  input: { recordId: string; actor: RecordActor; text: string; mailer: Mailer },
): Promise<SimpleResult> {
  return db.transaction().execute(async (trx) => {
    const record = await stored.recordInOrganisation(trx, input.actor.organisationId, input.recordId, {
      forUpdate: true,
    })
    if (!record) return { ok: false, reason: 'missing' } as const
    if (record.status === 'draft') return { ok: false, reason: 'wrong-state' } as const
    await stored.insertComment(trx, record.id, { personId: input.actor.personId, kind: 'comment', text: input.text })
    const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
    for (const p of session?.participants ?? []) {
      if (p.role !== 'supervisor' || p.personId === input.actor.personId) continue
      await email(trx, input.actor.organisationId, p, 'A comment on a supervision record', [
        `${input.actor.name} has added a comment to the record of your supervision session. Read it in Haven:`,
        '',
        recordUrl(input.mailer, record.id),
      ])
    }
    await recordAudit(trx, {
      action: 'record.comment',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: {},
      ip: input.actor.ip ?? null,
    })
    return { ok: true } as const
  })
}

/**
 * A supervisee disagrees with the record (MW-11): it follows the policy's dispute route. The named
 * third person and the school's DSL are told a disagreement needs resolving; when the policy says
 * both parties are told in advance, the supervisor and supervisee are told too.
 */
export async function recordDisagreement(
  db: Db,
  input: {
    recordId: string
    actor: RecordActor
    text: string
    thirdPersonId: string | null
    mailer: Mailer
    today: string
  },
): Promise<SimpleResult> {
  return db.transaction().execute(async (trx) => {
    const record = await stored.recordInOrganisation(trx, input.actor.organisationId, input.recordId, {
      forUpdate: true,
    })
    if (!record) return { ok: false, reason: 'missing' } as const
    if (record.status !== 'completed') return { ok: false, reason: 'wrong-state' } as const
    const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
    if (!session) return { ok: false, reason: 'missing' } as const
    const policy = (await policyBook(trx, session.schoolId)).on(session.date)
    let third: { id: string; name: string; email: string } | undefined
    if (input.thirdPersonId !== null) {
      third = (await personInOrganisation(trx, input.actor.organisationId, input.thirdPersonId)) ?? undefined
      if (!third) return { ok: false, reason: 'not-allowed' } as const
    } else {
      // MW-11: nobody chosen: the third person the supervisee's contract names, when they are in Haven.
      const named = await contractNamedThirdPerson(trx, input.actor.organisationId, input.actor.personId)
      if (named?.personId)
        third = (await personInOrganisation(trx, input.actor.organisationId, named.personId)) ?? undefined
    }
    const now = new Date()
    await stored.insertComment(trx, record.id, {
      personId: input.actor.personId,
      kind: 'disagreement',
      text: input.text,
      thirdPersonId: third?.id ?? null,
    })
    await stored.markDisputed(trx, record.schoolId, record.id, now)
    const told = new Set<string>([input.actor.personId])
    const route = (policy?.disputeResolution?.steps ?? []).map(
      (s) => `- ${s.when ? `${s.when}: ` : ''}${s.description}`,
    )
    const routeLines = route.length > 0 ? ['', 'The policy’s route for resolving a disagreement:', ...route] : []
    if (third && !told.has(third.id)) {
      told.add(third.id)
      await email(
        trx,
        input.actor.organisationId,
        third,
        'You have been named to help resolve a disagreement about a supervision record',
        [
          `${input.actor.name} disagrees with the record of a supervision session and has named you as the third person to help resolve it. Arrange a meeting with both of them.`,
          ...routeLines,
        ],
      )
    }
    for (const lead of await schoolLeads(trx, input.actor.organisationId, record.schoolId, input.today)) {
      if (told.has(lead.id)) continue
      told.add(lead.id)
      await email(trx, input.actor.organisationId, lead, 'A disagreement about a supervision record', [
        `${input.actor.name} has recorded a disagreement with the record of a supervision session. It follows the school’s dispute route.`,
        ...routeLines,
        '',
        recordUrl(input.mailer, record.id),
      ])
    }
    for (const p of session.participants) {
      if (told.has(p.personId)) continue
      if (p.role === 'supervisee' && !(policy?.disputeResolution?.bothPartiesToldInAdvance ?? false)) continue
      told.add(p.personId)
      await email(trx, input.actor.organisationId, p, 'A disagreement about a supervision record', [
        third
          ? `${input.actor.name} disagrees with the record of your supervision session. If you cannot resolve it between you, either of you can book a meeting with ${third.name} from the record in Haven; you will both be told its date and time when it is booked.`
          : `${input.actor.name} disagrees with the record of your supervision session. If you cannot resolve it between you, either of you can book a meeting to resolve it from the record in Haven, as the school’s dispute route says; you will both be told its date and time when it is booked.`,
        ...routeLines,
        '',
        recordUrl(input.mailer, record.id),
      ])
    }
    await recordAudit(trx, {
      action: 'record.disagree',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: { thirdPersonId: third?.id ?? null },
      ip: input.actor.ip ?? null,
    })
    return { ok: true } as const
  })
}

// ---------------------------------------------------------------------------------------------
// Addenda (X-06)

/** A dated addendum to a locked record; the record itself never changes. Every version is kept. */
export async function addAddendum(
  db: Db,
  input: { recordId: string; actor: RecordActor; text: string; mailer: Mailer },
): Promise<SimpleResult> {
  return db.transaction().execute(async (trx) => {
    const record = await stored.recordInOrganisation(trx, input.actor.organisationId, input.recordId, {
      forUpdate: true,
    })
    if (!record) return { ok: false, reason: 'missing' } as const
    if (record.status !== 'signed') return { ok: false, reason: 'wrong-state' } as const
    const createdAt = new Date()
    const hash = addendumHash({
      recordId: record.id,
      authorId: input.actor.personId,
      authorName: input.actor.name,
      text: input.text,
      createdAt: createdAt.toISOString(),
    })
    await stored.insertAddendum(trx, record.id, {
      authorId: input.actor.personId,
      authorName: input.actor.name,
      text: input.text,
      createdAt,
      contentHash: hash,
    })
    const addenda = [
      ...record.addenda.map((a) => ({
        authorId: a.authorId,
        authorName: a.authorName,
        text: a.text,
        createdAt: a.createdAt.toISOString(),
        hash: a.contentHash,
      })),
      {
        authorId: input.actor.personId,
        authorName: input.actor.name,
        text: input.text,
        createdAt: createdAt.toISOString(),
        hash,
      },
    ]
    await appendVersion(
      trx,
      record.id,
      'addendum',
      { record: recordContent(record.template, record.document), addenda },
      input.actor.personId,
    )
    const session = await sessionForRecord(trx, input.actor.organisationId, record.sessionId)
    for (const p of session?.participants ?? []) {
      if (p.personId === input.actor.personId) continue
      await email(trx, input.actor.organisationId, p, 'An addendum to a supervision record', [
        `${input.actor.name} has added a dated addendum to the record of your supervision session.`,
        '',
        recordUrl(input.mailer, record.id),
      ])
    }
    await recordAudit(trx, {
      action: 'record.addendum',
      subjectType: 'record',
      subjectId: record.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: record.schoolId,
      detail: { contentHash: hash },
      ip: input.actor.ip ?? null,
    })
    return { ok: true } as const
  })
}

// ---------------------------------------------------------------------------------------------
// Decisions for the child's record (X-07, LH-06, CA-10, PL-04, MW-12)

/** Records that someone opened a record (X-06: every access is traceable). */
export async function recordOpened(
  db: Db,
  input: {
    recordId: string
    schoolId: string
    actor: RecordActor
    /** `session`: a session's page showed its preparation or carried-forward items (X-06). */
    format: 'page' | 'pdf' | 'sign' | 'preparation' | 'session' | 'share'
    /** A session's preparation (and what a session page shows of it) is opened by the session's id. */
    subjectType?: 'record' | 'session'
  },
): Promise<void> {
  await recordAudit(db, {
    action: 'record.open',
    subjectType: input.subjectType ?? 'record',
    subjectId: input.recordId,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: input.schoolId,
    detail: { format: input.format },
    ip: input.actor.ip ?? null,
  })
}
