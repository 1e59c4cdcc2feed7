/**
 * Records shared with a named person (CA-09, AM-05; issue 15). Every query is scoped by the
 * record's school, or by the organisation for the named person's own view of one share.
 */
import { isUuid } from '../../../domain/ids.ts'
import type { DbOrTrx } from '../connection.ts'

export interface ShareRow {
  id: string
  schoolId: string
  recordId: string
  sharedById: string | null
  sharedByName: string
  recipientId: string
  recipientName: string
  recipientJobTitle: string
  reasonId: string
  reasonLabel: string
  note: string
  /** Null: the whole record. */
  parts: string[] | null
  superviseeTold: 'before' | 'after'
  sharedAt: Date
  opensAt: Date
  withdrawnAt: Date | null
  withdrawnByName: string | null
}

function shareQuery(db: DbOrTrx) {
  return db
    .selectFrom('record_share as s')
    .innerJoin('person as r', 'r.id', 's.recipient_id')
    .leftJoin('person as b', 'b.id', 's.shared_by')
    .leftJoin('person as w', 'w.id', 's.withdrawn_by')
    .select([
      's.id',
      's.school_id',
      's.record_id',
      's.shared_by',
      'b.name as shared_by_name',
      's.recipient_id',
      'r.name as recipient_name',
      'r.job_title as recipient_job_title',
      's.reason_id',
      's.reason_label',
      's.note',
      's.parts',
      's.supervisee_told',
      's.shared_at',
      's.opens_at',
      's.withdrawn_at',
      'w.name as withdrawn_by_name',
    ])
}

type Selected = Awaited<ReturnType<ReturnType<typeof shareQuery>['executeTakeFirstOrThrow']>>

function shareOf(r: Selected): ShareRow {
  return {
    id: r.id,
    schoolId: r.school_id,
    recordId: r.record_id,
    sharedById: r.shared_by,
    sharedByName: r.shared_by_name ?? '',
    recipientId: r.recipient_id,
    recipientName: r.recipient_name,
    recipientJobTitle: r.recipient_job_title,
    reasonId: r.reason_id,
    reasonLabel: r.reason_label,
    note: r.note,
    parts: Array.isArray(r.parts) ? r.parts.map(String) : null,
    superviseeTold: r.supervisee_told,
    sharedAt: r.shared_at,
    opensAt: r.opens_at,
    withdrawnAt: r.withdrawn_at,
    withdrawnByName: r.withdrawn_by_name,
  }
}

export interface NewShare {
  recordId: string
  sharedById: string
  recipientId: string
  reasonId: string
  reasonLabel: string
  note: string
  parts: readonly string[] | null
  superviseeTold: 'before' | 'after'
  sharedAt: Date
  opensAt: Date
}

export async function insertShare(trx: DbOrTrx, schoolId: string, share: NewShare): Promise<string> {
  const row = await trx
    .insertInto('record_share')
    .values({
      school_id: schoolId,
      record_id: share.recordId,
      shared_by: share.sharedById,
      recipient_id: share.recipientId,
      reason_id: share.reasonId,
      reason_label: share.reasonLabel,
      note: share.note,
      parts: JSON.stringify(share.parts),
      supervisee_told: share.superviseeTold,
      shared_at: share.sharedAt,
      opens_at: share.opensAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The record's shares, newest first. */
export async function sharesOfRecord(db: DbOrTrx, schoolId: string, recordId: string): Promise<ShareRow[]> {
  if (!isUuid(recordId)) return []
  const rows = await shareQuery(db)
    .where('s.school_id', '=', schoolId)
    .where('s.record_id', '=', recordId)
    .orderBy('s.shared_at', 'desc')
    .orderBy('s.id')
    .execute()
  return rows.map(shareOf)
}

/** One share of the school. */
export async function shareInSchool(db: DbOrTrx, schoolId: string, shareId: string): Promise<ShareRow | null> {
  if (!isUuid(shareId)) return null
  const row = await shareQuery(db).where('s.school_id', '=', schoolId).where('s.id', '=', shareId).executeTakeFirst()
  return row ? shareOf(row) : null
}

/** One share of a school of the organisation (the named person's view starts from the share's id). */
export async function shareInOrganisation(
  db: DbOrTrx,
  organisationId: string,
  shareId: string,
): Promise<ShareRow | null> {
  if (!isUuid(shareId) || !isUuid(organisationId)) return null
  const row = await shareQuery(db)
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .where('sc.organisation_id', '=', organisationId)
    .where('s.id', '=', shareId)
    .executeTakeFirst()
  return row ? shareOf(row) : null
}

/** The shares made with this person that are not withdrawn, newest first. */
export async function sharesWithPerson(db: DbOrTrx, organisationId: string, personId: string): Promise<ShareRow[]> {
  if (!isUuid(personId) || !isUuid(organisationId)) return []
  const rows = await shareQuery(db)
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .where('sc.organisation_id', '=', organisationId)
    .where('s.recipient_id', '=', personId)
    .where('s.withdrawn_at', 'is', null)
    .orderBy('s.shared_at', 'desc')
    .orderBy('s.id')
    .execute()
  return rows.map(shareOf)
}

/** Withdraws a share not withdrawn already; false when there was none to withdraw. */
export async function withdrawShare(
  trx: DbOrTrx,
  schoolId: string,
  shareId: string,
  by: string,
  at: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('record_share')
    .set({ withdrawn_at: at, withdrawn_by: by })
    .where('school_id', '=', schoolId)
    .where('id', '=', shareId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The line managers of these people (the supervisor's own line manager may receive a record, CA-09). */
export async function lineManagersOf(db: DbOrTrx, schoolId: string, personIds: readonly string[]): Promise<string[]> {
  const ids = personIds.filter(isUuid)
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('person')
    .select('line_manager_id')
    .where('school_id', '=', schoolId)
    .where('id', 'in', ids)
    .where('line_manager_id', 'is not', null)
    .execute()
  return rows.map((r) => r.line_manager_id).filter((x): x is string => x !== null)
}
