/**
 * Use cases for a school's people: the staff list, a person's page, adding and editing someone
 * (with optimistic locking on person.version), and invitations. Supervision and handovers are in
 * supervision.ts, the CSV import in import.ts.
 *
 * Every change writes its audit entry in the same transaction, with ids and field names only.
 */
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { employmentEnded } from '../../domain/access/accounts.ts'
import { emailChangeNeedsConfirmation } from '../../domain/access/email-changes.ts'
import type { Actor } from '../../domain/access/permissions.ts'
import { roleChangeProblem } from '../../domain/access/role-changes.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import { FlagName, type IsoDate, type Person, type PersonFlags } from '../../domain/people/person.ts'
import type { PersonFields } from '../../domain/people/person-rules.ts'
import { staffToCsv } from '../../domain/people/staff-csv/index.ts'
import { recordAudit } from '../audit.ts'
import { inviteInTransaction, invitePerson } from '../auth/accounts.ts'
import { afterEmailChanged, requestEmailChange, whatTheyHave, withdrawEmailChange } from '../auth/email-changes.ts'
import { revokeAndAudit } from '../auth/revoke.ts'
import { applyRecordRoleRule } from '../auth/role-grants.ts'
import { schoolDsls } from '../auth/school-dsls.ts'
import { type DbOrTrx, emailTaken, isUuid, type PersonRow, personColumns, personFromRow } from './repository.ts'
import { isSupervisionCandidate } from './supervision.ts'

export interface StaffScope {
  organisationId: string
  schoolId: string
}

export type InvitationStatus =
  | { status: 'not-invited' }
  | { status: 'invited'; invitedAt: Date; expired: boolean }
  | { status: 'account' }

function invitationStatus(hasPassword: boolean, invitedAt: Date | null, expiresAt: Date | null, now: Date) {
  if (hasPassword) return { status: 'account' } as const
  if (invitedAt) return { status: 'invited', invitedAt, expired: (expiresAt?.getTime() ?? 0) <= now.getTime() } as const
  return { status: 'not-invited' } as const
}

// ---------------------------------------------------------------------------------------------
// The staff list
// ---------------------------------------------------------------------------------------------

/** Filters by flag: the person's flags (as FlagName), plus having supervisor training recorded and working part time. */
export const staffFlagFilters = [...Object.values(FlagName), 'supervisor-trained', 'part-time', 'external'] as const
export type StaffFlagFilter = (typeof staffFlagFilters)[number]

const flagColumn = {
  'early-career': 'early_career',
  'in-probation': 'in_probation',
  'works-in-eyfs': 'works_in_eyfs',
  'pastoral-responsibilities': 'pastoral_responsibilities',
  'trained-dsl': 'trained_dsl',
  'additional-support': 'additional_support',
  'part-time': 'part_time',
} as const

export interface StaffListQuery {
  /** Part of a name or email address. */
  q: string
  role: string | null
  flag: StaffFlagFilter | null
  page: number
  pageSize: number
}

export interface StaffListItem {
  id: string
  name: string
  email: string
  jobTitle: string
  roles: string[]
  employmentType: string
  externalOrganisation: string | null
  endDate: IsoDate | null
  lineManager: { id: string; name: string } | null
  invitation: InvitationStatus
}

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** One page of a school's people, in name order, with the total that match. Never loads everyone. */
export async function listStaff(
  db: Db,
  scope: StaffScope,
  query: StaffListQuery,
  now = new Date(),
): Promise<{ total: number; people: StaffListItem[] }> {
  let base = db
    .selectFrom('person as p')
    .where('p.organisation_id', '=', scope.organisationId)
    .where('p.school_id', '=', scope.schoolId)
  const q = query.q.trim().toLowerCase()
  if (q !== '') {
    const pattern = likeContaining(q)
    base = base.where((eb) => eb.or([eb(eb.fn('lower', ['p.name']), 'like', pattern), eb('p.email', 'like', pattern)]))
  }
  if (query.role) base = base.where(sql<boolean>`p.roles @> array[${query.role}]::text[]`)
  if (query.flag === 'supervisor-trained') base = base.where('p.supervisor_trained_on', 'is not', null)
  else if (query.flag === 'external') base = base.where('p.employment_type', '=', 'external')
  else if (query.flag) base = base.where(`p.${flagColumn[query.flag]}`, '=', true)

  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .leftJoin('person as lm', 'lm.id', 'p.line_manager_id')
      .leftJoin('account as a', 'a.person_id', 'p.id')
      .select([
        'p.id',
        'p.name',
        'p.email',
        'p.job_title',
        'p.roles',
        'p.employment_type',
        'p.external_organisation',
        'p.end_date',
        'lm.id as line_manager_id',
        'lm.name as line_manager_name',
        'a.password_hash',
      ])
      .select((eb) => [
        eb
          .selectFrom('auth_token as t')
          .select((e) => e.fn.max('t.created_at').as('m'))
          .whereRef('t.person_id', '=', 'p.id')
          .where('t.kind', '=', 'invitation')
          .as('invited_at'),
        eb
          .selectFrom('auth_token as t')
          .select((e) => e.fn.max('t.expires_at').as('m'))
          .whereRef('t.person_id', '=', 'p.id')
          .where('t.kind', '=', 'invitation')
          .as('invitation_expires_at'),
      ])
      .orderBy('p.name')
      .orderBy('p.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
  ])
  return {
    total: Number(count.n),
    people: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      jobTitle: r.job_title,
      roles: r.roles,
      employmentType: r.employment_type,
      externalOrganisation: r.external_organisation,
      endDate: r.end_date,
      lineManager:
        r.line_manager_id && r.line_manager_name ? { id: r.line_manager_id, name: r.line_manager_name } : null,
      invitation: invitationStatus(
        r.password_hash !== null,
        (r.invited_at as Date | null) ?? null,
        (r.invitation_expires_at as Date | null) ?? null,
        now,
      ),
    })),
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

async function refsFor(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, PersonRef>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('school as s', 's.id', 'p.school_id')
    .select(['p.id', 'p.name', 'p.external_organisation', 'p.employment_type', 's.name as school_name'])
    .where('p.id', 'in', unique)
    .execute()
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        schoolName: r.school_name,
        externalOrganisation: r.employment_type === 'external' ? r.external_organisation : null,
      },
    ]),
  )
}

export async function getPersonRow(db: DbOrTrx, organisationId: string, personId: string): Promise<PersonRow | null> {
  if (!isUuid(personId)) return null
  const row = await db
    .selectFrom('person')
    .selectAll()
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row ?? null
}

export async function getPersonDetail(
  db: Db,
  organisationId: string,
  personId: string,
  now = new Date(),
): Promise<PersonDetail | null> {
  const row = await getPersonRow(db, organisationId, personId)
  if (!row) return null
  const [school, assignments, ownAssignments, lineReports, handovers, account, invitation] = await Promise.all([
    row.school_id
      ? db.selectFrom('school').select(['id', 'name', 'slug']).where('id', '=', row.school_id).executeTakeFirst()
      : undefined,
    db
      .selectFrom('supervision_assignment as sa')
      .leftJoin('handover as h', 'h.id', 'sa.handover_id')
      .select([
        'sa.kind',
        'sa.supervisor_id',
        'sa.starts_on',
        'sa.ends_on',
        'h.note',
        'h.from_person_id',
        'h.recorded_at',
      ])
      .where('sa.supervisee_id', '=', row.id)
      .orderBy('sa.starts_on', 'desc')
      .orderBy('sa.created_at', 'desc')
      .execute(),
    db
      .selectFrom('supervision_assignment')
      .select(['supervisee_id', 'kind', 'starts_on'])
      .where('supervisor_id', '=', row.id)
      .where('ends_on', 'is', null)
      .execute(),
    db.selectFrom('person').select(['id']).where('line_manager_id', '=', row.id).execute(),
    db
      .selectFrom('handover')
      .selectAll()
      .where((eb) => eb.or([eb('from_person_id', '=', row.id), eb('to_person_id', '=', row.id)]))
      .orderBy('recorded_at', 'desc')
      .limit(50)
      .execute(),
    db.selectFrom('account').select(['password_hash']).where('person_id', '=', row.id).executeTakeFirst(),
    db
      .selectFrom('auth_token')
      .select(['created_at', 'expires_at'])
      .where('person_id', '=', row.id)
      .where('kind', '=', 'invitation')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ])
  const currentSupervisor = assignments.find((a) => a.kind === 'supervisor' && a.ends_on === null)
  const currentLineManager = assignments.find((a) => a.kind === 'line-manager' && a.ends_on === null)
  const superviseeIds = new Map<string, { kind: 'line-manager' | 'supervisor'; since: IsoDate | null }[]>()
  for (const a of ownAssignments)
    if (a.kind === 'supervisor') superviseeIds.set(a.supervisee_id, [{ kind: 'supervisor', since: a.starts_on }])
  const lineSince = new Map(
    ownAssignments.filter((a) => a.kind === 'line-manager').map((a) => [a.supervisee_id, a.starts_on]),
  )
  for (const r of lineReports) {
    const list = superviseeIds.get(r.id) ?? []
    list.unshift({ kind: 'line-manager', since: lineSince.get(r.id) ?? null })
    superviseeIds.set(r.id, list)
  }
  const refs = await refsFor(db, [
    ...(row.line_manager_id ? [row.line_manager_id] : []),
    ...assignments.map((a) => a.supervisor_id),
    ...assignments.flatMap((a) => (a.from_person_id ? [a.from_person_id] : [])),
    ...superviseeIds.keys(),
    ...handovers.flatMap((h) => [h.from_person_id, h.to_person_id, ...(h.supervisee_id ? [h.supervisee_id] : [])]),
  ])
  const ref = (id: string): PersonRef =>
    refs.get(id) ?? { id, name: 'Unknown', schoolName: null, externalOrganisation: null }
  const supervisees = [...superviseeIds.entries()]
    .flatMap(([id, kinds]) => kinds.map((k) => ({ person: ref(id), ...k })))
    .sort((a, b) => a.person.name.localeCompare(b.person.name, 'en-GB') || a.kind.localeCompare(b.kind))
  return {
    person: personFromRow(row),
    version: row.version,
    organisationId: row.organisation_id,
    school: school ?? null,
    externalOrganisation: row.external_organisation,
    lineManager: row.line_manager_id
      ? {
          ...ref(row.line_manager_id),
          since: currentLineManager?.supervisor_id === row.line_manager_id ? currentLineManager.starts_on : null,
        }
      : null,
    supervisor: currentSupervisor
      ? { ...ref(currentSupervisor.supervisor_id), since: currentSupervisor.starts_on }
      : null,
    supervisees,
    history: assignments.map((a) => ({
      kind: a.kind,
      supervisor: ref(a.supervisor_id),
      startsOn: a.starts_on,
      endsOn: a.ends_on,
      handover:
        a.note !== null && a.from_person_id && a.recorded_at
          ? { note: a.note, fromName: ref(a.from_person_id).name, recordedAt: a.recorded_at }
          : null,
    })),
    handovers: handovers.map((h) => ({
      id: h.id,
      from: ref(h.from_person_id),
      to: ref(h.to_person_id),
      supervisee: h.supervisee_id ? ref(h.supervisee_id) : null,
      reason: h.reason,
      note: h.note,
      effectiveOn: h.effective_on,
      recordedAt: h.recorded_at,
    })),
    invitation: invitationStatus(
      !!account?.password_hash,
      invitation?.created_at ?? null,
      invitation?.expires_at ?? null,
      now,
    ),
    updatedAt: row.updated_at,
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

function isUniqueViolation(error: unknown): boolean {
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
  const roleProblem = roleChangeProblem(input.actor, null, [], fields.roles)
  if (roleProblem) return { ok: false, kind: 'field', field: 'roles', message: roleProblem }
  try {
    return await db.transaction().execute(async (trx) => {
      if (await emailTaken(trx, scope.organisationId, fields.email, null))
        return { ok: false, kind: 'field', field: 'email', message: emailInUseMessage } as const
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
        return {
          ok: false,
          kind: 'field',
          field: 'lineManagerId',
          message: 'Select a line manager from the list',
        } as const
      const dsls = await schoolDsls(trx, scope, input.today)
      const { id } = await trx
        .insertInto('person')
        .values({
          organisation_id: scope.organisationId,
          school_id: scope.schoolId,
          ...personColumns({ ...fields, flags: { ...fields.flags } }),
          external_organisation: fields.employmentType === 'external' ? input.externalOrganisation : null,
          line_manager_id: fields.lineManagerId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      // A record-opening role may have to wait for a DSL's approval (ADR 0011).
      const roles = await applyRecordRoleRule(
        trx,
        { ...scope, personId: id, personName: fields.name, before: [], after: fields.roles },
        { actorId: input.actor.personId, dsls },
      )
      if (roles.length !== fields.roles.length)
        await trx.updateTable('person').set({ roles }).where('id', '=', id).execute()
      if (fields.lineManagerId !== null)
        await trx
          .insertInto('supervision_assignment')
          .values({
            organisation_id: scope.organisationId,
            supervisee_id: id,
            supervisor_id: fields.lineManagerId,
            kind: 'line-manager',
            starts_on: input.today,
          })
          .execute()
      await recordAudit(trx, {
        action: 'staff.person-created',
        subjectType: 'person',
        subjectId: id,
        actorId: input.actor.personId,
        organisationId: scope.organisationId,
        schoolId: scope.schoolId,
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
  if (before.supervisorTrainedOn !== after.supervisorTrainedOn) changed.push('supervisorTrainedOn')
  return changed
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
export async function superviseeCount(db: DbOrTrx, personId: string): Promise<number> {
  const row = await db
    .selectFrom('person as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb('p.line_manager_id', '=', personId),
        eb.exists(
          eb
            .selectFrom('supervision_assignment as sa')
            .select('sa.id')
            .whereRef('sa.supervisee_id', '=', 'p.id')
            .where('sa.supervisor_id', '=', personId)
            .where('sa.ends_on', 'is', null),
        ),
      ]),
    )
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Saves an edit, only if nobody else saved since the form was opened (person.version). Line
 * management is not changed here: that needs a handover (supervision.ts).
 */
export async function updatePerson(db: Db, input: UpdatePersonInput): Promise<SavePersonResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('person')
        .selectAll()
        .where('id', '=', input.personId)
        .where('organisation_id', '=', input.organisationId)
        .forUpdate()
        .executeTakeFirst()
      if (!row) return { ok: false, kind: 'not-found' } as const
      if (row.version !== input.version) return { ok: false, kind: 'conflict' } as const
      const before = personFromRow(row)
      const flags = {
        ...input.fields.flags,
        additionalSupport: input.mayChangeAdditionalSupport
          ? input.fields.flags.additionalSupport
          : before.flags.additionalSupport,
      }
      const after = { ...input.fields, flags }
      const externalAfter = after.employmentType === 'external' ? input.externalOrganisation : null
      const changed = changedFieldsOf(before, after, row.external_organisation, externalAfter)
      if (changed.length === 0) return { ok: true, id: row.id } as const
      if (changed.includes('roles')) {
        const problem = roleChangeProblem(input.actor, row.id, before.roles, after.roles)
        if (problem) return { ok: false, kind: 'field', field: 'roles', message: problem } as const
      }
      if (changed.includes('email') && (await emailTaken(trx, input.organisationId, after.email, row.id)))
        return { ok: false, kind: 'field', field: 'email', message: emailInUseMessage } as const
      if (changed.includes('endDate') && after.endDate !== null) {
        const count = await superviseeCount(trx, row.id)
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
      const scope = { organisationId: input.organisationId, schoolId: row.school_id }
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
        await trx
          .updateTable('person')
          .set({
            ...personColumns({ ...after, roles, email: emailWaits ? before.email : after.email }),
            external_organisation: externalAfter,
            version: sql`version + 1`,
            updated_at: sql`now()`,
          })
          .where('id', '=', row.id)
          .where('version', '=', input.version)
          .execute()
        await recordAudit(trx, {
          action: 'staff.person-updated',
          subjectType: 'person',
          subjectId: row.id,
          actorId: input.actor.personId,
          organisationId: input.organisationId,
          schoolId: row.school_id,
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
        const invitation = await trx
          .selectFrom('auth_token')
          .select('person_id')
          .where('person_id', '=', row.id)
          .where('kind', '=', 'invitation')
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst()
        await withdrawEmailChange(trx, row.id, input.actor.personId, now)
        // Nothing issued to the old address or opened with it still works; the old address is told.
        await afterEmailChanged(
          trx,
          { id: row.id, name: after.name, organisationId: input.organisationId, schoolId: row.school_id },
          { oldEmail: before.email, newEmail: after.email, actorId: input.actor.personId },
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
  const row = await getPersonRow(db, input.organisationId, input.personId)
  if (!row) return { ok: false, reason: 'not-found' }
  if (employmentEnded(row.end_date, input.today)) return { ok: false, reason: 'left' }
  const account = await db
    .selectFrom('account')
    .select('password_hash')
    .where('person_id', '=', row.id)
    .executeTakeFirst()
  if (account?.password_hash) return { ok: false, reason: 'has-account' }
  await invitePerson(db, { personId: row.id, invitedBy: input.actorId, baseUrl: input.baseUrl })
  return { ok: true }
}

/** People of the school still working there who have no account and have never been invited. */
function notInvitedQuery(db: Db, scope: StaffScope, today: IsoDate) {
  return db
    .selectFrom('person as p')
    .where('p.organisation_id', '=', scope.organisationId)
    .where('p.school_id', '=', scope.schoolId)
    .where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>', today)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('account as a')
            .select('a.person_id')
            .whereRef('a.person_id', '=', 'p.id')
            .where('a.password_hash', 'is not', null),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('auth_token as t')
            .select('t.person_id')
            .whereRef('t.person_id', '=', 'p.id')
            .where('t.kind', '=', 'invitation'),
        ),
      ),
    )
}

export async function countNotInvited(db: Db, scope: StaffScope, today: IsoDate): Promise<number> {
  const row = await notInvitedQuery(db, scope, today)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Invites everyone of the school who has not been invited, one transaction each; returns how many. */
export async function inviteEveryoneNotInvited(
  db: Db,
  input: { scope: StaffScope; actorId: string; baseUrl: string; today: IsoDate },
): Promise<number> {
  let invited = 0
  for (;;) {
    const batch = await notInvitedQuery(db, input.scope, input.today)
      .select('p.id')
      .orderBy('p.id')
      .limit(200)
      .execute()
    if (batch.length === 0) return invited
    for (const { id } of batch) {
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
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('person as lm', 'lm.id', 'p.line_manager_id')
    .selectAll('p')
    .select('lm.email as line_manager_email')
    .where('p.organisation_id', '=', scope.organisationId)
    .where('p.school_id', '=', scope.schoolId)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
  const managerEmail = new Map(rows.map((r) => [r.id, r.line_manager_email]))
  const csv = staffToCsv(
    rows.map((r) => personFromRow(r)),
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
