/**
 * The annual planner's draft (CA-02, MW-01, MW-04): the proposal for a school's year, kept while
 * the DSL checks it, changes a date or removes a session, then confirmed in one go. Confirming
 * creates every planned session in one transaction (all or nothing), tells each person their
 * dates, and deletes the draft. Optimistic locking: the draft's version changes with every edit,
 * and a confirmation of an older version is refused.
 */

import type { DbOrTrx } from '../../db/repositories/connection.ts'
import {
  bumpPlannerDraft,
  deletePlannerDraft,
  deletePlannerDraftLine,
  deletePlannerDraftOfYear,
  insertPlannedSessions,
  liveSessionsOfPeople,
  lockPlannerYear,
  movePlannerDraftLine,
  peopleInOrganisationOf,
  personContacts,
  personNames,
  plannedSessionsBetween,
  plannerDraft,
  plannerDraftLine,
  plannerDraftLines,
  plannerDraftLinesOfPeople,
  replacePlannerDraft,
} from '../../db/repositories/planning.ts'
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
import { paths } from '../../paths/index.ts'
import { recordAudit } from '../audit.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { policyBook } from '../policy/on-date.ts'
import { sessionInvitations } from '../sessions/invitations.ts'
import { type LoadedPlanInput, loadPlanInput, schoolForPlanning } from './inputs.ts'
import { plannerSettings } from './settings.ts'
import { sessionWhen } from './wording.ts'

type Db = DbOrTrx

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

/** Makes a fresh proposal for the year and keeps it as the school's draft, replacing any earlier one. */
export async function proposeDraft(
  db: Db,
  input: { schoolId: string; yearId: string; today: IsoDate; actorId: string | null },
): Promise<ProposeResult> {
  const loaded = await loadPlanInput(db, input.schoolId, input.yearId, input.today)
  const plan = planYear(loaded.input)
  return db.transaction().execute(async (trx) => {
    // Two people proposing at once: one after the other, the later proposal replacing the earlier.
    await lockPlannerYear(trx, input.schoolId, input.yearId)
    const draftId = await replacePlannerDraft(trx, input.schoolId, {
      yearId: input.yearId,
      from: plan.from,
      until: plan.until,
      unplaceable: plan.unplaceable,
      warnings: plan.warnings,
      createdBy: input.actorId,
      proposals: plan.proposals,
    })
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
    return { draftId, proposals: plan.proposals.length, unplaceable: plan.unplaceable.length }
  })
}

/** A session type's name as the policy on the session's date names it (ADR 0021); undefined when unknown. */
async function typeNamesOf(
  db: DbOrTrx,
  schoolId: string,
): Promise<(typeId: string, date: IsoDate) => string | undefined> {
  const book = await policyBook(db, schoolId)
  return (typeId, date) => book.sessionType(typeId, date)?.name
}

/** The school's draft for the year, with names, in date order; null when there is none. */
export async function getDraft(
  db: Db,
  schoolId: string,
  yearId: string,
  calendar: SchoolCalendar,
): Promise<DraftView | null> {
  const draft = await plannerDraft(db, schoolId, yearId)
  if (!draft) return null
  const rows = await plannerDraftLines(db, schoolId, draft.id)
  const names = await personNames(db, schoolId, [
    ...rows.flatMap((r) => [r.superviseeId, r.supervisorId]),
    ...draft.unplaceable.map((u) => u.personId),
  ])
  const typeNames = await typeNamesOf(db, schoolId)
  return {
    id: draft.id,
    yearId: draft.yearId,
    from: draft.from,
    until: draft.until,
    version: draft.version,
    createdAt: draft.createdAt,
    rows: rows.map((r) => {
      const half = halfTermOn(calendar, r.date)
      return {
        id: r.id,
        superviseeId: r.superviseeId,
        superviseeName: names.get(r.superviseeId) ?? 'Someone',
        supervisorId: r.supervisorId,
        supervisorName: names.get(r.supervisorId) ?? 'Someone',
        typeId: r.typeId,
        typeName: typeNames(r.typeId, r.date) ?? r.typeId,
        requirementId: r.requirementId,
        date: r.date,
        startTime: r.startTime,
        durationMinutes: r.durationMinutes,
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

/** Removes one proposed session from the school's draft. False when there is no such row. */
export async function removeDraftRow(db: Db, input: { schoolId: string; rowId: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await plannerDraftLine(trx, input.schoolId, input.rowId, { forUpdate: true })
    if (!row) return false
    await deletePlannerDraftLine(trx, input.schoolId, row.id)
    await bumpPlannerDraft(trx, input.schoolId, row.draftId)
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
  const row = await plannerDraftLine(db, schoolId, rowId)
  if (!row) return null
  const names = await personNames(db, schoolId, [row.superviseeId, row.supervisorId])
  const typeNames = await typeNamesOf(db, schoolId)
  const half = calendar ? halfTermOn(calendar, row.date) : null
  return {
    ...row,
    superviseeName: names.get(row.superviseeId) ?? 'Someone',
    supervisorName: names.get(row.supervisorId) ?? 'Someone',
    typeName: typeNames(row.typeId, row.date) ?? row.typeId,
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
    const row = await plannerDraftLine(trx, input.schoolId, input.rowId, { forUpdate: true })
    if (!row) return { ok: false, kind: 'not-found' } as const
    const people = await peopleInOrganisationOf(trx, input.schoolId, [row.superviseeId, row.supervisorId])
    const supervisee = people.find((p) => p.id === row.superviseeId)
    const supervisor = people.find((p) => p.id === row.supervisorId)
    if (!supervisee || !supervisor) return { ok: false, kind: 'not-found' } as const
    const calendar = await schoolCalendar(trx, input.schoolId, row.from)
    const problem = proposalDateProblem({
      calendar,
      date: input.date,
      from: row.from,
      until: row.until,
      supervisee,
      supervisor,
    })
    if (problem) return { ok: false, kind: 'problem', message: problem } as const

    // What else the two have that week: sessions in Haven and the rest of the draft.
    const day = toDayNumber(input.date)
    const monday = day - (isoWeekday(input.date) - 1)
    const weekFrom = fromDayNumber(monday)
    const weekTo = fromDayNumber(monday + 6)
    const ids = [row.superviseeId, row.supervisorId]
    const sessions = await liveSessionsOfPeople(trx, input.schoolId, ids, weekFrom, weekTo)
    const drafted = await plannerDraftLinesOfPeople(trx, input.schoolId, {
      draftId: row.draftId,
      exceptRowId: row.id,
      personIds: ids,
      from: weekFrom,
      to: weekTo,
    })
    const settings = await plannerSettings(trx, input.schoolId)
    const limits = {
      maxPerDay: settings.maxPerDay,
      maxPerWeek: settings.maxPerWeek,
      dayStartsAt: settings.dayStartsAt,
      dayEndsAt: settings.dayEndsAt,
    }
    const diary = new Diary(limits)
    for (const s of sessions) {
      const d = toDayNumber(s.date)
      if (s.role === 'supervisor' && s.personId === row.supervisorId) diary.addSupervising(s.personId, d)
      if (s.startTime)
        diary.addBusy(s.personId, d, minutesOfTime(s.startTime), s.durationMinutes ?? fallbackDurationMinutes)
    }
    for (const r of drafted) {
      const d = toDayNumber(r.date)
      if (r.supervisorId === row.supervisorId) diary.addSupervising(r.supervisorId, d)
      for (const id of [r.superviseeId, r.supervisorId]) {
        if (ids.includes(id)) diary.addBusy(id, d, minutesOfTime(r.startTime), r.durationMinutes)
      }
    }
    const limitProblem = supervisorLimitProblem(
      limits,
      supervisor.name,
      diary.dayCount(row.supervisorId, day),
      diary.weekCount(row.supervisorId, day),
    )
    if (limitProblem) return { ok: false, kind: 'problem', message: limitProblem } as const
    const start = diary.freeStart(diary.of(row.supervisorId), diary.of(row.superviseeId), day, row.durationMinutes)
    if (start === null) {
      return {
        ok: false,
        kind: 'problem',
        message: `${supervisee.name} and ${supervisor.name} have no free time together that day: choose another date`,
      } as const
    }
    await movePlannerDraftLine(trx, input.schoolId, row.id, { date: input.date, startTime: timeOfMinutes(start) })
    await bumpPlannerDraft(trx, input.schoolId, row.draftId)
    return { ok: true } as const
  })
}

/** Drops the school's draft for the year. */
export async function discardDraft(
  db: Db,
  input: { schoolId: string; organisationId: string; yearId: string; actorId: string | null },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deletedId = await deletePlannerDraftOfYear(trx, input.schoolId, input.yearId)
    if (deletedId === null) return false
    await recordAudit(trx, {
      action: 'planner.discarded',
      subjectType: 'school',
      subjectId: input.schoolId,
      actorId: input.actorId,
      organisationId: input.organisationId,
      schoolId: input.schoolId,
      detail: { yearId: input.yearId, draftId: deletedId },
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
    const draft = await plannerDraft(trx, input.schoolId, input.yearId, { forUpdate: true })
    if (!draft) return { ok: false, kind: 'not-found' } as const
    if (draft.version !== input.expectedVersion) return { ok: false, kind: 'conflict' } as const
    const rows = await plannerDraftLines(trx, input.schoolId, draft.id)
    if (rows.length === 0) return { ok: false, kind: 'empty' } as const
    const ids = await insertPlannedSessions(trx, input.schoolId, rows, input.actorId)
    const sessions = rows.map((row, i) => ({ row, id: ids[i]! }))
    const sessionIds = [...new Set(ids)]
    await deletePlannerDraft(trx, input.schoolId, draft.id)

    // Each person is told their dates once.
    const people = await personContacts(trx, input.schoolId, [
      ...new Set(rows.flatMap((r) => [r.superviseeId, r.supervisorId])),
    ])
    const byId = new Map(people.map((p) => [p.id, p]))
    const school = await schoolForPlanning(trx, input.schoolId)
    const typeNames = await typeNamesOf(trx, input.schoolId)
    const lines = new Map<string, string[]>()
    const sessionsOf = new Map<string, string[]>()
    for (const { row, id } of sessions) {
      const type = typeNames(row.typeId, row.date) ?? 'Supervision'
      const when = sessionWhen(row.date, row.startTime)
      const add = (personId: string, other: string, role: string) => {
        const list = lines.get(personId) ?? []
        list.push(`- ${when}: ${type} ${role} ${byId.get(other)?.name ?? 'someone'}`)
        lines.set(personId, list)
        const ids = sessionsOf.get(personId) ?? []
        if (!ids.includes(id)) ids.push(id)
        sessionsOf.set(personId, ids)
      }
      add(row.superviseeId, row.supervisorId, 'with')
      add(row.supervisorId, row.superviseeId, 'for')
    }
    // Issue 6 item 6: each planned session as its own invitation (METHOD:REQUEST, one UID each).
    const invitations = await sessionInvitations(
      trx,
      sessionIds,
      (typeId, date) => typeNames(typeId, date) ?? 'Supervision',
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
        kind: 'session.year-planned',
        to: person.email,
        subject: `Your supervision sessions for ${input.yearId} have been planned`,
        text: [
          `Dear ${person.name},`,
          '',
          `Supervision sessions for ${input.yearId} at ${school.name} have been planned. Yours are:`,
          '',
          ...list,
          '',
          `To see them in your own calendar, turn on your calendar feed: ${input.baseUrl}${paths.calendar.feed()}`,
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
      detail: { yearId: input.yearId, draftId: draft.id, sessions: sessionIds.length },
    })
    return { ok: true, created: sessionIds.length } as const
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
  const { sessions, total } = await plannedSessionsBetween(db, schoolId, from, to, limit)
  if (sessions.length === 0) return { sessions: [], total: 0 }
  const typeNames = await typeNamesOf(db, schoolId)
  return {
    total,
    sessions: sessions.map((r) => ({
      id: r.id,
      date: r.date,
      startTime: r.startTime,
      typeName: typeNames(r.typeId, r.date) ?? r.typeId,
      supervisors: r.supervisors,
      supervisees: r.supervisees,
      halfTermName: halfTermOn(calendar, r.date)?.halfTerm.name ?? 'Outside term',
    })),
  }
}
