/**
 * Session reminders through the outbox (issue 6), for every school:
 * - the supervisee is reminded to prepare, a few working days before a planned session (the
 *   school's planner setting, 3 unless changed; 0 turns it off);
 * - the supervisor is reminded when a session they held has no record a working day later.
 * Each email has a dedupe key, so it is written once whatever runs it, and however often: the
 * outbox's unique key is what guarantees it, across restarts and several Haven instances.
 */
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { addDays, type IsoDate } from '../../domain/calendar/index.ts'
import {
  defaultPreparationWorkingDays,
  preparationReminderDue,
  recordReminderDue,
  recordReminderLookbackDays,
} from '../../domain/planning/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { allPlannerSettings } from '../planning/settings.ts'
import { sessionWhen } from '../planning/wording.ts'

type Db = Kysely<Database>

/** Preparation reminders are looked for this far ahead (3 working days may span a holiday). */
const LOOKAHEAD_DAYS = 70

export function preparationKey(sessionId: string, date: IsoDate, personId: string): string {
  return `reminder:preparation:${sessionId}:${date}:${personId}`
}

export function recordKey(sessionId: string, personId: string): string {
  return `reminder:record:${sessionId}:${personId}`
}

export interface ReminderOptions {
  today: IsoDate
  baseUrl: string
}

function messageDomain(baseUrl: string): string | undefined {
  const host = new URL(baseUrl).hostname
  return /^[A-Za-z0-9.-]+$/.test(host) ? host : undefined
}

async function typeNamesBySchool(db: Db, schoolIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const schoolId of schoolIds) {
    const latest = await db
      .selectFrom('policy_version')
      .select('document')
      .where('school_id', '=', schoolId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()
    const types =
      (latest?.document as { sessionTypes?: { id: string; name: string }[] } | undefined)?.sessionTypes ?? []
    for (const type of types) names.set(`${schoolId}:${type.id}`, type.name)
  }
  return names
}

async function existingKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db
      .selectFrom('outbox_message')
      .select('dedupe_key')
      .where('dedupe_key', 'in', keys.slice(i, i + 1000))
      .execute()
    for (const row of rows) if (row.dedupe_key) found.add(row.dedupe_key)
  }
  return found
}

interface Participant {
  session_id: string
  person_id: string
  role: 'supervisor' | 'supervisee'
  name: string
  email: string
  organisation_id: string
}

async function participantsOf(db: Db, sessionIds: readonly string[]): Promise<Participant[]> {
  const out: Participant[] = []
  for (let i = 0; i < sessionIds.length; i += 1000) {
    const rows = await db
      .selectFrom('session_participant as p')
      .innerJoin('person as x', 'x.id', 'p.person_id')
      .select(['p.session_id', 'p.person_id', 'p.role', 'x.name', 'x.email', 'x.organisation_id'])
      .where('p.session_id', 'in', sessionIds.slice(i, i + 1000))
      .orderBy('x.name')
      .execute()
    out.push(...rows)
  }
  return out
}

/** Writes every preparation reminder due today. Returns how many emails were new. */
export async function sendPreparationReminders(db: Db, options: ReminderOptions): Promise<number> {
  const { today } = options
  const settings = await allPlannerSettings(db)
  const sessions = await db
    .selectFrom('supervision_session')
    .select(['id', 'school_id', 'type_id', 'date', 'start_time', 'venue', 'online_link'])
    .where('status', '=', 'planned')
    .where('date', '>', today)
    .where('date', '<=', addDays(today, LOOKAHEAD_DAYS))
    .orderBy('school_id')
    .orderBy('date')
    .orderBy('id')
    .execute()
  if (sessions.length === 0) return 0
  const calendars = new Map<string, Awaited<ReturnType<typeof schoolCalendar>>>()
  const due: typeof sessions = []
  for (const session of sessions) {
    const days = settings.get(session.school_id)?.preparationWorkingDays ?? defaultPreparationWorkingDays
    if (days <= 0) continue
    let calendar = calendars.get(session.school_id)
    if (!calendar) {
      calendar = await schoolCalendar(db, session.school_id, today)
      calendars.set(session.school_id, calendar)
    }
    if (preparationReminderDue(calendar, session.date, today, days)) due.push(session)
  }
  if (due.length === 0) return 0
  const participants = await participantsOf(
    db,
    due.map((s) => s.id),
  )
  const keys = participants
    .filter((p) => p.role === 'supervisee')
    .map((p) => preparationKey(p.session_id, due.find((s) => s.id === p.session_id)!.date, p.person_id))
  const sent = await existingKeys(db, keys)
  const typeNames = await typeNamesBySchool(db, [...new Set(due.map((s) => s.school_id))])
  let created = 0
  for (const session of due) {
    const here = participants.filter((p) => p.session_id === session.id)
    const supervisors = here.filter((p) => p.role === 'supervisor').map((p) => p.name)
    for (const person of here) {
      if (person.role !== 'supervisee' || !person.email) continue
      const key = preparationKey(session.id, session.date, person.person_id)
      if (sent.has(key)) continue
      const type = typeNames.get(`${session.school_id}:${session.type_id}`) ?? 'Supervision'
      const when = sessionWhen(session.date, session.start_time)
      const where = session.venue ? ` in ${session.venue}` : session.online_link ? ' online' : ''
      const result = await enqueueEmail(db, {
        to: person.email,
        subject: `Prepare for your supervision on ${when}`,
        text: [
          `Dear ${person.name},`,
          '',
          `Your session (${type}${supervisors.length ? ` with ${supervisors.join(', ')}` : ''}) is on ${when}${where}.`,
          '',
          'Take some time before it to prepare: the cases you want to discuss, what happened with the actions agreed last time, and anything you need support with.',
          '',
          `See the session in Haven: ${options.baseUrl}/sessions/${session.id}`,
          '',
          'Haven',
        ].join('\n'),
        organisationId: person.organisation_id,
        dedupeKey: key,
        messageIdDomain: messageDomain(options.baseUrl),
      })
      if (result.created) created++
    }
  }
  return created
}

/**
 * The records table's name: `supervision_record`, or `session_record`; null while neither exists
 * (the records feature is not installed yet), when no record reminders are sent.
 */
export async function recordsTable(db: Db): Promise<string | null> {
  const result = await sql<{ supervision: string | null; session: string | null }>`
    select to_regclass('public.supervision_record')::text as supervision, to_regclass('public.session_record')::text as session`.execute(
    db,
  )
  const row = result.rows[0]
  if (row?.supervision) return 'supervision_record'
  if (row?.session) return 'session_record'
  return null
}

/** Writes a reminder to the supervisor of every held session with no record, a working day after it. */
export async function sendRecordReminders(db: Db, options: ReminderOptions): Promise<number> {
  const { today } = options
  const table = await recordsTable(db)
  if (table === null) return 0
  const rows = await sql<{ id: string; school_id: string; type_id: string; date: string; start_time: string | null }>`
    select s.id, s.school_id, s.type_id, s.date::text as date, s.start_time
    from supervision_session s
    where s.status = 'held'
      and s.date < ${today}::date
      and s.date >= ${addDays(today, -recordReminderLookbackDays)}::date
      and not exists (select 1 from ${sql.table(table)} r where r.session_id = s.id)
    order by s.school_id, s.date, s.id`.execute(db)
  if (rows.rows.length === 0) return 0
  const calendars = new Map<string, Awaited<ReturnType<typeof schoolCalendar>>>()
  const due: typeof rows.rows = []
  for (const session of rows.rows) {
    let calendar = calendars.get(session.school_id)
    if (!calendar) {
      calendar = await schoolCalendar(db, session.school_id, today)
      calendars.set(session.school_id, calendar)
    }
    if (recordReminderDue(calendar, session.date, today)) due.push(session)
  }
  if (due.length === 0) return 0
  const participants = await participantsOf(
    db,
    due.map((s) => s.id),
  )
  const sent = await existingKeys(
    db,
    participants.filter((p) => p.role === 'supervisor').map((p) => recordKey(p.session_id, p.person_id)),
  )
  const typeNames = await typeNamesBySchool(db, [...new Set(due.map((s) => s.school_id))])
  let created = 0
  for (const session of due) {
    const here = participants.filter((p) => p.session_id === session.id)
    const supervisees = here.filter((p) => p.role === 'supervisee').map((p) => p.name)
    for (const person of here) {
      if (person.role !== 'supervisor' || !person.email) continue
      const key = recordKey(session.id, person.person_id)
      if (sent.has(key)) continue
      const type = typeNames.get(`${session.school_id}:${session.type_id}`) ?? 'supervision'
      const result = await enqueueEmail(db, {
        to: person.email,
        subject: `Write up the supervision of ${sessionWhen(session.date, null)}`,
        text: [
          `Dear ${person.name},`,
          '',
          `The session (${type}${supervisees.length ? ` with ${supervisees.join(', ')}` : ''}) on ${sessionWhen(session.date, session.start_time)} was held, but it has no record yet.`,
          '',
          'Every session is recorded, and the record is agreed and signed by both of you. Write it up while the session is fresh.',
          '',
          `Open the session in Haven: ${options.baseUrl}/sessions/${session.id}`,
          '',
          'Haven',
        ].join('\n'),
        organisationId: person.organisation_id,
        dedupeKey: key,
        messageIdDomain: messageDomain(options.baseUrl),
      })
      if (result.created) created++
    }
  }
  return created
}
