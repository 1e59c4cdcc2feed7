/**
 * Loads what the overview reads for one school (issue 9), as plain facts for the pure
 * buildOverview: the compliance engine's facts (the same loaders schoolCompliance uses), the
 * framework tags ticked on records, current supervision assignments, records waiting for
 * signatures, contracts waiting for signatures, open actions with their review history, and the
 * planner's weekly limit. A fixed number of queries, run side by side, whatever the size of the
 * school; then two more for people outside the school and supervisors' own supervision.
 */
import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import { londonDateOf } from '../../domain/calendar/index.ts'
import { assessCompliance } from '../../domain/compliance/index.ts'
import {
  type ActionFact,
  type AssignmentFact,
  type ContractFact,
  type OtherPerson,
  type OverviewFacts,
  otherPersonIds,
  type RecordFact,
  supervisorRoles,
  windowStartFor,
} from '../../domain/overview/index.ts'
import type { EmploymentType, IsoDate } from '../../domain/people/person.ts'
import { defaultPlanLimits } from '../../domain/planning/model.ts'
import { type Party, policyInForce } from '../../domain/policy/index.ts'
import type { ActionStatus, OwnerKind, ReviewHistoryEntry, ReviewStatus } from '../../domain/records/actions.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { cancellationFacts, personOverrides, schoolPeople, sessionFacts } from '../compliance/facts.ts'
import { NoPolicyError } from '../compliance/school-compliance.ts'
import { policyVersions } from '../policy/store.ts'

export interface OverviewSchool {
  id: string
  organisationId: string
  slug: string
  name: string
}

/**
 * Framework item ids ticked on the completed or signed records of held sessions in the window
 * (LH-02). A record keeps a copy of its template: the framework-tags fields are found once per
 * template version (not once per record), then read from each record's values. The planner's
 * estimates for the JSON functions are wild enough to set off JIT compilation, which costs far
 * more than the query: it is turned off for this one.
 */
async function recordTags(db: Db, schoolId: string, from: IsoDate, to: IsoDate): Promise<Map<string, string[]>> {
  const rows = await db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx)
    return sql<{ session_id: string; tag: string }>`
      select distinct r.session_id, t.tag
      from (
        select v.template_id, v.template_version, f.id #>> '{}' as field_id
        from (
          select distinct on (template_id, template_version) template_id, template_version, id
          from supervision_record
          where school_id = ${schoolId} and status in ('completed', 'signed')
          order by template_id, template_version
        ) v
        join supervision_record tr on tr.id = v.id
        cross join lateral jsonb_path_query(tr.template, '$.sections[*].fields[*] ? (@.kind == "framework-tags").id') as f(id)
      ) fl
      join supervision_record r on r.template_id = fl.template_id and r.template_version = fl.template_version
      join supervision_session s on s.id = r.session_id
      cross join lateral jsonb_array_elements_text(
        case when jsonb_typeof(r.document -> 'values' -> fl.field_id) = 'array'
          then r.document -> 'values' -> fl.field_id else '[]'::jsonb end
      ) as t(tag)
      where r.school_id = ${schoolId} and r.status in ('completed', 'signed')
        and s.status = 'held' and s.date > ${from} and s.date <= ${to}`.execute(trx)
  })
  const tags = new Map<string, string[]>()
  for (const row of rows.rows) tags.set(row.session_id, [...(tags.get(row.session_id) ?? []), row.tag])
  return tags
}

async function currentAssignments(db: Db, schoolId: string, today: IsoDate): Promise<AssignmentFact[]> {
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

async function recordsAwaitingSignature(db: Db, schoolId: string): Promise<RecordFact[]> {
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

async function contractsUnsigned(db: Db, schoolId: string): Promise<ContractFact[]> {
  const rows = await db
    .selectFrom('contract as c')
    .leftJoin('contract_signature as g', 'g.contract_id', 'c.id')
    .select(['c.id', 'c.supervisee_id', 'c.supervisor_id', 'c.academic_year', 'c.issued_at', 'c.review_on', 'g.role'])
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
      }
      contracts.set(r.id, contract)
    }
    if (r.role) contract.signedRoles.push(r.role)
  }
  return [...contracts.values()]
}

/** Open actions of completed or signed records (a draft's actions are not agreed yet), with their review history. */
async function openActions(db: Db, schoolId: string): Promise<ActionFact[]> {
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

async function maxPerWeek(db: Db, schoolId: string): Promise<OverviewFacts['maxPerWeek']> {
  const row = await db
    .selectFrom('planner_setting')
    .select('max_per_week')
    .where('school_id', '=', schoolId)
    .executeTakeFirst()
  return row
    ? { value: row.max_per_week, source: 'planner' }
    : { value: defaultPlanLimits.maxPerWeek, source: 'default' }
}

async function otherPeople(db: Db, organisationId: string, ids: readonly string[]): Promise<OtherPerson[]> {
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
async function lastSupervised(db: Db, organisationId: string, ids: readonly string[], today: IsoDate) {
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

/** Everything the overview reads for a school on a day. Throws NoPolicyError when the school has no policy. */
export async function loadOverviewFacts(db: Db, school: OverviewSchool, today: IsoDate): Promise<OverviewFacts> {
  const windowStart = windowStartFor(today)
  const [
    versions,
    calendar,
    people,
    sessions,
    cancellations,
    overrides,
    tags,
    assignments,
    records,
    contracts,
    actions,
    limit,
  ] = await Promise.all([
    policyVersions(db, school.id),
    schoolCalendar(db, school.id, today),
    schoolPeople(db, school.id),
    sessionFacts(db, school.id),
    cancellationFacts(db, school.id),
    personOverrides(db, school.id),
    recordTags(db, school.id, windowStart, today),
    currentAssignments(db, school.id, today),
    recordsAwaitingSignature(db, school.id),
    contractsUnsigned(db, school.id),
    openActions(db, school.id),
    maxPerWeek(db, school.id),
  ])
  if (versions.length === 0) throw new NoPolicyError('This school has no supervision policy yet')
  const documents = versions.map((v) => v.document)
  const compliance = assessCompliance({
    policy: documents,
    calendar,
    people,
    sessions,
    cancellations,
    overrides,
    today,
  })
  const base = { today, people, sessions, assignments, contracts, actions }
  const [others, lastSupervisedOn] = await Promise.all([
    otherPeople(db, school.organisationId, otherPersonIds(base)),
    lastSupervised(db, school.organisationId, [...supervisorRoles(base).keys()], today),
  ])
  return {
    today,
    school: { id: school.id, name: school.name, slug: school.slug },
    policy: policyInForce(documents, today),
    calendar,
    people,
    compliance,
    sessions,
    recordTags: tags,
    assignments,
    records,
    contracts,
    actions,
    maxPerWeek: limit,
    others,
    lastSupervisedOn,
  }
}
