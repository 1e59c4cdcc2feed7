/**
 * Importing staff from a CSV file (issue 4). The plan is made by the pure `planStaffImport`
 * (domain/people/staff-csv/) against the school's people now, then guarded for who is importing
 * (domain/people/staff-import-guards.ts). Between the preview and the import the file is kept in
 * `staff_import`; the import plans again from those bytes inside its transaction, with the
 * school's people locked, and refuses if the plan is no longer the one that was previewed.
 * All or nothing: one transaction, batched inserts and updates.
 */
import { createHash, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { recordRolesAdded, withoutPendingRoleRequests } from '../../domain/access/role-grants.ts'
import { randomToken } from '../../domain/auth/tokens.ts'
import type { IsoDate, Person } from '../../domain/people/person.ts'
import { normaliseEmail } from '../../domain/people/person-rules.ts'
import { planStaffImport, resolveStaffImport, type StaffImportError } from '../../domain/people/staff-csv/index.ts'
import {
  type GuardedStaffImportPlan,
  guardStaffImportPlan,
  staffImportPlanDigest,
} from '../../domain/people/staff-import-guards.ts'
import { recordAudit } from '../audit.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { applyRecordRoleRule, pendingRolesOf } from '../auth/role-grants.ts'
import { type SchoolDsl, schoolDsls } from '../auth/school-dsls.ts'
import { customRolesFor, type DbOrTrx, personColumns, personFromRow } from './repository.ts'
import { moveAssignments } from './supervision.ts'

/** How long an uploaded file is kept for its preview. */
export const STAFF_IMPORT_KEEP_MINUTES = 60
const BATCH = 500

export interface ImportTarget {
  organisationId: string
  schoolId: string
}

export interface ImportWho {
  /** The person importing, or null for the command line. */
  actor: Actor | null
  canSetAdditionalSupport: boolean
}

export type ReadyPlan = Extract<GuardedStaffImportPlan, { ok: true }>
export type PlanResult = { ok: false; errors: StaffImportError[] } | { ok: true; plan: ReadyPlan; digest: string }

/** Plans an import of `buffer` against the school's people as they are in `db` (a transaction when applying). */
export async function planImportFor(
  db: DbOrTrx,
  target: ImportTarget,
  buffer: Uint8Array,
  who: ImportWho,
  options: { lock?: boolean } = {},
): Promise<PlanResult> {
  let peopleQuery = db
    .selectFrom('person')
    .selectAll()
    .where('school_id', '=', target.schoolId)
    .where('organisation_id', '=', target.organisationId)
    .orderBy('name')
    .orderBy('id')
  if (options.lock) peopleQuery = peopleQuery.forUpdate()
  const [rows, customRoles] = await Promise.all([
    peopleQuery.execute(),
    customRolesFor(db, target.organisationId, target.schoolId),
  ])
  const existing: Person[] = rows.map(personFromRow)
  const planned = planStaffImport({ buffer, existing, customRoles, schoolId: target.schoolId })
  if (!planned.ok) return planned
  const plan = withoutPendingRoleRequests(planned, await pendingRolesOf(db, target))
  const createEmails = plan.creates.map((d) => normaliseEmail(d.email))
  const elsewhere = new Set<string>()
  for (let i = 0; i < createEmails.length; i += BATCH) {
    const emails = createEmails.slice(i, i + BATCH)
    const found = await db
      .selectFrom('person')
      .select('email')
      .where('organisation_id', '=', target.organisationId)
      .where('email', 'in', emails)
      .execute()
    for (const r of found) elsewhere.add(r.email)
  }
  const guarded = guardStaffImportPlan(plan, {
    actor: who.actor,
    canSetAdditionalSupport: who.canSetAdditionalSupport,
    emailsElsewhere: elsewhere,
  })
  if (!guarded.ok) return guarded
  return { ok: true, plan: guarded, digest: staffImportPlanDigest(guarded) }
}

export function sha256Of(buffer: Uint8Array): string {
  return createHash('sha256').update(buffer).digest('hex')
}

/** Keeps an uploaded file for its preview; returns the id for its URL. Removes expired uploads. */
export async function storeUpload(
  db: Db,
  input: ImportTarget & { uploadedBy: string; fileName: string; buffer: Uint8Array },
  now = new Date(),
): Promise<string> {
  const id = randomToken()
  await db.deleteFrom('staff_import').where('expires_at', '<=', now).execute()
  await db
    .insertInto('staff_import')
    .values({
      id,
      organisation_id: input.organisationId,
      school_id: input.schoolId,
      uploaded_by: input.uploadedBy,
      file_name: input.fileName.slice(0, 255),
      content: Buffer.from(input.buffer),
      sha256: sha256Of(input.buffer),
      expires_at: new Date(now.getTime() + STAFF_IMPORT_KEEP_MINUTES * 60_000),
    })
    .execute()
  return id
}

export interface StoredUpload {
  id: string
  schoolId: string
  fileName: string
  buffer: Buffer
  sha256: string
  expiresAt: Date
}

/** An upload of this person's that has not expired, or null. */
export async function loadUpload(
  db: DbOrTrx,
  id: string,
  who: { organisationId: string; uploadedBy: string },
  now = new Date(),
): Promise<StoredUpload | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null
  const row = await db
    .selectFrom('staff_import')
    .selectAll()
    .where('id', '=', id)
    .where('organisation_id', '=', who.organisationId)
    .where('uploaded_by', '=', who.uploadedBy)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (!row) return null
  const buffer = Buffer.from(row.content)
  // The bytes must still be the ones uploaded.
  if (sha256Of(buffer) !== row.sha256) return null
  return {
    id: row.id,
    schoolId: row.school_id,
    fileName: row.file_name,
    buffer,
    sha256: row.sha256,
    expiresAt: row.expires_at,
  }
}

export interface ImportCounts {
  created: number
  updated: number
  unchanged: number
  notInFile: number
}

export type ApplyResult =
  | { outcome: 'imported'; counts: ImportCounts }
  | { outcome: 'errors'; errors: StaffImportError[] }
  /** The plan is not the one previewed: people changed in Haven since. Nothing was imported. */
  | { outcome: 'changed'; plan: ReadyPlan; digest: string }

/** Managers before the people they manage, so each batch's line managers already exist. */
function managersFirst(people: readonly Person[]): Person[] {
  const byId = new Map(people.map((p) => [p.id, p]))
  const done = new Set<string>()
  const ordered: Person[] = []
  const visit = (person: Person, depth: number) => {
    if (done.has(person.id)) return
    const manager = person.lineManagerId ? byId.get(person.lineManagerId) : undefined
    // The plan refuses loops; the depth guard only keeps a bad plan from recursing forever.
    if (manager && depth < people.length) visit(manager, depth + 1)
    if (done.has(person.id)) return
    done.add(person.id)
    ordered.push(person)
  }
  for (const person of people) visit(person, 0)
  return ordered
}

async function writePlan(trx: DbOrTrx, target: ImportTarget, plan: ReadyPlan, today: IsoDate) {
  const resolved = resolveStaffImport(plan, () => randomUUID())
  const creates = managersFirst(resolved.creates)
  for (let i = 0; i < creates.length; i += BATCH) {
    await trx
      .insertInto('person')
      .values(
        creates.slice(i, i + BATCH).map((p) => ({
          id: p.id,
          organisation_id: target.organisationId,
          school_id: target.schoolId,
          line_manager_id: p.lineManagerId,
          ...personColumns(p),
        })),
      )
      .execute()
  }
  const firstManagers = creates.filter((p) => p.lineManagerId !== null)
  for (let i = 0; i < firstManagers.length; i += BATCH) {
    await trx
      .insertInto('supervision_assignment')
      .values(
        firstManagers.slice(i, i + BATCH).map((p) => ({
          organisation_id: target.organisationId,
          supervisee_id: p.id,
          supervisor_id: p.lineManagerId!,
          kind: 'line-manager' as const,
          starts_on: today,
        })),
      )
      .execute()
  }

  // Updates: every editable column from the plan, in batches, through one JSON parameter each.
  const updates = resolved.updates
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates.slice(i, i + BATCH).map((p) => ({ id: p.id, ...personColumns(p) }))
    await sql`
      update person as p set
        name = r.name, job_title = r.job_title, roles = r.roles, employment_type = r.employment_type,
        part_time = r.part_time, working_days = r.working_days, start_date = r.start_date, end_date = r.end_date,
        early_career = r.early_career, in_probation = r.in_probation, works_in_eyfs = r.works_in_eyfs,
        pastoral_responsibilities = r.pastoral_responsibilities, trained_dsl = r.trained_dsl,
        additional_support = r.additional_support, supervisor_trained_on = r.supervisor_trained_on,
        version = p.version + 1, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as r(
        id uuid, name text, job_title text, roles text[], employment_type text, part_time boolean,
        working_days smallint[], start_date date, end_date date, early_career boolean, in_probation boolean,
        works_in_eyfs boolean, pastoral_responsibilities boolean, trained_dsl boolean,
        additional_support boolean, supervisor_trained_on date)
      where p.id = r.id and p.school_id = ${target.schoolId}`.execute(trx)
  }

  // Line managers the file changes: the history moves on, with a handover where someone hands over.
  const updatedById = new Map(updates.map((p) => [p.id, p]))
  const managerChanges = plan.updates
    .filter((u) => u.changedFields.includes('lineManagerId'))
    .map((u) => ({ before: u.before, after: updatedById.get(u.id)! }))
  const byNewManager = new Map<string | null, { id: string; from: string | null }[]>()
  for (const change of managerChanges) {
    const list = byNewManager.get(change.after.lineManagerId) ?? []
    list.push({ id: change.after.id, from: change.before.lineManagerId })
    byNewManager.set(change.after.lineManagerId, list)
  }
  for (const [managerId, people] of byNewManager) {
    // Handovers first (one per person who had a line manager and gets another), then the history.
    const withHandover = managerId === null ? [] : people.filter((p) => p.from !== null)
    const handoverIds = new Map<string, string>()
    for (let i = 0; i < withHandover.length; i += BATCH) {
      const values = withHandover.slice(i, i + BATCH).map((p) => {
        const id = randomUUID()
        handoverIds.set(p.id, id)
        return {
          id,
          organisation_id: target.organisationId,
          school_id: target.schoolId,
          from_person_id: p.from!,
          to_person_id: managerId!,
          supervisee_id: p.id,
          reason: 'import' as const,
          note: 'Line manager changed by a staff import from the school’s MIS.',
          recorded_by: null,
          effective_on: today,
        }
      })
      await trx.insertInto('handover').values(values).execute()
    }
    const ids = people.map((p) => p.id)
    await moveAssignments(trx, {
      organisationId: target.organisationId,
      superviseeIds: ids,
      kind: 'line-manager',
      supervisorId: managerId,
      on: today,
      handoverId: null,
      bumpVersion: false,
    })
    if (handoverIds.size > 0) {
      const links = [...handoverIds].map(([supervisee, handover]) => ({ supervisee, handover }))
      await sql`
        update supervision_assignment as sa set handover_id = l.handover
        from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as l(supervisee uuid, handover uuid)
        where sa.supervisee_id = l.supervisee and sa.kind = 'line-manager' and sa.ends_on is null`.execute(trx)
    }
  }
  return resolved
}

/**
 * Issue 12 (ADR 0011) for what the file wrote: a record-opening role follows the same rule as
 * everywhere (audited, DSLs told, waiting for a DSL's approval unless a DSL imports it), and
 * someone the file marks as left loses access at once. `dsls` are the school's DSLs before the import.
 */
async function secureImportedPeople(
  trx: DbOrTrx,
  input: ImportTarget & { actorId: string | null; today: IsoDate; dsls: readonly SchoolDsl[] },
  plan: ReadyPlan,
  written: ReturnType<typeof resolveStaffImport>,
): Promise<void> {
  const beforeById = new Map(plan.updates.map((u) => [u.id, u.before]))
  const changes = [
    ...written.creates.map((p) => ({ person: p, before: null as Person | null })),
    ...written.updates.map((p) => ({ person: p, before: beforeById.get(p.id) ?? null })),
  ]
  const now = new Date()
  for (const { person, before } of changes) {
    const beforeRoles = before?.roles ?? []
    if (recordRolesAdded(beforeRoles, person.roles).length > 0) {
      const roles = await applyRecordRoleRule(
        trx,
        { ...input, personId: person.id, personName: person.name, before: beforeRoles, after: person.roles },
        { actorId: input.actorId, dsls: input.dsls },
      )
      if (roles.length !== person.roles.length)
        await trx.updateTable('person').set({ roles }).where('id', '=', person.id).execute()
    }
    if (
      before !== null &&
      employmentEnded(person.endDate, input.today) &&
      !employmentEnded(before.endDate, input.today)
    )
      await revokeAndAudit(trx, { ...input, personId: person.id, reason: 'left' }, now)
  }
}

/**
 * Imports the file: plans it again inside one transaction with the school's people locked, and
 * writes everything or nothing. With `expectedDigest` (the preview's), refuses a plan that changed.
 */
export async function applyStaffImport(
  db: Db,
  input: ImportTarget &
    ImportWho & {
      buffer: Uint8Array
      expectedDigest: string | null
      source: 'web' | 'cli'
      uploadId?: string
      today: IsoDate
    },
): Promise<ApplyResult> {
  return db.transaction().execute(async (trx): Promise<ApplyResult> => {
    // One import at a time per school; the row locks below also make concurrent edits wait.
    await sql`select pg_advisory_xact_lock(hashtext(${`haven:staff-import:${input.schoolId}`}))`.execute(trx)
    const planned = await planImportFor(trx, input, input.buffer, input, { lock: true })
    if (!planned.ok) return { outcome: 'errors', errors: planned.errors }
    if (input.expectedDigest !== null && planned.digest !== input.expectedDigest)
      return { outcome: 'changed', plan: planned.plan, digest: planned.digest }
    const { plan } = planned
    const counts: ImportCounts = {
      created: plan.creates.length,
      updated: plan.updates.length,
      unchanged: plan.unchanged.length,
      notInFile: plan.notInFile.length,
    }
    if (counts.created + counts.updated > 0) {
      const dsls = await schoolDsls(trx, input, input.today)
      const written = await writePlan(trx, input, plan, input.today)
      await secureImportedPeople(
        trx,
        { ...input, actorId: input.actor?.personId ?? null, today: input.today, dsls },
        plan,
        written,
      )
      await recordAudit(trx, {
        action: 'staff.import',
        subjectType: 'school',
        subjectId: input.schoolId,
        actorId: input.actor?.personId ?? null,
        organisationId: input.organisationId,
        schoolId: input.schoolId,
        detail: { ...counts, source: input.source, sha256: sha256Of(input.buffer) },
      })
    }
    if (input.uploadId) await trx.deleteFrom('staff_import').where('id', '=', input.uploadId).execute()
    return { outcome: 'imported', counts }
  })
}
