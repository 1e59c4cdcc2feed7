/**
 * Case escalation (LH-10): a case that is not progressing, or where multi-agency working is
 * ineffective, is escalated through the local partnership's dispute-resolution procedure. The
 * procedure's stages come from the policy (`practice.caseEscalationStages`), each with the
 * working days allowed at it. Pure rules: deadlines on working days, the next stage, reminders
 * due, and content-blind counts for a period.
 */
import { addWorkingDays, compareDates, type SchoolCalendar } from '../calendar/index.ts'
import type { IsoDate } from '../people/person.ts'
import type { CaseEscalationStage } from '../policy/model.ts'

export const EscalationReason = {
  NotProgressing: 'not-progressing',
  MultiAgency: 'multi-agency',
} as const
export type EscalationReason = (typeof EscalationReason)[keyof typeof EscalationReason]

export const EscalationOutcome = {
  Resolved: 'resolved',
  NotResolved: 'not-resolved',
  Withdrawn: 'withdrawn',
} as const
export type EscalationOutcome = (typeof EscalationOutcome)[keyof typeof EscalationOutcome]

/** What the rules need of an escalation. */
export interface EscalationFacts {
  id: string
  stageId: string
  /** The day the current stage began. */
  stageStartedOn: IsoDate
  raisedOn: IsoDate
  /** The day the outcome was recorded; null while open. */
  closedOn: IsoDate | null
}

/** The stage with this id, or null when the policy no longer has it. */
export function stageOf(stages: readonly CaseEscalationStage[], stageId: string): CaseEscalationStage | null {
  return stages.find((s) => s.id === stageId) ?? null
}

/** The stage after `stageId`, or null at the last stage (or a stage the policy no longer has). */
export function nextStage(stages: readonly CaseEscalationStage[], stageId: string): CaseEscalationStage | null {
  const index = stages.findIndex((s) => s.id === stageId)
  if (index < 0) return null
  return stages[index + 1] ?? null
}

/** The first stage, where every escalation begins; null when the policy has none. */
export function firstStage(stages: readonly CaseEscalationStage[]): CaseEscalationStage | null {
  return stages[0] ?? null
}

/** The day a stage that began on `startedOn` is due: its working days on the school's calendar. */
export function stageDeadline(cal: SchoolCalendar, startedOn: IsoDate, stage: CaseEscalationStage): IsoDate {
  return addWorkingDays(cal, startedOn, stage.days)
}

/** The current stage's deadline, or null when it is closed or its stage is gone from the policy. */
export function currentDeadline(
  cal: SchoolCalendar,
  stages: readonly CaseEscalationStage[],
  escalation: EscalationFacts,
): IsoDate | null {
  if (escalation.closedOn !== null) return null
  const stage = stageOf(stages, escalation.stageId)
  return stage ? stageDeadline(cal, escalation.stageStartedOn, stage) : null
}

export interface ReminderDue {
  escalationId: string
  stageId: string
  deadline: IsoDate
}

/**
 * The open escalations whose current stage's deadline has come (on or before `today`): one
 * reminder each, keyed by the stage and the day it began so that a stage is reminded once.
 */
export function remindersDue(
  cal: SchoolCalendar,
  stages: readonly CaseEscalationStage[],
  escalations: readonly EscalationFacts[],
  today: IsoDate,
): ReminderDue[] {
  const due: ReminderDue[] = []
  for (const escalation of escalations) {
    const deadline = currentDeadline(cal, stages, escalation)
    if (deadline !== null && compareDates(deadline, today) <= 0)
      due.push({ escalationId: escalation.id, stageId: escalation.stageId, deadline })
  }
  return due
}

/** The outbox key of a stage's reminder to one person: a stage (begun on a day) is reminded once. */
export function stageReminderKey(escalationId: string, stageId: string, stageStartedOn: IsoDate, personId: string) {
  return `case-escalation-stage:${escalationId}:${stageId}:${stageStartedOn}:${personId}`
}

export interface EscalationCounts {
  /** Raised in the period. */
  raised: number
  /** Given an outcome in the period. */
  resolved: number
  /** Open at the end of the period. */
  open: number
}

/** Content-blind counts for a period (inclusive dates), for management and governors. */
export function countEscalations(
  escalations: readonly Pick<EscalationFacts, 'raisedOn' | 'closedOn'>[],
  from: IsoDate,
  to: IsoDate,
): EscalationCounts {
  const within = (d: IsoDate) => compareDates(d, from) >= 0 && compareDates(d, to) <= 0
  let raised = 0
  let resolved = 0
  let open = 0
  for (const e of escalations) {
    if (within(e.raisedOn)) raised++
    if (e.closedOn !== null && within(e.closedOn)) resolved++
    if (compareDates(e.raisedOn, to) <= 0 && (e.closedOn === null || compareDates(e.closedOn, to) > 0)) open++
  }
  return { raised, resolved, open }
}

/** Who is asking: their person id and their roles in the escalation's school. */
export interface EscalationViewer {
  personId: string
  roles: readonly string[]
}

/** Only the DSL moves an escalation through its stages and records its outcome. */
export function mayManageCaseEscalations(viewer: EscalationViewer): boolean {
  return viewer.roles.includes('dsl')
}

/**
 * Confidential (LH-10): only the DSL and the person who raised it read an escalation's content.
 * Management (the headteacher, governors) sees counts only.
 */
export function mayReadCaseEscalation(viewer: EscalationViewer, escalation: { raisedBy: string | null }): boolean {
  return mayManageCaseEscalations(viewer) || (escalation.raisedBy !== null && escalation.raisedBy === viewer.personId)
}

export const escalationReasonWords: Readonly<Record<EscalationReason, string>> = {
  'not-progressing': 'The case is not progressing',
  'multi-agency': 'Multi-agency working is ineffective',
}

export const escalationOutcomeWords: Readonly<Record<EscalationOutcome, string>> = {
  resolved: 'Resolved',
  'not-resolved': 'Not resolved',
  withdrawn: 'Withdrawn',
}

/**
 * Who raises an escalation: the DSL, from a record or on its own; a supervisor from a record of a
 * session they supervised (`recordSupervisorIds`: null when it stands on its own).
 */
export function mayRaiseCaseEscalation(
  viewer: EscalationViewer,
  recordSupervisorIds: readonly string[] | null,
): boolean {
  if (mayManageCaseEscalations(viewer)) return true
  return recordSupervisorIds?.includes(viewer.personId) ?? false
}
