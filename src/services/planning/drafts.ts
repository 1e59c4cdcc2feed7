/**
 * The annual planner's draft (CA-02, MW-01, MW-04): the proposal for a school's year, kept while
 * the DSL checks it, changes a date or removes a session, then confirmed in one go. Confirming
 * creates every planned session in one transaction (all or nothing), tells each person their
 * dates, and deletes the draft. Optimistic locking: the draft's version changes with every edit,
 * and a confirmation of an older version is refused.
 */
import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.ts'
import {
  fromDayNumber,
  halfTermOn,
  type IsoDate,
  isoWeekday,
  isValidIsoDate,
  type SchoolCalendar,
  toDayNumber,
} from '../../domain/calendar/index.ts'
import {
  Diary,
  fallbackDurationMinutes,
  minutesOfTime,
  type PlanGap,
  planGaps,
  planYear,
  proposalDateProblem,
  supervisorLimitProblem,
  timeOfMinutes,
} from '../../domain/planning/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { sessionInvitations } from '../sessions/invitations.ts'
import { personFromRow } from '../staff/repository.ts'
import { type LoadedPlanInput, loadPlanInput } from './inputs.ts'
import { sessionWhen } from './wording.ts'

type Db = Kysely<Database>

export interface DraftRow {
  id: string
  superviseeId: string
  superviseeName: string
  supervisorId: string
  supervisorName: string
  typeId: string
  typeName: string
  requirementId: string
  date: IsoDate
  startTime: string
  durationMinutes: number
  /** '2026-27/autumn-1', or '' outside every half term. */
  halfTermId: string
  halfTermName: string
}

export interface DraftView {
  id: string
  yearId: string
  from: IsoDate
  until: IsoDate
  version: number
  createdAt: Date
  rows: DraftRow[]
  unplaceable: { personId: string; name: string; reason: string }[]
}

export interface ProposeResult {
  draftId: string
  proposals: number
  unplaceable: number
}

const CHUNK = 500

/** Makes a fresh proposal for the year and keeps it as the school's draft, replacing any earlier one. */
export async function proposeDraft(
  db: Db,
  input: { schoolId: string; yearId: string; today: IsoDate; actorId: string | null },
): Promise<ProposeResult> {
  const loaded = await loadPlanInput(db, input.schoolId, input.yearId, input.today)
  const plan = planYear(loaded.input)
  return db.transaction().execute(async (trx) => {
    // Two people proposing at once: one after the other, the later proposal replacing the earlier.
    await sql`select pg_advisory_xact_lock(hashtext(${`haven.planner:${input.schoolId}:${input.yearId}`}))`.execute(trx)
    await trx
      .deleteFrom('planner_draft')
      .where('school_id', '=', input.schoolId)
      .where('year_id', '=', input.yearId)
      .execute()
    const draft = await trx
      .insertInto('planner_draft')
      .values({
        school_id: input.schoolId,
        year_id: input.yearId,
        plan_from: plan.from,
        plan_until: plan.until,
        unplaceable: JSON.stringify(plan.unplaceable),
        created_by: input.actorId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (let i = 0; i < plan.proposals.length; i += CHUNK) {
      await trx
        .insertInto('planner_draft_row')
        .values(
          plan.proposals.slice(i, i + CHUNK).map((p) => ({
            draft_id: draft.id,
            supervisee_id: p.superviseeId,
            supervisor_id: p.supervisorId,
            type_id: p.typeId,
            requirement_id: p.requirementId,
            date: p.date,
            start_time: p.startTime,
            duration_minutes: p.durationMinutes,
          })),
        )
        .execute()
    }
    await recordAudit(trx, {
      action: 'planner.proposed',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: loaded.school.organisationId,
      schoolId: input.schoolId,
      detail: {
        yearId: input.yearId,
        from: plan.from,
        proposals: plan.proposals.length,
        unplaceable: plan.unplaceable.length,
      },
    })
    return { draftId: draft.id, proposals: plan.proposals.length, unplaceable: plan.unplaceable.length }
  })
}

async function namesOf(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  const names = new Map<string, string>()
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('person')
      .select(['id', 'name'])
      .where('id', 'in', unique.slice(i, i + 5000))
      .execute()
    for (const row of rows) names.set(row.id, row.name)
  }
  return names
}

async function typeNamesOf(db: Db, schoolId: string): Promise<Map<string, string>> {
  const latest = await db
    .selectFrom('policy_version')
    .select('document')
    .where('school_id', '=', schoolId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  const types = ((latest?.document as { sessionTypes?: { id: string; name: string }[] } | undefined)?.sessionTypes ??
    []) as { id: string; name: string }[]
  return new Map(types.map((t) => [t.id, t.name]))
}

/** The school's draft for the year, with names, in date order; null when there is none. */
export async function getDraft(
  db: Db,
  schoolId: string,
  yearId: string,
  calendar: SchoolCalendar,
): Promise<DraftView | null> {
  const draft = await db
    .selectFrom('planner_draft')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('year_id', '=', yearId)
    .executeTakeFirst()
  if (!draft) return null
  const rows = await db
    .selectFrom('planner_draft_row')
    .selectAll()
    .where('draft_id', '=', draft.id)
    .orderBy('date')
    .orderBy('start_time')
    .orderBy('id')
    .execute()
  const names = await namesOf(db, [
    ...rows.flatMap((r) => [r.supervisee_id, r.supervisor_id]),
    ...draft.unplaceable.map((u) => u.personId),
  ])
  const typeNames = await typeNamesOf(db, schoolId)
  return {
    id: draft.id,
    yearId: draft.year_id,
    from: draft.plan_from,
    until: draft.plan_until,
    version: draft.version,
    createdAt: draft.created_at,
    rows: rows.map((r) => {
      const half = halfTermOn(calendar, r.date)
      return {
        id: r.id,
        superviseeId: r.supervisee_id,
        superviseeName: names.get(r.supervisee_id) ?? 'Someone',
        supervisorId: r.supervisor_id,
        supervisorName: names.get(r.supervisor_id) ?? 'Someone',
        typeId: r.type_id,
        typeName: typeNames.get(r.type_id) ?? r.type_id,
        requirementId: r.requirement_id,
        date: r.date,
        startTime: r.start_time,
        durationMinutes: r.duration_minutes,
        halfTermId: half ? `${half.year.id}/${half.halfTerm.id}` : '',
        halfTermName: half ? half.halfTerm.name : 'Outside term',
      }
    }),
    unplaceable: draft.unplaceable.map((u) => ({
      personId: u.personId,
      name: names.get(u.personId) ?? 'Someone',
      reason: u.reason,
    })),
  }
}

/**
 * What the draft would still leave undone if every row were held (after the DSL moved or removed
 * sessions), judged by the compliance engine.
 */
export function draftGaps(
  loaded: LoadedPlanInput,
  draft: Pick<DraftView, 'from' | 'rows'>,
): (PlanGap & { name: string })[] {
  const proposals = draft.rows.map((r) => ({
    superviseeId: r.superviseeId,
    supervisorId: r.supervisorId,
    typeId: r.typeId,
    date: r.date,
    startTime: r.startTime,
    durationMinutes: r.durationMinutes,
    requirementId: r.requirementId,
  }))
  const gaps = planGaps(loaded.input, { from: draft.from, horizon: loaded.span.horizon }, proposals)
  return gaps.map((gap) => ({ ...gap, name: loaded.names.get(gap.personId) ?? 'Someone' }))
}

async function bumpDraft(db: Db, draftId: string): Promise<void> {
  await db.updateTable('planner_draft').set({ version: sql<number>`version + 1` }).where('id', '=', draftId).execute()
}

/** Removes one proposed session from the school's draft. False when there is no such row. */
export async function removeDraftRow(db: Db, input: { schoolId: string; rowId: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('planner_draft_row as r')
      .innerJoin('planner_draft as d', 'd.id', 'r.draft_id')
      .select(['r.id', 'd.id as draft_id'])
      .where('r.id', '=', input.rowId)
      .where('d.school_id', '=', input.schoolId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return false
    await trx.deleteFrom('planner_draft_row').where('id', '=', row.id).execute()
    await bumpDraft(trx, row.draft_id)
    return true
  })
}

export interface DraftRowDetail extends DraftRow {
  draftId: string
  yearId: string
  from: IsoDate
  until: IsoDate
}

export async function getDraftRow(
  db: Db,
  schoolId: string,
  rowId: string,
  calendar: SchoolCalendar | null = null,
): Promise<DraftRowDetail | null> {
  const row = await db
    .selectFrom('planner_draft_row as r')
    .innerJoin('planner_draft as d', 'd.id', 'r.draft_id')
    .selectAll('r')
    .select(['d.year_id', 'd.plan_from', 'd.plan_until'])
    .where('r.id', '=', rowId)
    .where('d.school_id', '=', schoolId)
    .executeTakeFirst()
  if (!row) return null
  const names = await namesOf(db, [row.supervisee_id, row.supervisor_id])
  const typeNames = await typeNamesOf(db, schoolId)
  const half = calendar ? halfTermOn(calendar, row.date) : null
  return {
    id: row.id,
    draftId: row.draft_id,
    yearId: row.year_id,
    from: row.plan_from,
    until: row.plan_until,
    superviseeId: row.supervisee_id,
    superviseeName: names.get(row.supervisee_id) ?? 'Someone',
    supervisorId: row.supervisor_id,
    supervisorName: names.get(row.supervisor_id) ?? 'Someone',
    typeId: row.type_id,
    typeName: typeNames.get(row.type_id) ?? row.type_id,
    requirementId: row.requirement_id,
    date: row.date,
    startTime: row.start_time,
    durationMinutes: row.duration_minutes,
    halfTermId: half ? `${half.year.id}/${half.halfTerm.id}` : '',
    halfTermName: half ? half.halfTerm.name : '',
  }
}

export type ChangeDateResult =
  | { ok: true }
  | { ok: false; kind: 'problem'; message: string }
  | { ok: false; kind: 'not-found' }

/**
 * Moves one proposed session to another day: a working day in term, on both people's working
 * days, within the supervisor's limits (counting sessions already in Haven and the rest of the
 * draft), at the earliest time both are free.
 */
export async function changeDraftRowDate(
  db: Db,
  input: { schoolId: string; rowId: string; date: IsoDate },
): Promise<ChangeDateResult> {
  if (!isValidIsoDate(input.date)) return { ok: false, kind: 'problem', message: 'The date must be a real date' }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('planner_draft_row as r')
      .innerJoin('planner_draft as d', 'd.id', 'r.draft_id')
      .selectAll('r')
      .select(['d.plan_from', 'd.plan_until', 'd.year_id'])
      .where('r.id', '=', input.rowId)
      .where('d.school_id', '=', input.schoolId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return { ok: false, kind: 'not-found' } as const
    const people = await trx
      .selectFrom('person')
      .selectAll()
      .where('id', 'in', [row.supervisee_id, row.supervisor_id])
      .execute()
    const supervisee = people.find((p) => p.id === row.supervisee_id)
    const supervisor = people.find((p) => p.id === row.supervisor_id)
    if (!supervisee || !supervisor) return { ok: false, kind: 'not-found' } as const
    const calendar = await schoolCalendar(trx, input.schoolId, row.plan_from)
    const problem = proposalDateProblem({
      calendar,
      date: input.date,
      from: row.plan_from,
      until: row.plan_until,
      supervisee: personFromRow(supervisee),
      supervisor: personFromRow(supervisor),
    })
    if (problem) return { ok: false, kind: 'problem', message: problem } as const

    // What else the two have that week: sessions in Haven and the rest of the draft.
    const day = toDayNumber(input.date)
    const monday = day - (isoWeekday(input.date) - 1)
    const weekFrom = fromDayNumber(monday)
    const weekTo = fromDayNumber(monday + 6)
    const ids = [row.supervisee_id, row.supervisor_id]
    const sessions = await trx
      .selectFrom('supervision_session as s')
      .innerJoin('session_participant as p', 'p.session_id', 's.id')
      .select(['s.id', 's.date', 's.start_time', 's.duration_minutes', 'p.person_id', 'p.role'])
      .where('p.person_id', 'in', ids)
      .where('s.status', 'in', ['planned', 'held'])
      .where('s.date', '>=', weekFrom)
      .where('s.date', '<=', weekTo)
      .execute()
    const drafted = await trx
      .selectFrom('planner_draft_row')
      .selectAll()
      .where('draft_id', '=', row.draft_id)
      .where('id', '!=', row.id)
      .where('date', '>=', weekFrom)
      .where('date', '<=', weekTo)
      .where((eb) => eb.or([eb('supervisee_id', 'in', ids), eb('supervisor_id', 'in', ids)]))
      .execute()
    const settings = await trx
      .selectFrom('planner_setting')
      .selectAll()
      .where('school_id', '=', input.schoolId)
      .executeTakeFirst()
    const limits = {
      maxPerDay: settings?.max_per_day ?? 3,
      maxPerWeek: settings?.max_per_week ?? 10,
      dayStartsAt: settings?.day_starts_at ?? '09:00',
      dayEndsAt: settings?.day_ends_at ?? '17:00',
    }
    const diary = new Diary(limits)
    for (const s of sessions) {
      const d = toDayNumber(s.date)
      if (s.role === 'supervisor' && s.person_id === row.supervisor_id) diary.addSupervising(s.person_id, d)
      if (s.start_time)
        diary.addBusy(s.person_id, d, minutesOfTime(s.start_time), s.duration_minutes ?? fallbackDurationMinutes)
    }
    for (const r of drafted) {
      const d = toDayNumber(r.date)
      if (r.supervisor_id === row.supervisor_id) diary.addSupervising(r.supervisor_id, d)
      for (const id of [r.supervisee_id, r.supervisor_id]) {
        if (ids.includes(id)) diary.addBusy(id, d, minutesOfTime(r.start_time), r.duration_minutes)
      }
    }
    const limitProblem = supervisorLimitProblem(
      limits,
      supervisor.name,
      diary.dayCount(row.supervisor_id, day),
      diary.weekCount(row.supervisor_id, day),
    )
    if (limitProblem) return { ok: false, kind: 'problem', message: limitProblem } as const
    const start = diary.freeStart(diary.of(row.supervisor_id), diary.of(row.supervisee_id), day, row.duration_minutes)
    if (start === null) {
      return {
        ok: false,
        kind: 'problem',
        message: `${supervisee.name} and ${supervisor.name} have no free time together that day: choose another date`,
      } as const
    }
    await trx
      .updateTable('planner_draft_row')
      .set({ date: input.date, start_time: timeOfMinutes(start) })
      .where('id', '=', row.id)
      .execute()
    await bumpDraft(trx, row.draft_id)
    return { ok: true } as const
  })
}

/** Drops the school's draft for the year. */
export async function discardDraft(
  db: Db,
  input: { schoolId: string; organisationId: string; yearId: string; actorId: string | null },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('planner_draft')
      .where('school_id', '=', input.schoolId)
      .where('year_id', '=', input.yearId)
      .returning('id')
      .executeTakeFirst()
    if (!deleted) return false
    await recordAudit(trx, {
      action: 'planner.discarded',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { yearId: input.yearId, draftId: deleted.id },
    })
    return true
  })
}

export type ConfirmResult =
  | { ok: true; created: number }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'empty' }

/**
 * Turns every row of the draft into a planned session with its supervisor and supervisee, tells
 * each person their dates, and deletes the draft: all in one transaction, so either every session
 * is planned or none is. Refused when the draft changed since `expectedVersion` was shown.
 */
export async function confirmDraft(
  db: Db,
  input: {
    schoolId: string
    organisationId: string
    yearId: string
    expectedVersion: number
    actorId: string | null
    baseUrl: string
  },
): Promise<ConfirmResult> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom('planner_draft')
      .selectAll()
      .where('school_id', '=', input.schoolId)
      .where('year_id', '=', input.yearId)
      .forUpdate()
      .executeTakeFirst()
    if (!draft) return { ok: false, kind: 'not-found' } as const
    if (draft.version !== input.expectedVersion) return { ok: false, kind: 'conflict' } as const
    const rows = await trx
      .selectFrom('planner_draft_row')
      .selectAll()
      .where('draft_id', '=', draft.id)
      .orderBy('date')
      .orderBy('start_time')
      .orderBy('id')
      .execute()
    if (rows.length === 0) return { ok: false, kind: 'empty' } as const
    const sessions = rows.map((row) => ({ row, id: randomUUID() }))
    for (let i = 0; i < sessions.length; i += CHUNK) {
      const chunk = sessions.slice(i, i + CHUNK)
      await trx
        .insertInto('supervision_session')
        .values(
          chunk.map(({ row, id }) => ({
            id,
            school_id: input.schoolId,
            type_id: row.type_id,
            date: row.date,
            start_time: row.start_time,
            duration_minutes: row.duration_minutes,
            status: 'planned',
            created_by: input.actorId,
          })),
        )
        .execute()
      await trx
        .insertInto('session_participant')
        .values(
          chunk.flatMap(({ row, id }) => [
            { session_id: id, person_id: row.supervisor_id, role: 'supervisor' as const, attended: null },
            { session_id: id, person_id: row.supervisee_id, role: 'supervisee' as const, attended: null },
          ]),
        )
        .execute()
    }
    await trx.deleteFrom('planner_draft').where('id', '=', draft.id).execute()

    // Each person is told their dates once.
    const people = await trx
      .selectFrom('person')
      .select(['id', 'name', 'email', 'end_date'])
      .where('id', 'in', [...new Set(rows.flatMap((r) => [r.supervisee_id, r.supervisor_id]))])
      .execute()
    const byId = new Map(people.map((p) => [p.id, p]))
    const school = await trx
      .selectFrom('school')
      .select('name')
      .where('id', '=', input.schoolId)
      .executeTakeFirstOrThrow()
    const typeNames = await typeNamesOf(trx, input.schoolId)
    const lines = new Map<string, string[]>()
    const sessionsOf = new Map<string, string[]>()
    for (const { row, id } of sessions) {
      const type = typeNames.get(row.type_id) ?? 'Supervision'
      const when = sessionWhen(row.date, row.start_time)
      const add = (personId: string, other: string, role: string) => {
        const list = lines.get(personId) ?? []
        list.push(`- ${when}: ${type} ${role} ${byId.get(other)?.name ?? 'someone'}`)
        lines.set(personId, list)
        const ids = sessionsOf.get(personId) ?? []
        ids.push(id)
        sessionsOf.set(personId, ids)
      }
      add(row.supervisee_id, row.supervisor_id, 'with')
      add(row.supervisor_id, row.supervisee_id, 'for')
    }
    // Issue 6 item 6: each planned session as its own invitation (METHOD:REQUEST, one UID each).
    const invitations = await sessionInvitations(
      trx,
      sessions.map((s) => s.id),
      (typeId) => typeNames.get(typeId) ?? 'Supervision',
      'REQUEST',
      input.baseUrl,
    )
    const dateOf = new Map<string, string>(sessions.map((s) => [s.id, s.row.date]))
    const host = new URL(input.baseUrl).hostname
    for (const [personId, list] of lines) {
      const person = byId.get(personId)
      if (!person?.email) continue
      const named = new Map<string, number>()
      const attachments = (sessionsOf.get(personId) ?? []).flatMap((sessionId) => {
        const invitation = invitations.get(sessionId)
        if (!invitation?.attendeeIds.has(personId)) return []
        const date = dateOf.get(sessionId) ?? ''
        const n = (named.get(date) ?? 0) + 1
        named.set(date, n)
        const filename = n === 1 ? `invite-${date}.ics` : `invite-${date}-${n}.ics`
        return [{ ...invitation.attachment, filename }]
      })
      await enqueueEmail(trx, {
        to: person.email,
        subject: `Your supervision sessions for ${input.yearId} have been planned`,
        text: [
          `Dear ${person.name},`,
          '',
          `Supervision sessions for ${input.yearId} at ${school.name} have been planned. Yours are:`,
          '',
          ...list,
          '',
          `To see them in your own calendar, turn on your calendar feed: ${input.baseUrl}/account/calendar-feed`,
          '',
          'Haven',
        ].join('\n'),
        ...(attachments.length > 0 ? { attachments } : {}),
        organisationId: input.organisationId,
        dedupeKey: `planner:confirmed:${draft.id}:${personId}`,
        messageIdDomain: /^[A-Za-z0-9.-]+$/.test(host) ? host : undefined,
      })
    }
    await recordAudit(trx, {
      action: 'planner.confirmed',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { yearId: input.yearId, draftId: draft.id, sessions: sessions.length },
    })
    return { ok: true, created: sessions.length } as const
  })
}

export interface PlannedSession {
  id: string
  date: IsoDate
  startTime: string | null
  typeName: string
  supervisors: string[]
  supervisees: string[]
  halfTermName: string
}

/** The school's planned sessions between two dates (the year's), with names, in date order. */
export async function plannedSessions(
  db: Db,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
  calendar: SchoolCalendar,
  limit = 2000,
): Promise<{ sessions: PlannedSession[]; total: number }> {
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
  const typeNames = await typeNamesOf(db, schoolId)
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
      typeName: typeNames.get(r.type_id) ?? r.type_id,
      supervisors: bySession.get(r.id)?.supervisors ?? [],
      supervisees: bySession.get(r.id)?.supervisees ?? [],
      halfTermName: halfTermOn(calendar, r.date)?.halfTerm.name ?? 'Outside term',
    })),
  }
}
