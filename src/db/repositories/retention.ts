/**
 * Retention (issue 15): legal holds, the list of records found due for removal, the facts the
 * rules judge a signed record by, and the removal itself (content and names replaced, the row, its
 * dates and its content hash kept). Every query is scoped by school in its where clause.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/people/person.ts'
import { RetentionKind } from '../../domain/policy/model.ts'
import { hashOf } from '../../domain/records/record.ts'
import type { KeptRecordFacts, RetentionPerson } from '../../domain/retention/kinds.ts'
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
    .set({ ...decisionTombstone, removed_at: sql<Date>`now()`, removed_by: input.removedBy })
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

/** What is left of a decision about a child once removed: no child, no words. */
const decisionTombstone = {
  decision: removedText,
  actions: '',
  about_name: '',
  agreed_by: '',
  sign_off_comment: null,
  pupil_id: null,
  entered_by_name: null,
} as const

type Options = { ids?: readonly string[]; forUpdate?: boolean }

/** Staff by id with the day each left, for the records about them. */
async function peopleById(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, RetentionPerson>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'end_date'])
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, { personId: r.id, name: r.name, leftOn: r.end_date }]))
}

function peopleOf(people: Map<string, RetentionPerson>, ids: readonly (string | null)[]): RetentionPerson[] {
  return ids.flatMap((id) => {
    const p = id === null ? undefined : people.get(id)
    return p ? [p] : []
  })
}

/**
 * The records of one kind of the school not yet removed, with the facts the retention rules judge
 * them by (domain/retention/kinds.ts decides which are finished enough to be judged).
 */
export async function keptRecordFacts(
  db: DbOrTrx,
  schoolId: string,
  kind: RetentionKind,
  options: Options = {},
): Promise<KeptRecordFacts[]> {
  if (options.ids && options.ids.length === 0) return []
  const ids = options.ids ? [...options.ids] : null
  switch (kind) {
    case RetentionKind.SupervisionRecords: {
      const rows = await signedRecordFacts(db, schoolId, { recordIds: ids ?? undefined, forUpdate: options.forUpdate })
      return rows.map((r) => ({
        kind,
        id: r.id,
        status: 'signed',
        sessionDate: r.recordDate,
        people: r.people.map((p) => ({ personId: p.personId, name: p.name, leftOn: p.leftOn })),
        childProtection: r.childProtection,
      }))
    }
    case RetentionKind.Contracts: {
      let q = db
        .selectFrom('contract')
        .select([
          'id',
          'status',
          'supervisee_id',
          sql<string | null>`(issued_at at time zone 'Europe/London')::date::text`.as('issued_on'),
          sql<string | null>`(signed_at at time zone 'Europe/London')::date::text`.as('signed_on'),
        ])
        .where('school_id', '=', schoolId)
        .where('status', 'in', ['signed', 'superseded'])
        .where('removed_at', 'is', null)
      if (ids) q = q.where('id', 'in', ids)
      if (options.forUpdate) q = q.forUpdate()
      const rows = await q.orderBy('id').execute()
      const people = await peopleById(
        db,
        rows.map((r) => r.supervisee_id),
      )
      return rows.map((r) => ({
        kind,
        id: r.id,
        status: r.status,
        issuedOn: r.issued_on,
        signedOn: r.signed_on,
        people: peopleOf(people, [r.supervisee_id]),
      }))
    }
    case RetentionKind.StressRiskAssessments: {
      let q = db
        .selectFrom('stress_risk_assessment')
        .select(['id', 'person_id', 'started_on', 'closed_on'])
        .where('school_id', '=', schoolId)
        .where('removed_at', 'is', null)
      if (ids) q = q.where('id', 'in', ids)
      if (options.forUpdate) q = q.forUpdate()
      const rows = await q.orderBy('id').execute()
      const people = await peopleById(
        db,
        rows.map((r) => r.person_id),
      )
      return rows.map((r) => ({
        kind,
        id: r.id,
        startedOn: r.started_on,
        closedOn: r.closed_on,
        people: peopleOf(people, [r.person_id]),
      }))
    }
    case RetentionKind.Referrals: {
      let q = db
        .selectFrom('occupational_health_referral')
        .select(['id', 'person_id', 'referred_on', 'follow_up_on'])
        .where('school_id', '=', schoolId)
        .where('removed_at', 'is', null)
      if (ids) q = q.where('id', 'in', ids)
      if (options.forUpdate) q = q.forUpdate()
      const rows = await q.orderBy('id').execute()
      const people = await peopleById(
        db,
        rows.map((r) => r.person_id),
      )
      return rows.map((r) => ({
        kind,
        id: r.id,
        referredOn: r.referred_on,
        followUpOn: r.follow_up_on,
        people: peopleOf(people, [r.person_id]),
      }))
    }
    case RetentionKind.DecisionsAboutChildren: {
      let q = db
        .selectFrom('child_decision')
        .select(['id', 'status', 'decided_on', 'session_id'])
        .where('school_id', '=', schoolId)
        .where('removed_at', 'is', null)
      if (ids) q = q.where('id', 'in', ids)
      if (options.forUpdate) q = q.forUpdate()
      const rows = await q.orderBy('id').execute()
      const sessions = rows.flatMap((r) => (r.session_id ? [r.session_id] : []))
      const supervisees =
        sessions.length === 0
          ? []
          : await db
              .selectFrom('session_participant')
              .select(['session_id', 'person_id'])
              .where('session_id', 'in', sessions)
              .where('role', '=', 'supervisee')
              .execute()
      const people = await peopleById(
        db,
        supervisees.map((p) => p.person_id),
      )
      return rows.map((r) => ({
        kind,
        id: r.id,
        status: r.status,
        decidedOn: r.decided_on,
        people: peopleOf(
          people,
          supervisees.filter((p) => p.session_id === r.session_id).map((p) => p.person_id),
        ),
      }))
    }
  }
}

/**
 * Removes one record of a kind other than a supervision record under retention, in the caller's
 * transaction: its words and the names in it are replaced; its row, dates and (for a contract)
 * its content hash stay. A kind with no stored hash gets one made now over what is removed, so
 * the audit entry still proves what existed. Null when it is not there or already removed.
 */
export async function removeKeptRecord(
  trx: DbOrTrx,
  input: { schoolId: string; kind: Exclude<RetentionKind, 'supervisionRecords'>; id: string; removedBy: string },
): Promise<{ contentHash: string | null } | null> {
  const mark = { removed_at: sql<Date>`now()`, removed_by: input.removedBy }
  switch (input.kind) {
    case RetentionKind.Contracts: {
      const row = await trx
        .selectFrom('contract')
        .select(['content_hash', 'agreed'])
        .where('id', '=', input.id)
        .where('school_id', '=', input.schoolId)
        .where('removed_at', 'is', null)
        .forUpdate()
        .executeTakeFirst()
      if (!row) return null
      const agreed = (row.agreed ?? {}) as { requirementId?: string | null; frequency?: unknown }
      await sql`select set_config('haven.retention_removal', 'on', true)`.execute(trx)
      await trx
        .updateTable('contract')
        .set({
          ...mark,
          agreed: JSON.stringify({
            requirementId: agreed.requirementId ?? null,
            frequency: agreed.frequency ?? null,
            values: {},
          }),
          rendered: JSON.stringify({ title: removedText, clauses: [] }),
        })
        .where('id', '=', input.id)
        .execute()
      await trx.updateTable('contract_signature').set({ name: 'Removed' }).where('contract_id', '=', input.id).execute()
      await sql`select set_config('haven.retention_removal', 'off', true)`.execute(trx)
      return { contentHash: row.content_hash }
    }
    case RetentionKind.StressRiskAssessments: {
      const row = await trx
        .selectFrom('stress_risk_assessment')
        .selectAll()
        .where('id', '=', input.id)
        .where('school_id', '=', input.schoolId)
        .where('removed_at', 'is', null)
        .forUpdate()
        .executeTakeFirst()
      if (!row) return null
      await trx
        .updateTable('stress_risk_assessment')
        .set({ ...mark, actions: removedText, closing_note: row.closing_note === null ? null : removedText })
        .where('id', '=', input.id)
        .execute()
      return { contentHash: hashOf({ actions: row.actions, closingNote: row.closing_note }) }
    }
    case RetentionKind.Referrals: {
      const row = await trx
        .selectFrom('occupational_health_referral')
        .selectAll()
        .where('id', '=', input.id)
        .where('school_id', '=', input.schoolId)
        .where('removed_at', 'is', null)
        .forUpdate()
        .executeTakeFirst()
      if (!row) return null
      await trx
        .updateTable('occupational_health_referral')
        .set({ ...mark, reason: removedText, outcome: row.outcome === null ? null : removedText })
        .where('id', '=', input.id)
        .execute()
      return { contentHash: hashOf({ reason: row.reason, outcome: row.outcome }) }
    }
    case RetentionKind.DecisionsAboutChildren: {
      const row = await trx
        .selectFrom('child_decision')
        .selectAll()
        .where('id', '=', input.id)
        .where('school_id', '=', input.schoolId)
        .where('removed_at', 'is', null)
        .forUpdate()
        .executeTakeFirst()
      if (!row) return null
      await trx
        .updateTable('child_decision')
        .set({ ...mark, ...decisionTombstone })
        .where('id', '=', input.id)
        .execute()
      return {
        contentHash: hashOf({
          pupilId: row.pupil_id,
          aboutName: row.about_name,
          category: row.category,
          decision: row.decision,
          actions: row.actions,
          agreedBy: row.agreed_by,
          decidedOn: row.decided_on,
        }),
      }
    }
  }
}
