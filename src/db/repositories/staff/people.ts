/**
 * People as stored: the staff list, a person and what hangs off them (their account, invitations,
 * handovers), adding and changing someone, and the export. Everything is scoped by the
 * organisation (people of a trust are reached across its schools) and, for a school's lists, the
 * school.
 */
import { sql } from 'kysely'
import type { SortDirection } from '../../../domain/lists/list-query.ts'
import type { StaffListSort } from '../../../domain/lists/staff-list.ts'
import {
  type Capability,
  FlagName,
  type IsoDate,
  type Person,
  type PersonFlags,
  type PersonKind,
} from '../../../domain/people/person.ts'
import type { DbOrTrx } from '../connection.ts'
import { direction } from '../paging.ts'
import { type PersonFieldValues, personColumns, personFromRow, type StoredPerson, storedPersonFromRow } from './rows.ts'

export interface StaffScope {
  organisationId: string
  schoolId: string
}

/** Issue 14: a school's people, or (`schoolId` null) the trust's own, who belong to no one academy. */
export interface PersonScope {
  organisationId: string
  schoolId: string | null
}

/** Everyone whose school is `schoolId`, as domain people, in name order. */
export async function peopleOfSchool(
  db: DbOrTrx,
  schoolId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Person[]> {
  let query = db.selectFrom('person').selectAll().where('school_id', '=', schoolId).orderBy('name').orderBy('id')
  if (options.forUpdate) query = query.forUpdate()
  return (await query.execute()).map(personFromRow)
}

/** Someone of the organisation, or null (also for anything that is not a person's id). */
export async function findPerson(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPerson | null> {
  let query = db
    .selectFrom('person')
    .selectAll()
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? storedPersonFromRow(row) : null
}

/** Whether someone else in the organisation (not `exceptId`) has this email address. */
export async function emailTaken(db: DbOrTrx, organisationId: string, email: string, exceptId: string | null) {
  let query = db
    .selectFrom('person')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('email', '=', email)
  if (exceptId) query = query.where('id', '<>', exceptId)
  return (await query.executeTakeFirst()) !== undefined
}

/** Which of these email addresses someone of the organisation already has. */
export async function emailsInUse(
  db: DbOrTrx,
  organisationId: string,
  emails: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < emails.length; i += 500) {
    const batch = emails.slice(i, i + 500)
    const rows = await db
      .selectFrom('person')
      .select('email')
      .where('organisation_id', '=', organisationId)
      .where('email', 'in', batch)
      .execute()
    for (const r of rows) found.add(r.email)
  }
  return found
}

// ---------------------------------------------------------------------------------------------
// The staff list
// ---------------------------------------------------------------------------------------------

/** Filters by flag: a flag of the person, supervisor training recorded, part time, external. */
export type StaffListFlag =
  | 'early-career'
  | 'in-probation'
  | 'works-in-eyfs'
  | 'pastoral-responsibilities'
  | 'trained-dsl'
  | 'additional-support'
  | 'supervisor-trained'
  | 'part-time'
  | 'external'

const flagColumn = {
  'early-career': 'early_career',
  'in-probation': 'in_probation',
  'works-in-eyfs': 'works_in_eyfs',
  'pastoral-responsibilities': 'pastoral_responsibilities',
  'trained-dsl': 'trained_dsl',
  'additional-support': 'additional_support',
  'part-time': 'part_time',
} as const

export interface StaffPageQuery {
  /** Part of a name or email address. */
  q: string
  role: string | null
  flag: StaffListFlag | null
  page: number
  pageSize: number
  /** When given, a person's flag counts only on the days it holds (issue 14: flags with their own dates). */
  today?: IsoDate
  /** Issue 14: the staff list (the default), or the people who are not employees. */
  people?: 'staff' | 'not-staff'
  /** Issue 16: only those whose current supervisor this is. */
  supervisor?: string | null
  /** Issue 16: only these people (`keep`), or everyone but them (a standing against the policy). */
  only?: { ids: readonly string[]; keep: boolean } | null
  /** Issue 16: the column sorted by (name when not given), then the name and the id. */
  sort?: StaffListSort
  direction?: SortDirection
}

export interface StaffPageRow {
  id: string
  name: string
  email: string
  jobTitle: string
  roles: string[]
  employmentType: string
  externalOrganisation: string | null
  endDate: IsoDate | null
  lineManager: { id: string; name: string } | null
  hasPassword: boolean
  invitedAt: Date | null
  invitationExpiresAt: Date | null
  /** Issue 14: 'staff', or the kind of person who is not an employee. */
  kind: PersonKind
  capabilities: Capability[]
  accessEndsOn: IsoDate | null
}

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const staffSortColumn: Readonly<Record<StaffListSort, string>> = {
  name: 'p.name',
  'job-title': 'p.job_title',
  'line-manager': 'lm.name',
}

/** The current supervisors of the school's people, each once, by name (the staff list's supervisor filter). */
export async function currentSupervisorsOfSchool(
  db: DbOrTrx,
  scope: StaffScope,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('supervision_assignment as sa')
    .innerJoin('person as see', 'see.id', 'sa.supervisee_id')
    .innerJoin('person as sor', 'sor.id', 'sa.supervisor_id')
    .where('sa.organisation_id', '=', scope.organisationId)
    .where('see.school_id', '=', scope.schoolId)
    .where('sa.kind', '=', 'supervisor')
    .where('sa.ends_on', 'is', null)
    .select(['sor.id', 'sor.name'])
    .distinct()
    .orderBy('sor.name')
    .orderBy('sor.id')
    .execute()
}

/** One page of a school's people, sorted and filtered, with the total that match. Never loads everyone. */
export async function staffPage(
  db: DbOrTrx,
  scope: PersonScope,
  query: StaffPageQuery,
): Promise<{ total: number; people: StaffPageRow[] }> {
  let base = db
    .selectFrom('person as p')
    .where('p.organisation_id', '=', scope.organisationId)
    .where((eb) => (scope.schoolId === null ? eb('p.school_id', 'is', null) : eb('p.school_id', '=', scope.schoolId)))
    .where('p.kind', query.people === 'not-staff' ? '<>' : '=', 'staff')
  const q = query.q.trim().toLowerCase()
  if (q !== '') {
    const pattern = likeContaining(q)
    base = base.where((eb) => eb.or([eb(eb.fn('lower', ['p.name']), 'like', pattern), eb('p.email', 'like', pattern)]))
  }
  if (query.role) base = base.where(sql<boolean>`p.roles @> array[${query.role}]::text[]`)
  if (query.supervisor) {
    const supervisorId = query.supervisor
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('supervision_assignment as sa')
          .select('sa.id')
          .whereRef('sa.supervisee_id', '=', 'p.id')
          .where('sa.kind', '=', 'supervisor')
          .where('sa.supervisor_id', '=', supervisorId)
          .where('sa.ends_on', 'is', null),
      ),
    )
  }
  if (query.only) {
    const ids = [...query.only.ids]
    if (query.only.keep) base = ids.length === 0 ? base.where(sql<boolean>`false`) : base.where('p.id', 'in', ids)
    else if (ids.length > 0) base = base.where('p.id', 'not in', ids)
  }
  if (query.flag === 'supervisor-trained') base = base.where('p.supervisor_trained_on', 'is not', null)
  else if (query.flag === 'external') base = base.where('p.employment_type', '=', 'external')
  else if (query.flag) {
    base = base.where(`p.${flagColumn[query.flag]}`, '=', true)
    if (query.today && query.flag !== 'part-time') {
      const name = query.flag
      base = base
        .where(sql<boolean>`coalesce(p.flag_dates->${name}->>'since', '0000-01-01') <= ${query.today}`)
        .where(sql<boolean>`coalesce(p.flag_dates->${name}->>'until', '9999-12-31') >= ${query.today}`)
    }
  }

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
        'p.kind',
        'p.capabilities',
        'p.access_ends_on',
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
      .orderBy(sql`${sql.ref(staffSortColumn[query.sort ?? 'name'])} ${direction(query.direction ?? 'asc')}`)
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
      hasPassword: r.password_hash !== null,
      invitedAt: (r.invited_at as Date | null) ?? null,
      invitationExpiresAt: (r.invitation_expires_at as Date | null) ?? null,
      kind: r.kind as PersonKind,
      capabilities: r.capabilities as Capability[],
      accessEndsOn: r.access_ends_on,
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// A person and what hangs off them
// ---------------------------------------------------------------------------------------------

export interface PersonRefRow {
  id: string
  name: string
  schoolName: string | null
  employmentType: string
  externalOrganisation: string | null
}

/** Names (and school, and external organisation) of people of the organisation. */
export async function personRefs(db: DbOrTrx, organisationId: string, ids: readonly string[]): Promise<PersonRefRow[]> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return []
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('school as s', 's.id', 'p.school_id')
    .select(['p.id', 'p.name', 'p.external_organisation', 'p.employment_type', 's.name as school_name'])
    .where('p.organisation_id', '=', organisationId)
    .where('p.id', 'in', unique)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    schoolName: r.school_name,
    employmentType: r.employment_type,
    externalOrganisation: r.external_organisation,
  }))
}

/** The ids of the people whose current line manager is `personId`. */
export async function lineReportIds(db: DbOrTrx, organisationId: string, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('line_manager_id', '=', personId)
    .execute()
  return rows.map((r) => r.id)
}

/** How many people someone supervises or line-manages now. */
export async function superviseeCount(db: DbOrTrx, organisationId: string, personId: string): Promise<number> {
  const row = await db
    .selectFrom('person as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('p.organisation_id', '=', organisationId)
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

export interface HandoverRow {
  id: string
  fromPersonId: string
  toPersonId: string
  superviseeId: string | null
  reason: 'change' | 'leaving' | 'import'
  note: string
  effectiveOn: IsoDate
  recordedAt: Date
}

/** The latest handovers someone gave or received. */
export async function handoversOf(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  limit: number,
): Promise<HandoverRow[]> {
  const rows = await db
    .selectFrom('handover')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('from_person_id', '=', personId), eb('to_person_id', '=', personId)]))
    .orderBy('recorded_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((h) => ({
    id: h.id,
    fromPersonId: h.from_person_id,
    toPersonId: h.to_person_id,
    superviseeId: h.supervisee_id,
    reason: h.reason,
    note: h.note,
    effectiveOn: h.effective_on,
    recordedAt: h.recorded_at,
  }))
}

/** Whether someone of the organisation has set a password. */
export async function hasPassword(db: DbOrTrx, organisationId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('account as a')
    .innerJoin('person as p', 'p.id', 'a.person_id')
    .select('a.password_hash')
    .where('p.organisation_id', '=', organisationId)
    .where('a.person_id', '=', personId)
    .executeTakeFirst()
  return !!row?.password_hash
}

/** Someone's latest invitation, or null. */
export async function latestInvitation(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<{ createdAt: Date; expiresAt: Date } | null> {
  const row = await db
    .selectFrom('auth_token as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .select(['t.created_at', 't.expires_at'])
    .where('p.organisation_id', '=', organisationId)
    .where('t.person_id', '=', personId)
    .where('t.kind', '=', 'invitation')
    .orderBy('t.created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { createdAt: row.created_at, expiresAt: row.expires_at } : null
}

/** Whether someone has an invitation not yet used and not expired at `now`. */
export async function hasOpenInvitation(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('auth_token as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .select('t.person_id')
    .where('p.organisation_id', '=', organisationId)
    .where('t.person_id', '=', personId)
    .where('t.kind', '=', 'invitation')
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', now)
    .executeTakeFirst()
  return row !== undefined
}

// ---------------------------------------------------------------------------------------------
// Adding and changing someone
// ---------------------------------------------------------------------------------------------

/** Adds someone to a school; returns their id. */
export async function insertPerson(
  db: DbOrTrx,
  scope: StaffScope,
  person: PersonFieldValues & { lineManagerId: string | null; externalOrganisation: string | null },
): Promise<string> {
  const { id } = await db
    .insertInto('person')
    .values({
      organisation_id: scope.organisationId,
      school_id: scope.schoolId,
      ...personColumns(person),
      external_organisation: person.externalOrganisation,
      line_manager_id: person.lineManagerId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Adds people to a school, in one statement, with the ids they were given. */
export async function insertPeople(
  db: DbOrTrx,
  scope: StaffScope,
  people: readonly (PersonFieldValues & { id: string; lineManagerId: string | null })[],
): Promise<void> {
  if (people.length === 0) return
  await db
    .insertInto('person')
    .values(
      people.map((p) => ({
        id: p.id,
        organisation_id: scope.organisationId,
        school_id: scope.schoolId,
        line_manager_id: p.lineManagerId,
        ...personColumns(p),
      })),
    )
    .execute()
}

/** Sets someone's roles (no new version: the roles a rule kept back from a change just saved). */
export async function setRoles(db: DbOrTrx, organisationId: string, personId: string, roles: readonly string[]) {
  await db
    .updateTable('person')
    .set({ roles: [...roles] })
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .execute()
}

/** Saves someone's editable fields over `version`, making the next version. */
export async function updatePersonFields(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  version: number,
  person: PersonFieldValues & { externalOrganisation: string | null },
): Promise<void> {
  await db
    .updateTable('person')
    .set({
      ...personColumns(person),
      external_organisation: person.externalOrganisation,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .where('version', '=', version)
    .execute()
}

/**
 * Saves the editable fields of many people of one school in one statement (a staff import), each
 * making their next version. Line managers are not changed here.
 */
export async function updatePeopleFields(
  db: DbOrTrx,
  schoolId: string,
  people: readonly (PersonFieldValues & { id: string })[],
): Promise<void> {
  if (people.length === 0) return
  // A flag the import turns off loses its dates, so that turning it on again never revives an old end date.
  const batch = people.map((p) => ({
    id: p.id,
    ...personColumns({ ...p, flagDates: undefined }),
    unset_flags: (Object.keys(FlagName) as (keyof PersonFlags)[]).filter((k) => !p.flags[k]).map((k) => FlagName[k]),
  }))
  await sql`
    update person as p set
      name = r.name, job_title = r.job_title, roles = r.roles, employment_type = r.employment_type,
      part_time = r.part_time, working_days = r.working_days, start_date = r.start_date, end_date = r.end_date,
      early_career = r.early_career, in_probation = r.in_probation, works_in_eyfs = r.works_in_eyfs,
      pastoral_responsibilities = r.pastoral_responsibilities, trained_dsl = r.trained_dsl,
      additional_support = r.additional_support, supervisor_trained_on = r.supervisor_trained_on,
      flag_dates = p.flag_dates - r.unset_flags,
      version = p.version + 1, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as r(
      id uuid, name text, job_title text, roles text[], employment_type text, part_time boolean,
      working_days smallint[], start_date date, end_date date, early_career boolean, in_probation boolean,
      works_in_eyfs boolean, pastoral_responsibilities boolean, trained_dsl boolean,
      additional_support boolean, supervisor_trained_on date, unset_flags text[])
    where p.id = r.id and p.school_id = ${schoolId}`.execute(db)
}

/** Records someone's end date, making their next version. */
export async function setEndDate(db: DbOrTrx, organisationId: string, personId: string, endDate: IsoDate) {
  await db
    .updateTable('person')
    .set({ end_date: endDate, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .execute()
}

/** Counts a change to someone made elsewhere (their supervisor changed): their next version. */
export async function bumpVersion(db: DbOrTrx, organisationId: string, personId: string) {
  await db
    .updateTable('person')
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .execute()
}

// ---------------------------------------------------------------------------------------------
// Invitations and the export
// ---------------------------------------------------------------------------------------------

/** People of the school still working there who have no account and have never been invited. */
function notInvitedQuery(db: DbOrTrx, scope: StaffScope, today: IsoDate) {
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

export async function countNotInvited(db: DbOrTrx, scope: StaffScope, today: IsoDate): Promise<number> {
  const row = await notInvitedQuery(db, scope, today)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Up to `limit` of the people `countNotInvited` counts, by id. */
export async function notInvitedIds(db: DbOrTrx, scope: StaffScope, today: IsoDate, limit: number): Promise<string[]> {
  const rows = await notInvitedQuery(db, scope, today).select('p.id').orderBy('p.id').limit(limit).execute()
  return rows.map((r) => r.id)
}

/** The school's people in name order, each with their line manager's email address. */
export async function peopleForExport(
  db: DbOrTrx,
  scope: StaffScope,
): Promise<{ person: Person; lineManagerEmail: string | null }[]> {
  const rows = await db
    .selectFrom('person as p')
    .leftJoin('person as lm', 'lm.id', 'p.line_manager_id')
    .selectAll('p')
    .select('lm.email as line_manager_email')
    .where('p.organisation_id', '=', scope.organisationId)
    .where('p.school_id', '=', scope.schoolId)
    .where('p.kind', '=', 'staff')
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
  return rows.map((r) => ({ person: personFromRow(r), lineManagerEmail: r.line_manager_email }))
}

// ---------------------------------------------------------------------------------------------
// People who are not employees (issue 14)
// ---------------------------------------------------------------------------------------------

/** What is kept about someone who is not an employee: no employment record. */
export interface OtherPersonColumns {
  kind: Exclude<PersonKind, 'staff'>
  name: string
  email: string
  jobTitle: string
  /** Their own body's name: the local authority team, the consultancy, the committee. */
  organisationName: string | null
  roles: readonly string[]
  capabilities: readonly Capability[]
  accessEndsOn: IsoDate | null
}

function otherPersonColumns(person: OtherPersonColumns) {
  return {
    kind: person.kind,
    name: person.name,
    email: person.email,
    job_title: person.jobTitle,
    external_organisation: person.organisationName,
    roles: [...person.roles],
    capabilities: [...person.capabilities],
    access_ends_on: person.accessEndsOn,
    // Not employed: an external supervisor comes from outside (CA-12); the others give their time.
    employment_type: person.kind === 'external-supervisor' ? 'external' : 'volunteer',
  }
}

/** Adds someone who is not an employee to a school, or to the trust (no school, issue 14); returns their id. */
export async function insertOtherPerson(db: DbOrTrx, scope: PersonScope, person: OtherPersonColumns): Promise<string> {
  const { id } = await db
    .insertInto('person')
    .values({ organisation_id: scope.organisationId, school_id: scope.schoolId, ...otherPersonColumns(person) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * Changes someone who is not an employee, when their version is still `version`: false when it is
 * not (someone else saved first) or they are not such a person of the organisation.
 */
export async function updateOtherPerson(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
  version: number,
  person: Omit<OtherPersonColumns, 'email'>,
): Promise<boolean> {
  const { email: _, ...columns } = otherPersonColumns({ ...person, email: '' })
  const result = await db
    .updateTable('person')
    .set({ ...columns, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .where('kind', '<>', 'staff')
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export interface ReportRecipientRow {
  id: string
  name: string
  email: string
  kind: PersonKind
  /** Null for the trust's own people, who belong to no one school. */
  schoolId: string | null
  capabilities: Capability[]
  endDate: IsoDate | null
  accessEndsOn: IsoDate | null
}

/**
 * Issue 14: the people of a school, or of its organisation centrally, who may receive reports
 * (whether they still may on a date is the domain's: domain/people/kinds.ts, reportRecipients).
 */
export async function reportReceiversOf(db: DbOrTrx, schoolId: string): Promise<ReportRecipientRow[]> {
  const rows = await db
    .selectFrom('person as p')
    .innerJoin('school as s', 's.organisation_id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'p.email', 'p.kind', 'p.school_id', 'p.capabilities', 'p.end_date', 'p.access_ends_on'])
    .where('s.id', '=', schoolId)
    .where((eb) => eb.or([eb('p.school_id', '=', schoolId), eb('p.school_id', 'is', null)]))
    .where(sql<boolean>`p.capabilities @> array['receive-reports']::text[]`)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    kind: r.kind as PersonKind,
    schoolId: r.school_id,
    capabilities: r.capabilities as Capability[],
    endDate: r.end_date,
    accessEndsOn: r.access_ends_on,
  }))
}
