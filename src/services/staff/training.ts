/**
 * Supervisor training (LH-08, PL-05): the courses a supervisor completed, recorded by the DSL or an
 * administrator on the person's page, each with when it runs out under the policy in force.
 */
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { insertTraining, type StoredTraining, trainingOf } from '../../db/repositories/supervisor-training.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { type TrainingStatus, trainingExpiry, trainingStatus } from '../../domain/policy/training.ts'
import { recordAudit } from '../audit.ts'
import { policyBook, trustPolicyBook } from '../policy/on-date.ts'
import { getStoredPerson } from './people.ts'

export const trainingTextLimit = 2000

export interface TrainingRow extends StoredTraining {
  /** When it runs out under the policy in force today; null when it does not. */
  expiresOn: IsoDate | null
}

export interface TrainingPage {
  rows: TrainingRow[]
  /** The person's training today (the latest course). */
  status: TrainingStatus
  /** Whether the policy in force requires supervisors to be trained. */
  required: boolean
}

/**
 * Issue 14: the policy a person works under: their school's, or for one of the trust's own people
 * (no school) the trust's.
 */
export async function personPolicyBook(db: DbOrTrx, organisationId: string, schoolId: string | null) {
  return schoolId === null ? trustPolicyBook(db, organisationId) : policyBook(db, schoolId)
}

/** A person's training records with their expiry, and where their training stands today. */
export async function trainingPage(
  db: DbOrTrx,
  scope: { organisationId: string; schoolId: string | null; personId: string; supervisorTrainedOn: IsoDate | null },
  today: IsoDate,
): Promise<TrainingPage> {
  const [rows, book] = await Promise.all([
    trainingOf(db, scope.schoolId, scope.personId),
    personPolicyBook(db, scope.organisationId, scope.schoolId),
  ])
  const supervisors = book.on(today)?.supervisors ?? null
  return {
    rows: rows.map((r) => ({ ...r, expiresOn: trainingExpiry(r.completedOn, supervisors?.trainingValidFor) })),
    status: trainingStatus(scope.supervisorTrainedOn, supervisors, today),
    required: supervisors?.trainingRequired ?? false,
  }
}

export type RecordTrainingResult =
  | { ok: true }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'invalid'; field: string; message: string }

/** Records a course for a member of staff of a school, in one transaction with its audit entry (ids only). */
export async function recordTraining(
  db: DbOrTrx,
  input: {
    organisationId: string
    personId: string
    actorId: string
    today: IsoDate
    course: string
    kind: 'initial' | 'refresher'
    completedOn: IsoDate
    evidence: string | null
  },
): Promise<RecordTrainingResult> {
  if (input.completedOn > input.today)
    return {
      ok: false,
      kind: 'invalid',
      field: 'completedOn',
      message: 'The date completed must be today or in the past',
    }
  return db.transaction().execute(async (trx) => {
    const stored = await getStoredPerson(trx, input.organisationId, input.personId)
    if (!stored) return { ok: false, kind: 'not-found' } as const
    const schoolId = stored.person.schoolId
    const id = await insertTraining(trx, {
      organisationId: input.organisationId,
      schoolId,
      personId: input.personId,
      course: input.course,
      kind: input.kind,
      completedOn: input.completedOn,
      evidence: input.evidence,
      recordedBy: input.actorId,
    })
    await recordAudit(trx, {
      action: 'staff.training-recorded',
      subjectType: 'person',
      subjectId: input.personId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId,
      detail: { trainingId: id, kind: input.kind, completedOn: input.completedOn },
    })
    return { ok: true } as const
  })
}
