/**
 * Reading records: a record with its template, content, signatures, comments, addenda, versions
 * and the marks that its decisions reached the child's record; the records of a session; last
 * time's actions for a session (CA-07, X-05) with their history; issues carried forward (CA-01).
 * snake_case stays here.
 */
import type { ActionStatus, ReviewHistoryEntry } from '../../domain/records/actions.ts'
import { type RecordDocument, type RecordStatus, readRecordDocument } from '../../domain/records/record.ts'
import { type Template, validateTemplate } from '../../domain/records/template.ts'
import { carryForwardItemsForSession } from '../sessions/carry-forward.ts'
import { type DbOrTrx, isUuid } from '../staff/repository.ts'
import type { SessionInfo } from './context.ts'

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
  kind: 'completed' | 'reopened' | 'locked' | 'addendum'
  contentHash: string
  createdAt: Date
  createdByName: string | null
}

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

export async function loadRecord(
  db: DbOrTrx,
  recordId: string,
  options: { forUpdate?: boolean } = {},
): Promise<LoadedRecord | null> {
  if (!isUuid(recordId)) return null
  let query = db.selectFrom('supervision_record').selectAll().where('id', '=', recordId)
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

export async function recordsOfSession(db: DbOrTrx, sessionId: string): Promise<SessionRecordSummary[]> {
  if (!isUuid(sessionId)) return []
  const rows = await db
    .selectFrom('supervision_record')
    .select(['id', 'template', 'status', 'updated_at', 'group_record', 'created_at'])
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    templateName:
      typeof (r.template as { name?: unknown }).name === 'string' ? (r.template as { name: string }).name : 'Record',
    status: r.status,
    updatedAt: r.updated_at,
    group: r.group_record,
  }))
}

export interface PreviousAction {
  id: string
  text: string
  ownerKind: 'supervisor' | 'supervisee' | 'other'
  ownerId: string | null
  ownerName: string
  dueOn: string
  status: ActionStatus
  raisedOn: string
  raisedRecordId: string
  history: ReviewHistoryEntry[]
}

/**
 * Last time's actions for a session (CA-07, X-05): actions agreed at earlier sessions of the same
 * supervisee (one-to-one) or of the same group (same type and supervisor) that are still open, or
 * that this session has already reviewed. Oldest first.
 */
export async function previousActionsFor(db: DbOrTrx, session: SessionInfo, group: boolean): Promise<PreviousAction[]> {
  const supervisees = session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId)
  const supervisors = session.participants.filter((p) => p.role === 'supervisor').map((p) => p.personId)
  if (supervisees.length === 0 && supervisors.length === 0) return []
  let query = db
    .selectFrom('record_action as a')
    .innerJoin('supervision_record as r', 'r.id', 'a.record_id')
    .innerJoin('supervision_session as s', 's.id', 'a.session_id')
    .select([
      'a.id',
      'a.description',
      'a.owner_kind',
      'a.owner_person_id',
      'a.owner_name',
      'a.due_on',
      'a.status',
      'a.record_id',
      'a.position',
      'a.created_at',
      's.date',
    ])
    .where('a.school_id', '=', session.schoolId)
    .where('a.session_id', '<>', session.id)
    .where('s.date', '<=', session.date)
    .where('r.group_record', '=', group)
    .where((eb) =>
      eb.or([
        eb('a.status', 'in', ['open', 'in-progress', 'carried-forward']),
        eb.exists(
          eb
            .selectFrom('record_action_review as rv')
            .select('rv.action_id')
            .whereRef('rv.action_id', '=', 'a.id')
            .where('rv.session_id', '=', session.id),
        ),
      ]),
    )
  if (group) {
    query = query.where('s.type_id', '=', session.typeId)
    if (supervisors.length > 0)
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('session_participant as p')
            .select('p.person_id')
            .whereRef('p.session_id', '=', 'a.session_id')
            .where('p.role', '=', 'supervisor')
            .where('p.person_id', 'in', supervisors),
        ),
      )
  } else {
    if (supervisees.length === 0) return []
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('session_participant as p')
          .select('p.person_id')
          .whereRef('p.session_id', '=', 'a.session_id')
          .where('p.role', '=', 'supervisee')
          .where('p.person_id', 'in', supervisees),
      ),
    )
  }
  const rows = await query.orderBy('s.date').orderBy('a.created_at').orderBy('a.position').orderBy('a.id').execute()
  const history = await actionHistories(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    id: r.id,
    text: r.description,
    ownerKind: r.owner_kind,
    ownerId: r.owner_person_id,
    ownerName: r.owner_name,
    dueOn: r.due_on ?? '',
    status: r.status,
    raisedOn: r.date,
    raisedRecordId: r.record_id,
    history: history.get(r.id) ?? [],
  }))
}

/** The status each action was given at each session that reviewed it, in session order. */
export async function actionHistories(
  db: DbOrTrx,
  actionIds: readonly string[],
): Promise<Map<string, ReviewHistoryEntry[]>> {
  const map = new Map<string, ReviewHistoryEntry[]>()
  if (actionIds.length === 0) return map
  const rows = await db
    .selectFrom('record_action_review')
    .select(['action_id', 'session_date', 'status'])
    .where('action_id', 'in', [...actionIds])
    .orderBy('session_date')
    .orderBy('reviewed_at')
    .execute()
  for (const r of rows)
    map.set(r.action_id, [...(map.get(r.action_id) ?? []), { sessionDate: r.session_date, status: r.status }])
  return map
}

/** Issues carried forward from informal or unplanned supervision to this session (CA-01); none for a group. */
export async function carriedIssuesFor(db: DbOrTrx, session: SessionInfo, group: boolean) {
  if (group) return []
  const supervisees = new Set(session.participants.filter((p) => p.role === 'supervisee').map((p) => p.personId))
  const items = await carryForwardItemsForSession(db, session.id)
  return items
    .filter((i) => supervisees.has(i.personId) && i.sourceDate <= session.date)
    .map((i) => ({ id: i.id, kind: i.kind, text: i.text, personId: i.personId, sourceDate: i.sourceDate }))
}
