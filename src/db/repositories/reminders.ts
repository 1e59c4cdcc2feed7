/**
 * What the reminder and escalation jobs read and write. The jobs run for every school in turn:
 * each query about sessions, people or escalations takes the school (or organisation) it is for.
 */
import { sql } from 'kysely'
import type { IsoDate } from '../../domain/calendar/index.ts'
import type { Person } from '../../domain/people/person.ts'
import type { DbOrTrx } from './connection.ts'
import { personFromRow } from './staff/rows.ts'

export interface SchoolForJobs {
  id: string
  organisationId: string
  name: string
}

/** Every school, in id order (the order the jobs visit them). */
export async function everySchool(db: DbOrTrx): Promise<SchoolForJobs[]> {
  const rows = await db.selectFrom('school').select(['id', 'organisation_id', 'name']).orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, name: r.name }))
}

export interface ReminderSession {
  id: string
  schoolId: string
  typeId: string
  date: IsoDate
  startTime: string | null
  venue: string | null
  onlineLink: string | null
}

/** The school's planned sessions after `after`, up to and including `upTo`, by date. */
export async function plannedSessionsBetween(
  db: DbOrTrx,
  schoolId: string,
  after: IsoDate,
  upTo: IsoDate,
): Promise<ReminderSession[]> {
  const rows = await db
    .selectFrom('supervision_session')
    .select(['id', 'school_id', 'type_id', 'date', 'start_time', 'venue', 'online_link'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'planned')
    .where('date', '>', after)
    .where('date', '<=', upTo)
    .orderBy('date')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    typeId: r.type_id,
    date: r.date,
    startTime: r.start_time,
    venue: r.venue,
    onlineLink: r.online_link,
  }))
}

/**
 * The records table's name: `supervision_record`, or `session_record`; null while neither exists
 * (the records feature is not installed yet).
 */
export async function recordsTable(db: DbOrTrx): Promise<string | null> {
  const result = await sql<{ supervision: string | null; session: string | null }>`
    select to_regclass('public.supervision_record')::text as supervision, to_regclass('public.session_record')::text as session`.execute(
    db,
  )
  const row = result.rows[0]
  if (row?.supervision) return 'supervision_record'
  if (row?.session) return 'session_record'
  return null
}

/** The school's held sessions from `from` to before `before` that have no row in the records table `table`. */
export async function heldSessionsWithoutRecord(
  db: DbOrTrx,
  schoolId: string,
  table: string,
  from: IsoDate,
  before: IsoDate,
): Promise<Pick<ReminderSession, 'id' | 'schoolId' | 'typeId' | 'date' | 'startTime'>[]> {
  const rows = await sql<{ id: string; school_id: string; type_id: string; date: string; start_time: string | null }>`
    select s.id, s.school_id, s.type_id, s.date::text as date, s.start_time
    from supervision_session s
    where s.school_id = ${schoolId}
      and s.status = 'held'
      and s.date < ${before}::date
      and s.date >= ${from}::date
      and not exists (select 1 from ${sql.table(table)} r where r.session_id = s.id)
    order by s.date, s.id`.execute(db)
  return rows.rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    typeId: r.type_id,
    date: r.date,
    startTime: r.start_time,
  }))
}

export interface ReminderParticipant {
  sessionId: string
  personId: string
  role: 'supervisor' | 'supervisee'
  name: string
  email: string
  organisationId: string
}

/** The people of the school's sessions with these ids, by name. */
export async function participantsOfSessions(
  db: DbOrTrx,
  schoolId: string,
  sessionIds: readonly string[],
): Promise<ReminderParticipant[]> {
  const out: ReminderParticipant[] = []
  for (let i = 0; i < sessionIds.length; i += 1000) {
    const rows = await db
      .selectFrom('session_participant as p')
      .innerJoin('person as x', 'x.id', 'p.person_id')
      .innerJoin('supervision_session as s', 's.id', 'p.session_id')
      .select(['p.session_id', 'p.person_id', 'p.role', 'x.name', 'x.email', 'x.organisation_id'])
      .where('s.school_id', '=', schoolId)
      .where('p.session_id', 'in', sessionIds.slice(i, i + 1000))
      .orderBy('x.name')
      .execute()
    for (const r of rows)
      out.push({
        sessionId: r.session_id,
        personId: r.person_id,
        role: r.role,
        name: r.name,
        email: r.email,
        organisationId: r.organisation_id,
      })
  }
  return out
}

/** Which of these outbox dedupe keys have been written already. */
export async function existingDedupeKeys(db: DbOrTrx, keys: readonly string[]): Promise<Set<string>> {
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

/** Everyone of the organisation, by id, and each supervisee's current supervisor. */
export async function organisationLines(
  db: DbOrTrx,
  organisationId: string,
): Promise<{ people: Map<string, Person>; supervisors: Map<string, string> }> {
  const rows = await db.selectFrom('person').selectAll().where('organisation_id', '=', organisationId).execute()
  const assignments = await db
    .selectFrom('supervision_assignment')
    .select(['supervisee_id', 'supervisor_id'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'supervisor')
    .where('ends_on', 'is', null)
    .execute()
  return {
    people: new Map(rows.map((row) => [row.id, personFromRow(row)])),
    supervisors: new Map(assignments.map((a) => [a.supervisee_id, a.supervisor_id])),
  }
}

export interface EscalationStep {
  personId: string
  chainId: string
  stepId: string
  repeats: number
  reachedOn: IsoDate
  recipientIds: readonly string[]
}

/** Records an escalation step of the school once; its id, or null when it was recorded before. */
export async function insertEscalationEvent(
  db: DbOrTrx,
  schoolId: string,
  step: EscalationStep,
): Promise<string | null> {
  const inserted = await db
    .insertInto('escalation_event')
    .values({
      school_id: schoolId,
      person_id: step.personId,
      chain_id: step.chainId,
      step_id: step.stepId,
      repeats: step.repeats,
      reached_on: step.reachedOn,
      recipient_ids: [...step.recipientIds],
    })
    .onConflict((oc) => oc.constraint('escalation_event_once').doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted?.id ?? null
}
