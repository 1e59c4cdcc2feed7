/**
 * Records waiting to be filed in the staff member's file (issue 14), scoped by school: queued when
 * a record is completed, listed until someone who manages staff marks them filed.
 */
import { isUuid } from '../../../domain/ids.ts'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { Template } from '../../../domain/records/template.ts'
import type { DbOrTrx } from '../connection.ts'

/** Queues (or queues again, after a reopened record is completed anew) a record for the staff file. */
export async function queueStaffFiling(
  trx: DbOrTrx,
  schoolId: string,
  input: { recordId: string; fieldIds: string[]; wholeRecord: boolean },
): Promise<void> {
  await trx
    .insertInto('record_staff_filing')
    .values({
      record_id: input.recordId,
      school_id: schoolId,
      field_ids: JSON.stringify(input.fieldIds),
      whole_record: input.wholeRecord,
    })
    .onConflict((oc) =>
      oc.column('record_id').doUpdateSet({
        field_ids: JSON.stringify(input.fieldIds),
        whole_record: input.wholeRecord,
        filed_at: null,
        filed_by: null,
      }),
    )
    .execute()
}

export interface WaitingStaffFiling {
  recordId: string
  template: Template
  sessionDate: IsoDate
  supervisees: { id: string; name: string }[]
  fieldIds: string[]
  wholeRecord: boolean
}

/** The school's records not yet marked filed in the staff file, oldest session first. */
export async function staffFilingsWaiting(db: DbOrTrx, schoolId: string): Promise<WaitingStaffFiling[]> {
  if (!isUuid(schoolId)) return []
  const rows = await db
    .selectFrom('record_staff_filing as f')
    .innerJoin('supervision_record as r', 'r.id', 'f.record_id')
    .innerJoin('supervision_session as s', 's.id', 'r.session_id')
    .select(['f.record_id', 'f.field_ids', 'f.whole_record', 'r.template', 'r.session_id', 's.date'])
    .where('f.school_id', '=', schoolId)
    .where('r.school_id', '=', schoolId)
    .where('f.filed_at', 'is', null)
    .where('r.status', '<>', 'draft')
    .orderBy('s.date')
    .execute()
  if (rows.length === 0) return []
  const people = await db
    .selectFrom('session_participant as p')
    .innerJoin('person as pe', 'pe.id', 'p.person_id')
    .select(['p.session_id', 'p.person_id', 'pe.name'])
    .where('p.session_id', 'in', [...new Set(rows.map((r) => r.session_id))])
    .where('p.role', '=', 'supervisee')
    .orderBy('pe.name')
    .execute()
  return rows.map((r) => ({
    recordId: r.record_id,
    template: r.template as Template,
    sessionDate: r.date,
    supervisees: people.filter((p) => p.session_id === r.session_id).map((p) => ({ id: p.person_id, name: p.name })),
    fieldIds: Array.isArray(r.field_ids) ? r.field_ids.filter((x): x is string => typeof x === 'string') : [],
    wholeRecord: r.whole_record,
  }))
}

/** Marks the school's record filed in the staff file; false when it is not waiting there. */
export async function markStaffFiled(
  trx: DbOrTrx,
  schoolId: string,
  recordId: string,
  input: { actorId: string; at: Date },
): Promise<boolean> {
  if (!isUuid(recordId) || !isUuid(schoolId)) return false
  const row = await trx
    .updateTable('record_staff_filing')
    .set({ filed_at: input.at, filed_by: input.actorId })
    .where('record_id', '=', recordId)
    .where('school_id', '=', schoolId)
    .where('filed_at', 'is', null)
    .returning('record_id')
    .executeTakeFirst()
  return row !== undefined
}

/** The school a record waiting for the staff file belongs to (any organisation: the caller checks reach). */
export async function staffFilingSchool(db: DbOrTrx, organisationId: string, recordId: string): Promise<string | null> {
  if (!isUuid(recordId) || !isUuid(organisationId)) return null
  const row = await db
    .selectFrom('record_staff_filing as f')
    .innerJoin('school as sc', 'sc.id', 'f.school_id')
    .select('f.school_id')
    .where('f.record_id', '=', recordId)
    .where('sc.organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row?.school_id ?? null
}
