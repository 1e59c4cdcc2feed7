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
  participantsOfSessions,
  plannedSessionsBetween,
  type ReminderParticipant,
  type ReminderSession,
  recordsTable,
} from '../../db/repositories/reminders.ts'
import { addDays, type IsoDate } from '../../domain/calendar/index.ts'
import {
  defaultPreparationWorkingDays,
  preparationReminderDue,
  recordReminderDue,
  recordReminderLookbackDays,
} from '../../domain/planning/index.ts'
import { paths } from '../../paths/index.ts'
import { schoolCalendar } from '../calendar/store.ts'
import { enqueueEmail } from '../mail/outbox.ts'
import { allPlannerSettings } from '../planning/settings.ts'
import { sessionWhen } from '../planning/wording.ts'
import { policyBook } from '../policy/on-date.ts'

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

type Session = Pick<ReminderSession, 'id' | 'typeId' | 'date' | 'startTime'> &
  Partial<Pick<ReminderSession, 'venue' | 'onlineLink'>>

interface Reminder<S extends Session> {
  /** Who is reminded. */
  role: 'supervisor' | 'supervisee'
  key: (session: S, personId: string) => string
  email: (
    session: S,
    person: ReminderParticipant,
    others: string[],
    typeName: string | undefined,
  ) => { subject: string; text: string[] }
}

/**
 * Writes one school's reminders about the sessions due today, once each (the dedupe key): to each
 * participant in `reminder.role`, naming the others. Returns how many emails were new.
 */
async function remind<S extends Session>(
  db: Db,
  schoolId: string,
  due: readonly S[],
  reminder: Reminder<S>,
  baseUrl: string,
): Promise<number> {
  if (due.length === 0) return 0
  const participants = await participantsOfSessions(
    db,
    schoolId,
    due.map((s) => s.id),
  )
  const byId = new Map(due.map((s) => [s.id, s]))
  const sent = await existingDedupeKeys(
    db,
    participants.filter((p) => p.role === reminder.role).map((p) => reminder.key(byId.get(p.sessionId)!, p.personId)),
  )
  const book = await policyBook(db, schoolId)
  let created = 0
  for (const session of due) {
    const here = participants.filter((p) => p.sessionId === session.id)
    const others = here.filter((p) => p.role !== reminder.role).map((p) => p.name)
    for (const person of here) {
      if (person.role !== reminder.role || !person.email) continue
      const key = reminder.key(session, person.personId)
      if (sent.has(key)) continue
      const email = reminder.email(session, person, others, book.sessionType(session.typeId, session.date)?.name)
      const result = await enqueueEmail(db, {
        kind: 'session.reminder',
        to: person.email,
        subject: email.subject,
        text: email.text.join('\n'),
        organisationId: person.organisationId,
        dedupeKey: key,
        messageIdDomain: messageDomain(baseUrl),
      })
      if (result.created) created++
    }
  }
  return created
}

/** Writes every preparation reminder due today, school by school. Returns how many emails were new. */
export async function sendPreparationReminders(db: Db, options: ReminderOptions): Promise<number> {
  const { today, baseUrl } = options
  const settings = await allPlannerSettings(db)
  let created = 0
  for (const school of await everySchool(db)) {
    const days = settings.get(school.id)?.preparationWorkingDays ?? defaultPreparationWorkingDays
    if (days <= 0) continue
    const sessions = await plannedSessionsBetween(db, school.id, today, addDays(today, LOOKAHEAD_DAYS))
    if (sessions.length === 0) continue
    const calendar = await schoolCalendar(db, school.id, today)
    const due = sessions.filter((session) => preparationReminderDue(calendar, session.date, today, days))
    created += await remind(
      db,
      school.id,
      due,
      {
        role: 'supervisee',
        key: (session, personId) => preparationKey(session.id, session.date, personId),
        email: (session, person, supervisors, typeName) => {
          const when = sessionWhen(session.date, session.startTime)
          const where = session.venue ? ` in ${session.venue}` : session.onlineLink ? ' online' : ''
          return {
            subject: `Prepare for your supervision on ${when}`,
            text: [
              `Dear ${person.name},`,
              '',
              `Your session (${typeName ?? 'Supervision'}${supervisors.length ? ` with ${supervisors.join(', ')}` : ''}) is on ${when}${where}.`,
              '',
              'Take some time before it to prepare: the cases you want to discuss, what happened with the actions agreed last time, and anything you need support with.',
              '',
              `See the session in Haven: ${baseUrl}${paths.sessions.show({ id: session.id })}`,
              '',
              'Haven',
            ],
          }
        },
      },
      baseUrl,
    )
  }
  return created
}

/** Writes a reminder to the supervisor of every held session with no record, a working day after it. */
export async function sendRecordReminders(db: Db, options: ReminderOptions): Promise<number> {
  const { today, baseUrl } = options
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
    created += await remind(
      db,
      school.id,
      due,
      {
        role: 'supervisor',
        key: (session, personId) => recordKey(session.id, personId),
        email: (session, person, supervisees, typeName) => ({
          subject: `Write up the supervision of ${sessionWhen(session.date, null)}`,
          text: [
            `Dear ${person.name},`,
            '',
            `The session (${typeName ?? 'supervision'}${supervisees.length ? ` with ${supervisees.join(', ')}` : ''}) on ${sessionWhen(session.date, session.startTime)} was held, but it has no record yet.`,
            '',
            'Every session is recorded, and the record is agreed and signed by both of you. Write it up while the session is fresh.',
            '',
            `Open the session in Haven: ${baseUrl}${paths.sessions.show({ id: session.id })}`,
            '',
            'Haven',
          ],
        }),
      },
      baseUrl,
    )
  }
  return created
}
