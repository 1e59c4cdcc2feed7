/**
 * Issue 15: the pupil register, its uploads, the queue of decisions for children's records, the
 * school's webhook and its delivery log. Every query is scoped by school (ADR 0018), except the
 * background jobs' claims, which work across schools and carry each row's school with it.
 */
import { sql } from 'kysely'
import { isUuid } from '../../domain/ids.ts'
import type { DbOrTrx } from './connection.ts'

// ---------------------------------------------------------------------------------------------
// The pupil register

export interface PupilRow {
  id: string
  upn: string | null
  misId: string | null
  name: string
  dateOfBirth: string
  yearGroup: string
}

function pupilQuery(db: DbOrTrx, schoolId: string) {
  return db
    .selectFrom('pupil')
    .select(['id', 'upn', 'mis_id', 'name', 'date_of_birth', 'year_group'])
    .where('school_id', '=', schoolId)
}

function pupilOf(r: {
  id: string
  upn: string | null
  mis_id: string | null
  name: string
  date_of_birth: string
  year_group: string
}): PupilRow {
  return { id: r.id, upn: r.upn, misId: r.mis_id, name: r.name, dateOfBirth: r.date_of_birth, yearGroup: r.year_group }
}

export async function pupilsOfSchool(
  db: DbOrTrx,
  schoolId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PupilRow[]> {
  let q = pupilQuery(db, schoolId).orderBy('name').orderBy('id')
  if (options.forUpdate) q = q.forUpdate()
  return (await q.execute()).map(pupilOf)
}

export async function pupilInSchool(db: DbOrTrx, schoolId: string, id: string): Promise<PupilRow | null> {
  if (!isUuid(id)) return null
  const row = await pupilQuery(db, schoolId).where('id', '=', id).executeTakeFirst()
  return row ? pupilOf(row) : null
}

/** The pupil of the school with this UPN or MIS id (as a record's free-text reference gives it). */
export async function pupilByReference(db: DbOrTrx, schoolId: string, reference: string): Promise<string | null> {
  const ref = reference.trim()
  if (ref === '') return null
  const row = await db
    .selectFrom('pupil')
    .select('id')
    .where('school_id', '=', schoolId)
    .where((eb) => eb.or([eb('upn', '=', ref.toUpperCase()), eb('mis_id', '=', ref)]))
    .executeTakeFirst()
  return row?.id ?? null
}

export interface PupilValues {
  upn: string | null
  misId: string | null
  name: string
  dateOfBirth: string
  yearGroup: string
}

export async function insertPupils(
  trx: DbOrTrx,
  at: { organisationId: string; schoolId: string },
  pupils: readonly PupilValues[],
): Promise<void> {
  for (let i = 0; i < pupils.length; i += 500) {
    const batch = pupils.slice(i, i + 500)
    if (batch.length === 0) continue
    await trx
      .insertInto('pupil')
      .values(
        batch.map((p) => ({
          organisation_id: at.organisationId,
          school_id: at.schoolId,
          upn: p.upn,
          mis_id: p.misId,
          name: p.name,
          date_of_birth: p.dateOfBirth,
          year_group: p.yearGroup,
        })),
      )
      .execute()
  }
}

export async function updatePupil(
  trx: DbOrTrx,
  schoolId: string,
  id: string,
  p: PupilValues,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('pupil')
    .set({
      upn: p.upn,
      mis_id: p.misId,
      name: p.name,
      date_of_birth: p.dateOfBirth,
      year_group: p.yearGroup,
      updated_at: now,
    })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute()
}

/** One pupil import at a time per school: waits for any other until the transaction ends. */
export async function lockPupilImports(trx: DbOrTrx, schoolId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`haven:pupil-import:${schoolId}`}))`.execute(trx)
}

export async function insertPupilUpload(
  db: DbOrTrx,
  upload: {
    id: string
    organisationId: string
    schoolId: string
    uploadedBy: string
    fileName: string
    content: Uint8Array
    expiresAt: Date
  },
  now: Date,
): Promise<void> {
  await db.deleteFrom('pupil_import').where('expires_at', '<=', now).execute()
  await db
    .insertInto('pupil_import')
    .values({
      id: upload.id,
      organisation_id: upload.organisationId,
      school_id: upload.schoolId,
      uploaded_by: upload.uploadedBy,
      file_name: upload.fileName,
      content: Buffer.from(upload.content),
      expires_at: upload.expiresAt,
    })
    .execute()
}

export async function findPupilUpload(
  db: DbOrTrx,
  id: string,
  who: { organisationId: string; uploadedBy: string },
  now: Date,
): Promise<{ id: string; schoolId: string; fileName: string; content: Uint8Array } | null> {
  if (!isUuid(id)) return null
  const row = await db
    .selectFrom('pupil_import')
    .select(['id', 'school_id', 'file_name', 'content'])
    .where('id', '=', id)
    .where('organisation_id', '=', who.organisationId)
    .where('uploaded_by', '=', who.uploadedBy)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row ? { id: row.id, schoolId: row.school_id, fileName: row.file_name, content: row.content } : null
}

export async function deletePupilUpload(db: DbOrTrx, schoolId: string, id: string): Promise<void> {
  await db.deleteFrom('pupil_import').where('id', '=', id).where('school_id', '=', schoolId).execute()
}

// ---------------------------------------------------------------------------------------------
// The decision queue

export type DecisionStatusColumn = 'awaiting-sign-off' | 'returned' | 'ready' | 'entered'

export interface NewDecision {
  source: 'record' | 'unplanned'
  sourceItemId: string
  sessionId: string | null
  recordId: string | null
  sessionKind: string
  about: 'child' | 'family' | 'pseudonym'
  pupilId: string | null
  aboutName: string
  decision: string
  actions: string
  agreedBy: string
  decidedOn: string
  status: DecisionStatusColumn
}

/** Queues decisions; one already queued from the same item is left as it is. */
export async function insertDecisions(
  trx: DbOrTrx,
  at: {
    organisationId: string
    schoolId: string
    /** When queued (the app's clock); the database's time if not given. */
    createdAt?: Date
  },
  decisions: readonly NewDecision[],
): Promise<number> {
  if (decisions.length === 0) return 0
  const inserted = await trx
    .insertInto('child_decision')
    .values(
      decisions.map((d) => ({
        organisation_id: at.organisationId,
        school_id: at.schoolId,
        source: d.source,
        source_item_id: d.sourceItemId,
        session_id: d.sessionId,
        record_id: d.recordId,
        session_kind: d.sessionKind,
        about: d.about,
        pupil_id: d.pupilId,
        about_name: d.aboutName,
        decision: d.decision,
        actions: d.actions,
        agreed_by: d.agreedBy,
        decided_on: d.decidedOn,
        status: d.status,
        ...(at.createdAt ? { created_at: at.createdAt } : {}),
      })),
    )
    .onConflict((oc) => oc.columns(['school_id', 'source_item_id']).doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

export interface DecisionRow {
  id: string
  schoolId: string
  status: DecisionStatusColumn
  source: 'record' | 'unplanned'
  sessionId: string | null
  recordId: string | null
  sessionKind: string
  about: 'child' | 'family' | 'pseudonym'
  pupil: PupilRow | null
  aboutName: string
  category: string
  decision: string
  actions: string
  agreedBy: string
  decidedOn: string
  signOffComment: string | null
  signedOffByName: string | null
  signedOffAt: Date | null
  enteredByName: string | null
  enteredAt: Date | null
  enteredIn: string | null
  enteredReference: string | null
  version: number
  createdAt: Date
}

function decisionQuery(db: DbOrTrx, schoolId: string) {
  return db
    .selectFrom('child_decision as d')
    .leftJoin('pupil as p', (j) => j.onRef('p.id', '=', 'd.pupil_id').onRef('p.school_id', '=', 'd.school_id'))
    .leftJoin('person as s', 's.id', 'd.signed_off_by')
    .leftJoin('person as e', 'e.id', 'd.entered_by')
    .select([
      'd.id',
      'd.school_id',
      'd.status',
      'd.source',
      'd.session_id',
      'd.record_id',
      'd.session_kind',
      'd.about',
      'd.about_name',
      'd.category',
      'd.decision',
      'd.actions',
      'd.agreed_by',
      'd.decided_on',
      'd.sign_off_comment',
      'd.signed_off_at',
      'd.entered_at',
      'd.entered_in',
      'd.entered_reference',
      'd.entered_by_name',
      'd.version',
      'd.created_at',
      'p.id as pupil_id',
      'p.upn',
      'p.mis_id',
      'p.name as pupil_name',
      'p.date_of_birth',
      'p.year_group',
      's.name as signed_off_by_name',
      'e.name as entered_by_person',
    ])
    .where('d.school_id', '=', schoolId)
}

type DecisionSelect = Awaited<ReturnType<ReturnType<typeof decisionQuery>['execute']>>[number]

function decisionOf(r: DecisionSelect): DecisionRow {
  return {
    id: r.id,
    schoolId: r.school_id,
    status: r.status,
    source: r.source,
    sessionId: r.session_id,
    recordId: r.record_id,
    sessionKind: r.session_kind,
    about: r.about,
    pupil:
      r.pupil_id && r.pupil_name && r.date_of_birth
        ? {
            id: r.pupil_id,
            upn: r.upn,
            misId: r.mis_id,
            name: r.pupil_name,
            dateOfBirth: r.date_of_birth,
            yearGroup: r.year_group ?? '',
          }
        : null,
    aboutName: r.about_name,
    category: r.category,
    decision: r.decision,
    actions: r.actions,
    agreedBy: r.agreed_by,
    decidedOn: r.decided_on,
    signOffComment: r.sign_off_comment,
    signedOffByName: r.signed_off_by_name,
    signedOffAt: r.signed_off_at,
    enteredByName: r.entered_by_person ?? r.entered_by_name,
    enteredAt: r.entered_at,
    enteredIn: r.entered_in,
    enteredReference: r.entered_reference,
    version: r.version,
    createdAt: r.created_at,
  }
}

/** The school's decisions, the oldest waiting first, then the latest entered (at most 200 of those). */
export async function decisionsOfSchool(
  db: DbOrTrx,
  schoolId: string,
  filter: { pupilId?: string } = {},
): Promise<DecisionRow[]> {
  let q = decisionQuery(db, schoolId)
  if (filter.pupilId) {
    if (!isUuid(filter.pupilId)) return []
    q = q.where('d.pupil_id', '=', filter.pupilId)
  }
  const waiting = await q.where('d.status', '!=', 'entered').orderBy('d.created_at').orderBy('d.id').execute()
  const entered = await q
    .where('d.status', '=', 'entered')
    .orderBy('d.entered_at', 'desc')
    .orderBy('d.id')
    .limit(200)
    .execute()
  return [...waiting, ...entered].map(decisionOf)
}

export async function decisionInSchool(
  db: DbOrTrx,
  schoolId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DecisionRow | null> {
  if (!isUuid(id)) return null
  if (options.forUpdate)
    await db
      .selectFrom('child_decision')
      .select('id')
      .where('school_id', '=', schoolId)
      .where('id', '=', id)
      .forUpdate()
      .execute()
  const row = await decisionQuery(db, schoolId).where('d.id', '=', id).executeTakeFirst()
  return row ? decisionOf(row) : null
}

export interface DecisionChange {
  status?: DecisionStatusColumn
  about?: 'child' | 'family' | 'pseudonym'
  pupilId?: string | null
  aboutName?: string
  category?: string
  decision?: string
  actions?: string
  signOffComment?: string | null
  signedOffBy?: string | null
  signedOffAt?: Date | null
  enteredBy?: string | null
  enteredByName?: string | null
  enteredAt?: Date | null
  enteredIn?: string | null
  enteredReference?: string | null
}

/** Changes a decision at the version the person saw; false when it changed since. */
export async function updateDecision(
  trx: DbOrTrx,
  schoolId: string,
  id: string,
  version: number,
  change: DecisionChange,
): Promise<boolean> {
  const result = await trx
    .updateTable('child_decision')
    .set({
      ...(change.status !== undefined ? { status: change.status } : {}),
      ...(change.about !== undefined ? { about: change.about } : {}),
      ...(change.pupilId !== undefined ? { pupil_id: change.pupilId } : {}),
      ...(change.aboutName !== undefined ? { about_name: change.aboutName } : {}),
      ...(change.category !== undefined ? { category: change.category } : {}),
      ...(change.decision !== undefined ? { decision: change.decision } : {}),
      ...(change.actions !== undefined ? { actions: change.actions } : {}),
      ...(change.signOffComment !== undefined ? { sign_off_comment: change.signOffComment } : {}),
      ...(change.signedOffBy !== undefined ? { signed_off_by: change.signedOffBy } : {}),
      ...(change.signedOffAt !== undefined ? { signed_off_at: change.signedOffAt } : {}),
      ...(change.enteredBy !== undefined ? { entered_by: change.enteredBy } : {}),
      ...(change.enteredByName !== undefined ? { entered_by_name: change.enteredByName } : {}),
      ...(change.enteredAt !== undefined ? { entered_at: change.enteredAt } : {}),
      ...(change.enteredIn !== undefined ? { entered_in: change.enteredIn } : {}),
      ...(change.enteredReference !== undefined ? { entered_reference: change.enteredReference } : {}),
      version: sql<number>`version + 1`,
    })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** How many of the school's decisions are not yet on a child's record (the overview's figure). */
export async function pendingDecisionCount(db: DbOrTrx, schoolId: string): Promise<number> {
  const row = await db
    .selectFrom('child_decision')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', '!=', 'entered')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Decisions not yet entered and not reminded about since `since`, across schools (the reminder job). */
export async function waitingDecisions(
  db: DbOrTrx,
  since: Date,
): Promise<{ id: string; organisationId: string; schoolId: string; createdAt: Date; status: DecisionStatusColumn }[]> {
  const rows = await db
    .selectFrom('child_decision')
    .select(['id', 'organisation_id', 'school_id', 'created_at', 'status'])
    .where('status', '!=', 'entered')
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<', since)]))
    .orderBy('created_at')
    .limit(2000)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    schoolId: r.school_id,
    createdAt: r.created_at,
    status: r.status,
  }))
}

export async function markReminded(trx: DbOrTrx, schoolId: string, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return
  await trx
    .updateTable('child_decision')
    .set({ reminded_at: at })
    .where('school_id', '=', schoolId)
    .where('id', 'in', [...ids])
    .execute()
}

// ---------------------------------------------------------------------------------------------
// The school's webhook and its deliveries

export async function webhookOf(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ url: string; secret: string; updatedAt: Date } | null> {
  const row = await db
    .selectFrom('decision_webhook')
    .select(['url', 'secret', 'updated_at'])
    .where('school_id', '=', schoolId)
    .executeTakeFirst()
  return row ? { url: row.url, secret: row.secret, updatedAt: row.updated_at } : null
}

export async function saveWebhook(
  trx: DbOrTrx,
  at: { organisationId: string; schoolId: string },
  hook: { url: string; secret: string; updatedBy: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('decision_webhook')
    .values({
      school_id: at.schoolId,
      organisation_id: at.organisationId,
      url: hook.url,
      secret: hook.secret,
      updated_by: hook.updatedBy,
      updated_at: hook.at,
    })
    .onConflict((oc) =>
      oc
        .column('school_id')
        .doUpdateSet({ url: hook.url, secret: hook.secret, updated_by: hook.updatedBy, updated_at: hook.at }),
    )
    .execute()
}

export async function deleteWebhook(trx: DbOrTrx, schoolId: string): Promise<void> {
  await trx.deleteFrom('decision_webhook').where('school_id', '=', schoolId).execute()
}

export async function insertDelivery(
  trx: DbOrTrx,
  schoolId: string,
  delivery: { decisionId: string; url: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('decision_delivery')
    .values({
      school_id: schoolId,
      decision_id: delivery.decisionId,
      url: delivery.url,
      status: 'waiting',
      next_attempt_at: delivery.at,
    })
    .execute()
}

export interface DueDelivery {
  id: string
  schoolId: string
  decisionId: string
  url: string
  attempts: number
}

/** Deliveries due at `now`, claimed for this run (several instances never send one twice at once). */
export async function claimDueDeliveries(trx: DbOrTrx, now: Date, limit: number): Promise<DueDelivery[]> {
  const rows = await trx
    .selectFrom('decision_delivery')
    .select(['id', 'school_id', 'decision_id', 'url', 'attempts'])
    .where('status', '=', 'waiting')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    decisionId: r.decision_id,
    url: r.url,
    attempts: r.attempts,
  }))
}

export async function recordAttempt(
  trx: DbOrTrx,
  schoolId: string,
  id: string,
  attempt: {
    status: 'waiting' | 'delivered' | 'failed'
    attempts: number
    at: Date
    nextAttemptAt: Date | null
    responseStatus: number | null
    error: string | null
  },
): Promise<void> {
  await trx
    .updateTable('decision_delivery')
    .set({
      status: attempt.status,
      attempts: attempt.attempts,
      last_attempt_at: attempt.at,
      next_attempt_at: attempt.nextAttemptAt,
      response_status: attempt.responseStatus,
      error: attempt.error,
    })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute()
}

export interface DeliveryLogRow {
  id: string
  decisionId: string
  url: string
  status: 'waiting' | 'delivered' | 'failed'
  attempts: number
  lastAttemptAt: Date | null
  nextAttemptAt: Date | null
  responseStatus: number | null
  error: string | null
  createdAt: Date
}

/** The school's latest 200 deliveries, newest first (the delivery log). */
export async function deliveriesOfSchool(db: DbOrTrx, schoolId: string): Promise<DeliveryLogRow[]> {
  const rows = await db
    .selectFrom('decision_delivery')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    decisionId: r.decision_id,
    url: r.url,
    status: r.status,
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.next_attempt_at,
    responseStatus: r.response_status,
    error: r.error,
    createdAt: r.created_at,
  }))
}

/** The school's slug and organisation (the delivery job and reminders, which run across schools). */
export async function schoolOfId(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ id: string; slug: string; organisationId: string } | null> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'slug', 'organisation_id'])
    .where('id', '=', schoolId)
    .executeTakeFirst()
  return row ? { id: row.id, slug: row.slug, organisationId: row.organisation_id } : null
}
