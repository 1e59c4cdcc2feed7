/**
 * What the overview reads beyond the compliance engine's facts (issue 9; issue 13, point 1): the
 * framework tags ticked on records, current supervision assignments, records and contracts
 * waiting for signatures, open actions with their review history, people of other schools of the
 * trust, supervisors' own supervision; and the overview's kept snapshot with its change log.
 * Every function takes the school (or the organisation, for people and sessions across a trust).
 */
import { sql } from 'kysely'
import { londonDateOf } from '../../domain/calendar/index.ts'
import type { ActionFact, AssignmentFact, ContractFact, OtherPerson, RecordFact } from '../../domain/overview/index.ts'
import type { EmploymentType, IsoDate } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'
import type { ActionStatus, OwnerKind, ReviewHistoryEntry, ReviewStatus } from '../../domain/records/actions.ts'
import type { DbOrTrx } from './connection.ts'

type Db = DbOrTrx

/**
 * Framework item ids ticked on the completed or signed records of held sessions in the window
 * (LH-02). A record keeps a copy of its template: the framework-tags fields are found once per
 * template version among the window's records (not once per record), then read from each
 * record's values. The planner's
 * estimates for the JSON functions are wild enough to set off JIT compilation, which costs far
 * more than the query: it is turned off for this one. Read as one text value (a session and a tag
 * per item, control characters between: never in an id) and split here: thousands of rows decoded
 * one by one by the driver (PGlite decodes in JavaScript) cost more than the split (issue 16).
 */
export async function recordTags(db: Db, schoolId: string, from: IsoDate, to: IsoDate): Promise<Map<string, string[]>> {
  const { rows } = await db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx)
    return recordTagsQuery(schoolId, from, to).execute(trx)
  })
  const tags = new Map<string, string[]>()
  const text = rows[0]?.tags
  if (!text) return tags
  for (const item of text.split('\x1e')) {
    const at = item.indexOf('\x1f')
    const sessionId = item.slice(0, at)
    const tag = item.slice(at + 1)
    const list = tags.get(sessionId)
    if (!list) tags.set(sessionId, [tag])
    else if (!list.includes(tag)) list.push(tag)
  }
  return tags
}

/**
 * The framework tags' query (recordTags), apart so a test can ask the database how it runs it.
 * The records of the window's held sessions are found from the sessions (by date), and the
 * template versions from those records only: not a pass over every record of the school, and no
 * sort of them all (issue 16: the first governors' report on PGlite). The framework-tags fields
 * of those template versions (`fl`) are worked out once, before the records are joined to them
 * (`materialized`): inlined, the planner (which expects a few dozen records where a school has
 * thousands) ran the JSON path over a record's template once per record, about two thirds of the
 * query on a 300-staff school (ADR 56). A tag ticked twice in one session is kept once, by the
 * caller rather than by the database.
 */
export function recordTagsQuery(schoolId: string, from: IsoDate, to: IsoDate) {
  return sql<{ tags: string | null }>`
    with r as (
      select r.id, r.session_id, r.template_id, r.template_version, r.document
      from supervision_session s
      join supervision_record r on r.session_id = s.id
      where s.school_id = ${schoolId} and s.status = 'held' and s.date > ${from} and s.date <= ${to}
        and r.school_id = ${schoolId} and r.status in ('completed', 'signed')
    ), fl as materialized (
      select v.template_id, v.template_version, f.id #>> '{}' as field_id
      from (
        select distinct on (template_id, template_version) template_id, template_version, id
        from r
        order by template_id, template_version
      ) v
      join supervision_record tr on tr.id = v.id
      cross join lateral jsonb_path_query(tr.template, '$.sections[*].fields[*] ? (@.kind == "framework-tags").id') as f(id)
    )
    select string_agg(r.session_id || chr(31) || t.tag, chr(30)) as tags
    from r
    join fl on fl.template_id = r.template_id and fl.template_version = r.template_version
    cross join lateral jsonb_array_elements_text(
      case when jsonb_typeof(r.document -> 'values' -> fl.field_id) = 'array'
        then r.document -> 'values' -> fl.field_id else '[]'::jsonb end
    ) as t(tag)`
}

export async function currentAssignments(db: Db, schoolId: string, today: IsoDate): Promise<AssignmentFact[]> {
  const rows = await db
    .selectFrom('supervision_assignment as a')
    .innerJoin('person as p', 'p.id', 'a.supervisee_id')
    .select(['a.supervisee_id', 'a.supervisor_id', 'a.kind'])
    .where('p.school_id', '=', schoolId)
    .where('a.starts_on', '<=', today)
    .where((eb) => eb.or([eb('a.ends_on', 'is', null), eb('a.ends_on', '>=', today)]))
    .orderBy('a.starts_on')
    .execute()
  return rows.map((r) => ({ superviseeId: r.supervisee_id, supervisorId: r.supervisor_id, kind: r.kind }))
}

export async function recordsAwaitingSignature(db: Db, schoolId: string): Promise<RecordFact[]> {
  const rows = await db
    .selectFrom('supervision_record as r')
    .leftJoin('record_signature as g', (join) =>
      join.onRef('g.record_id', '=', 'r.id').on('g.superseded_at', 'is', null),
    )
    .select(['r.id', 'r.session_id', 'r.completed_at', 'g.person_id'])
    .where('r.school_id', '=', schoolId)
    .where('r.status', '=', 'completed')
    .execute()
  const records = new Map<
    string,
    { id: string; sessionId: string; completedOn: IsoDate | null; signedPersonIds: string[] }
  >()
  for (const r of rows) {
    let record = records.get(r.id)
    if (!record) {
      record = {
        id: r.id,
        sessionId: r.session_id,
        completedOn: r.completed_at ? londonDateOf(r.completed_at) : null,
        signedPersonIds: [],
      }
      records.set(r.id, record)
    }
    if (r.person_id) record.signedPersonIds.push(r.person_id)
  }
  return [...records.values()]
}

export async function contractsUnsigned(db: Db, schoolId: string): Promise<ContractFact[]> {
  const rows = await db
    .selectFrom('contract as c')
    .leftJoin('contract_signature as g', 'g.contract_id', 'c.id')
    .innerJoin('person as see', 'see.id', 'c.supervisee_id')
    .innerJoin('person as sor', 'sor.id', 'c.supervisor_id')
    .select([
      'c.id',
      'c.supervisee_id',
      'c.supervisor_id',
      'c.academic_year',
      'c.issued_at',
      'c.review_on',
      'g.role',
      'see.capabilities as supervisee_capabilities',
      'sor.capabilities as supervisor_capabilities',
    ])
    .where('c.school_id', '=', schoolId)
    .where('c.status', '=', 'issued')
    .execute()
  const contracts = new Map<string, ContractFact & { signedRoles: Party[] }>()
  for (const r of rows) {
    let contract = contracts.get(r.id)
    if (!contract) {
      contract = {
        id: r.id,
        superviseeId: r.supervisee_id,
        supervisorId: r.supervisor_id,
        academicYear: r.academic_year,
        issuedOn: r.issued_at ? londonDateOf(r.issued_at) : null,
        reviewOn: r.review_on,
        signedRoles: [],
        signing: {
          supervisee: { maySign: r.supervisee_capabilities.includes('sign') },
          supervisor: { maySign: r.supervisor_capabilities.includes('sign') },
        },
      }
      contracts.set(r.id, contract)
    }
    if (r.role) contract.signedRoles.push(r.role)
  }
  return [...contracts.values()]
}

/** Open actions of completed or signed records (a draft's actions are not agreed yet), with their review history. */
export async function openActions(db: Db, schoolId: string): Promise<ActionFact[]> {
  const [actions, reviews] = await Promise.all([
    db
      .selectFrom('record_action as a')
      .innerJoin('supervision_record as r', 'r.id', 'a.record_id')
      .select([
        'a.id',
        'a.record_id',
        'a.session_id',
        'a.owner_kind',
        'a.owner_person_id',
        'a.owner_name',
        'a.due_on',
        'a.status',
      ])
      .where('a.school_id', '=', schoolId)
      .where('a.status', 'in', ['open', 'in-progress', 'carried-forward'])
      .where('r.status', 'in', ['completed', 'signed'])
      .execute(),
    // Only an action carried forward now can be drifting; the others need no history.
    db
      .selectFrom('record_action_review as v')
      .innerJoin('record_action as a', 'a.id', 'v.action_id')
      .select(['v.action_id', 'v.session_date', 'v.status'])
      .where('a.school_id', '=', schoolId)
      .where('a.status', '=', 'carried-forward')
      .orderBy('v.session_date')
      .execute(),
  ])
  const histories = new Map<string, ReviewHistoryEntry[]>()
  for (const r of reviews) {
    const entry = { sessionDate: r.session_date, status: r.status as ReviewStatus }
    histories.set(r.action_id, [...(histories.get(r.action_id) ?? []), entry])
  }
  return actions.map((a) => ({
    id: a.id,
    recordId: a.record_id,
    sessionId: a.session_id,
    ownerKind: a.owner_kind as OwnerKind,
    ownerPersonId: a.owner_person_id,
    ownerName: a.owner_name,
    dueOn: a.due_on,
    status: a.status as ActionStatus,
    history: histories.get(a.id) ?? [],
  }))
}

export async function otherPeople(db: Db, organisationId: string, ids: readonly string[]): Promise<OtherPerson[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('person')
    .select(['id', 'name', 'job_title', 'employment_type', 'end_date', 'supervisor_trained_on'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', ids)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    jobTitle: r.job_title,
    employmentType: r.employment_type as EmploymentType,
    endDate: r.end_date,
    supervisorTrainedOn: r.supervisor_trained_on,
  }))
}

/** LH-08: each supervisor's latest held session as a supervisee, in any school of the organisation. */
export async function lastSupervised(db: Db, organisationId: string, ids: readonly string[], today: IsoDate) {
  if (ids.length === 0) return new Map<string, IsoDate>()
  const rows = await db
    .selectFrom('session_participant as p')
    .innerJoin('supervision_session as s', 's.id', 'p.session_id')
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .select(['p.person_id', (eb) => eb.fn.max('s.date').as('last')])
    .where('p.person_id', 'in', ids)
    .where('p.role', '=', 'supervisee')
    .where((eb) => eb.or([eb('p.attended', 'is', null), eb('p.attended', '=', true)]))
    .where('s.status', '=', 'held')
    .where('s.date', '<=', today)
    .where('sc.organisation_id', '=', organisationId)
    .groupBy('p.person_id')
    .execute()
  return new Map(rows.map((r) => [r.person_id, String(r.last)]))
}

// --- The kept overview -----------------------------------------------------------------------

/**
 * Folds the school's change log into one row of the same total weight when it holds more than
 * `above` rows; the version does not change. Rows a writer adds meanwhile are not yet visible to
 * the delete and stay.
 */
export async function foldOverviewChanges(db: Db, schoolId: string, above: number): Promise<void> {
  await sql`
    with counted as (select count(*) as n from overview_change where school_id = ${schoolId}),
    gone as (
      delete from overview_change
      where school_id = ${schoolId} and (select n from counted) > ${above}
      returning weight
    )
    insert into overview_change (school_id, weight)
    select ${schoolId}, sum(weight) from gone having count(*) > 0`.execute(db)
}

/** Keeps the school's overview, unless a snapshot for a later version or day is already kept. */
export async function keepOverviewSnapshot(
  db: Db,
  schoolId: string,
  input: { version: number; computedFor: IsoDate; summary: unknown; lists: unknown; at: Date },
): Promise<void> {
  await db
    .insertInto('overview_snapshot')
    .values({
      school_id: schoolId,
      change_version: input.version,
      computed_for: input.computedFor,
      summary: JSON.stringify(input.summary),
      lists: JSON.stringify(input.lists),
      computed_at: input.at,
    })
    .onConflict((oc) =>
      oc
        .column('school_id')
        .doUpdateSet({
          change_version: (eb) => eb.ref('excluded.change_version'),
          computed_for: (eb) => eb.ref('excluded.computed_for'),
          summary: (eb) => eb.ref('excluded.summary'),
          lists: (eb) => eb.ref('excluded.lists'),
          computed_at: (eb) => eb.ref('excluded.computed_at'),
        })
        .where((eb) =>
          eb.and([
            eb('overview_snapshot.change_version', '<=', eb.ref('excluded.change_version')),
            eb('overview_snapshot.computed_for', '<=', eb.ref('excluded.computed_for')),
          ]),
        ),
    )
    .execute()
}

export interface KeptOverview {
  /** The school's current change version. */
  version: number
  /** The kept snapshot's version and day, null when there is none. */
  snapshotVersion: number | null
  computedFor: IsoDate | null
  summary: string | null
  /** Null unless asked for. */
  lists: string | null
}

/** The school's current change version and its kept snapshot (the lists only when `withLists`). */
export async function keptOverview(db: Db, schoolId: string, withLists: boolean): Promise<KeptOverview> {
  const { rows } = await sql<{
    version: number
    change_version: number | null
    computed_for: IsoDate | null
    summary: string | null
    lists: string | null
  }>`
    select v.version, s.change_version, s.computed_for, s.summary, ${withLists ? sql`s.lists` : sql`null`} as lists
    from (select coalesce(sum(weight), 0) as version from overview_change where school_id = ${schoolId}) v
    left join overview_snapshot s on s.school_id = ${schoolId}`.execute(db)
  const row = rows[0]!
  return {
    version: Number(row.version),
    snapshotVersion: row.change_version === null ? null : Number(row.change_version),
    computedFor: row.computed_for,
    summary: row.summary,
    lists: row.lists,
  }
}

export interface OverviewSchoolRow {
  id: string
  organisationId: string
  slug: string
  name: string
}

/**
 * A school of the organisation with its change version and kept figures, in one query; null when
 * not found. The same query counts what the overview page shows beside the kept figures, read live:
 * decisions about children not yet on their records (X-07) and open case escalations (LH-10).
 */
export async function schoolWithKeptSummary(
  db: Db,
  organisationId: string,
  schoolId: string,
): Promise<
  (OverviewSchoolRow & Omit<KeptOverview, 'lists'> & { decisionsPending: number; openCaseEscalations: number }) | null
> {
  const { rows } = await sql<{
    id: string
    organisation_id: string
    slug: string
    name: string
    version: number
    change_version: number | null
    computed_for: IsoDate | null
    summary: string | null
    decisions_pending: string | number
    open_case_escalations: string | number
  }>`
    select sc.id, sc.organisation_id, sc.slug, sc.name, s.change_version, s.computed_for, s.summary,
      (select coalesce(sum(weight), 0) from overview_change where school_id = sc.id) as version,
      (select count(*) from child_decision where school_id = sc.id and status <> 'entered') as decisions_pending,
      (select count(*) from case_escalation where school_id = sc.id and closed_on is null) as open_case_escalations
    from school sc
    left join overview_snapshot s on s.school_id = sc.id
    where sc.id = ${schoolId} and sc.organisation_id = ${organisationId}`.execute(db)
  const row = rows[0]
  if (!row) return null
  return {
    id: row.id,
    organisationId: row.organisation_id,
    slug: row.slug,
    name: row.name,
    version: Number(row.version),
    snapshotVersion: row.change_version === null ? null : Number(row.change_version),
    computedFor: row.computed_for,
    summary: row.summary,
    decisionsPending: Number(row.decisions_pending),
    openCaseEscalations: Number(row.open_case_escalations),
  }
}

/** The organisation's schools in name order (only `schoolId`, when given). */
export async function overviewSchools(
  db: Db,
  organisationId: string,
  schoolId: string | null,
): Promise<OverviewSchoolRow[]> {
  let query = db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'slug', 'name'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
  if (schoolId !== null) query = query.where('id', '=', schoolId)
  return (await query.execute()).map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    slug: r.slug,
    name: r.name,
  }))
}

/** The wording of some of the school's actions, by id. */
export async function actionDescriptions(
  db: Db,
  schoolId: string,
  actionIds: readonly string[],
): Promise<Map<string, string>> {
  if (actionIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('record_action')
    .select(['id', 'description'])
    .where('school_id', '=', schoolId)
    .where('id', 'in', [...actionIds])
    .execute()
  return new Map(rows.map((r) => [r.id, r.description]))
}

/** The ids of the school's people who need additional support (LH-03). */
export async function peopleNeedingAdditionalSupport(db: Db, schoolId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('person')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('additional_support', '=', true)
    .execute()
  return new Set(rows.map((r) => r.id))
}
