/**
 * Retention (issue 15): legal holds, the list of records found due for removal, the facts the
 * rules judge a signed record by, and the removal itself (content and names replaced, the row, its
 * dates and its content hash kept). Every query is scoped by school in its where clause.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'

export interface StoredHold {
  id: string
  personId: string | null
  personName: string | null
  recordId: string | null
  recordDate: IsoDate | null
  reason: string
  placedByName: string | null
  placedAt: Date
}

/** The active holds of a school, newest first, with what they are on. */
export async function activeHolds(db: DbOrTrx, schoolId: string): Promise<StoredHold[]> {
  const rows = await db
    .selectFrom('retention_hold as h')
    .leftJoin('person as p', 'p.id', 'h.person_id')
    .leftJoin('supervision_record as r', 'r.id', 'h.record_id')
    .leftJoin('supervision_session as s', 's.id', 'r.session_id')
    .leftJoin('person as by', 'by.id', 'h.placed_by')
    .select([
      'h.id',
      'h.person_id',
      'p.name as person_name',
      'h.record_id',
      's.date as record_date',
      'h.reason',
      'by.name as placed_by_name',
      'h.placed_at',
    ])
    .where('h.school_id', '=', schoolId)
    .where('h.released_at', 'is', null)
    .orderBy('h.placed_at', 'desc')
    .orderBy('h.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    recordId: r.record_id,
    recordDate: r.record_date,
    reason: r.reason,
    placedByName: r.placed_by_name,
    placedAt: r.placed_at,
  }))
}

export async function insertHold(
  db: DbOrTrx,
  input: { schoolId: string; personId: string | null; recordId: string | null; reason: string; placedBy: string },
): Promise<string> {
  const row = await db
    .insertInto('retention_hold')
    .values({
      school_id: input.schoolId,
      person_id: input.personId,
      record_id: input.recordId,
      reason: input.reason,
      placed_by: input.placedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Releases an active hold of the school; false when there is none with that id. */
export async function releaseHold(db: DbOrTrx, schoolId: string, holdId: string, by: string): Promise<boolean> {
  const res = await db
    .updateTable('retention_hold')
    .set({ released_at: sql<Date>`now()`, released_by: by })
    .where('id', '=', holdId)
    .where('school_id', '=', schoolId)
    .where('released_at', 'is', null)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** Whether a person belongs to the school (for a hold on them). */
export async function personOfSchool(db: DbOrTrx, schoolId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('id', '=', personId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst()
  return row !== undefined
}

/** Whether a record belongs to the school and is not removed (for a hold on it). */
export async function recordOfSchool(db: DbOrTrx, schoolId: string, recordId: string): Promise<boolean> {
  const row = await db
    .selectFrom('supervision_record')
    .select('id')
    .where('id', '=', recordId)
    .where('school_id', '=', schoolId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return row !== undefined
}

export interface SignedRecordFacts {
  id: string
  recordDate: IsoDate
  typeId: string
  people: { personId: string; name: string; leftOn: IsoDate | null }[]
  childProtection: boolean
}

/**
 * Every signed record of the school not yet removed, with the supervisees it is about (and the
 * day each left) and whether a decision about a child is in it.
 */
export async function signedRecordFacts(
  db: DbOrTrx,
  schoolId: string,
  options: { recordIds?: readonly string[]; forUpdate?: boolean } = {},
): Promise<SignedRecordFacts[]> {
  if (options.recordIds && options.recordIds.length === 0) return []
  let query = db
    .selectFrom('supervision_record as r')
    .innerJoin('supervision_session as s', 's.id', 'r.session_id')
    .select([
      'r.id',
      's.date',
      's.type_id',
      sql<boolean>`(jsonb_array_length(coalesce(r.document->'decisions', '[]'::jsonb)) > 0
        or exists (select 1 from child_decision d where d.record_id = r.id)
        or exists (select 1 from record_decision d where d.record_id = r.id))`.as('child_protection'),
    ])
    .where('r.school_id', '=', schoolId)
    .where('r.status', '=', 'signed')
    .where('r.removed_at', 'is', null)
  if (options.recordIds) query = query.where('r.id', 'in', [...options.recordIds])
  if (options.forUpdate) query = query.forUpdate()
  const rows = await query.orderBy('s.date').orderBy('r.id').execute()
  if (rows.length === 0) return []
  const people = await db
    .selectFrom('supervision_record as r')
    .innerJoin('session_participant as sp', 'sp.session_id', 'r.session_id')
    .innerJoin('person as p', 'p.id', 'sp.person_id')
    .select(['r.id as record_id', 'p.id', 'p.name', 'p.end_date'])
    .where(
      'r.id',
      'in',
      rows.map((r) => r.id),
    )
    .where('sp.role', '=', 'supervisee')
    .orderBy('p.name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    recordDate: r.date,
    typeId: r.type_id,
    people: people
      .filter((p) => p.record_id === r.id)
      .map((p) => ({ personId: p.id, name: p.name, leftOn: p.end_date })),
    childProtection: r.child_protection,
  }))
}

export interface DueRow {
  kind: string
  subjectId: string
  dueOn: IsoDate
  foundAt: Date
}

/** Replaces the school's list of what is due with the one just found (the job's output). */
export async function replaceDueList(
  db: DbOrTrx,
  schoolId: string,
  items: readonly { kind: string; subjectId: string; dueOn: IsoDate }[],
): Promise<void> {
  await db.deleteFrom('retention_due').where('school_id', '=', schoolId).execute()
  if (items.length === 0) return
  await db
    .insertInto('retention_due')
    .values(items.map((i) => ({ school_id: schoolId, kind: i.kind, subject_id: i.subjectId, due_on: i.dueOn })))
    .execute()
}

export async function dueList(db: DbOrTrx, schoolId: string): Promise<DueRow[]> {
  const rows = await db
    .selectFrom('retention_due')
    .select(['kind', 'subject_id', 'due_on', 'found_at'])
    .where('school_id', '=', schoolId)
    .orderBy('due_on')
    .orderBy('subject_id')
    .execute()
  return rows.map((r) => ({ kind: r.kind, subjectId: r.subject_id, dueOn: r.due_on, foundAt: r.found_at }))
}

export async function removeFromDueList(db: DbOrTrx, schoolId: string, kind: string, subjectId: string) {
  await db
    .deleteFrom('retention_due')
    .where('school_id', '=', schoolId)
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .execute()
}

/** The schools (ids) of every organisation: the job runs for each. */
export async function allSchoolIds(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('school').select('id').orderBy('id').execute()
  return rows.map((r) => r.id)
}

const removedText = 'Removed under the school’s retention policy'

/**
 * Removes a signed record's content under retention, in the caller's transaction: the record's
 * answers, actions, decisions and the names in it are replaced; its row, session date, type,
 * status, signatures' dates and every content hash stay. Returns the record's content hash.
 */
export async function removeRecordContent(
  trx: DbOrTrx,
  input: { schoolId: string; recordId: string; removedBy: string },
): Promise<{ contentHash: string | null; sessionId: string } | null> {
  const row = await trx
    .selectFrom('supervision_record')
    .select(['id', 'session_id', 'content_hash', 'document'])
    .where('id', '=', input.recordId)
    .where('school_id', '=', input.schoolId)
    .where('removed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
  if (!row) return null
  const doc = (row.document ?? {}) as { session?: Record<string, unknown> | null }
  // The date and kind of session stay (the record's place in the history); who was there goes.
  const session = doc.session
    ? {
        date: doc.session['date'],
        startTime: doc.session['startTime'] ?? null,
        typeId: doc.session['typeId'],
        typeName: doc.session['typeName'],
        group: doc.session['group'] ?? false,
        supervisors: [],
        supervisees: [],
      }
    : null
  const tombstone = { values: {}, actions: [], reviews: [], carried: [], decisions: [], boundary: '', session }
  await trx
    .updateTable('supervision_record')
    .set({
      document: JSON.stringify(tombstone),
      removed_at: sql<Date>`now()`,
      removed_by: input.removedBy,
    })
    .where('id', '=', input.recordId)
    .execute()
  await sql`select set_config('haven.retention_removal', 'on', true)`.execute(trx)
  await sql`update record_version set content = ${JSON.stringify({ removed: true })}::jsonb where record_id = ${input.recordId}`.execute(
    trx,
  )
  await sql`select set_config('haven.retention_removal', 'off', true)`.execute(trx)
  await trx.updateTable('record_signature').set({ name: 'Removed' }).where('record_id', '=', input.recordId).execute()
  await trx
    .updateTable('record_comment')
    .set({ text: removedText, third_person_id: null })
    .where('record_id', '=', input.recordId)
    .execute()
  await trx
    .updateTable('record_addendum')
    .set({ text: removedText, author_name: 'Removed' })
    .where('record_id', '=', input.recordId)
    .execute()
  await trx
    .updateTable('record_action')
    .set({ description: removedText, owner_name: '', drop_reason: null })
    .where('record_id', '=', input.recordId)
    .execute()
  await trx.updateTable('record_action_review').set({ reason: null }).where('record_id', '=', input.recordId).execute()
  await trx
    .updateTable('child_decision')
    .set({ decision: removedText, actions: '', about_name: '', agreed_by: '', sign_off_comment: null })
    .where('record_id', '=', input.recordId)
    .where('school_id', '=', input.schoolId)
    .execute()
  await trx
    .updateTable('development_plan_item')
    .set({ need: removedText, action: null, owner_name: null })
    .where('record_id', '=', input.recordId)
    .where('school_id', '=', input.schoolId)
    .execute()
  await trx
    .updateTable('record_preparation')
    .set({ content: JSON.stringify({ agenda: [], cases: [] }) })
    .where('session_id', '=', row.session_id)
    .where('school_id', '=', input.schoolId)
    .execute()
  return { contentHash: row.content_hash, sessionId: row.session_id }
}
