/** Issue 14: who completes the records of a supervision relationship (supervision_assignment.recorder). */
import type { RecorderChoice } from '../../../domain/access/records.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { SupervisionKind } from '../../../domain/people/supervision.ts'
import type { DbOrTrx } from '../connection.ts'

export interface RelationshipRecorder {
  assignmentId: string
  supervisor: { id: string; name: string }
  choice: RecorderChoice
  /** The named person's name, when the choice names one. */
  personName: string | null
}

/** The person's current relationship of this kind on a date, with who completes its records; null when none. */
export async function currentRelationshipRecorder(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  kind: SupervisionKind,
  on: IsoDate,
  options: { forUpdate?: boolean } = {},
): Promise<RelationshipRecorder | null> {
  let query = db
    .selectFrom('supervision_assignment as a')
    .innerJoin('person as sv', 'sv.id', 'a.supervisor_id')
    .leftJoin('person as rp', 'rp.id', 'a.recorder_person_id')
    .select(['a.id', 'a.recorder', 'a.recorder_person_id', 'sv.id as supervisor_id', 'sv.name as supervisor_name'])
    .select('rp.name as recorder_name')
    .where('a.organisation_id', '=', organisationId)
    .where('a.supervisee_id', '=', superviseeId)
    .where('a.kind', '=', kind)
    .where('a.starts_on', '<=', on)
    .where((eb) => eb.or([eb('a.ends_on', 'is', null), eb('a.ends_on', '>=', on)]))
    .orderBy('a.starts_on', 'desc')
    .limit(1)
  if (options.forUpdate) query = query.forUpdate('a')
  const row = await query.executeTakeFirst()
  if (!row) return null
  const choice: RecorderChoice =
    row.recorder === 'person' && row.recorder_person_id
      ? { kind: 'person', personId: row.recorder_person_id }
      : row.recorder === 'supervisee'
        ? { kind: 'supervisee' }
        : { kind: 'supervisor' }
  return {
    assignmentId: row.id,
    supervisor: { id: row.supervisor_id, name: row.supervisor_name },
    choice,
    personName: choice.kind === 'person' ? (row.recorder_name ?? null) : null,
  }
}

export async function setRelationshipRecorder(
  trx: DbOrTrx,
  organisationId: string,
  assignmentId: string,
  choice: RecorderChoice,
): Promise<void> {
  await trx
    .updateTable('supervision_assignment')
    .set({ recorder: choice.kind, recorder_person_id: choice.kind === 'person' ? choice.personId : null })
    .where('id', '=', assignmentId)
    .where('organisation_id', '=', organisationId)
    .execute()
}
