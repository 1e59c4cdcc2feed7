/**
 * Issue 14 (ADRs 0023, 0042): who completes the records of a supervision relationship: the
 * supervisor (the default), the supervisee (a manager completes the form even in her own session
 * as supervisee), or a named person of the organisation. Set by whoever manages staff, for the
 * person's current supervisor or line manager, from a date: the choices are kept, and a record
 * follows the one in force on its session's date (domain/access/records.ts, `recorderChoiceOn`
 * and `recorderOf`). Audited.
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  currentRelationshipRecorder,
  findPerson,
  type RelationshipRecorder,
  setRelationshipRecorder,
} from '../../db/repositories/staff/index.ts'
import { type RecorderChoice, recorderChoiceOn } from '../../domain/access/records.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { SupervisionKind } from '../../domain/people/supervision.ts'
import { formatDate } from '../../presenters/format.ts'
import { recordAudit } from '../audit.ts'

export type { RelationshipRecorder }

/** The person's current relationship of this kind, its history, and the choice in force today. */
export async function relationshipRecorder(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  kind: SupervisionKind,
  today: IsoDate,
): Promise<(RelationshipRecorder & { choice: RecorderChoice }) | null> {
  if (!isUuid(superviseeId)) return null
  const found = await currentRelationshipRecorder(db, organisationId, superviseeId, kind, today)
  return found ? { ...found, choice: recorderChoiceOn(found.history, today) } : null
}

export interface SetRecorderInput {
  organisationId: string
  superviseeId: string
  kind: SupervisionKind
  recorder: string
  personId: string
  /** From when the choice is in force (parsed from the form; the form reports a date that is not one). */
  effectiveFrom: IsoDate
  actorId: string
  today: IsoDate
}

export type SetRecorderResult =
  | { ok: true }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'field'; field: string; message: string }

export async function setRecorder(db: Db, input: SetRecorderInput): Promise<SetRecorderResult> {
  if (!isUuid(input.superviseeId)) return { ok: false, kind: 'not-found' }
  return db.transaction().execute(async (trx): Promise<SetRecorderResult> => {
    const current = await currentRelationshipRecorder(
      trx,
      input.organisationId,
      input.superviseeId,
      input.kind,
      input.today,
      { forUpdate: true },
    )
    if (!current) return { ok: false, kind: 'not-found' }
    let choice: RecorderChoice
    if (input.recorder === 'supervisor' || input.recorder === 'supervisee') choice = { kind: input.recorder }
    else if (input.recorder === 'person') {
      const named =
        isUuid(input.personId) && input.personId !== input.superviseeId && input.personId !== current.supervisor.id
          ? await findPerson(trx, input.organisationId, input.personId)
          : null
      if (!named)
        return {
          ok: false,
          kind: 'field',
          field: 'personId',
          message: 'Select the person who completes the records, someone other than the supervisor and supervisee',
        }
      choice = { kind: 'person', personId: named.person.id }
    } else return { ok: false, kind: 'field', field: 'recorder', message: 'Select who completes the records' }
    if (input.effectiveFrom < current.startsOn)
      return {
        ok: false,
        kind: 'field',
        field: 'effectiveFrom',
        message: `The date the change takes effect must be the same as or after ${formatDate(current.startsOn)}, when ${current.supervisor.name} became their ${input.kind === 'line-manager' ? 'line manager' : 'supervisor'}`,
      }
    const from = recorderChoiceOn(current.history, input.effectiveFrom)
    await setRelationshipRecorder(trx, {
      organisationId: input.organisationId,
      assignmentId: current.assignmentId,
      choice,
      effectiveFrom: input.effectiveFrom,
      setBy: input.actorId,
    })
    await recordAudit(trx, {
      action: 'supervision.recorder-set',
      subjectType: 'person',
      subjectId: input.superviseeId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      detail: {
        kind: input.kind,
        supervisorId: current.supervisor.id,
        from,
        to: choice,
        effectiveFrom: input.effectiveFrom,
      },
    })
    return { ok: true }
  })
}
