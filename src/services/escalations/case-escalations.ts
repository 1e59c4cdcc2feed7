/**
 * Case escalation (LH-10; issue 17): a case that is not progressing, or where multi-agency working
 * is ineffective, escalated through the local partnership's dispute-resolution procedure, whose
 * stages (with the working days allowed at each) are in the policy. It comes from a record or
 * stands on its own. Confidential: only the DSL and the person who raised it read its content;
 * management gets counts only (`escalationCounts`). Reminders at each stage's deadline go through
 * the outbox, keyed so each stage is reminded once. Emails carry a link and no content.
 */
import type { Db } from '../../db/database.ts'
import {
  type CaseEscalationRow,
  type CaseEscalationStageRow,
  caseEscalationDates,
  caseEscalationInSchool,
  caseEscalationStages,
  caseEscalationsOfSchool,
  closeCaseEscalation,
  insertCaseEscalation,
  moveCaseEscalationStage,
  schoolsWithOpenCaseEscalations,
} from '../../db/repositories/case-escalations.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { contractSchool, peopleByIds } from '../../db/repositories/contracts.ts'
import { recordInOrganisation } from '../../db/repositories/records/records.ts'
import {
  countEscalations,
  currentDeadline,
  type EscalationCounts,
  type EscalationOutcome,
  type EscalationReason,
  type EscalationViewer,
  firstStage,
  mayManageCaseEscalations,
  mayRaiseCaseEscalation,
  mayReadCaseEscalation,
  nextStage,
  remindersDue,
  stageReminderKey,
} from '../../domain/escalations/case-escalation.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { CaseEscalationStage } from '../../domain/policy/model.ts'
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { collectorsOf } from '../contracts/setting.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { policyBook } from '../policy/on-date.ts'
import { sessionForRecord } from '../records/context.ts'

export type { CaseEscalationRow } from '../../db/repositories/case-escalations.ts'

export interface EscalationActor extends EscalationViewer {
  organisationId: string
  ip?: string | null
}

/** The policy's stages on `today`; empty when the school has no policy or it names none. */
export async function caseEscalationStagesOf(db: DbOrTrx, schoolId: string, today: IsoDate) {
  const policy = (await policyBook(db, schoolId)).on(today)
  return policy?.practice.caseEscalationStages ?? []
}

/** An audit entry about one escalation: who, in which school, what they did. */
function auditEscalation(
  db: DbOrTrx,
  actor: EscalationActor,
  schoolId: string,
  id: string,
  action: string,
  detail?: Record<string, unknown>,
) {
  return recordAudit(db, {
    action,
    subjectType: 'case-escalation',
    subjectId: id,
    actorId: actor.personId,
    organisationId: actor.organisationId,
    schoolId,
    ...(detail ? { detail } : {}),
    ip: actor.ip ?? null,
  })
}

export interface RaiseInput {
  actor: EscalationActor
  schoolId: string
  today: IsoDate
  recordId: string | null
  reason: EscalationReason
  otherAgency: string
  summary: string
}

/** The supervisors of a record's session in the school, or 'unknown-record'. */
export async function recordSupervisors(
  db: DbOrTrx,
  actor: EscalationActor,
  schoolId: string,
  recordId: string,
): Promise<string[] | 'unknown-record'> {
  const record = await recordInOrganisation(db, actor.organisationId, recordId)
  if (!record || record.schoolId !== schoolId) return 'unknown-record'
  const session = await sessionForRecord(db, actor.organisationId, record.sessionId)
  if (!session) return 'unknown-record'
  return session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId)
}

/** Whether the actor may raise an escalation (from this record, or on its own when null). */
export async function mayRaise(
  db: DbOrTrx,
  actor: EscalationActor,
  schoolId: string,
  recordId: string | null,
): Promise<boolean> {
  const supervisors = recordId === null ? null : await recordSupervisors(db, actor, schoolId, recordId)
  return supervisors !== 'unknown-record' && mayRaiseCaseEscalation(actor, supervisors)
}

/** Raises an escalation at the policy's first stage, from a record or on its own. */
export async function raiseCaseEscalation(
  db: Db,
  input: RaiseInput,
): Promise<{ ok: true; id: string } | { ok: false; problem: 'no-stages' | 'unknown-record' | 'forbidden' }> {
  const stage = firstStage(await caseEscalationStagesOf(db, input.schoolId, input.today))
  if (!stage) return { ok: false, problem: 'no-stages' }
  const supervisors =
    input.recordId === null ? null : await recordSupervisors(db, input.actor, input.schoolId, input.recordId)
  if (supervisors === 'unknown-record') return { ok: false, problem: 'unknown-record' }
  if (!mayRaiseCaseEscalation(input.actor, supervisors)) return { ok: false, problem: 'forbidden' }
  return db.transaction().execute(async (trx) => {
    const id = await insertCaseEscalation(trx, {
      schoolId: input.schoolId,
      recordId: input.recordId,
      raisedBy: input.actor.personId,
      raisedOn: input.today,
      reason: input.reason,
      otherAgency: input.otherAgency,
      summary: input.summary,
      stageId: stage.id,
    })
    await auditEscalation(trx, input.actor, input.schoolId, id, 'case-escalation.raise', {
      recordId: input.recordId,
      stageId: stage.id,
    })
    return { ok: true as const, id }
  })
}

export interface CaseEscalationView {
  escalation: CaseEscalationRow
  stages: readonly CaseEscalationStage[]
  history: CaseEscalationStageRow[]
  stage: CaseEscalationStage | null
  next: CaseEscalationStage | null
  deadline: IsoDate | null
  mayManage: boolean
}

/**
 * One escalation for someone who may read it (the DSL, the person who raised it), with its
 * stages and dates; the reading is audited. 'forbidden' for anyone else, null when there is none.
 */
export async function readCaseEscalation(
  db: Db,
  actor: EscalationActor,
  schoolId: string,
  id: string,
  today: IsoDate,
): Promise<CaseEscalationView | 'forbidden' | null> {
  const escalation = await caseEscalationInSchool(db, schoolId, id)
  if (!escalation) return null
  if (!mayReadCaseEscalation(actor, escalation)) return 'forbidden'
  const stages = await caseEscalationStagesOf(db, schoolId, today)
  const cal = await schoolCalendar(db, schoolId, today)
  await auditEscalation(db, actor, schoolId, id, 'case-escalation.read')
  return {
    escalation,
    stages,
    history: await caseEscalationStages(db, schoolId, id),
    stage: stages.find((s) => s.id === escalation.stageId) ?? null,
    next: escalation.closedOn === null ? nextStage(stages, escalation.stageId) : null,
    deadline: currentDeadline(cal, stages, escalation),
    mayManage: mayManageCaseEscalations(actor),
  }
}

export interface EscalationListItem {
  escalation: CaseEscalationRow
  stageName: string
  deadline: IsoDate | null
}

/** The escalations the actor may read: all of the school's for the DSL, else those they raised. */
export async function caseEscalationList(
  db: Db,
  actor: EscalationActor,
  schoolId: string,
  today: IsoDate,
): Promise<EscalationListItem[]> {
  const rows = await caseEscalationsOfSchool(
    db,
    schoolId,
    mayManageCaseEscalations(actor) ? {} : { raisedBy: actor.personId },
  )
  const stages = await caseEscalationStagesOf(db, schoolId, today)
  const cal = await schoolCalendar(db, schoolId, today)
  return rows.map((escalation) => ({
    escalation,
    stageName: stages.find((s) => s.id === escalation.stageId)?.name ?? 'A stage no longer in the policy',
    deadline: currentDeadline(cal, stages, escalation),
  }))
}

type ChangeResult = { ok: true } | { ok: false; problem: 'not-found' | 'forbidden' | 'conflict' | 'last-stage' }

/** The DSL moves an open escalation to the policy's next stage, from `today`. */
export async function moveCaseEscalation(
  db: Db,
  input: { actor: EscalationActor; schoolId: string; id: string; version: number; today: IsoDate; note: string | null },
): Promise<ChangeResult> {
  if (!mayManageCaseEscalations(input.actor)) return { ok: false, problem: 'forbidden' }
  const stages = await caseEscalationStagesOf(db, input.schoolId, input.today)
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const escalation = await caseEscalationInSchool(trx, input.schoolId, input.id)
    if (!escalation) return { ok: false, problem: 'not-found' }
    if (escalation.version !== input.version || escalation.closedOn !== null) return { ok: false, problem: 'conflict' }
    const next = nextStage(stages, escalation.stageId)
    if (!next) return { ok: false, problem: 'last-stage' }
    const moved = await moveCaseEscalationStage(trx, input.schoolId, input.id, input.version, {
      stageId: next.id,
      startedOn: input.today,
      note: input.note,
      movedBy: input.actor.personId,
    })
    if (!moved) return { ok: false, problem: 'conflict' }
    await auditEscalation(trx, input.actor, input.schoolId, input.id, 'case-escalation.stage', {
      from: escalation.stageId,
      to: next.id,
    })
    return { ok: true }
  })
}

/** The DSL records the outcome of an open escalation, closing it. */
export async function recordCaseEscalationOutcome(
  db: Db,
  input: {
    actor: EscalationActor
    schoolId: string
    id: string
    version: number
    today: IsoDate
    outcome: EscalationOutcome
    note: string | null
  },
): Promise<ChangeResult> {
  if (!mayManageCaseEscalations(input.actor)) return { ok: false, problem: 'forbidden' }
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const escalation = await caseEscalationInSchool(trx, input.schoolId, input.id)
    if (!escalation) return { ok: false, problem: 'not-found' }
    const closed = await closeCaseEscalation(trx, input.schoolId, input.id, input.version, {
      outcome: input.outcome,
      note: input.note,
      closedOn: input.today,
      closedBy: input.actor.personId,
    })
    if (!closed) return { ok: false, problem: 'conflict' }
    await auditEscalation(trx, input.actor, input.schoolId, input.id, 'case-escalation.outcome', {
      outcome: input.outcome,
    })
    return { ok: true }
  })
}

/**
 * Content-blind counts for a period (inclusive ISO dates): raised in it, given an outcome in it,
 * open at its end. For management, the overview and the governors' report.
 */
export async function escalationCounts(
  db: DbOrTrx,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<EscalationCounts> {
  return countEscalations(await caseEscalationDates(db, schoolId), from, to)
}

/** How many of the school's escalations are open now (the DSL's overview). */
export async function openCaseEscalationCount(db: DbOrTrx, schoolId: string): Promise<number> {
  return (await caseEscalationsOfSchool(db, schoolId, { open: true })).length
}

function link(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/$/, '')}${path}`
}

/**
 * Reminders at each stage's deadline (run by jobs/case-escalation-reminders.ts): the DSL and the
 * person who raised it, once per stage, whatever the number of runs. Returns how many were new.
 */
export async function sendCaseEscalationReminders(db: Db, input: { today: IsoDate; baseUrl: string }): Promise<number> {
  let sent = 0
  for (const schoolId of await schoolsWithOpenCaseEscalations(db)) {
    const school = await contractSchool(db, schoolId)
    if (!school) continue
    const open = await caseEscalationsOfSchool(db, schoolId, { open: true })
    const stages = await caseEscalationStagesOf(db, schoolId, input.today)
    const cal = await schoolCalendar(db, schoolId, input.today)
    const due = remindersDue(cal, stages, open, input.today)
    if (due.length === 0) continue
    const dsls = await collectorsOf(db, schoolId, ['dsl'], input.today)
    const raisers = await peopleByIds(
      db,
      school.organisationId,
      open.flatMap((e) => (e.raisedBy ? [e.raisedBy] : [])),
    )
    for (const reminder of due) {
      const escalation = open.find((e) => e.id === reminder.escalationId)!
      const recipients = new Map<string, string>()
      for (const dsl of dsls) if (dsl.email.trim() !== '') recipients.set(dsl.id, dsl.email)
      const raiser = escalation.raisedBy ? raisers.get(escalation.raisedBy) : undefined
      if (
        escalation.raisedBy &&
        raiser &&
        raiser.email.trim() !== '' &&
        (raiser.endDate === null || raiser.endDate >= input.today)
      )
        recipients.set(escalation.raisedBy, raiser.email)
      const stageName = stages.find((s) => s.id === reminder.stageId)?.name ?? 'its stage'
      for (const [personId, to] of recipients) {
        const result = await enqueueEmail(db, {
          kind: 'safeguarding.case-escalation',
          to,
          organisationId: school.organisationId,
          subject: 'A case escalation has reached its stage deadline',
          text:
            `A case escalation has reached the end of the time allowed at the stage "${stageName}".\n\n` +
            `Move it to the next stage, or record its outcome, in Haven:\n${link(input.baseUrl, paths.escalations.show({ id: escalation.id }))}` +
            '\n\nHaven: staff supervision for schools and trusts.',
          dedupeKey: stageReminderKey(escalation.id, reminder.stageId, escalation.stageStartedOn, personId),
        })
        if (result.created) sent++
      }
    }
  }
  return sent
}
