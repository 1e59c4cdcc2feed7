/**
 * What the annual planner stores and reads (issue 13, point 1): the school's planner settings, its
 * draft for a year and the draft's rows, the sessions and assignments the planner plans around, and
 * the sessions a confirmed draft creates. Every function takes the school whose data it touches and
 * puts it in the `where` clause; people and sessions of other schools are read only within the same
 * organisation (a trust's supervisors may work in another of its schools).
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/calendar/index.ts'
import type { Person } from '../../domain/people/person.ts'
import type { ExistingSession, PlanLimits } from '../../domain/planning/index.ts'
import type { DbOrTrx } from './connection.ts'
import { personFromRow } from './staff/rows.ts'

const CHUNK = 500

/** The organisation of a school, as a subquery (people of a trust may belong to another of its schools). */
function organisationOfSchool(db: DbOrTrx, schoolId: string) {
  return db
    .selectFrom('school as own_school')
    .select('own_school.organisation_id')
    .where('own_school.id', '=', schoolId)
}

// --- The school ------------------------------------------------------------------------------

export interface PlanningSchoolRow {
  id: string
  organisationId: string
  name: string
  slug: string
}

export async function planningSchool(db: DbOrTrx, schoolId: string): Promise<PlanningSchoolRow> {
  const row = await db
    .selectFrom('school')
    .select(['id', 'organisation_id', 'name', 'slug'])
    .where('id', '=', schoolId)
    .executeTakeFirstOrThrow()
  return { id: row.id, organisationId: row.organisation_id, name: row.name, slug: row.slug }
}

/** The ids of the schools the planner may draw supervisors from: the trust's, or the school alone. */
export async function supervisionSchoolIds(db: DbOrTrx, schoolId: string): Promise<string[]> {
  const organisation = await db
    .selectFrom('organisation')
    .select(['id', 'kind'])
    .where('id', 'in', organisationOfSchool(db, schoolId))
    .executeTakeFirstOrThrow()
  if (organisation.kind !== 'trust') return [schoolId]
  const rows = await db.selectFrom('school').select('id').where('organisation_id', '=', organisation.id).execute()
  return rows.map((s) => s.id)
}

// --- People ----------------------------------------------------------------------------------

/** People of the school's organisation, by id (supervisors may belong to another school of a trust). */
export async function peopleInOrganisationOf(db: DbOrTrx, schoolId: string, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('person')
    .selectAll()
    .where('id', 'in', [...ids])
    .where('organisation_id', '=', organisationOfSchool(db, schoolId))
    .execute()
  return rows.map(personFromRow)
}

/** Names of people of the school's organisation, by id. */
export async function personNames(db: DbOrTrx, schoolId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  const names = new Map<string, string>()
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('person')
      .select(['id', 'name'])
      .where('id', 'in', unique.slice(i, i + 5000))
      .where('organisation_id', '=', organisationOfSchool(db, schoolId))
      .execute()
    for (const row of rows) names.set(row.id, row.name)
  }
  return names
}

export interface PersonContact {
  id: string
  name: string
  email: string | null
}

/** Names and email addresses of people of the school's organisation, by id. */
export async function personContacts(db: DbOrTrx, schoolId: string, ids: readonly string[]): Promise<PersonContact[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('person')
    .select(['id', 'name', 'email'])
    .where('id', 'in', [...ids])
    .where('organisation_id', '=', organisationOfSchool(db, schoolId))
    .execute()
}

/** Each current supervisor assignment (kind 'supervisor', not ended) of the school's people. */
export async function currentSupervisorAssignments(
  db: DbOrTrx,
  schoolId: string,
): Promise<{ superviseeId: string; supervisorId: string }[]> {
  const rows = await db
    .selectFrom('supervision_assignment as a')
    .innerJoin('person as p', 'p.id', 'a.supervisee_id')
    .select(['a.supervisee_id', 'a.supervisor_id'])
    .where('p.school_id', '=', schoolId)
    .where('a.kind', '=', 'supervisor')
    .where('a.ends_on', 'is', null)
    .execute()
  return rows.map((r) => ({ superviseeId: r.supervisee_id, supervisorId: r.supervisor_id }))
}

// --- Sessions the planner plans around --------------------------------------------------------

/**
 * The school's sessions between two dates, and those of other schools that `outsiders` (people of
 * another school of the trust) take part in, with who supervised and who was supervised (someone
 * marked absent from a held session did not receive it).
 */
export async function existingSessions(
  db: DbOrTrx,
  schoolId: string,
  outsiders: readonly string[],
  from: IsoDate,
  to: IsoDate,
): Promise<ExistingSession[]> {
  let query = db
    .selectFrom('supervision_session as s')
    .select(['s.id', 's.type_id', 's.date', 's.start_time', 's.duration_minutes', 's.status'])
    .where('s.date', '>=', from)
    .where('s.date', '<=', to)
  query =
    outsiders.length === 0
      ? query.where('s.school_id', '=', schoolId)
      : query.where((eb) =>
          eb.or([
            eb('s.school_id', '=', schoolId),
            eb.and([
              eb(
                's.school_id',
                'in',
                eb
                  .selectFrom('school as sc')
                  .select('sc.id')
                  .where('sc.organisation_id', '=', organisationOfSchool(db, schoolId)),
              ),
              eb.exists(
                eb
                  .selectFrom('session_participant as o')
                  .select('o.session_id')
                  .whereRef('o.session_id', '=', 's.id')
                  .where('o.person_id', 'in', [...outsiders]),
              ),
            ]),
          ]),
        )
  const sessions = await query.orderBy('s.date').orderBy('s.id').execute()
  if (sessions.length === 0) return []
  const byId = new Map<string, ExistingSession>()
  for (const s of sessions) {
    byId.set(s.id, {
      id: s.id,
      typeId: s.type_id,
      date: s.date,
      startTime: s.start_time,
      durationMinutes: s.duration_minutes,
      status: s.status,
      supervisorIds: [],
      superviseeIds: [],
    })
  }
  const ids = [...byId.keys()]
  for (let i = 0; i < ids.length; i += 5000) {
    const participants = await db
      .selectFrom('session_participant')
      .select(['session_id', 'person_id', 'role', 'attended'])
      .where('session_id', 'in', ids.slice(i, i + 5000))
      .execute()
    for (const p of participants) {
      const session = byId.get(p.session_id)
      if (!session || p.attended === false) continue
      ;(p.role === 'supervisor' ? (session.supervisorIds as string[]) : (session.superviseeIds as string[])).push(
        p.person_id,
      )
    }
  }
  return [...byId.values()]
}

export interface PersonBusySlot {
  personId: string
  role: 'supervisor' | 'supervisee'
  date: IsoDate
  startTime: string | null
  durationMinutes: number | null
}

/**
 * The planned or held sessions `personIds` take part in between two dates, in any school of the
 * organisation `schoolId` belongs to: one entry per person and session.
 */
export async function liveSessionsOfPeople(
  db: DbOrTrx,
  schoolId: string,
  personIds: readonly string[],
  from: IsoDate,
  to: IsoDate,
): Promise<PersonBusySlot[]> {
  const rows = await db
    .selectFrom('supervision_session as s')
    .innerJoin('session_participant as p', 'p.session_id', 's.id')
    .innerJoin('school as sc', 'sc.id', 's.school_id')
    .select(['s.date', 's.start_time', 's.duration_minutes', 'p.person_id', 'p.role'])
    .where('p.person_id', 'in', [...personIds])
    .where('sc.organisation_id', '=', organisationOfSchool(db, schoolId))
    .where('s.status', 'in', ['planned', 'held'])
    .where('s.date', '>=', from)
    .where('s.date', '<=', to)
    .execute()
  return rows.map((r) => ({
    personId: r.person_id,
    role: r.role,
    date: r.date,
    startTime: r.start_time,
    durationMinutes: r.duration_minutes,
  }))
}

// --- Settings --------------------------------------------------------------------------------

export interface StoredPlannerSettings extends PlanLimits {
  preparationWorkingDays: number
  version: number
}

type SettingRow = {
  max_per_day: number
  max_per_week: number
  day_starts_at: string
  day_ends_at: string
  preparation_working_days: number
  version: number
}

function settingsFromRow(row: SettingRow): StoredPlannerSettings {
  return {
    maxPerDay: row.max_per_day,
    maxPerWeek: row.max_per_week,
    dayStartsAt: row.day_starts_at,
    dayEndsAt: row.day_ends_at,
    preparationWorkingDays: row.preparation_working_days,
    version: row.version,
  }
}

/** The school's saved settings; null while it has the defaults. */
export async function storedPlannerSettings(
  db: DbOrTrx,
  schoolId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPlannerSettings | null> {
  let query = db.selectFrom('planner_setting').selectAll().where('school_id', '=', schoolId)
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row ? settingsFromRow(row) : null
}

/** Every school's saved settings, by school id (for the reminder jobs, which run for every school). */
export async function everySchoolsPlannerSettings(db: DbOrTrx): Promise<Map<string, StoredPlannerSettings>> {
  const rows = await db.selectFrom('planner_setting').selectAll().execute()
  return new Map(rows.map((row) => [row.school_id, settingsFromRow(row)]))
}

/** Writes the school's settings as `version` (1 creates the row). */
export async function writePlannerSettings(
  db: DbOrTrx,
  schoolId: string,
  input: { settings: Omit<StoredPlannerSettings, 'version'>; version: number; actorId: string; at: Date },
): Promise<void> {
  const values = {
    max_per_day: input.settings.maxPerDay,
    max_per_week: input.settings.maxPerWeek,
    day_starts_at: input.settings.dayStartsAt,
    day_ends_at: input.settings.dayEndsAt,
    preparation_working_days: input.settings.preparationWorkingDays,
    updated_by: input.actorId,
    updated_at: input.at,
  }
  if (input.version > 1) {
    await db
      .updateTable('planner_setting')
      .set({ ...values, version: input.version })
      .where('school_id', '=', schoolId)
      .execute()
  } else {
    await db
      .insertInto('planner_setting')
      .values({ school_id: schoolId, ...values })
      .execute()
  }
}

// --- The draft -------------------------------------------------------------------------------

export interface PlannerDraftHead {
  id: string
  yearId: string
  from: IsoDate
  until: IsoDate
  version: number
  createdAt: Date
  unplaceable: { personId: string; requirementId: string | null; reason: string }[]
}

export interface PlannerDraftLine {
  id: string
  draftId: string
  superviseeId: string
  supervisorId: string
  typeId: string
  requirementId: string
  date: IsoDate
  startTime: string
  durationMinutes: number
  /** CA-05: lines of one team's group session share it. */
  groupKey?: string | null
}

export interface ProposedLine {
  superviseeId: string
  supervisorId: string
  typeId: string
  requirementId: string
  date: IsoDate
  startTime: string
  durationMinutes: number
  /** CA-05: lines of one team's group session share it; they become one session. */
  groupKey?: string | null
  teamId?: string | null
}

type DraftRowRow = {
  id: string
  draft_id: string
  supervisee_id: string
  supervisor_id: string
  type_id: string
  requirement_id: string
  date: IsoDate
  start_time: string
  duration_minutes: number
  group_key?: string | null
}

function lineFromRow(r: DraftRowRow): PlannerDraftLine {
  return {
    id: r.id,
    draftId: r.draft_id,
    superviseeId: r.supervisee_id,
    supervisorId: r.supervisor_id,
    typeId: r.type_id,
    requirementId: r.requirement_id,
    date: r.date,
    startTime: r.start_time,
    durationMinutes: r.duration_minutes,
    groupKey: r.group_key ?? null,
  }
}

/** Two people proposing for the same school and year at once: one after the other (until the transaction ends). */
export async function lockPlannerYear(trx: DbOrTrx, schoolId: string, yearId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`haven.planner:${schoolId}:${yearId}`}))`.execute(trx)
}

/** Replaces the school's draft for the year with a new one holding `proposals`; its id. */
export async function replacePlannerDraft(
  trx: DbOrTrx,
  schoolId: string,
  input: {
    yearId: string
    from: IsoDate
    until: IsoDate
    unplaceable: PlannerDraftHead['unplaceable']
    createdBy: string | null
    proposals: readonly ProposedLine[]
    /** LH-08: warnings given while planning. */
    warnings?: readonly { personId: string; reason: string }[]
  },
): Promise<string> {
  await trx.deleteFrom('planner_draft').where('school_id', '=', schoolId).where('year_id', '=', input.yearId).execute()
  const draft = await trx
    .insertInto('planner_draft')
    .values({
      school_id: schoolId,
      year_id: input.yearId,
      plan_from: input.from,
      plan_until: input.until,
      unplaceable: JSON.stringify(input.unplaceable),
      warnings: JSON.stringify(input.warnings ?? []),
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let i = 0; i < input.proposals.length; i += CHUNK) {
    await trx
      .insertInto('planner_draft_row')
      .values(
        input.proposals.slice(i, i + CHUNK).map((p) => ({
          draft_id: draft.id,
          supervisee_id: p.superviseeId,
          supervisor_id: p.supervisorId,
          type_id: p.typeId,
          requirement_id: p.requirementId,
          date: p.date,
          start_time: p.startTime,
          duration_minutes: p.durationMinutes,
          group_key: p.groupKey ?? null,
          team_id: p.teamId ?? null,
        })),
      )
      .execute()
  }
  return draft.id
}

/** The school's draft for the year (locked when `forUpdate`), or null. */
export async function plannerDraft(
  db: DbOrTrx,
  schoolId: string,
  yearId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PlannerDraftHead | null> {
  let query = db.selectFrom('planner_draft').selectAll().where('school_id', '=', schoolId).where('year_id', '=', yearId)
  if (options.forUpdate) query = query.forUpdate()
  const draft = await query.executeTakeFirst()
  if (!draft) return null
  return {
    id: draft.id,
    yearId: draft.year_id,
    from: draft.plan_from,
    until: draft.plan_until,
    version: draft.version,
    createdAt: draft.created_at,
    unplaceable: draft.unplaceable,
  }
}

/** The rows of one of the school's drafts, in date and time order. */
export async function plannerDraftLines(db: DbOrTrx, schoolId: string, draftId: string): Promise<PlannerDraftLine[]> {
  const rows = await db
    .selectFrom('planner_draft_row as r')
    .innerJoin('planner_draft as d', 'd.id', 'r.draft_id')
    .selectAll('r')
    .where('r.draft_id', '=', draftId)
    .where('d.school_id', '=', schoolId)
    .orderBy('r.date')
    .orderBy('r.start_time')
    .orderBy('r.id')
    .execute()
  return rows.map(lineFromRow)
}

export interface PlannerDraftLineInDraft extends PlannerDraftLine {
  yearId: string
  from: IsoDate
  until: IsoDate
}

/** One row of one of the school's drafts, with its draft's year and dates (locked when `forUpdate`). */
export async function plannerDraftLine(
  db: DbOrTrx,
  schoolId: string,
  rowId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PlannerDraftLineInDraft | null> {
  let query = db
    .selectFrom('planner_draft_row as r')
    .innerJoin('planner_draft as d', 'd.id', 'r.draft_id')
    .selectAll('r')
    .select(['d.year_id', 'd.plan_from', 'd.plan_until'])
    .where('r.id', '=', rowId)
    .where('d.school_id', '=', schoolId)
  if (options.forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) return null
  return { ...lineFromRow(row), yearId: row.year_id, from: row.plan_from, until: row.plan_until }
}

/** Rows of one of the school's drafts in a date range involving `personIds`, leaving out `exceptRowId`. */
export async function plannerDraftLinesOfPeople(
  db: DbOrTrx,
  schoolId: string,
  input: { draftId: string; exceptRowId: string; personIds: readonly string[]; from: IsoDate; to: IsoDate },
): Promise<PlannerDraftLine[]> {
  const ids = [...input.personIds]
  const rows = await db
    .selectFrom('planner_draft_row as r')
    .innerJoin('planner_draft as d', 'd.id', 'r.draft_id')
    .selectAll('r')
    .where('d.school_id', '=', schoolId)
    .where('r.draft_id', '=', input.draftId)
    .where('r.id', '!=', input.exceptRowId)
    .where('r.date', '>=', input.from)
    .where('r.date', '<=', input.to)
    .where((eb) => eb.or([eb('r.supervisee_id', 'in', ids), eb('r.supervisor_id', 'in', ids)]))
    .execute()
  return rows.map(lineFromRow)
}

/** Marks one of the school's drafts as changed (its version goes up by one). */
export async function bumpPlannerDraft(db: DbOrTrx, schoolId: string, draftId: string): Promise<void> {
  await db
    .updateTable('planner_draft')
    .set({ version: sql<number>`version + 1` })
    .where('id', '=', draftId)
    .where('school_id', '=', schoolId)
    .execute()
}

/** Deletes one row of one of the school's drafts. */
export async function deletePlannerDraftLine(db: DbOrTrx, schoolId: string, rowId: string): Promise<void> {
  await db
    .deleteFrom('planner_draft_row')
    .where('id', '=', rowId)
    .where('draft_id', 'in', (eb) => eb.selectFrom('planner_draft').select('id').where('school_id', '=', schoolId))
    .execute()
}

/** Moves one row of one of the school's drafts to another day and time. */
export async function movePlannerDraftLine(
  db: DbOrTrx,
  schoolId: string,
  rowId: string,
  to: { date: IsoDate; startTime: string },
): Promise<void> {
  await db
    .updateTable('planner_draft_row')
    .set({ date: to.date, start_time: to.startTime })
    .where('id', '=', rowId)
    .where('draft_id', 'in', (eb) => eb.selectFrom('planner_draft').select('id').where('school_id', '=', schoolId))
    .execute()
}

/** Deletes the school's draft for the year; its id, or null when there was none. */
export async function deletePlannerDraftOfYear(db: DbOrTrx, schoolId: string, yearId: string): Promise<string | null> {
  const deleted = await db
    .deleteFrom('planner_draft')
    .where('school_id', '=', schoolId)
    .where('year_id', '=', yearId)
    .returning('id')
    .executeTakeFirst()
  return deleted?.id ?? null
}

/** Deletes one of the school's drafts (its rows go with it). */
export async function deletePlannerDraft(db: DbOrTrx, schoolId: string, draftId: string): Promise<void> {
  await db.deleteFrom('planner_draft').where('id', '=', draftId).where('school_id', '=', schoolId).execute()
}

// --- Planned sessions ------------------------------------------------------------------------

/**
 * Creates one planned session per line for the school, each with its supervisor and supervisee;
 * the new sessions' ids, in the order of `lines`.
 */
export async function insertPlannedSessions(
  trx: DbOrTrx,
  schoolId: string,
  lines: readonly Omit<ProposedLine, 'requirementId'>[],
  createdBy: string | null,
): Promise<string[]> {
  // CA-05: lines sharing a group key (one team's group session) become one session with every member.
  const idOf = new Map<string, string>()
  const lineIds = lines.map((line, i) => {
    const key = line.groupKey ? `g:${line.groupKey}` : `l:${i}`
    let id = idOf.get(key)
    if (id === undefined) {
      id = randomUUID()
      idOf.set(key, id)
    }
    return id
  })
  const firsts = new Map<string, (typeof lines)[number]>()
  lines.forEach((line, i) => {
    if (!firsts.has(lineIds[i]!)) firsts.set(lineIds[i]!, line)
  })
  const sessions = [...firsts].map(([id, line]) => ({ id, line }))
  for (let i = 0; i < sessions.length; i += CHUNK) {
    const chunk = sessions.slice(i, i + CHUNK)
    await trx
      .insertInto('supervision_session')
      .values(
        chunk.map(({ line, id }) => ({
          id,
          school_id: schoolId,
          type_id: line.typeId,
          date: line.date,
          start_time: line.startTime,
          duration_minutes: line.durationMinutes,
          status: 'planned',
          created_by: createdBy,
        })),
      )
      .execute()
  }
  const participants = new Map<
    string,
    { session_id: string; person_id: string; role: 'supervisor' | 'supervisee'; attended: null }
  >()
  lines.forEach((line, i) => {
    const sessionId = lineIds[i]!
    for (const [personId, role] of [
      [line.supervisorId, 'supervisor'],
      [line.superviseeId, 'supervisee'],
    ] as const) {
      participants.set(`${sessionId}:${personId}`, { session_id: sessionId, person_id: personId, role, attended: null })
    }
  })
  const rows = [...participants.values()]
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('session_participant')
      .values(rows.slice(i, i + CHUNK))
      .execute()
  }
  return lineIds
}

export interface PlannedSessionRow {
  id: string
  date: IsoDate
  startTime: string | null
  typeId: string
  supervisors: string[]
  supervisees: string[]
}

/** The school's planned sessions between two dates (the first `limit`, in date order, with names), and how many there are. */
export async function plannedSessionsBetween(
  db: DbOrTrx,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
  limit: number,
): Promise<{ sessions: PlannedSessionRow[]; total: number }> {
  const base = db
    .selectFrom('supervision_session')
    .where('school_id', '=', schoolId)
    .where('status', '=', 'planned')
    .where('date', '>=', from)
    .where('date', '<=', to)
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'date', 'start_time', 'type_id'])
      .orderBy('date')
      .orderBy('start_time')
      .orderBy('id')
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  if (rows.length === 0) return { sessions: [], total: 0 }
  const participants = await db
    .selectFrom('session_participant as p')
    .innerJoin('person as x', 'x.id', 'p.person_id')
    .select(['p.session_id', 'p.role', 'x.name'])
    .where(
      'p.session_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('x.name')
    .execute()
  const bySession = new Map<string, { supervisors: string[]; supervisees: string[] }>()
  for (const p of participants) {
    const entry = bySession.get(p.session_id) ?? { supervisors: [], supervisees: [] }
    ;(p.role === 'supervisor' ? entry.supervisors : entry.supervisees).push(p.name)
    bySession.set(p.session_id, entry)
  }
  return {
    total: Number(count.n),
    sessions: rows.map((r) => ({
      id: r.id,
      date: r.date,
      startTime: r.start_time,
      typeId: r.type_id,
      supervisors: bySession.get(r.id)?.supervisors ?? [],
      supervisees: bySession.get(r.id)?.supervisees ?? [],
    })),
  }
}
