/**
 * Records for the staff member's file (issue 14): a completed record whose template is filed to the
 * staff (HR) file, or with an answered item that is, waits on the "for the staff file" list until
 * someone who manages staff marks it filed. Decisions about a child go to the child's file instead
 * (the transfers list, X-07, CA-10).
 */
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  markStaffFiled,
  queueStaffFiling,
  staffFilingSchool,
  staffFilingsWaiting,
} from '../../db/repositories/records/staff-file.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import { displayValue, isBlankDisplay } from '../../domain/records/display.ts'
import type { RecordDocument } from '../../domain/records/record.ts'
import { findField, type Template } from '../../domain/records/template.ts'
import { filedToStaffFile, staffFileFields } from '../../domain/records/template-conditions.ts'
import { recordAudit } from '../audit.ts'

/** On completing: queues the record for the staff file when its template or an answered item is filed there. */
export async function queueForStaffFile(
  trx: DbOrTrx,
  schoolId: string,
  recordId: string,
  template: Template,
  doc: RecordDocument,
): Promise<boolean> {
  const facts = doc.session?.supervision
  const answered = (f: Parameters<typeof displayValue>[0]) => !isBlankDisplay(displayValue(f, doc.values[f.id]))
  if (!filedToStaffFile(template, facts, answered)) return false
  await queueStaffFiling(trx, schoolId, {
    recordId,
    fieldIds: staffFileFields(template, facts, answered).map((f) => f.id),
    wholeRecord: template.fileTo === 'staff-file',
  })
  return true
}

export interface StaffFileItem {
  recordId: string
  recordName: string
  date: IsoDate
  supervisees: string[]
  wholeRecord: boolean
  /** The questions whose answers go to the staff file, in words. */
  items: string[]
}

/** The school's records waiting to be filed in staff files. */
export async function staffFileList(db: DbOrTrx, schoolId: string): Promise<StaffFileItem[]> {
  return (await staffFilingsWaiting(db, schoolId)).map((w) => ({
    recordId: w.recordId,
    recordName: typeof w.template?.name === 'string' ? w.template.name : 'Supervision record',
    date: w.sessionDate,
    supervisees: w.supervisees.map((p) => p.name),
    wholeRecord: w.wholeRecord,
    items: w.wholeRecord ? [] : w.fieldIds.map((id) => findField(w.template, id)?.label ?? id),
  }))
}

/** The school of a record waiting for the staff file, in the organisation; null when there is none. */
export function staffFilingSchoolOf(db: DbOrTrx, organisationId: string, recordId: string): Promise<string | null> {
  return staffFilingSchool(db, organisationId, recordId)
}

/** Marks the record filed in the staff file, with its audit entry; false when it was not waiting. */
export async function markFiledInStaffFile(
  db: Db,
  input: {
    schoolId: string
    recordId: string
    actor: { personId: string; organisationId: string; ip?: string | null }
  },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await markStaffFiled(trx, input.schoolId, input.recordId, {
      actorId: input.actor.personId,
      at: new Date(),
    })
    if (!done) return false
    await recordAudit(trx, {
      action: 'record.staff-filed',
      subjectType: 'record',
      subjectId: input.recordId,
      actorId: input.actor.personId,
      organisationId: input.actor.organisationId,
      schoolId: input.schoolId,
      detail: {},
      ip: input.actor.ip ?? null,
    })
    return true
  })
}
