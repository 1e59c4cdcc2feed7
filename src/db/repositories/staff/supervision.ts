/**
 * Who supervises or line-manages whom, as stored: person.line_manager_id is the current line
 * manager; supervision_assignment keeps the history of both kinds; handover records each change
 * between an outgoing and an incoming person. Scoped by the organisation: a trust's people may
 * supervise across its schools.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../../domain/people/person.ts'
import type { SupervisionKind } from '../../../domain/people/supervision.ts'
import type { DbOrTrx } from '../connection.ts'

/** Roles that may supervise or line-manage across the schools of a trust (LH-05: "a DSL from another school of the trust"). */
const crossSchoolRoles = [
  'dsl',
  'deputy-dsl',
  'headteacher',
  'associate-headteacher',
  'line-manager',
  'education-lead',
  'external-supervisor',
]

export interface CandidateRow {
  id: string
  name: string
  jobTitle: string
  schoolId: string | null
  schoolName: string | null
  employmentType: string
  externalOrganisation: string | null
}

export interface CandidateQuery {
  organisationId: string
  /** The school of the person being supervised. */
  schoolId: string | null
  kind: SupervisionKind
  today: IsoDate
}

/**
 * Who may be chosen as someone's line manager or supervisor: people of the same school who have
 * not left; people of the trust's other schools in a leadership or safeguarding role; and, as
 * supervisors only, external supervisors (CA-12) and the trust's central people (no school of
 * their own: a regional safeguarding lead, issue 14), whom the policy may allow in any academy.
 * Line managers are never external, and are staff; supervisors are people who may supervise
 * (issue 14) whose access has not ended.
 */
function candidatesQuery(db: DbOrTrx, q: CandidateQuery) {
  return db
    .selectFrom('person as p')
    .leftJoin('school as s', 's.id', 'p.school_id')
    .where('p.organisation_id', '=', q.organisationId)
    .where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', q.today)]))
    .where((eb) => {
      const external = eb.or([eb('p.employment_type', '=', 'external'), eb('p.kind', '=', 'external-supervisor')])
      const sameSchool = q.schoolId === null ? eb.val(false) : eb('p.school_id', '=', q.schoolId)
      const leader = sql<boolean>`p.roles && array[${sql.join(crossSchoolRoles)}]::text[]`
      const central = eb('p.school_id', 'is', null)
      // Issue 14: line managers are staff; supervisors are whoever may supervise, while their access lasts.
      return q.kind === 'line-manager'
        ? eb.and([eb.not(external), eb('p.kind', '=', 'staff'), eb.or([sameSchool, leader])])
        : eb.and([
            sql<boolean>`p.capabilities @> array['supervise']::text[]`,
            eb.or([eb('p.access_ends_on', 'is', null), eb('p.access_ends_on', '>=', q.today)]),
            eb.or([sameSchool, leader, external, central]),
          ])
    })
}

/** The candidates, in name order (at most `limit`), leaving out `excludeIds` (ids only). */
export async function candidates(
  db: DbOrTrx,
  q: CandidateQuery,
  excludeIds: readonly string[],
  limit: number,
): Promise<CandidateRow[]> {
  let query = candidatesQuery(db, q)
  if (excludeIds.length > 0) query = query.where('p.id', 'not in', excludeIds)
  const rows = await query
    .select([
      'p.id',
      'p.name',
      'p.job_title',
      'p.school_id',
      's.name as school_name',
      'p.employment_type',
      'p.external_organisation',
    ])
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    jobTitle: r.job_title,
    schoolId: r.school_id,
    schoolName: r.school_name,
    employmentType: r.employment_type,
    externalOrganisation: r.external_organisation,
  }))
}

/** Whether `candidateId` (a person's id) is one of the candidates. */
export async function isCandidate(db: DbOrTrx, q: CandidateQuery, candidateId: string): Promise<boolean> {
  const row = await candidatesQuery(db, q).select('p.id').where('p.id', '=', candidateId).executeTakeFirst()
  return row !== undefined
}

/** The organisation's reporting lines: each person with their line manager. */
export async function reportingLines(
  db: DbOrTrx,
  organisationId: string,
): Promise<{ id: string; lineManagerId: string | null }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'line_manager_id'])
    .where('organisation_id', '=', organisationId)
    .execute()
  return rows.map((r) => ({ id: r.id, lineManagerId: r.line_manager_id }))
}

/** The names of people of the organisation, by id. */
export async function namesOf(
  db: DbOrTrx,
  organisationId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

export interface AssignmentRow {
  kind: SupervisionKind
  supervisorId: string
  startsOn: IsoDate
  endsOn: IsoDate | null
  handover: { note: string; fromPersonId: string; recordedAt: Date } | null
}

/** Someone's line managers and supervisors, now and before, newest first, with their handovers. */
export async function assignmentsOf(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
): Promise<AssignmentRow[]> {
  const rows = await db
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
    .where('sa.organisation_id', '=', organisationId)
    .where('sa.supervisee_id', '=', superviseeId)
    .orderBy('sa.starts_on', 'desc')
    .orderBy('sa.created_at', 'desc')
    .execute()
  return rows.map((a) => ({
    kind: a.kind,
    supervisorId: a.supervisor_id,
    startsOn: a.starts_on,
    endsOn: a.ends_on,
    handover:
      a.note !== null && a.from_person_id && a.recorded_at
        ? { note: a.note, fromPersonId: a.from_person_id, recordedAt: a.recorded_at }
        : null,
  }))
}

/** The current assignments where `supervisorId` supervises or line-manages someone. */
export async function currentAssignmentsBy(
  db: DbOrTrx,
  organisationId: string,
  supervisorId: string,
): Promise<{ superviseeId: string; kind: SupervisionKind; startsOn: IsoDate }[]> {
  const rows = await db
    .selectFrom('supervision_assignment')
    .select(['supervisee_id', 'kind', 'starts_on'])
    .where('organisation_id', '=', organisationId)
    .where('supervisor_id', '=', supervisorId)
    .where('ends_on', 'is', null)
    .execute()
  return rows.map((r) => ({ superviseeId: r.supervisee_id, kind: r.kind, startsOn: r.starts_on }))
}

/** Someone's current assignment of one kind, or null. */
export async function currentAssignment(
  db: DbOrTrx,
  organisationId: string,
  superviseeId: string,
  kind: SupervisionKind,
): Promise<{ supervisorId: string; startsOn: IsoDate } | null> {
  const row = await db
    .selectFrom('supervision_assignment')
    .select(['supervisor_id', 'starts_on'])
    .where('organisation_id', '=', organisationId)
    .where('supervisee_id', '=', superviseeId)
    .where('kind', '=', kind)
    .where('ends_on', 'is', null)
    .executeTakeFirst()
  return row ? { supervisorId: row.supervisor_id, startsOn: row.starts_on } : null
}

/** The people someone supervises or line-manages now, by kind. */
export async function currentSupervisees(
  db: DbOrTrx,
  organisationId: string,
  personId: string,
): Promise<{ lineReports: string[]; supervised: string[] }> {
  const [lineReports, supervised] = await Promise.all([
    db
      .selectFrom('person')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('line_manager_id', '=', personId)
      .execute(),
    db
      .selectFrom('supervision_assignment')
      .select('supervisee_id')
      .where('organisation_id', '=', organisationId)
      .where('supervisor_id', '=', personId)
      .where('kind', '=', 'supervisor')
      .where('ends_on', 'is', null)
      .execute(),
  ])
  return { lineReports: lineReports.map((r) => r.id), supervised: supervised.map((r) => r.supervisee_id) }
}

/** The organisation of a person, or null: for callers that hold only a person's id. */
export async function organisationOfPerson(db: DbOrTrx, personId: string): Promise<string | null> {
  const row = await db.selectFrom('person').select('organisation_id').where('id', '=', personId).executeTakeFirst()
  return row?.organisation_id ?? null
}

export interface NewAssignment {
  superviseeId: string
  supervisorId: string
  kind: SupervisionKind
  startsOn: IsoDate
  handoverId?: string | null
}

export async function insertAssignments(
  db: DbOrTrx,
  organisationId: string,
  assignments: readonly NewAssignment[],
): Promise<void> {
  if (assignments.length === 0) return
  await db
    .insertInto('supervision_assignment')
    .values(
      assignments.map((a) => ({
        organisation_id: organisationId,
        supervisee_id: a.superviseeId,
        supervisor_id: a.supervisorId,
        kind: a.kind,
        starts_on: a.startsOn,
        handover_id: a.handoverId ?? null,
      })),
    )
    .execute()
}

export interface NewHandover {
  id?: string
  schoolId: string | null
  fromPersonId: string
  toPersonId: string
  superviseeId: string | null
  reason: 'change' | 'leaving' | 'import'
  note: string
  recordedBy: string | null
  effectiveOn: IsoDate
}

/** Records handovers; returns their ids, in order. */
export async function insertHandovers(
  db: DbOrTrx,
  organisationId: string,
  handovers: readonly NewHandover[],
): Promise<string[]> {
  if (handovers.length === 0) return []
  const rows = await db
    .insertInto('handover')
    .values(
      handovers.map((h) => ({
        ...(h.id ? { id: h.id } : {}),
        organisation_id: organisationId,
        school_id: h.schoolId,
        from_person_id: h.fromPersonId,
        to_person_id: h.toPersonId,
        supervisee_id: h.superviseeId,
        reason: h.reason,
        note: h.note,
        recorded_by: h.recordedBy,
        effective_on: h.effectiveOn,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Ends the current assignments of these supervisees (of one kind) and starts new ones with
 * `supervisorId` (none when null), effective `on`; keeps person.line_manager_id in step.
 */
export async function moveAssignments(
  trx: DbOrTrx,
  input: {
    organisationId: string
    superviseeIds: readonly string[]
    kind: SupervisionKind
    supervisorId: string | null
    on: IsoDate
    handoverId: string | null
    /** Whether moving a line report counts as a change to them (person.version); false when the caller already counted it. */
    bumpVersion?: boolean
  },
): Promise<void> {
  if (input.superviseeIds.length === 0) return
  for (let i = 0; i < input.superviseeIds.length; i += 500) {
    const ids = input.superviseeIds.slice(i, i + 500)
    await trx
      .updateTable('supervision_assignment')
      .set({ ends_on: sql`greatest(starts_on, ${input.on}::date)` })
      .where('organisation_id', '=', input.organisationId)
      .where('supervisee_id', 'in', ids)
      .where('kind', '=', input.kind)
      .where('ends_on', 'is', null)
      .execute()
    const supervisorId = input.supervisorId
    if (supervisorId !== null)
      await insertAssignments(
        trx,
        input.organisationId,
        ids
          .filter((id) => id !== supervisorId)
          .map((id) => ({
            superviseeId: id,
            supervisorId,
            kind: input.kind,
            startsOn: input.on,
            handoverId: input.handoverId,
          })),
      )
    if (input.kind === 'line-manager')
      await trx
        .updateTable('person')
        .set({
          line_manager_id: sql<
            string | null
          >`case when id = ${supervisorId}::uuid then null else ${supervisorId}::uuid end`,
          version: input.bumpVersion === false ? sql`version` : sql`version + 1`,
          updated_at: sql`now()`,
        })
        .where('organisation_id', '=', input.organisationId)
        .where('id', 'in', ids)
        .execute()
  }
}

/** Links the current line-manager assignments of these supervisees to their handovers. */
export async function linkLineManagerHandovers(
  db: DbOrTrx,
  organisationId: string,
  links: readonly { supervisee: string; handover: string }[],
): Promise<void> {
  if (links.length === 0) return
  await sql`
    update supervision_assignment as sa set handover_id = l.handover
    from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as l(supervisee uuid, handover uuid)
    where sa.supervisee_id = l.supervisee and sa.kind = 'line-manager' and sa.ends_on is null
      and sa.organisation_id = ${organisationId}`.execute(db)
}
