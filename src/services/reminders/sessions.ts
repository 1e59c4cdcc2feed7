/**
 * Session reminders through the outbox (issue 6), for every school:
 * - the supervisee is reminded to prepare, a few working days before a planned session (the
 *   school's planner setting, 3 unless changed; 0 turns it off);
 * - the supervisor is reminded when a session they held has no record a working day later.
 * Each email has a dedupe key, so it is written once whatever runs it, and however often: the
 * outbox's unique key is what guarantees it, across restarts and several Haven instances.
 */
import type { Db } from '../../db/database.ts'
import {
  everySchool,
  existingDedupeKeys,
  heldSessionsWithoutRecord,
  latestSessionTypeNames,
  participantsOfSessions,
  plannedSessionsBetween,
  recordsTable,
} from '../../db/repositories/reminders.ts'
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

export { recordsTable }

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

/** Writes every preparation reminder due today, school by school. Returns how many emails were new. */
export async function sendPreparationReminders(db: Db, options: ReminderOptions): Promise<number> {
  const { today } = options
  const settings = await allPlannerSettings(db)
  let created = 0
  for (const school of await everySchool(db)) {
    const days = settings.get(school.id)?.preparationWorkingDays ?? defaultPreparationWorkingDays
    if (days <= 0) continue
    const sessions = await plannedSessionsBetween(db, school.id, today, addDays(today, LOOKAHEAD_DAYS))
    if (sessions.length === 0) continue
    const calendar = await schoolCalendar(db, school.id, today)
    const due = sessions.filter((session) => preparationReminderDue(calendar, session.date, today, days))
    if (due.length === 0) continue
    const participants = await participantsOfSessions(
      db,
      school.id,
      due.map((s) => s.id),
    )
    const keys = participants
      .filter((p) => p.role === 'supervisee')
      .map((p) => preparationKey(p.sessionId, due.find((s) => s.id === p.sessionId)!.date, p.personId))
    const sent = await existingDedupeKeys(db, keys)
    const typeNames = await latestSessionTypeNames(db, school.id)
    for (const session of due) {
      const here = participants.filter((p) => p.sessionId === session.id)
      const supervisors = here.filter((p) => p.role === 'supervisor').map((p) => p.name)
      for (const person of here) {
        if (person.role !== 'supervisee' || !person.email) continue
        const key = preparationKey(session.id, session.date, person.personId)
        if (sent.has(key)) continue
        const type = typeNames.get(session.typeId) ?? 'Supervision'
        const when = sessionWhen(session.date, session.startTime)
        const where = session.venue ? ` in ${session.venue}` : session.onlineLink ? ' online' : ''
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
          organisationId: person.organisationId,
          dedupeKey: key,
          messageIdDomain: messageDomain(options.baseUrl),
        })
        if (result.created) created++
      }
    }
  }
  return created
}

/** Writes a reminder to the supervisor of every held session with no record, a working day after it. */
export async function sendRecordReminders(db: Db, options: ReminderOptions): Promise<number> {
  const { today } = options
  const table = await recordsTable(db)
  if (table === null) return 0
  let created = 0
  for (const school of await everySchool(db)) {
    const sessions = await heldSessionsWithoutRecord(
      db,
      school.id,
      table,
      addDays(today, -recordReminderLookbackDays),
      today,
    )
    if (sessions.length === 0) continue
    const calendar = await schoolCalendar(db, school.id, today)
    const due = sessions.filter((session) => recordReminderDue(calendar, session.date, today))
    if (due.length === 0) continue
    const participants = await participantsOfSessions(
      db,
      school.id,
      due.map((s) => s.id),
    )
    const sent = await existingDedupeKeys(
      db,
      participants.filter((p) => p.role === 'supervisor').map((p) => recordKey(p.sessionId, p.personId)),
    )
    const typeNames = await latestSessionTypeNames(db, school.id)
    for (const session of due) {
      const here = participants.filter((p) => p.sessionId === session.id)
      const supervisees = here.filter((p) => p.role === 'supervisee').map((p) => p.name)
      for (const person of here) {
        if (person.role !== 'supervisor' || !person.email) continue
        const key = recordKey(session.id, person.personId)
        if (sent.has(key)) continue
        const type = typeNames.get(session.typeId) ?? 'supervision'
        const result = await enqueueEmail(db, {
          to: person.email,
          subject: `Write up the supervision of ${sessionWhen(session.date, null)}`,
          text: [
            `Dear ${person.name},`,
            '',
            `The session (${type}${supervisees.length ? ` with ${supervisees.join(', ')}` : ''}) on ${sessionWhen(session.date, session.startTime)} was held, but it has no record yet.`,
            '',
            'Every session is recorded, and the record is agreed and signed by both of you. Write it up while the session is fresh.',
            '',
            `Open the session in Haven: ${options.baseUrl}/sessions/${session.id}`,
            '',
            'Haven',
          ].join('\n'),
          organisationId: person.organisationId,
          dedupeKey: key,
          messageIdDomain: messageDomain(options.baseUrl),
        })
        if (result.created) created++
      }
    }
  }
  return created
}
