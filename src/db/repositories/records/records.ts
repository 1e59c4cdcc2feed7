/**
 * Session records as stored: a record with its template, content, signatures, comments, addenda,
 * versions and the marks that its decisions reached the child's record, and every change to
 * them. Reads are scoped by the organisation (a record's parties may be anywhere in the trust;
 * who may open it is decided by domain/access/records.ts); writes by the record's school.
 */

import { isUuid } from '../../../domain/ids.ts'
import type { ReviewStatus } from '../../../domain/records/actions.ts'
import { isRealIsoDate } from '../../../domain/records/entry.ts'
import { type RecordDocument, type RecordStatus, readRecordDocument } from '../../../domain/records/record.ts'
import { type Template, validateTemplate } from '../../../domain/records/template.ts'
import type { DbOrTrx } from '../connection.ts'

export interface SignatureRow {
  id: string
  personId: string
  name: string
  role: 'supervisor' | 'supervisee'
  signedAt: Date
  contentHash: string
  method: 'password' | 'two-step'
  superseded: boolean
}

export interface CommentRow {
  id: string
  personId: string
  personName: string
  kind: 'comment' | 'disagreement'
  text: string
  thirdPersonId: string | null
  thirdPersonName: string | null
  createdAt: Date
}

export interface AddendumRow {
  id: string
  authorId: string
  authorName: string
  text: string
  createdAt: Date
  contentHash: string
}

export interface VersionRow {
  version: number
  kind: VersionKind
  contentHash: string
  createdAt: Date
  createdByName: string | null
}

export type VersionKind = 'completed' | 'reopened' | 'locked' | 'addendum'

export interface DecisionMark {
  recordedAt: Date
  recordedByName: string | null
  recordedIn: string
}

export interface LoadedRecord {
  id: string
  schoolId: string
  sessionId: string
  templateId: string
  templateVersion: number
  template: Template
  group: boolean
  status: RecordStatus
  draftVersion: number
  contentHash: string | null
  document: RecordDocument
  createdAt: Date
  updatedAt: Date
  completedAt: Date | null
  completedBy: string | null
  lockedAt: Date | null
  disputedAt: Date | null
  /** Issue 15: when its content was removed under the retention policy (its hash kept); null while kept. */
  removedAt?: Date | null
  signatures: SignatureRow[]
  comments: CommentRow[]
  addenda: AddendumRow[]
  versions: VersionRow[]
  decisionMarks: Map<string, DecisionMark>
}

/** The template a record keeps; a stored copy that no longer validates is read as it is. */
function templateOf(raw: unknown): Template {
  const checked = validateTemplate(raw)
  return checked.ok ? checked.template : (raw as Template)
}

/** The name of the template a record keeps ("Record" when it has none). */
export function templateNameOf(raw: unknown): string {
  const name = (raw as { name?: unknown } | null)?.name
  return typeof name === 'string' ? name : 'Record'
}

/** A record of one of the organisation's schools; null when it is not one of theirs. */
export async function recordInOrganisation(
  db: DbOrTrx,
  organisationId: string,
  recordId: string,
  options: { forUpdate?: boolean } = {},
): Promise<LoadedRecord | null> {
  if (!isUuid(recordId) || !isUuid(organisationId)) return null
  return recordWhere(db, recordId, organisationId, options)
}

/**
 * A record by its id alone, whichever organisation it belongs to. Only for callers that already
 * hold the id from a trusted place (tests, the backup check); requests use `recordInOrganisation`.
 */
export async function recordByIdAcrossOrganisations(
  db: DbOrTrx,
  recordId: string,
  options: { forUpdate?: boolean } = {},
): Promise<LoadedRecord | null> {
  if (!isUuid(recordId)) return null
  return recordWhere(db, recordId, null, options)
}

async function recordWhere(
  db: DbOrTrx,
  recordId: string,
  organisationId: string | null,
  options: { forUpdate?: boolean },
): Promise<LoadedRecord | null> {
  let query = db.selectFrom('supervision_record as r').selectAll('r').where('r.id', '=', recordId)
  if (organisationId !== null)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('school as sc')
          .select('sc.id')
          .whereRef('sc.id', '=', 'r.school_id')
          .where('sc.organisation_id', '=', organisationId),
      ),
    )
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) return null
  const [signatures, comments, addenda, versions, marks] = await Promise.all([
    db
      .selectFrom('record_signature')
      .selectAll()
      .where('record_id', '=', recordId)
      .orderBy('signed_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('record_comment as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .leftJoin('person as t', 't.id', 'c.third_person_id')
      .select([
        'c.id',
        'c.person_id',
        'p.name as person_name',
        'c.kind',
        'c.text',
        'c.third_person_id',
        't.name as third_name',
        'c.created_at',
      ])
      .where('c.record_id', '=', recordId)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute(),
    db
      .selectFrom('record_addendum')
      .selectAll()
      .where('record_id', '=', recordId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('record_version as v')
      .leftJoin('person as p', 'p.id', 'v.created_by')
      .select(['v.version', 'v.kind', 'v.content_hash', 'v.created_at', 'p.name'])
      .where('v.record_id', '=', recordId)
      .orderBy('v.version')
      .execute(),
    db
      .selectFrom('record_decision as d')
      .leftJoin('person as p', 'p.id', 'd.recorded_by')
      .select(['d.id', 'd.recorded_at', 'd.recorded_in', 'p.name'])
      .where('d.record_id', '=', recordId)
      .execute(),
  ])
  const decisionMarks = new Map<string, DecisionMark>()
  for (const m of marks) {
    if (m.recorded_at && m.recorded_in)
      decisionMarks.set(m.id, { recordedAt: m.recorded_at, recordedByName: m.name, recordedIn: m.recorded_in })
  }
  return {
    id: row.id,
    schoolId: row.school_id,
    sessionId: row.session_id,
    templateId: row.template_id,
    templateVersion: row.template_version,
    template: templateOf(row.template),
    group: row.group_record,
    status: row.status,
    draftVersion: row.draft_version,
    contentHash: row.content_hash,
    document: readRecordDocument(row.document),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
    lockedAt: row.locked_at,
    disputedAt: row.disputed_at,
    removedAt: row.removed_at,
    signatures: signatures.map((s) => ({
      id: s.id,
      personId: s.person_id,
      name: s.name,
      role: s.role,
      signedAt: s.signed_at,
      contentHash: s.content_hash,
      method: s.method,
      superseded: s.superseded_at !== null,
    })),
    comments: comments.map((c) => ({
      id: c.id,
      personId: c.person_id,
      personName: c.person_name,
      kind: c.kind,
      text: c.text,
      thirdPersonId: c.third_person_id,
      thirdPersonName: c.third_name,
      createdAt: c.created_at,
    })),
    addenda: addenda.map((a) => ({
      id: a.id,
      authorId: a.author_id,
      authorName: a.author_name,
      text: a.text,
      createdAt: a.created_at,
      contentHash: a.content_hash,
    })),
    versions: versions.map((v) => ({
      version: v.version,
      kind: v.kind,
      contentHash: v.content_hash,
      createdAt: v.created_at,
      createdByName: v.name,
    })),
    decisionMarks,
  }
}

export interface SessionRecordSummary {
  id: string
  templateName: string
  status: RecordStatus
  updatedAt: Date
  group: boolean
}

/** The records of one of the school's sessions, oldest first. */
export async function recordsOfSession(
  db: DbOrTrx,
  schoolId: string,
  sessionId: string,
): Promise<SessionRecordSummary[]> {
  if (!isUuid(sessionId)) return []
  const rows = await db
    .selectFrom('supervision_record')
    .select(['id', 'template', 'status', 'updated_at', 'group_record', 'created_at'])
    .where('school_id', '=', schoolId)
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    templateName: templateNameOf(r.template),
    status: r.status,
    updatedAt: r.updated_at,
    group: r.group_record,
  }))
}

// ---------------------------------------------------------------------------------------------
// Changes

export async function insertRecord(
  trx: DbOrTrx,
  schoolId: string,
  input: { sessionId: string; template: Template; group: boolean; document: RecordDocument; actorId: string },
): Promise<string> {
  const row = await trx
    .insertInto('supervision_record')
    .values({
      school_id: schoolId,
      session_id: input.sessionId,
      template_id: input.template.id,
      template_version: input.template.version,
      template: JSON.stringify(input.template),
      group_record: input.group,
      document: JSON.stringify(input.document),
      created_by: input.actorId,
      updated_by: input.actorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateDraft(
  trx: DbOrTrx,
  schoolId: string,
  recordId: string,
  input: { document: RecordDocument; draftVersion: number; actorId: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('supervision_record')
    .set({
      document: JSON.stringify(input.document),
      draft_version: input.draftVersion,
      updated_by: input.actorId,
      updated_at: input.at,
    })
    .where('id', '=', recordId)
    .where('school_id', '=', schoolId)
    .execute()
}

export async function markCompleted(
  trx: DbOrTrx,
  schoolId: string,
  recordId: string,
  input: { contentHash: string; actorId: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('supervision_record')
    .set({ status: 'completed', content_hash: input.contentHash, completed_at: input.at, completed_by: input.actorId })
    .where('id', '=', recordId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** A completed record back to a draft; its signatures so far are kept, superseded. */
export async function markReopened(
  trx: DbOrTrx,
  schoolId: string,
  recordId: string,
  input: { draftVersion: number; actorId: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('supervision_record')
    .set({
      status: 'draft',
      content_hash: null,
      completed_at: null,
      completed_by: null,
      draft_version: input.draftVersion,
      updated_by: input.actorId,
      updated_at: input.at,
    })
    .where('id', '=', recordId)
    .where('school_id', '=', schoolId)
    .execute()
  await trx
    .updateTable('record_signature')
    .set({ superseded_at: input.at })
    .where('record_id', '=', recordId)
    .where('superseded_at', 'is', null)
    .execute()
}

export async function markLocked(trx: DbOrTrx, schoolId: string, recordId: string, at: Date): Promise<void> {
  await trx
    .updateTable('supervision_record')
    .set({ status: 'signed', locked_at: at })
    .where('id', '=', recordId)
    .where('school_id', '=', schoolId)
    .execute()
}

export async function markDisputed(trx: DbOrTrx, schoolId: string, recordId: string, at: Date): Promise<void> {
  await trx
    .updateTable('supervision_record')
    .set({ disputed_at: at })
    .where('id', '=', recordId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** The record's next version (kept for ever), with its content and that content's hash. */
export async function appendVersion(
  trx: DbOrTrx,
  recordId: string,
  input: { kind: VersionKind; content: unknown; contentHash: string; actorId: string },
): Promise<number> {
  const last = await trx
    .selectFrom('record_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('record_id', '=', recordId)
    .executeTakeFirst()
  const version = Number(last?.v ?? 0) + 1
  await trx
    .insertInto('record_version')
    .values({
      record_id: recordId,
      version,
      kind: input.kind,
      content: JSON.stringify(input.content),
      content_hash: input.contentHash,
      created_by: input.actorId,
    })
    .execute()
  return version
}

export async function insertSignature(
  trx: DbOrTrx,
  recordId: string,
  input: {
    personId: string
    role: 'supervisor' | 'supervisee'
    name: string
    signedAt: Date
    contentHash: string
    method: 'password' | 'two-step'
  },
): Promise<void> {
  await trx
    .insertInto('record_signature')
    .values({
      record_id: recordId,
      person_id: input.personId,
      role: input.role,
      name: input.name,
      signed_at: input.signedAt,
      content_hash: input.contentHash,
      method: input.method,
    })
    .execute()
}

export async function insertComment(
  trx: DbOrTrx,
  recordId: string,
  input: { personId: string; kind: 'comment' | 'disagreement'; text: string; thirdPersonId?: string | null },
): Promise<void> {
  await trx
    .insertInto('record_comment')
    .values({
      record_id: recordId,
      person_id: input.personId,
      kind: input.kind,
      text: input.text,
      ...(input.thirdPersonId === undefined ? {} : { third_person_id: input.thirdPersonId }),
    })
    .execute()
}

export async function insertAddendum(
  trx: DbOrTrx,
  recordId: string,
  input: { authorId: string; authorName: string; text: string; createdAt: Date; contentHash: string },
): Promise<void> {
  await trx
    .insertInto('record_addendum')
    .values({
      record_id: recordId,
      author_id: input.authorId,
      author_name: input.authorName,
      text: input.text,
      created_at: input.createdAt,
      content_hash: input.contentHash,
    })
    .execute()
}

/** The decisions of the record as the draft lists them, in its order; decisions taken out go. */
export async function syncDecisions(
  trx: DbOrTrx,
  schoolId: string,
  recordId: string,
  decisionIds: readonly string[],
): Promise<void> {
  for (const [position, id] of decisionIds.entries()) {
    await trx
      .insertInto('record_decision')
      .values({ id, school_id: schoolId, record_id: recordId, position })
      .onConflict((oc) => oc.column('id').doUpdateSet({ position }).where('record_decision.record_id', '=', recordId))
      .execute()
  }
  let removal = trx.deleteFrom('record_decision').where('record_id', '=', recordId).where('school_id', '=', schoolId)
  if (decisionIds.length > 0) removal = removal.where('id', 'not in', [...decisionIds])
  await removal.execute()
}

export interface StoredAction {
  id: string
  text: string
  ownerKind: 'supervisor' | 'supervisee' | 'other'
  ownerId: string | null
  ownerName: string
  dueOn: string
}

export interface StoredReview {
  actionId: string
  status: ReviewStatus
  reason: string
}

/**
 * Stores the actions agreed in the record and the statuses it gave earlier actions: actions taken
 * out of the draft go (unless a later session already reviewed them), reviews taken back go, and
 * each touched action's status becomes its latest review's, or open when it has none.
 */
export async function syncActions(
  trx: DbOrTrx,
  schoolId: string,
  record: { id: string; sessionId: string; sessionDate: string; actorId: string; at: Date },
  actions: readonly StoredAction[],
  reviews: readonly StoredReview[],
): Promise<void> {
  const now = record.at
  for (const [position, a] of actions.entries()) {
    const row = {
      description: a.text.slice(0, 20_000),
      owner_kind: a.ownerKind,
      owner_person_id: a.ownerId,
      owner_name: a.ownerName.slice(0, 300),
      due_on: isRealIsoDate(a.dueOn) ? a.dueOn : null,
      position,
      updated_at: now,
    }
    await trx
      .insertInto('record_action')
      .values({ id: a.id, school_id: schoolId, record_id: record.id, session_id: record.sessionId, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row).where('record_action.record_id', '=', record.id))
      .execute()
  }
  let removal = trx
    .deleteFrom('record_action')
    .where('record_id', '=', record.id)
    .where('school_id', '=', schoolId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('record_action_review as rv')
            .select('rv.action_id')
            .whereRef('rv.action_id', '=', 'record_action.id'),
        ),
      ),
    )
  if (actions.length > 0)
    removal = removal.where(
      'id',
      'not in',
      actions.map((a) => a.id),
    )
  await removal.execute()

  const reviewed = new Set<string>()
  for (const r of reviews) {
    reviewed.add(r.actionId)
    await trx
      .insertInto('record_action_review')
      .values({
        action_id: r.actionId,
        session_id: record.sessionId,
        record_id: record.id,
        session_date: record.sessionDate,
        status: r.status,
        reason: r.status === 'dropped' ? r.reason : null,
        reviewed_by: record.actorId,
      })
      .onConflict((oc) =>
        oc.columns(['action_id', 'session_id']).doUpdateSet({
          record_id: record.id,
          status: r.status,
          reason: r.status === 'dropped' ? r.reason : null,
          reviewed_by: record.actorId,
          reviewed_at: now,
        }),
      )
      .execute()
  }
  let stale = trx.deleteFrom('record_action_review').where('record_id', '=', record.id)
  if (reviewed.size > 0) stale = stale.where('action_id', 'not in', [...reviewed])
  const removed = await stale.returning('action_id').execute()
  for (const actionId of new Set([...reviewed, ...removed.map((r) => r.action_id)])) {
    const latest = await trx
      .selectFrom('record_action_review')
      .select(['status', 'reason'])
      .where('action_id', '=', actionId)
      .orderBy('session_date', 'desc')
      .orderBy('reviewed_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    await trx
      .updateTable('record_action')
      .set({
        status: latest?.status ?? 'open',
        drop_reason: latest?.status === 'dropped' ? latest.reason : null,
        updated_at: now,
      })
      .where('id', '=', actionId)
      .where('school_id', '=', schoolId)
      .execute()
  }
}
