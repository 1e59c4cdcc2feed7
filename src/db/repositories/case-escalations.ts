/**
 * Case escalations through the local partnership's dispute-resolution procedure (LH-10) and the
 * stages each has been at. Every query is scoped by the school in its `where` clause.
 */
import type { EscalationOutcome, EscalationReason } from '../../domain/escalations/case-escalation.ts'
import { isUuid } from '../../domain/ids.ts'
import type { DbOrTrx } from './connection.ts'

export interface CaseEscalationRow {
  id: string
  schoolId: string
  recordId: string | null
  raisedBy: string | null
  raisedOn: string
  reason: EscalationReason
  otherAgency: string
  summary: string
  stageId: string
  stageStartedOn: string
  outcome: EscalationOutcome | null
  outcomeNote: string | null
  closedOn: string | null
  closedBy: string | null
  version: number
}

export interface CaseEscalationStageRow {
  stageId: string
  startedOn: string
  note: string | null
  movedBy: string | null
}

const columns = [
  'id',
  'school_id',
  'record_id',
  'raised_by',
  'raised_on',
  'reason',
  'other_agency',
  'summary',
  'stage_id',
  'stage_started_on',
  'outcome',
  'outcome_note',
  'closed_on',
  'closed_by',
  'version',
] as const

type Row = {
  id: string
  school_id: string
  record_id: string | null
  raised_by: string | null
  raised_on: string
  reason: EscalationReason
  other_agency: string
  summary: string
  stage_id: string
  stage_started_on: string
  outcome: EscalationOutcome | null
  outcome_note: string | null
  closed_on: string | null
  closed_by: string | null
  version: number
}

function fromRow(r: Row): CaseEscalationRow {
  return {
    id: r.id,
    schoolId: r.school_id,
    recordId: r.record_id,
    raisedBy: r.raised_by,
    raisedOn: r.raised_on,
    reason: r.reason,
    otherAgency: r.other_agency,
    summary: r.summary,
    stageId: r.stage_id,
    stageStartedOn: r.stage_started_on,
    outcome: r.outcome,
    outcomeNote: r.outcome_note,
    closedOn: r.closed_on,
    closedBy: r.closed_by,
    version: r.version,
  }
}

export interface NewCaseEscalation {
  schoolId: string
  recordId: string | null
  raisedBy: string
  raisedOn: string
  reason: EscalationReason
  otherAgency: string
  summary: string
  stageId: string
}

/** Inserts an escalation at its first stage, and that stage's row. */
export async function insertCaseEscalation(db: DbOrTrx, e: NewCaseEscalation): Promise<string> {
  const { id } = await db
    .insertInto('case_escalation')
    .values({
      school_id: e.schoolId,
      record_id: e.recordId,
      raised_by: e.raisedBy,
      raised_on: e.raisedOn,
      reason: e.reason,
      other_agency: e.otherAgency,
      summary: e.summary,
      stage_id: e.stageId,
      stage_started_on: e.raisedOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await insertStage(db, e.schoolId, id, { stageId: e.stageId, startedOn: e.raisedOn, note: null, movedBy: e.raisedBy })
  return id
}

async function insertStage(db: DbOrTrx, schoolId: string, escalationId: string, stage: CaseEscalationStageRow) {
  await db
    .insertInto('case_escalation_stage')
    .values({
      school_id: schoolId,
      escalation_id: escalationId,
      stage_id: stage.stageId,
      started_on: stage.startedOn,
      note: stage.note,
      moved_by: stage.movedBy,
    })
    .execute()
}

export async function caseEscalationInSchool(
  db: DbOrTrx,
  schoolId: string,
  id: string,
): Promise<CaseEscalationRow | null> {
  if (!isUuid(id)) return null
  const row = await db
    .selectFrom('case_escalation')
    .select(columns)
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? fromRow(row) : null
}

/** The school's escalations, newest first; only those `raisedBy` raised when given. */
export async function caseEscalationsOfSchool(
  db: DbOrTrx,
  schoolId: string,
  options: { raisedBy?: string; open?: boolean } = {},
): Promise<CaseEscalationRow[]> {
  let q = db.selectFrom('case_escalation').select(columns).where('school_id', '=', schoolId)
  if (options.raisedBy !== undefined) q = q.where('raised_by', '=', options.raisedBy)
  if (options.open) q = q.where('closed_on', 'is', null)
  const rows = await q.orderBy('raised_on', 'desc').orderBy('created_at', 'desc').execute()
  return rows.map(fromRow)
}

export async function caseEscalationStages(
  db: DbOrTrx,
  schoolId: string,
  escalationId: string,
): Promise<CaseEscalationStageRow[]> {
  const rows = await db
    .selectFrom('case_escalation_stage')
    .select(['stage_id', 'started_on', 'note', 'moved_by'])
    .where('school_id', '=', schoolId)
    .where('escalation_id', '=', escalationId)
    .orderBy('started_on')
    .orderBy('created_at')
    .execute()
  return rows.map((r) => ({ stageId: r.stage_id, startedOn: r.started_on, note: r.note, movedBy: r.moved_by }))
}

/** Moves an open escalation to a stage when its version is still `version`; false when it changed. */
export async function moveCaseEscalationStage(
  db: DbOrTrx,
  schoolId: string,
  id: string,
  version: number,
  stage: CaseEscalationStageRow,
): Promise<boolean> {
  const result = await db
    .updateTable('case_escalation')
    .set((eb) => ({ stage_id: stage.stageId, stage_started_on: stage.startedOn, version: eb('version', '+', 1) }))
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('closed_on', 'is', null)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await insertStage(db, schoolId, id, stage)
  return true
}

/** Records the outcome of an open escalation when its version is still `version`. */
export async function closeCaseEscalation(
  db: DbOrTrx,
  schoolId: string,
  id: string,
  version: number,
  outcome: { outcome: EscalationOutcome; note: string | null; closedOn: string; closedBy: string },
): Promise<boolean> {
  const result = await db
    .updateTable('case_escalation')
    .set((eb) => ({
      outcome: outcome.outcome,
      outcome_note: outcome.note,
      closed_on: outcome.closedOn,
      closed_by: outcome.closedBy,
      version: eb('version', '+', 1),
    }))
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('closed_on', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Dates only, no content: for content-blind counts. */
export async function caseEscalationDates(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ raisedOn: string; closedOn: string | null }[]> {
  const rows = await db
    .selectFrom('case_escalation')
    .select(['raised_on', 'closed_on'])
    .where('school_id', '=', schoolId)
    .execute()
  return rows.map((r) => ({ raisedOn: r.raised_on, closedOn: r.closed_on }))
}

/** Schools with an open escalation: the reminder job reads each school's in turn. */
export async function schoolsWithOpenCaseEscalations(db: DbOrTrx): Promise<string[]> {
  const rows = await db
    .selectFrom('case_escalation')
    .select('school_id')
    .distinct()
    .where('closed_on', 'is', null)
    .execute()
  return rows.map((r) => r.school_id)
}
