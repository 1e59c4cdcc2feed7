/**
 * Use cases for a school's people: the staff list, a person's page, adding and editing someone
 * (with optimistic locking on person.version), and invitations. Supervision and handovers are in
 * supervision.ts, the CSV import in import.ts.
 *
 * Every change writes its audit entry in the same transaction, with ids and field names only.
 */
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { Db } from '../../db/database.ts'
import type { DbOrTrx } from '../../db/repositories/connection.ts'
import { schoolRef } from '../../db/repositories/schools.ts'
import {
  assignmentsOf,
  countNotInvited as countNotInvitedIn,
  currentAssignmentsBy,
  currentSupervisorsOfSchool,
  emailTaken,
  findPerson,
  handoversOf,
  hasOpenInvitation,
  hasPassword,
  insertAssignments,
  insertPerson,
  latestInvitation,
  lineReportIds,
  notInvitedIds,
  type PersonScope,
  peopleForExport,
  personRefs,
  type StaffPageQuery,
  type StaffPageRow,
  type StaffScope,
  type StoredPerson,
  setRoles,
  staffPage,
  superviseeCount as superviseeCountIn,
  updatePersonFields,
} from '../../db/repositories/staff/index.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { emailChangeNeedsConfirmation } from '../../domain/access/email-changes.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { roleChangeProblem } from '../../domain/access/role-changes.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import { isUuid } from '../../domain/ids.ts'
import { peopleOfStanding, type StaffStatusFilter } from '../../domain/lists/staff-list.ts'
import { type FlagDates, FlagName, type IsoDate, type Person, type PersonFlags } from '../../domain/people/person.ts'
import type { PersonFields } from '../../domain/people/person-rules.ts'
import { staffToCsv } from '../../domain/people/staff-csv/index.ts'
import { recordAudit } from '../audit.ts'
import { inviteInTransaction, invitePerson } from '../auth/accounts.ts'
import { afterEmailChanged, requestEmailChange, whatTheyHave, withdrawEmailChange } from '../auth/email-changes.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { applyRecordRoleRule } from '../auth/role-grants.ts'
import { schoolDsls } from '../auth/school-dsls.ts'
import { type OverviewSchool, overviewWithLists } from '../overview/overview.ts'
import { isSupervisionCandidate } from './supervision.ts'

export type { PersonScope, StaffScope, StoredPerson }

export type InvitationStatus =
  | { status: 'not-invited' }
  | { status: 'invited'; invitedAt: Date; expired: boolean }
  | { status: 'account' }

function invitationStatus(hasPassword: boolean, invitedAt: Date | null, expiresAt: Date | null, now: Date) {
  if (hasPassword) return { status: 'account' } as const
  if (invitedAt) return { status: 'invited', invitedAt, expired: (expiresAt?.getTime() ?? 0) <= now.getTime() } as const
  return { status: 'not-invited' } as const
}

/** The page's rows with where each person's invitation stands, in place of its raw columns. */
function withInvitations(rows: readonly StaffPageRow[], now: Date): StaffListItem[] {
  return rows.map(({ hasPassword, invitedAt, invitationExpiresAt, ...person }) => ({
    ...person,
    invitation: invitationStatus(hasPassword, invitedAt, invitationExpiresAt, now),
  }))
}

/** Issue 14: one page of the trust's own people who are not employees (no school of their own), by name. */
export async function listTrustOthers(
  db: Db,
  organisationId: string,
  page: { page: number; pageSize: number },
  now: Date,
): Promise<{ total: number; people: StaffListItem[] }> {
  const result = await staffPage(
    db,
    { organisationId, schoolId: null },
    { q: '', role: null, flag: null, ...page, people: 'not-staff' },
  )
  return {
    total: result.total,
    people: withInvitations(result.people, now),
  }
}

// ---------------------------------------------------------------------------------------------
// The staff list
// ---------------------------------------------------------------------------------------------

/** Filters by flag: the person's flags (as FlagName), plus having supervisor training recorded and working part time. */
export const staffFlagFilters = [...Object.values(FlagName), 'supervisor-trained', 'part-time', 'external'] as const
export type StaffFlagFilter = (typeof staffFlagFilters)[number]

export type StaffListQuery = Omit<StaffPageQuery, 'flag'> & { flag: StaffFlagFilter | null }

export type StaffListItem = Omit<StaffPageRow, 'hasPassword' | 'invitedAt' | 'invitationExpiresAt'> & {
  invitation: InvitationStatus
}

/**
 * One page of a school's people, sorted and filtered, with the total that match. Never loads
 * everyone. Issue 16: a standing against the policy (in scope, overdue...) is read from the
 * school's overview; the current supervisors are the choices of the supervisor filter.
 */
export async function listStaff(
  db: Db,
  school: OverviewSchool,
  query: StaffListQuery & { standing?: StaffStatusFilter | null },
  now = new Date(),
): Promise<{ total: number; people: StaffListItem[]; supervisors: { id: string; name: string }[] }> {
  const today = londonDateOf(now)
  const scope = { organisationId: school.organisationId, schoolId: school.id }
  const only = query.standing
    ? peopleOfStanding((await overviewWithLists(db, school, today)).lists.people, query.standing)
    : null
  const [result, supervisors] = await Promise.all([
    staffPage(db, scope, { ...query, today, only }),
    currentSupervisorsOfSchool(db, scope),
  ])
  return {
    total: result.total,
    supervisors,
    people: withInvitations(result.people, now),
  }
}

// ---------------------------------------------------------------------------------------------
// A person's page
// ---------------------------------------------------------------------------------------------

export interface PersonRef {
  id: string
  name: string
  schoolName: string | null
  externalOrganisation: string | null
}

export interface SupervisionHistoryEntry {
  kind: 'line-manager' | 'supervisor'
  supervisor: PersonRef
  startsOn: IsoDate
  endsOn: IsoDate | null
  handover: { note: string; fromName: string; recordedAt: Date } | null
}

export interface PersonDetail {
  person: Person
  version: number
  organisationId: string
  school: { id: string; name: string; slug: string } | null
  externalOrganisation: string | null
  lineManager: (PersonRef & { since: IsoDate | null }) | null
  supervisor: (PersonRef & { since: IsoDate }) | null
  /** People they supervise or line-manage now. */
  supervisees: { person: PersonRef; kind: 'line-manager' | 'supervisor'; since: IsoDate | null }[]
  history: SupervisionHistoryEntry[]
  /** Handovers they gave or received. */
  handovers: {
    id: string
    from: PersonRef
    to: PersonRef
    supervisee: PersonRef | null
    reason: string
    note: string
    effectiveOn: IsoDate
    recordedAt: Date
  }[]
  invitation: InvitationStatus
  updatedAt: Date
}

async function refsFor(db: DbOrTrx, organisationId: string, ids: readonly string[]): Promise<Map<string, PersonRef>> {
  const rows = await personRefs(db, organisationId, ids)
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        schoolName: r.schoolName,
        externalOrganisation: r.employmentType === 'external' ? r.externalOrganisation : null,
      },
    ]),
  )
}

/** Someone of the organisation as stored, or null (also for anything that is not a person's id). */
export async function getStoredPerson(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<StoredPerson | null> {
  if (!isUuid(personId)) return null
  return findPerson(db, organisationId, personId)
}

export async function getPersonDetail(
  db: Db,
  organisationId: string,
  personId: string,
  now = new Date(),
): Promise<PersonDetail | null> {
  const stored = await getStoredPerson(db, organisationId, personId)
  if (!stored) return null
  const row = stored.person
  const [school, assignments, ownAssignments, lineReports, handovers, account, invitation] = await Promise.all([
    row.schoolId ? schoolRef(db, organisationId, row.schoolId) : null,
    assignmentsOf(db, organisationId, row.id),
    currentAssignmentsBy(db, organisationId, row.id),
    lineReportIds(db, organisationId, row.id),
    handoversOf(db, organisationId, row.id, 50),
    hasPassword(db, organisationId, row.id),
    latestInvitation(db, organisationId, row.id),
  ])
  const currentSupervisor = assignments.find((a) => a.kind === 'supervisor' && a.endsOn === null)
  const currentLineManager = assignments.find((a) => a.kind === 'line-manager' && a.endsOn === null)
  const superviseeIds = new Map<string, { kind: 'line-manager' | 'supervisor'; since: IsoDate | null }[]>()
  for (const a of ownAssignments)
    if (a.kind === 'supervisor') superviseeIds.set(a.superviseeId, [{ kind: 'supervisor', since: a.startsOn }])
  const lineSince = new Map(
    ownAssignments.filter((a) => a.kind === 'line-manager').map((a) => [a.superviseeId, a.startsOn]),
  )
  for (const id of lineReports) {
    const list = superviseeIds.get(id) ?? []
    list.unshift({ kind: 'line-manager', since: lineSince.get(id) ?? null })
    superviseeIds.set(id, list)
  }
  const refs = await refsFor(db, organisationId, [
    ...(row.lineManagerId ? [row.lineManagerId] : []),
    ...assignments.map((a) => a.supervisorId),
    ...assignments.flatMap((a) => (a.handover ? [a.handover.fromPersonId] : [])),
    ...superviseeIds.keys(),
    ...handovers.flatMap((h) => [h.fromPersonId, h.toPersonId, ...(h.superviseeId ? [h.superviseeId] : [])]),
  ])
  const ref = (id: string): PersonRef =>
    refs.get(id) ?? { id, name: 'Unknown', schoolName: null, externalOrganisation: null }
  const supervisees = [...superviseeIds.entries()]
    .flatMap(([id, kinds]) => kinds.map((k) => ({ person: ref(id), ...k })))
    .sort((a, b) => a.person.name.localeCompare(b.person.name, 'en-GB') || a.kind.localeCompare(b.kind))
  return {
    person: row,
    version: stored.version,
    organisationId: stored.organisationId,
    school,
    externalOrganisation: stored.externalOrganisation,
    lineManager: row.lineManagerId
      ? {
          ...ref(row.lineManagerId),
          since: currentLineManager?.supervisorId === row.lineManagerId ? currentLineManager.startsOn : null,
        }
      : null,
    supervisor: currentSupervisor
      ? { ...ref(currentSupervisor.supervisorId), since: currentSupervisor.startsOn }
      : null,
    supervisees,
    history: assignments.map((a) => ({
      kind: a.kind,
      supervisor: ref(a.supervisorId),
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      handover: a.handover
        ? { note: a.handover.note, fromName: ref(a.handover.fromPersonId).name, recordedAt: a.handover.recordedAt }
        : null,
    })),
    handovers: handovers.map((h) => ({
      id: h.id,
      from: ref(h.fromPersonId),
      to: ref(h.toPersonId),
      supervisee: h.superviseeId ? ref(h.superviseeId) : null,
      reason: h.reason,
      note: h.note,
      effectiveOn: h.effectiveOn,
      recordedAt: h.recordedAt,
    })),
    invitation: invitationStatus(account, invitation?.createdAt ?? null, invitation?.expiresAt ?? null, now),
    updatedAt: stored.updatedAt,
  }
}

// ---------------------------------------------------------------------------------------------
// Adding and editing someone
// ---------------------------------------------------------------------------------------------

export type SavePersonResult =
  /** `emailWaiting`: the new email address waits for confirmation (ADR 0011); everything else is saved. */
  | { ok: true; id: string; emailWaiting?: boolean }
  | { ok: false; kind: 'field'; field: string; message: string }
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'not-found' }

export const emailInUseMessage = 'Someone with this email address is already in Haven'

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505'
}

export interface NewPersonInput {
  scope: StaffScope
  fields: PersonFields
  externalOrganisation: string | null
  actor: Actor
  today: IsoDate
}

/** Adds someone to the school; their line manager (if any) starts today. */
export async function createPerson(db: Db, input: NewPersonInput): Promise<SavePersonResult> {
  const { scope, fields } = input
  return addPersonInTransaction(
    db,
    { scope, actor: input.actor, today: input.today, name: fields.name, email: fields.email, roles: fields.roles },
    { action: 'staff.person-created' },
    async (trx) => {
      if (
        fields.lineManagerId !== null &&
        !(await isSupervisionCandidate(trx, {
          organisationId: scope.organisationId,
          schoolId: scope.schoolId,
          kind: 'line-manager',
          candidateId: fields.lineManagerId,
          today: input.today,
        }))
      )
        return { field: 'lineManagerId', message: 'Select a line manager from the list' }
      const id = await insertPerson(trx, scope, {
        ...fields,
        flags: { ...fields.flags },
        externalOrganisation: fields.employmentType === 'external' ? input.externalOrganisation : null,
      })
      if (fields.lineManagerId !== null)
        await insertAssignments(trx, scope.organisationId, [
          { superviseeId: id, supervisorId: fields.lineManagerId, kind: 'line-manager', startsOn: input.today },
        ])
      return id
    },
  )
}

/**
 * Adds someone, staff or not (issue 14), in one transaction: the roles must be ones the actor may
 * give, the email address free in the organisation; `insert` writes the row and what hangs off it
 * (or finds a problem with a field); a record-opening role waits for a DSL's approval (ADR 0011);
 * an audit entry is kept.
 */
export async function addPersonInTransaction(
  db: Db,
  input: { scope: PersonScope; actor: Actor; today: IsoDate; name: string; email: string; roles: readonly string[] },
  audit: { action: string; detail?: Record<string, unknown> },
  insert: (trx: DbOrTrx) => Promise<string | { field: string; message: string }>,
): Promise<SavePersonResult> {
  const { scope } = input
  const roleProblem = roleChangeProblem(input.actor, null, [], [...input.roles])
  if (roleProblem) return { ok: false, kind: 'field', field: 'roles', message: roleProblem }
  try {
    return await db.transaction().execute(async (trx) => {
      if (await emailTaken(trx, scope.organisationId, input.email, null))
        return { ok: false, kind: 'field', field: 'email', message: emailInUseMessage } as const
      // The school's DSLs before this person is added: a first DSL added where there is none is
      // granted at once (ADR 0011), not made to wait for their own approval.
      const dsls = await schoolDsls(trx, scope, input.today)
      const inserted = await insert(trx)
      if (typeof inserted !== 'string') return { ok: false, kind: 'field', ...inserted } as const
      const id = inserted
      const roles = await applyRecordRoleRule(
        trx,
        { ...scope, personId: id, personName: input.name, before: [], after: [...input.roles] },
        { actorId: input.actor.personId, dsls },
      )
      if (roles.length !== input.roles.length) await setRoles(trx, scope.organisationId, id, roles)
      await recordAudit(trx, {
        action: audit.action,
        subjectType: 'person',
        subjectId: id,
        actorId: input.actor.personId,
        organisationId: scope.organisationId,
        schoolId: scope.schoolId,
        ...(audit.detail ? { detail: audit.detail } : {}),
      })
      return { ok: true, id } as const
    })
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, kind: 'field', field: 'email', message: emailInUseMessage }
    throw error
  }
}

/** The editable fields (not line management, which changes with a handover), by name. */
function changedFieldsOf(
  before: Person,
  after: Omit<Person, 'id' | 'schoolId' | 'lineManagerId'>,
  externalBefore: string | null,
  externalAfter: string | null,
): string[] {
  const changed: string[] = []
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  const sameSet = (a: readonly unknown[], b: readonly unknown[]) => same([...a].sort(), [...b].sort())
  if (before.name !== after.name) changed.push('name')
  if (before.email !== after.email) changed.push('email')
  if (before.jobTitle !== after.jobTitle) changed.push('jobTitle')
  if (!sameSet(before.roles, after.roles)) changed.push('roles')
  if (before.employmentType !== after.employmentType) changed.push('employmentType')
  if (externalBefore !== externalAfter) changed.push('externalOrganisation')
  if (before.partTime !== after.partTime) changed.push('partTime')
  if (!sameSet(before.workingDays, after.workingDays)) changed.push('workingDays')
  if (before.startDate !== after.startDate) changed.push('startDate')
  if (before.endDate !== after.endDate) changed.push('endDate')
  for (const key of Object.keys(before.flags) as (keyof PersonFlags)[])
    if (before.flags[key] !== after.flags[key]) changed.push(`flags.${key}`)
  for (const key of Object.keys(before.flags) as (keyof PersonFlags)[])
    if (!same(before.flagDates?.[key] ?? null, after.flagDates?.[key] ?? null)) changed.push(`flagDates.${key}`)
  if (before.supervisorTrainedOn !== after.supervisorTrainedOn) changed.push('supervisorTrainedOn')
  return changed
}

/** `dates` with the additional-support dates taken from `source` (the stored ones, when the editor may not see them). */
function withAdditionalSupportDates(dates: FlagDates, source: FlagDates | undefined): FlagDates {
  const { additionalSupport: _ignored, ...rest } = dates
  const kept = source?.additionalSupport
  return kept ? { ...rest, additionalSupport: kept } : rest
}

export interface UpdatePersonInput {
  organisationId: string
  personId: string
  /** The version the form was opened at: a save over someone else's change is refused. */
  version: number
  fields: PersonFields
  externalOrganisation: string | null
  /** False when the editor may not see "needs additional support": the stored value is kept. */
  mayChangeAdditionalSupport: boolean
  actor: Actor
  /** For the links in emails (a confirmation link, an invitation sent again). */
  baseUrl: string
}

/** How many people someone supervises or line-manages now. */
export async function superviseeCount(db: DbOrTrx, personId: string, organisationId: string): Promise<number> {
  return superviseeCountIn(db, organisationId, personId)
}

/**
 * Saves an edit, only if nobody else saved since the form was opened (person.version). Line
 * management is not changed here: that needs a handover (supervision.ts).
 */
export async function updatePerson(db: Db, input: UpdatePersonInput): Promise<SavePersonResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const stored = isUuid(input.personId)
        ? await findPerson(trx, input.organisationId, input.personId, { forUpdate: true })
        : null
      if (!stored) return { ok: false, kind: 'not-found' } as const
      if (stored.version !== input.version) return { ok: false, kind: 'conflict' } as const
      const before = stored.person
      const row = { id: before.id, schoolId: before.schoolId }
      const flags = {
        ...input.fields.flags,
        additionalSupport: input.mayChangeAdditionalSupport
          ? input.fields.flags.additionalSupport
          : before.flags.additionalSupport,
      }
      const flagDates = withAdditionalSupportDates(
        input.fields.flagDates ?? {},
        input.mayChangeAdditionalSupport ? input.fields.flagDates : before.flagDates,
      )
      const after = { ...input.fields, flags, flagDates }
      const externalAfter = after.employmentType === 'external' ? input.externalOrganisation : null
      const changed = changedFieldsOf(before, after, stored.externalOrganisation, externalAfter)
      if (changed.length === 0) return { ok: true, id: row.id } as const
      if (changed.includes('roles')) {
        const problem = roleChangeProblem(input.actor, row.id, before.roles, after.roles)
        if (problem) return { ok: false, kind: 'field', field: 'roles', message: problem } as const
      }
      if (changed.includes('email') && (await emailTaken(trx, input.organisationId, after.email, row.id)))
        return { ok: false, kind: 'field', field: 'email', message: emailInUseMessage } as const
      if (changed.includes('endDate') && after.endDate !== null) {
        const count = await superviseeCountIn(trx, input.organisationId, row.id)
        if (count > 0)
          return {
            ok: false,
            kind: 'field',
            field: 'endDate',
            message: `${before.name} supervises or line-manages ${count === 1 ? '1 person' : `${count} people`}. Use “End employment” to choose who takes them on`,
          } as const
      }
      const now = new Date()
      const today = londonDateOf(now)
      const scope = { organisationId: input.organisationId, schoolId: row.schoolId }
      // A new address for someone with something to protect waits for confirmation (ADR 0011).
      const emailWaits =
        changed.includes('email') &&
        emailChangeNeedsConfirmation({
          actorId: input.actor.personId,
          personId: row.id,
          ...(await whatTheyHave(trx, row.id)),
        })
      const dsls = changed.includes('roles') || emailWaits ? await schoolDsls(trx, scope, today) : []
      const roles = changed.includes('roles')
        ? await applyRecordRoleRule(
            trx,
            { ...scope, personId: row.id, personName: after.name, before: before.roles, after: after.roles },
            { actorId: input.actor.personId, dsls },
          )
        : after.roles
      const saved = emailWaits ? changed.filter((f) => f !== 'email') : changed
      if (saved.length > 0) {
        await updatePersonFields(trx, input.organisationId, row.id, input.version, {
          ...after,
          roles,
          email: emailWaits ? before.email : after.email,
          externalOrganisation: externalAfter,
        })
        await recordAudit(trx, {
          action: 'staff.person-updated',
          subjectType: 'person',
          subjectId: row.id,
          actorId: input.actor.personId,
          organisationId: input.organisationId,
          schoolId: row.schoolId,
          detail: { changedFields: saved, version: input.version + 1 },
        })
      }
      const who = { ...scope, personId: row.id, actorId: input.actor.personId }
      if (emailWaits)
        await requestEmailChange(
          trx,
          {
            ...who,
            personName: after.name,
            oldEmail: before.email,
            newEmail: after.email,
            dsls,
            baseUrl: input.baseUrl,
          },
          now,
        )
      else if (changed.includes('email')) {
        const invitation = await hasOpenInvitation(trx, input.organisationId, row.id, now)
        await withdrawEmailChange(trx, row.id, input.actor.personId, now)
        // Nothing issued to the old address or opened with it still works; the old address is told.
        await afterEmailChanged(
          trx,
          { id: row.id, name: after.name, organisationId: input.organisationId, schoolId: row.schoolId },
          { oldEmail: before.email, newEmail: after.email, actorId: input.actor.personId, baseUrl: input.baseUrl },
          now,
        )
        // An address corrected before the invitation was used: the invitation goes to the new one.
        if (invitation && !employmentEnded(after.endDate, today))
          await inviteInTransaction(
            trx,
            { personId: row.id, invitedBy: input.actor.personId, baseUrl: input.baseUrl },
            now,
          )
      }
      if (
        changed.includes('endDate') &&
        employmentEnded(after.endDate, today) &&
        !employmentEnded(before.endDate, today)
      )
        await revokeAndAudit(trx, { ...who, reason: 'left' }, now)
      return { ok: true, id: row.id, emailWaiting: emailWaits } as const
    })
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, kind: 'field', field: 'email', message: emailInUseMessage }
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Invitations
// ---------------------------------------------------------------------------------------------

export type InviteResult = { ok: true } | { ok: false; reason: 'not-found' | 'has-account' | 'left' }

export async function inviteOne(
  db: Db,
  input: { organisationId: string; personId: string; actorId: string; baseUrl: string; today: IsoDate },
): Promise<InviteResult> {
  const row = (await getStoredPerson(db, input.organisationId, input.personId))?.person
  if (!row) return { ok: false, reason: 'not-found' }
  if (employmentEnded(row.endDate, input.today)) return { ok: false, reason: 'left' }
  if (await hasPassword(db, input.organisationId, row.id)) return { ok: false, reason: 'has-account' }
  await invitePerson(db, { personId: row.id, invitedBy: input.actorId, baseUrl: input.baseUrl })
  return { ok: true }
}

/** People of the school still working there who have no account and have never been invited. */
export async function countNotInvited(db: Db, scope: StaffScope, today: IsoDate): Promise<number> {
  return countNotInvitedIn(db, scope, today)
}

/** Invites everyone of the school who has not been invited, one transaction each; returns how many. */
export async function inviteEveryoneNotInvited(
  db: Db,
  input: { scope: StaffScope; actorId: string; baseUrl: string; today: IsoDate },
): Promise<number> {
  let invited = 0
  for (;;) {
    const batch = await notInvitedIds(db, input.scope, input.today, 200)
    if (batch.length === 0) return invited
    for (const id of batch) {
      await invitePerson(db, { personId: id, invitedBy: input.actorId, baseUrl: input.baseUrl })
      invited++
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** Removes one column (by heading) from a CSV written by `staffToCsv`, keeping its BOM and line endings. */
function withoutColumn(csv: string, heading: string): string {
  const records: string[][] = parse(csv, { bom: true, relax_column_count: true })
  const index = records[0]?.indexOf(heading) ?? -1
  if (index < 0) return csv
  const kept = records.map((record) => record.filter((_, i) => i !== index))
  return `\uFEFF${stringify(kept, { record_delimiter: '\r\n' })}`
}

/**
 * The school's people as a CSV in Haven's documented columns (re-importing it changes nothing).
 * Without `includeAdditionalSupport` the sensitive column is left out, so a re-import leaves it alone.
 */
export async function exportStaffCsv(
  db: Db,
  scope: StaffScope,
  options: { includeAdditionalSupport: boolean; actorId: string },
): Promise<{ csv: string; count: number }> {
  const rows = await peopleForExport(db, scope)
  const managerEmail = new Map(rows.map((r) => [r.person.id, r.lineManagerEmail]))
  const csv = staffToCsv(
    rows.map((r) => r.person),
    (person) => managerEmail.get(person.id),
  )
  await recordAudit(db, {
    action: 'staff.export',
    subjectType: 'school',
    subjectId: scope.schoolId,
    actorId: options.actorId,
    organisationId: scope.organisationId,
    schoolId: scope.schoolId,
    detail: { count: rows.length, additionalSupport: options.includeAdditionalSupport },
  })
  return {
    csv: options.includeAdditionalSupport ? csv : withoutColumn(csv, 'Additional support'),
    count: rows.length,
  }
}
