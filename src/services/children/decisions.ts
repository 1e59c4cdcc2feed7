/**
 * Issue 15: the queue of decisions about children (X-07, CA-10, PL-04, AM-04, LH-06, MW-12).
 *
 * - Queued: when a record of formal or group supervision is signed by everyone (its decisions are
 *   then fixed), and when unplanned supervision is recorded with decisions (LH-06). A decision
 *   whose record names a child by a UPN or MIS id on the register is linked to that pupil.
 * - Signed off (AM-04): approve, return with a comment, or amend and approve; by the policy's
 *   sign-off role (the DSL when it names none, who runs the queue).
 * - Entered: by hand from the copy-ready entry ("entered by X on date, reference Y"), or by the
 *   school's webhook, whose receiver may answer with the reference.
 */
import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import {
  claimDueDeliveries,
  type DecisionRow,
  decisionInSchool,
  decisionsOfSchool,
  deleteWebhook,
  deliveriesOfSchool,
  insertDecisions,
  insertDelivery,
  markReminded,
  type NewDecision,
  pendingDecisionCount,
  pupilByReference,
  pupilInSchool,
  recordAttempt,
  saveWebhook,
  schoolOfId,
  updateDecision,
  waitingDecisions,
  webhookOf,
} from '../../db/repositories/children.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { currentStaffOfSchool } from '../../db/repositories/records/sessions.ts'
import { londonDateOf } from '../../domain/calendar/london.ts'
import {
  type DecisionAbout,
  type DecisionStatus,
  hasSomeoneToGoTo,
  initialStatus,
  isOverdue,
  markEntered,
  maySignOff,
  nextAttemptAt,
  type QueuedDecision,
  referenceFromResponse,
  type SignOffChoice,
  signatureHeader,
  signDelivery,
  signOff,
  webhookPayload,
} from '../../domain/children/decisions.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { PolicyDocument } from '../../domain/policy/index.ts'
import type { RecordDocument } from '../../domain/records/record.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { policyBook } from '../policy/on-date.ts'

type Policy = PolicyDocument | null

/** In the caller's transaction (a scheduled job runs in one), else in a new one. */
function inTransaction<T>(db: DbOrTrx, work: (trx: DbOrTrx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}

// ---------------------------------------------------------------------------------------------
// Queueing

function names(list: readonly { name: string }[]): string {
  const all = list.map((p) => p.name)
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`
}

/** A record signed by everyone: its decisions join the queue (formal and group supervision). */
export async function queueRecordDecisions(
  trx: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    recordId: string
    sessionId: string
    document: RecordDocument
    policy: Policy
    /** When the record was signed: the queue's reminders count school days from it. */
    now: Date
  },
): Promise<number> {
  const { document } = input
  const session = document.session
  if (!session || document.decisions.length === 0) return 0
  const agreedBy = names([...session.supervisors, ...session.supervisees])
  const kind = session.group ? `Group supervision: ${session.typeName}` : session.typeName
  const rows: NewDecision[] = []
  for (const d of document.decisions) {
    // A child chosen from the register (issue 15 item 1), else one whose reference is a UPN or MIS id on it.
    const chosen = d.kind === 'child' && d.pupilId ? await pupilInSchool(trx, input.schoolId, d.pupilId) : null
    const pupilId = chosen?.id ?? (d.kind === 'child' ? await pupilByReference(trx, input.schoolId, d.reference) : null)
    rows.push({
      source: 'record',
      sourceItemId: d.id,
      sessionId: input.sessionId,
      recordId: input.recordId,
      sessionKind: kind,
      about: d.kind,
      pupilId,
      aboutName: d.name,
      decision: d.decision,
      actions: '',
      agreedBy,
      decidedOn: session.date,
      status: initialStatus(input.policy),
    })
  }
  const queued = await insertDecisions(trx, { ...input, createdAt: input.now }, rows)
  if (initialStatus(input.policy) === 'ready')
    await deliverWhenReady(
      trx,
      input.schoolId,
      rows.map((r) => r.sourceItemId),
      input.now,
    )
  return queued
}

/** Unplanned supervision with decisions (LH-06: an ad hoc decision about a child must reach the child's record). */
export async function queueUnplannedDecisions(
  trx: DbOrTrx,
  input: {
    organisationId: string
    schoolId: string
    sessionId: string
    date: IsoDate
    typeName: string
    people: readonly { name: string }[]
    decisions: readonly { id: string; text: string }[]
    policy: Policy
    /** When the session was recorded (the app's clock): reminders count school days from it. */
    now: Date
  },
): Promise<number> {
  const rows: NewDecision[] = input.decisions.map((d) => ({
    source: 'unplanned',
    sourceItemId: d.id,
    sessionId: input.sessionId,
    recordId: null,
    sessionKind: `Unplanned supervision: ${input.typeName}`,
    about: 'child',
    pupilId: null,
    aboutName: '',
    decision: d.text,
    actions: '',
    agreedBy: names(input.people),
    decidedOn: input.date,
    status: initialStatus(input.policy),
  }))
  return insertDecisions(trx, { ...input, createdAt: input.now }, rows)
}

/** Decisions just made ready go to the school's webhook, when it has one. */
async function deliverWhenReady(
  trx: DbOrTrx,
  schoolId: string,
  sourceItemIds: readonly string[],
  now: Date,
): Promise<void> {
  const hook = await webhookOf(trx, schoolId)
  if (!hook) return
  for (const d of await decisionsOfSchool(trx, schoolId))
    if (d.status === 'ready' && sourceItemIds.includes(d.id))
      await insertDelivery(trx, schoolId, { decisionId: d.id, url: hook.url, at: now })
}

// ---------------------------------------------------------------------------------------------
// Reading

export function toQueued(d: DecisionRow): QueuedDecision {
  const child = d.pupil
    ? { about: d.about, name: d.pupil.name, upn: d.pupil.upn, misId: d.pupil.misId, yearGroup: d.pupil.yearGroup }
    : { about: d.about, name: d.aboutName, upn: null, misId: null, yearGroup: '' }
  return {
    id: d.id,
    status: d.status,
    child,
    decidedOn: d.decidedOn,
    category: d.category,
    decision: d.decision,
    actions: d.actions,
    agreedBy: d.agreedBy,
    sessionKind: d.sessionKind,
    signedOffByName: d.signedOffByName,
    enteredByName: d.enteredByName,
    enteredAt: d.enteredAt,
    enteredIn: d.enteredIn,
    enteredReference: d.enteredReference,
  }
}

export function decisionQueue(
  db: DbOrTrx,
  schoolId: string,
  filter: { pupilId?: string } = {},
): Promise<DecisionRow[]> {
  return decisionsOfSchool(db, schoolId, filter)
}

export function queuedDecision(db: DbOrTrx, schoolId: string, id: string): Promise<DecisionRow | null> {
  return decisionInSchool(db, schoolId, id)
}

export function decisionsPending(db: DbOrTrx, schoolId: string): Promise<number> {
  return pendingDecisionCount(db, schoolId)
}

export async function policyForDecision(db: DbOrTrx, schoolId: string, date: IsoDate): Promise<Policy> {
  return (await policyBook(db, schoolId)).on(date)
}

// ---------------------------------------------------------------------------------------------
// Sign-off and entry

export interface DecisionActor {
  personId: string
  organisationId: string
  roles: readonly string[]
  ip?: string | null
}

export type DecisionResult =
  | { ok: true; status: DecisionStatus }
  | { ok: false; reason: 'missing' | 'not-allowed' | 'changed' | 'invalid'; message?: string }

export interface SignOffInput {
  schoolId: string
  actor: DecisionActor
  id: string
  version: number
  /** The app's clock: the delivery to the webhook is due from then. */
  now: Date
  choice: SignOffChoice
  comment: string
  /** Amend: who it is about and what it says. */
  about?: DecisionAbout
  pupilId?: string
  aboutName?: string
  category?: string
  decision?: string
  actions?: string
}

export async function signOffDecision(db: Db, input: SignOffInput): Promise<DecisionResult> {
  return db.transaction().execute(async (trx): Promise<DecisionResult> => {
    const d = await decisionInSchool(trx, input.schoolId, input.id, { forUpdate: true })
    if (!d) return { ok: false, reason: 'missing' }
    const policy = await policyForDecision(trx, input.schoolId, d.decidedOn)
    if (!maySignOff(input.actor.roles, policy)) return { ok: false, reason: 'not-allowed' }
    if (d.version !== input.version) return { ok: false, reason: 'changed' }
    let about = d.about
    let pupilId = d.pupil?.id ?? null
    let aboutName = d.aboutName
    let pupilName = d.pupil?.name ?? ''
    if (input.choice === 'amend') {
      about = input.about ?? d.about
      if (about === 'child') {
        const pupil = input.pupilId ? await pupilInSchool(trx, input.schoolId, input.pupilId) : null
        if (input.pupilId && !pupil)
          return { ok: false, reason: 'invalid', message: 'Select a child from the register' }
        pupilId = pupil?.id ?? pupilId
        pupilName = pupil?.name ?? pupilName
      } else {
        pupilId = null
        aboutName = (input.aboutName ?? '').trim()
        pupilName = ''
      }
    }
    const step = signOff(
      d.status,
      input.choice,
      hasSomeoneToGoTo({ about, name: pupilName || aboutName, upn: null, misId: null, yearGroup: '' }),
    )
    if (!step.ok) return { ok: false, reason: 'invalid', message: step.message }
    const now = input.now
    const changed = await updateDecision(trx, input.schoolId, d.id, d.version, {
      status: step.status,
      signOffComment: input.choice === 'return' ? input.comment : null,
      signedOffBy: input.actor.personId,
      signedOffAt: now,
      ...(input.choice === 'amend'
        ? {
            about,
            pupilId,
            aboutName,
            category: input.category ?? d.category,
            decision: input.decision ?? d.decision,
            actions: input.actions ?? d.actions,
          }
        : {}),
    })
    if (!changed) return { ok: false, reason: 'changed' }
    if (step.status === 'ready') {
      const hook = await webhookOf(trx, input.schoolId)
      if (hook) await insertDelivery(trx, input.schoolId, { decisionId: d.id, url: hook.url, at: now })
    }
    await recordAudit(trx, {
      action: `child-decision.${input.choice === 'return' ? 'return' : input.choice === 'amend' ? 'amend' : 'approve'}`,
      subjectType: 'child-decision',
      subjectId: d.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: input.schoolId,
      detail: { status: step.status },
      ip: input.actor.ip ?? null,
    })
    return { ok: true, status: step.status }
  })
}

/** "Entered on the child's record by X on date, reference Y": by a person, from the copy-ready entry. */
export async function markDecisionEntered(
  db: Db,
  input: {
    schoolId: string
    actor: DecisionActor
    id: string
    version: number
    reference: string
    system: string
    /** The app's clock. */
    now: Date
  },
): Promise<DecisionResult> {
  return db.transaction().execute(async (trx): Promise<DecisionResult> => {
    const d = await decisionInSchool(trx, input.schoolId, input.id, { forUpdate: true })
    if (!d) return { ok: false, reason: 'missing' }
    const policy = await policyForDecision(trx, input.schoolId, d.decidedOn)
    if (!maySignOff(input.actor.roles, policy) && !input.actor.roles.includes('dsl'))
      return { ok: false, reason: 'not-allowed' }
    if (d.version !== input.version) return { ok: false, reason: 'changed' }
    const step = markEntered(d.status)
    if (!step.ok) return { ok: false, reason: 'invalid', message: step.message }
    const changed = await updateDecision(trx, input.schoolId, d.id, d.version, {
      status: 'entered',
      enteredBy: input.actor.personId,
      enteredAt: input.now,
      enteredIn: input.system || policy?.childRecord.system || null,
      enteredReference: input.reference,
    })
    if (!changed) return { ok: false, reason: 'changed' }
    await recordAudit(trx, {
      action: 'child-decision.entered',
      subjectType: 'child-decision',
      subjectId: d.id,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: input.schoolId,
      detail: { by: 'hand' },
      ip: input.actor.ip ?? null,
    })
    return { ok: true, status: 'entered' }
  })
}

/**
 * Issue 15 item 3: the school's own integration, by an API token, says it entered the decision in
 * the child's record with its reference ("entered by the school's integration (name) on date,
 * reference Y"). Only a decision signed off and not yet entered may be marked.
 */
export async function acknowledgeDecision(
  db: Db,
  input: {
    schoolId: string
    organisationId: string
    tokenId: string
    integrationName: string
    id: string
    reference: string
    system: string
    now: Date
    ip?: string | null
  },
): Promise<DecisionResult & { decision?: DecisionRow }> {
  return db.transaction().execute(async (trx) => {
    const d = await decisionInSchool(trx, input.schoolId, input.id, { forUpdate: true })
    if (!d) return { ok: false, reason: 'missing' } as const
    const step = markEntered(d.status)
    if (!step.ok) return { ok: false, reason: 'invalid', message: step.message } as const
    const policy = await policyForDecision(trx, input.schoolId, d.decidedOn)
    const changed = await updateDecision(trx, input.schoolId, d.id, d.version, {
      status: 'entered',
      enteredBy: null,
      enteredByName: `The school’s integration (${input.integrationName})`,
      enteredAt: input.now,
      enteredIn: input.system || policy?.childRecord.system || null,
      enteredReference: input.reference,
    })
    if (!changed) return { ok: false, reason: 'changed' } as const
    await recordAudit(trx, {
      action: 'child-decision.entered',
      subjectType: 'child-decision',
      subjectId: d.id,
      actorId: null,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { by: 'api', token: input.tokenId },
      ip: input.ip ?? null,
    })
    const after = await decisionInSchool(trx, input.schoolId, d.id)
    return { ok: true, status: 'entered', ...(after ? { decision: after } : {}) } as const
  })
}

/** Someone read children's decisions in a copy-ready entry or a PDF (X-06: reading is traceable). */
export async function decisionsRead(
  db: DbOrTrx,
  input: { schoolId: string; actor: DecisionActor; format: 'entry' | 'pdf'; subjectId: string },
): Promise<void> {
  await recordAudit(db, {
    action: 'child-decision.read',
    subjectType: input.format === 'pdf' ? 'pupil' : 'child-decision',
    subjectId: input.subjectId,
    actorId: input.actor.personId,
    organisationId: input.actor.organisationId,
    schoolId: input.schoolId,
    detail: { format: input.format },
    ip: input.actor.ip ?? null,
  })
}

// ---------------------------------------------------------------------------------------------
// The school's webhook

export function schoolWebhook(db: DbOrTrx, schoolId: string) {
  return webhookOf(db, schoolId)
}

export function deliveryLog(db: DbOrTrx, schoolId: string) {
  return deliveriesOfSchool(db, schoolId)
}

interface WebhookChange {
  organisationId: string
  schoolId: string
  actorId: string
  ip?: string | null
}

async function changeWebhook(
  db: Db,
  input: WebhookChange,
  change: 'set' | 'removed',
  work: (trx: DbOrTrx) => Promise<void>,
) {
  await db.transaction().execute(async (trx) => {
    await work(trx)
    await recordAudit(trx, {
      action: `child-decision.webhook-${change}`,
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: {},
      ip: input.ip ?? null,
    })
  })
}

/** Sets the school's webhook with a new secret, returned once to be shown once. */
export async function setWebhook(db: Db, input: WebhookChange & { url: string }): Promise<{ secret: string }> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`
  await changeWebhook(db, input, 'set', (trx) =>
    saveWebhook(trx, input, { url: input.url, secret, updatedBy: input.actorId, at: new Date() }),
  )
  return { secret }
}

export function removeWebhook(db: Db, input: WebhookChange): Promise<void> {
  return changeWebhook(db, input, 'removed', (trx) => deleteWebhook(trx, input.schoolId))
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>

/** How long a claimed delivery is held by one run before another may try it. */
const LEASE_MS = 5 * 60_000

/**
 * Sends the due deliveries: each signed with the school's secret; a 2xx answer delivers it (and,
 * with a reference in the answer, enters the decision); anything else is tried again later
 * (decisions.ts: retryMinutes), then marked failed.
 */
export async function deliverDueDecisions(
  db: DbOrTrx,
  options: { now: Date; fetch?: Fetch; batchSize?: number; timeoutMs?: number },
): Promise<{ delivered: number; failed: number }> {
  const send = options.fetch ?? ((url, init) => fetch(url, init))
  const claimed = await inTransaction(db, async (trx) => {
    const due = await claimDueDeliveries(trx, options.now, options.batchSize ?? 20)
    for (const d of due)
      await recordAttempt(trx, d.schoolId, d.id, {
        status: 'waiting',
        attempts: d.attempts,
        at: options.now,
        nextAttemptAt: new Date(options.now.getTime() + LEASE_MS),
        responseStatus: null,
        error: null,
      })
    return due
  })
  let delivered = 0
  let failed = 0
  for (const d of claimed) {
    const decision = await decisionInSchool(db, d.schoolId, d.decisionId)
    const hook = await webhookOf(db, d.schoolId)
    const school = await schoolOfId(db, d.schoolId)
    const attempts = d.attempts + 1
    const fail = async (responseStatus: number | null, error: string) => {
      const next = nextAttemptAt(attempts, options.now)
      await recordAttempt(db, d.schoolId, d.id, {
        status: next ? 'waiting' : 'failed',
        attempts,
        at: options.now,
        nextAttemptAt: next,
        responseStatus,
        error,
      })
      failed++
    }
    if (!decision || !hook || !school) {
      await fail(null, 'The webhook or the decision no longer exists')
      continue
    }
    const body = JSON.stringify(webhookPayload(toQueued(decision), school))
    let response: Response
    try {
      response = await send(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [signatureHeader]: signDelivery(hook.secret, body, options.now),
          'x-haven-delivery': d.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      })
    } catch (error) {
      await fail(
        null,
        error instanceof Error && error.name === 'TimeoutError' ? 'No answer in time' : 'Could not connect',
      )
      continue
    }
    const text = (await response.text().catch(() => '')).slice(0, 10_000)
    if (response.status < 200 || response.status >= 300) {
      await fail(response.status, `Answered ${response.status}`)
      continue
    }
    await inTransaction(db, async (trx) => {
      await recordAttempt(trx, d.schoolId, d.id, {
        status: 'delivered',
        attempts,
        at: options.now,
        nextAttemptAt: null,
        responseStatus: response.status,
        error: null,
      })
      const reference = referenceFromResponse(text)
      const current = await decisionInSchool(trx, d.schoolId, d.decisionId, { forUpdate: true })
      if (reference && current && markEntered(current.status).ok) {
        const policy = await policyForDecision(trx, d.schoolId, current.decidedOn)
        await updateDecision(trx, d.schoolId, current.id, current.version, {
          status: 'entered',
          enteredBy: null,
          enteredByName: 'The school’s integration',
          enteredAt: options.now,
          enteredIn: policy?.childRecord.system ?? null,
          enteredReference: reference,
        })
        await recordAudit(trx, {
          action: 'child-decision.entered',
          subjectType: 'child-decision',
          subjectId: current.id,
          actorId: null,
          organisationId: school.organisationId,
          schoolId: d.schoolId,
          detail: { by: 'webhook', delivery: d.id },
        })
      }
    })
    delivered++
  }
  return { delivered, failed }
}

// ---------------------------------------------------------------------------------------------
// Reminders

/**
 * X-07, issue 15: decisions waiting longer than the policy's `remindAfterDays` are reminded about,
 * at most once a day, to whoever signs them off (the DSL when the policy names nobody). The email
 * says how many, never about whom.
 */
export async function remindWaitingDecisions(db: DbOrTrx, options: { now: Date; baseUrl: string }): Promise<number> {
  const today = londonDateOf(options.now)
  const since = new Date(options.now.getTime() - 20 * 3600_000)
  const bySchool = new Map<string, { organisationId: string; ids: string[] }>()
  const books = new Map<string, Policy>()
  for (const d of await waitingDecisions(db, since)) {
    if (!books.has(d.schoolId)) books.set(d.schoolId, await policyForDecision(db, d.schoolId, today))
    const policy = books.get(d.schoolId) ?? null
    if (!isOverdue(londonDateOf(d.createdAt), today, policy?.childRecord.remindAfterDays ?? null)) continue
    const entry = bySchool.get(d.schoolId) ?? { organisationId: d.organisationId, ids: [] }
    entry.ids.push(d.id)
    bySchool.set(d.schoolId, entry)
  }
  let sent = 0
  for (const [schoolId, { organisationId, ids }] of bySchool) {
    const policy = books.get(schoolId) ?? null
    const role = policy?.childRecord.signOffRole ?? 'dsl'
    await inTransaction(db, async (trx) => {
      const staff = await currentStaffOfSchool(trx, organisationId, schoolId, today)
      const school = await schoolOfId(trx, schoolId)
      const link = `${options.baseUrl.replace(/\/$/, '')}${paths.children.decisions({ school: school?.slug })}`
      for (const person of staff.filter((p) => p.roles.includes(role))) {
        await enqueueEmail(trx, {
          kind: 'safeguarding.child-decisions',
          to: person.email,
          subject: 'Decisions about children are waiting for their records',
          text: [
            `Dear ${person.name},`,
            '',
            `${ids.length === 1 ? '1 decision about a child has' : `${ids.length} decisions about children have`} waited longer than your policy allows (${policy?.childRecord.remindAfterDays} days) to reach the child’s own safeguarding record.`,
            '',
            link,
            '',
            'Haven',
          ].join('\n'),
          organisationId,
          dedupeKey: `child-decisions:${schoolId}:${person.id}:${today}`,
        })
        sent++
      }
      await markReminded(trx, schoolId, ids, options.now)
    })
  }
  return sent
}
