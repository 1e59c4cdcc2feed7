/**
 * Issue 14 (ADR 0023): who completes the records of a supervision relationship: the supervisor
 * (the default), the supervisee (a manager completes the form even in her own session as
 * supervisee), or a named person of the organisation. Set by whoever manages staff, for the
 * person's current supervisor or line manager; audited. The record's access rules read it
 * (domain/access/records.ts, `recorderOf`).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  currentRelationshipRecorder,
  findPerson,
  type RelationshipRecorder,
  setRelationshipRecorder,
} from '../../db/repositories/staff/index.ts'
import type { RecorderChoice } from '../../domain/access/records.ts'
import { isUuid } from '../../domain/ids.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { SupervisionKind } from '../../domain/people/supervision.ts'
import { recordAudit } from '../audit.ts'

export type { RelationshipRecorder }

export function relationshipRecorder(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  kind: SupervisionKind,
  today: IsoDate,
): Promise<RelationshipRecorder | null> {
  if (!isUuid(superviseeId)) return Promise.resolve(null)
  return currentRelationshipRecorder(db, organisationId, superviseeId, kind, today)
}

export interface SetRecorderInput {
  organisationId: string
  superviseeId: string
  kind: SupervisionKind
  recorder: string
  personId: string
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
    await setRelationshipRecorder(trx, input.organisationId, current.assignmentId, choice)
    await recordAudit(trx, {
      action: 'supervision.recorder-set',
      subjectType: 'person',
      subjectId: input.superviseeId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      detail: {
        kind: input.kind,
        supervisorId: current.supervisor.id,
        from: current.choice,
        to: choice,
      },
    })
    return { ok: true }
  })
}
