/**
 * Booking emails carry an iCalendar invitation (issue 6 item 6): METHOD:REQUEST when a session is
 * booked, rebooked or planned, METHOD:CANCEL when it is cancelled or postponed, with the session's
 * UID (its id @ Haven's host, as in the calendar feeds), its start in Europe/London, the SEQUENCE
 * the change has just bumped, and the participants; never the reason or any notes.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import ical, { type VEvent } from 'node-ical'
import type { Db } from '../../src/db/database.ts'
import { addDays } from '../../src/domain/calendar/index.ts'
import { confirmDraft, proposeDraft } from '../../src/services/planning/drafts.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, emailOf, nextAcademicYear, orgOnPack } from './planner-fixtures.ts'
import {
  booking,
  dateFields,
  insertPlannedSession,
  sessionIdFrom,
  sharedSessionsApps,
  today,
  weekdayFromToday,
} from './sessions-support.ts'

const app = sharedSessionsApps()

type Attachment = { filename: string; contentType: string; contentBase64: string }

async function mailTo(db: Db, to: string, subject: string) {
  return db
    .selectFrom('outbox_message')
    .selectAll()
    .where('to_address', '=', to)
    .where('subject', 'like', subject)
    .execute()
}

function attachmentsOf(message: { attachments: unknown }): Attachment[] {
  return message.attachments as Attachment[]
}

function textOf(attachment: Attachment): string {
  return Buffer.from(attachment.contentBase64, 'base64').toString('utf8')
}

/** The one VEVENT of an invitation, and its METHOD. */
function eventOf(attachment: Attachment): { event: VEvent; method: string; text: string } {
  const text = textOf(attachment)
  const parsed = ical.sync.parseICS(text)
  const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT')
  assert.equal(events.length, 1, 'one event per invitation')
  const calendar = parsed.vcalendar as unknown as { method?: string } | undefined
  return { event: events[0] as VEvent, method: calendar?.method ?? '', text }
}

function hostOf(baseUrl: string): string {
  return new URL(baseUrl).hostname
}

/** 'YYYY-MM-DD HH:MM' in Europe/London. */
function londonWallClock(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

function attendeeEmails(event: VEvent): string[] {
  const raw = (event as unknown as { attendee?: unknown }).attendee
  const list = Array.isArray(raw) ? raw : raw ? [raw] : []
  return list
    .map((a) => (typeof a === 'string' ? a : (a as { val: string }).val))
    .map((v) => v.replace(/^mailto:/i, ''))
    .sort()
}

/** Each attendee's name and role, by email. */
function attendeeParams(event: VEvent): { email: string; CN: unknown; ROLE: unknown }[] {
  const raw = (event as unknown as { attendee?: unknown }).attendee
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { val: string; params: Record<string, unknown> }[]
  return list
    .map((a) => ({ email: a.val.replace(/^mailto:/i, ''), CN: a.params.CN, ROLE: a.params.ROLE }))
    .sort((a, b) => a.email.localeCompare(b.email))
}

test('issue 6 item 6: a booking email carries a REQUEST invitation and a cancellation a CANCEL with the same UID and a higher SEQUENCE', async () => {
  const s = await app('cornerstone')
  const db = s.database.db
  const pat = await s.add('Ivy Invite', { pastoral: true })
  const date = weekdayFromToday(9)
  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date,
        startTime: '2:30pm',
        durationMinutes: '45',
        venue: 'Meeting room 2',
        onlineLink: 'https://meet.example.com/ivy',
      }),
    ),
  )
  const uid = `${id}@${hostOf(s.app.config.baseUrl)}`

  const [bookedMail] = await mailTo(db, emailOf('Ivy Invite'), 'Supervision booked%')
  assert.ok(bookedMail, 'the supervisee is emailed')
  const [invite] = attachmentsOf(bookedMail)
  assert.ok(invite)
  assert.equal(attachmentsOf(bookedMail).length, 1)
  assert.equal(invite.filename, 'invite.ics')
  assert.match(invite.contentType, /^text\/calendar/)
  assert.match(invite.contentType, /method=REQUEST/)
  const booked = eventOf(invite)
  assert.equal(booked.method, 'REQUEST')
  assert.equal(booked.event.uid, uid)
  assert.equal(Number(booked.event.sequence), 0)
  assert.equal(booked.event.status, 'CONFIRMED')
  assert.equal((booked.event.start as Date & { tz?: string }).tz, 'Europe/London')
  assert.equal(londonWallClock(booked.event.start), `${date} 14:30`)
  assert.equal(londonWallClock(booked.event.end as Date), `${date} 15:15`)
  assert.match(booked.text, /DTSTART;TZID=Europe\/London:\d{8}T143000/)
  assert.equal(String(booked.event.location), 'Meeting room 2')
  assert.match(String(booked.event.summary), /^Formal planned supervision: Ivy Invite with Dana Shah$/i)
  assert.match(booked.text, /Join online: https:\/\/meet\.example\.com\/ivy/)
  assert.deepEqual(attendeeEmails(booked.event), ['dana.shah@oakfield.example', emailOf('Ivy Invite')].sort())
  assert.match(booked.text, /ORGANIZER;CN="Dana Shah":mailto:dana\.shah@oakfield\.example/)
  assert.deepEqual(attendeeParams(booked.event), [
    { email: 'dana.shah@oakfield.example', CN: 'Dana Shah', ROLE: 'CHAIR' },
    { email: emailOf('Ivy Invite'), CN: 'Ivy Invite', ROLE: 'REQ-PARTICIPANT' },
  ])

  const ivy = await s.as('Ivy Invite')
  const done = await ivy.post(`/sessions/${id}/cancel`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: 'A private note that must not travel',
  })
  assert.equal(done.statusCode, 303)
  const row = await db.selectFrom('supervision_session').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const cancelledMail = (await mailTo(db, 'dana.shah@oakfield.example', '%cancelled')).find((m) =>
    m.text_body.includes('Ivy Invite'),
  )
  assert.ok(cancelledMail, 'the supervisor is told')
  const [cancelAttachment] = attachmentsOf(cancelledMail)
  assert.ok(cancelAttachment)
  assert.equal(cancelAttachment.filename, 'cancelled.ics')
  assert.match(cancelAttachment.contentType, /^text\/calendar.*method=CANCEL/)
  const cancelled = eventOf(cancelAttachment)
  assert.equal(cancelled.method, 'CANCEL')
  assert.match(cancelled.text, /\r\nMETHOD:CANCEL\r\n/)
  assert.match(cancelled.text, /\r\nSTATUS:CANCELLED\r\n/)
  assert.equal(cancelled.event.uid, uid, 'the same event')
  assert.equal(Number(cancelled.event.sequence), row.sequence)
  assert.ok(Number(cancelled.event.sequence) > Number(booked.event.sequence), 'a higher SEQUENCE')
  assert.doesNotMatch(cancelled.text, /private note|Unavoidable/i, 'no reasons or notes in the invitation')
})

test('issue 6 item 6: postponing sends a CANCEL for the old session and a REQUEST for the new one, and a rebooking a REQUEST', async () => {
  const s = await app('cornerstone')
  const db = s.database.db
  const pat = await s.add('Pip Postpone', { pastoral: true })
  const id = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date: weekdayFromToday(11),
        startTime: '09:00',
      }),
    ),
  )
  const newDate = weekdayFromToday(14)
  const newId = sessionIdFrom(
    await s.dsl.post(`/sessions/${id}/postpone`, {
      version: '1',
      reasonId: 'unavoidable-circumstances',
      reasonNote: '',
      ...dateFields('date', newDate),
      startTime: '1pm',
    }),
  )
  const host = hostOf(s.app.config.baseUrl)
  const [mail] = await mailTo(db, emailOf('Pip Postpone'), '%postponed')
  assert.ok(mail)
  const files = attachmentsOf(mail)
  assert.deepEqual(
    files.map((f) => f.filename),
    ['cancelled.ics', 'invite.ics'],
  )
  const old = eventOf(files[0] as Attachment)
  assert.equal(old.method, 'CANCEL')
  assert.equal(old.event.uid, `${id}@${host}`)
  assert.equal(old.event.status, 'CANCELLED')
  assert.equal(Number(old.event.sequence), 1)
  const fresh = eventOf(files[1] as Attachment)
  assert.equal(fresh.method, 'REQUEST')
  assert.equal(fresh.event.uid, `${newId}@${host}`)
  assert.equal(Number(fresh.event.sequence), 0)
  assert.equal(londonWallClock(fresh.event.start), `${newDate} 13:00`)
  assert.equal(String(fresh.event.location), 'Meeting room 2')

  // Rebooking: a REQUEST for the new session only.
  const cancelId = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ typeId: 'formal-planned', supervisorId: s.dslId, superviseeIds: [pat], date: weekdayFromToday(20) }),
    ),
  )
  const cancelledFirst = await s.dsl.post(`/sessions/${cancelId}/cancel`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: '',
  })
  assert.equal(cancelledFirst.statusCode, 303)
  const rebookDate = weekdayFromToday(22)
  const rebookId = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: s.dslId,
        superviseeIds: [pat],
        date: rebookDate,
        rebooks: cancelId,
      }),
    ),
  )
  const rebooked = await db
    .selectFrom('supervision_session')
    .select('rebooks_session_id')
    .where('id', '=', rebookId)
    .executeTakeFirstOrThrow()
  const bookedMail = (await mailTo(db, emailOf('Pip Postpone'), 'Supervision booked%')).find((m) =>
    attachmentsOf(m).some((a) => eventOf(a).event.uid === `${rebookId}@${host}`),
  )
  assert.equal(rebooked.rebooks_session_id, cancelId)
  assert.ok(bookedMail, 'the rebooked session comes with an invitation')
  assert.equal(attachmentsOf(bookedMail).length, 1)
  assert.equal(eventOf(attachmentsOf(bookedMail)[0] as Attachment).method, 'REQUEST')
})

test('issue 6 item 6: a session recorded as not attended stays in calendars: that email carries no invitation', async () => {
  const s = await app('cornerstone')
  const db = s.database.db
  const pat = await s.add('Nia Noshow', { pastoral: true })
  const id = await insertPlannedSession(s, {
    typeId: 'formal-planned',
    date: addDays(today, -2),
    supervisorId: s.dslId,
    superviseeIds: [pat],
  })
  const res = await s.dsl.post(`/sessions/${id}/did-not-attend`, {
    version: '1',
    reasonId: 'unavoidable-circumstances',
    reasonNote: '',
  })
  assert.equal(res.statusCode, 303)
  const mail = await mailTo(db, emailOf('Nia Noshow'), '%did not take place')
  assert.equal(mail.length, 1)
  assert.deepEqual(attachmentsOf(mail[0] as { attachments: unknown }), [])
})

test('issue 6 item 6: the planner’s confirmation emails carry one REQUEST invitation per planned session', async (t) => {
  const { app: planner, database } = await buildTestApp(t)
  const db = database.db
  const year = nextAcademicYear()
  const org = await orgOnPack(db, 'cornerstone', year.currentStart)
  const lead = await addPerson(db, org, { account: true, name: 'Lena Lead', roles: ['education-lead'] })
  await addPerson(db, org, { account: true, name: 'Ava Pastoral', lineManagerId: lead, pastoral: true })
  await addPerson(db, org, { account: true, name: 'Ben Pastoral', lineManagerId: lead, pastoral: true })
  const proposed = await proposeDraft(db, { schoolId: org.schoolId, yearId: year.id, today, actorId: org.adminId })
  assert.ok(proposed)
  const draft = await db.selectFrom('planner_draft').select('version').executeTakeFirstOrThrow()
  const confirmed = await confirmDraft(db, {
    schoolId: org.schoolId,
    organisationId: org.organisationId,
    yearId: year.id,
    expectedVersion: draft.version,
    actorId: org.adminId,
    baseUrl: planner.config.baseUrl,
  })
  assert.equal(confirmed.ok, true)
  const host = hostOf(planner.config.baseUrl)
  const sessions = await db
    .selectFrom('supervision_session as s')
    .innerJoin('session_participant as p', 'p.session_id', 's.id')
    .innerJoin('person as x', 'x.id', 'p.person_id')
    .select(['s.id', 's.date', 's.start_time', 's.sequence', 'x.email'])
    .execute()
  for (const email of [emailOf('Ava Pastoral'), emailOf('Lena Lead')]) {
    const [mail] = await mailTo(db, email, '%have been planned')
    assert.ok(mail, `${email} is told`)
    const mine = sessions.filter((r) => r.email === email)
    const files = attachmentsOf(mail)
    assert.equal(files.length, mine.length, 'one invitation per session')
    assert.equal(new Set(files.map((f) => f.filename)).size, files.length, 'distinct file names')
    for (const file of files) {
      assert.match(file.contentType, /^text\/calendar.*method=REQUEST/)
      const { event, method } = eventOf(file)
      assert.equal(method, 'REQUEST')
      const session = mine.find((r) => `${r.id}@${host}` === event.uid)
      assert.ok(session, 'a session of theirs')
      assert.equal(Number(event.sequence), session.sequence)
      assert.equal(londonWallClock(event.start), `${session.date} ${session.start_time}`)
      assert.ok(attendeeEmails(event).includes(email))
    }
  }
})
