/**
 * Importing staff from a CSV file (issue 4). The plan is made by the pure `planStaffImport`
 * (domain/people/staff-csv/) against the school's people now, then guarded for who is importing
 * (domain/people/staff-import-guards.ts). Between the preview and the import the file is kept in
 * `staff_import`; the import plans again from those bytes inside its transaction, with the
 * school's people locked, and refuses if the plan is no longer the one that was previewed.
 * All or nothing: one transaction, batched inserts and updates.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  customRolesFor,
  deleteExpiredUploads,
  deleteUpload,
  emailsInUse,
  findUpload,
  type ImportMappingRow,
  importMappingsOf,
  insertAssignments,
  insertHandovers,
  insertPeople,
  insertUpload,
  linkLineManagerHandovers,
  lockSchoolImports,
  moveAssignments,
  peopleOfSchool,
  saveImportMappings,
  scopeOverridesOf,
  setRoles,
  updatePeopleFields,
} from '../../db/repositories/staff/index.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { recordRolesAdded, withoutPendingRoleRequests } from '../../domain/access/role-grants.ts'
import { randomToken } from '../../domain/auth/tokens.ts'
import { isStaff } from '../../domain/people/kinds.ts'
import type { IsoDate, Person } from '../../domain/people/person.ts'
import { normaliseEmail } from '../../domain/people/person-rules.ts'
import { roleCatalogue } from '../../domain/people/roles.ts'
import {
  type ColumnChoice,
  planStaffImport,
  resolveStaffImport,
  type StaffCsvColumnKey,
  type StaffImportError,
  type StaffImportMappings,
  staffCsvColumns,
  type UnrecognisedHeading,
} from '../../domain/people/staff-csv/index.ts'
import { inScopeAfterImport } from '../../domain/people/staff-csv/scope-check.ts'
import {
  type GuardedStaffImportPlan,
  guardStaffImportPlan,
  staffImportPlanDigest,
} from '../../domain/people/staff-import-guards.ts'
import { recordAudit } from '../audit.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { applyRecordRoleRule, pendingRolesOf } from '../auth/role-grants.ts'
import { type SchoolDsl, schoolDsls } from '../auth/school-dsls.ts'
import { policyBook } from '../policy/on-date.ts'
import { setScopeOverride } from './scope.ts'

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
  /**
   * Whom to record as having made the changes, when that is not `actor` (the integration API: its
   * guard actor holds no roles and is no person, so the changes are recorded as by nobody, and the
   * token's use is audited on its own; ADR 0035).
   */
  recordedAs?: string | null
}

function recordedActorId(who: ImportWho): string | null {
  return who.recordedAs !== undefined ? who.recordedAs : (who.actor?.personId ?? null)
}

export type ReadyPlan = Extract<GuardedStaffImportPlan, { ok: true }>
export type PlanResult =
  | { ok: false; errors: StaffImportError[]; unmappedHeadings?: UnrecognisedHeading[] }
  | { ok: true; plan: ReadyPlan; digest: string }

/** Plans an import of `buffer` against the school's people as they are in `db` (a transaction when applying). */
export async function planImportFor(
  db: DbOrTrx,
  target: ImportTarget,
  buffer: Uint8Array,
  who: ImportWho,
  options: { lock?: boolean } = {},
): Promise<PlanResult> {
  const [existing, customRoles, mappings] = await Promise.all([
    peopleOfSchool(db, target.schoolId, { forUpdate: options.lock }),
    customRolesFor(db, target.organisationId, target.schoolId),
    importMappingsFor(db, target.schoolId),
  ])
  // People who are not employees (issue 14) are not on the staff list the file is matched against.
  const staff = existing.filter(isStaff)
  const planned = planStaffImport({ buffer, existing: staff, customRoles, schoolId: target.schoolId, mappings })
  if (!planned.ok) return planned
  const plan = withoutPendingRoleRequests(planned, await pendingRolesOf(db, target))
  const createEmails = plan.creates.map((d) => normaliseEmail(d.email))
  const elsewhere = await emailsInUse(db, target.organisationId, createEmails)
  const guarded = guardStaffImportPlan(plan, {
    actor: who.actor,
    canSetAdditionalSupport: who.canSetAdditionalSupport,
    emailsElsewhere: elsewhere,
  })
  if (!guarded.ok) return guarded
  return { ok: true, plan: guarded, digest: staffImportPlanDigest(guarded) }
}

const columnKeys = new Set<string>(staffCsvColumns.map((c) => c.key))

/** The school's remembered import choices (issue 18), as the plan reads them. */
export async function importMappingsFor(db: DbOrTrx, schoolId: string): Promise<StaffImportMappings> {
  const columns = new Map<string, ColumnChoice>()
  const jobTitles = new Map<string, string | null>()
  const managers = new Map<string, string | null>()
  for (const row of await importMappingsOf(db, schoolId)) {
    if (row.kind === 'column' && (row.target === 'ignore' || columnKeys.has(row.target)))
      columns.set(row.source, row.target as ColumnChoice)
    else if (row.kind === 'job-title') jobTitles.set(row.source, row.target === '' ? null : row.target)
    else if (row.kind === 'line-manager') managers.set(row.source, row.target === '' ? null : row.target)
  }
  return { columns, jobTitles, managers }
}

/** The answers on the preview's mapping step, by the key each is remembered by. */
export interface ImportChoicesInput {
  columns: ReadonlyMap<string, string>
  jobTitles: ReadonlyMap<string, string>
  managers: ReadonlyMap<string, string>
}

/**
 * Remembers the school's answers on the preview (issue 18): what each unrecognised heading is,
 * the role each job title gives and whom each ambiguous line manager name means. Only answers to
 * questions this plan asks, with a value it offers, are kept; anything else is left out.
 */
export async function saveImportChoices(
  db: Db,
  target: ImportTarget & { actorId: string | null; now: Date },
  plan: Pick<ReadyPlan, 'unrecognisedColumns' | 'jobTitles' | 'managerQuestions'>,
  choices: ImportChoicesInput,
): Promise<number> {
  const customRoles = await customRolesFor(db, target.organisationId, target.schoolId)
  const roleIds = new Set<string>([...roleCatalogue.map((r) => r.id), ...customRoles.map((r) => r.id)])
  const rows: ImportMappingRow[] = []
  for (const column of plan.unrecognisedColumns) {
    const value = choices.columns.get(column.key)
    if (value !== undefined && (value === 'ignore' || columnKeys.has(value)))
      rows.push({ kind: 'column', source: column.key, target: value as StaffCsvColumnKey | 'ignore' })
  }
  for (const title of plan.jobTitles) {
    const value = choices.jobTitles.get(title.key)
    if (value !== undefined && (value === 'none' || roleIds.has(value)))
      rows.push({ kind: 'job-title', source: title.key, target: value === 'none' ? '' : value })
  }
  for (const question of plan.managerQuestions) {
    const value = choices.managers.get(question.key)
    if (value !== undefined && (value === 'none' || question.candidates.some((c) => c.email === value)))
      rows.push({ kind: 'line-manager', source: question.key, target: value === 'none' ? '' : value })
  }
  await saveImportMappings(db, { ...target, updatedBy: target.actorId }, rows)
  return rows.length
}

/**
 * Whether the preview should warn that nobody in the file would be in scope of the school's policy
 * on `today` (issue 18). No warning when the school has no policy yet.
 */
export async function nobodyInScopeAfterImport(
  db: DbOrTrx,
  schoolId: string,
  plan: ReadyPlan,
  today: IsoDate,
): Promise<boolean> {
  const policy = (await policyBook(db, schoolId)).on(today)
  if (!policy) return false
  const { inScope, inFile } = inScopeAfterImport(plan, policy, today)
  return inFile > 0 && inScope === 0
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
  await deleteExpiredUploads(db, now)
  await insertUpload(db, {
    id,
    organisationId: input.organisationId,
    schoolId: input.schoolId,
    uploadedBy: input.uploadedBy,
    fileName: input.fileName.slice(0, 255),
    content: input.buffer,
    sha256: sha256Of(input.buffer),
    expiresAt: new Date(now.getTime() + STAFF_IMPORT_KEEP_MINUTES * 60_000),
  })
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
  const row = await findUpload(db, id, who, now)
  if (!row) return null
  const buffer = Buffer.from(row.content)
  // The bytes must still be the ones uploaded.
  if (sha256Of(buffer) !== row.sha256) return null
  return {
    id: row.id,
    schoolId: row.schoolId,
    fileName: row.fileName,
    buffer,
    sha256: row.sha256,
    expiresAt: row.expiresAt,
  }
}

export interface ImportCounts {
  created: number
  updated: number
  unchanged: number
  notInFile: number
  /** People brought into scope or taken out by name in the In scope column. */
  scopeDecisions: number
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
  for (let i = 0; i < creates.length; i += BATCH) await insertPeople(trx, target, creates.slice(i, i + BATCH))
  const firstManagers = creates.filter((p) => p.lineManagerId !== null)
  for (let i = 0; i < firstManagers.length; i += BATCH)
    await insertAssignments(
      trx,
      target.organisationId,
      firstManagers.slice(i, i + BATCH).map((p) => ({
        superviseeId: p.id,
        supervisorId: p.lineManagerId!,
        kind: 'line-manager' as const,
        startsOn: today,
      })),
    )

  // Updates: every editable column from the plan, in batches.
  const updates = resolved.updates
  for (let i = 0; i < updates.length; i += BATCH)
    await updatePeopleFields(trx, target.schoolId, updates.slice(i, i + BATCH))

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
          schoolId: target.schoolId,
          fromPersonId: p.from!,
          toPersonId: managerId!,
          superviseeId: p.id,
          reason: 'import' as const,
          note: 'Line manager changed by a staff import from the school’s MIS.',
          recordedBy: null,
          effectiveOn: today,
        }
      })
      await insertHandovers(trx, target.organisationId, values)
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
    await linkLineManagerHandovers(
      trx,
      target.organisationId,
      [...handoverIds].map(([supervisee, handover]) => ({ supervisee, handover })),
    )
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
      if (roles.length !== person.roles.length) await setRoles(trx, input.organisationId, person.id, roles)
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
 * The In scope column: each decision by name becomes the person's scope override, audited
 * like one made on their page. A decision the same as the one in force is left alone, so importing
 * the same file again changes nothing. Returns how many were made.
 */
async function applyScopeDecisions(
  trx: Db,
  input: ImportTarget & ImportWho & { today: IsoDate; now?: Date },
  plan: ReadyPlan,
  written: ReturnType<typeof resolveStaffImport> | null,
): Promise<number> {
  if (plan.scopeDecisions.length === 0) return 0
  const idByEmail = new Map<string, string>()
  for (const p of [...plan.unchanged, ...plan.updates.map((u) => u.before), ...(written?.creates ?? [])])
    idByEmail.set(normaliseEmail(p.email), p.id)
  let made = 0
  for (const decision of plan.scopeDecisions) {
    const personId = idByEmail.get(decision.email)
    if (!personId) continue
    const [latest] = await scopeOverridesOf(trx, input.schoolId, personId, 1)
    if (
      latest &&
      latest.endedAt === null &&
      latest.override.required === decision.required &&
      latest.override.reason === decision.reason
    )
      continue
    const result = await setScopeOverride(trx, {
      organisationId: input.organisationId,
      personId,
      required: decision.required,
      reason: decision.reason,
      actorId: recordedActorId(input),
      today: input.today,
      ...(input.now ? { now: input.now } : {}),
      source: 'import',
    })
    if (result.ok) made++
  }
  return made
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
      source: 'web' | 'cli' | 'api'
      uploadId?: string
      today: IsoDate
      /** The app's clock, for when scope decisions were made (defaults to now). */
      now?: Date
    },
): Promise<ApplyResult> {
  return db.transaction().execute(async (trx): Promise<ApplyResult> => {
    // One import at a time per school; the row locks below also make concurrent edits wait.
    await lockSchoolImports(trx, input.schoolId)
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
      scopeDecisions: 0,
    }
    let written: ReturnType<typeof resolveStaffImport> | null = null
    if (counts.created + counts.updated > 0) {
      const dsls = await schoolDsls(trx, input, input.today)
      written = await writePlan(trx, input, plan, input.today)
      await secureImportedPeople(
        trx,
        { ...input, actorId: recordedActorId(input), today: input.today, dsls },
        plan,
        written,
      )
      await recordAudit(trx, {
        action: 'staff.import',
        subjectType: 'school',
        subjectId: input.schoolId,
        actorId: recordedActorId(input),
        organisationId: input.organisationId,
        schoolId: input.schoolId,
        // Scope decisions are audited one by one (staff.scope-override-set).
        detail: {
          created: counts.created,
          updated: counts.updated,
          unchanged: counts.unchanged,
          notInFile: counts.notInFile,
          source: input.source,
          sha256: sha256Of(input.buffer),
        },
      })
    }
    counts.scopeDecisions = await applyScopeDecisions(trx, input, plan, written)
    if (input.uploadId) await deleteUpload(trx, input.organisationId, input.uploadId)
    return { outcome: 'imported', counts }
  })
}
