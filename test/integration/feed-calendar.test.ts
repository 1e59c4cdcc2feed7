import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parse } from 'node-html-parser'
import ical, { type VEvent } from 'node-ical'
import {
  buildCalendar,
  sessionInvitationAttachment,
  sessionInvitationIcs,
} from '../../src/services/calendar-feed/ical.ts'
import { engineIndependent } from '../helpers/engines.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, addSession, emailOf, orgOnPack } from './planner-fixtures.ts'

function events(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT')
}

function unfold(text: string): string[] {
  return text.replace(/\r\n /g, '').split('\r\n')
}

const base = { sequence: 0, durationMinutes: 60, cancelled: false, lastModified: new Date('2026-09-01T10:00:00Z') }

describe('iCalendar (RFC 5545)', () => {
  test('times are right on both sides of the clock change on 25 October 2026', engineIndependent(), () => {
    const text = buildCalendar({
      now: new Date('2026-10-01T12:00:00Z'),
      events: [
        { ...base, uid: 'before@haven.test', date: '2026-10-23', startTime: '10:00', summary: 'Friday, BST' },
        { ...base, uid: 'after@haven.test', date: '2026-10-26', startTime: '10:00', summary: 'Monday, GMT' },
        // 00:30 BST to 02:00 GMT on the night itself: two and a half hours.
        {
          ...base,
          uid: 'across@haven.test',
          date: '2026-10-25',
          startTime: '00:30',
          durationMinutes: 150,
          summary: 'Across',
        },
        {
          ...base,
          uid: 'spring@haven.test',
          date: '2027-03-29',
          startTime: '10:00',
          summary: 'Monday after spring forward',
        },
      ],
    })
    assert.match(text, /BEGIN:VTIMEZONE\r\nTZID:Europe\/London/)
    assert.match(text, /DTSTART;TZID=Europe\/London:20261023T100000\r\n/)
    const byUid = new Map(events(text).map((e) => [e.uid, e]))
    const end = (uid: string) => byUid.get(uid)!.end!.toISOString()
    assert.equal(byUid.get('before@haven.test')!.start.toISOString(), '2026-10-23T09:00:00.000Z')
    assert.equal(end('before@haven.test'), '2026-10-23T10:00:00.000Z')
    assert.equal(byUid.get('after@haven.test')!.start.toISOString(), '2026-10-26T10:00:00.000Z')
    assert.equal(byUid.get('across@haven.test')!.start.toISOString(), '2026-10-24T23:30:00.000Z')
    assert.equal(end('across@haven.test'), '2026-10-25T02:00:00.000Z')
    assert.equal(byUid.get('spring@haven.test')!.start.toISOString(), '2027-03-29T09:00:00.000Z')
  })

  test('the times written do not depend on the server’s own time zone', () => {
    const saved = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      const text = buildCalendar({
        now: new Date('2026-10-01T12:00:00Z'),
        events: [{ ...base, uid: 'tz@haven.test', date: '2026-10-23', startTime: '10:00', summary: 'Friday, BST' }],
      })
      assert.match(text, /DTSTART;TZID=Europe\/London:20261023T100000\r\n/)
      assert.match(text, /DTEND;TZID=Europe\/London:20261023T110000\r\n/)
      assert.match(text, /DTSTAMP:20261001T120000Z\r\n/)
      assert.match(text, /LAST-MODIFIED:20260901T100000Z\r\n/)
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })

  test(
    'text is escaped and long lines are folded at 75 octets without splitting a character',
    engineIndependent(),
    () => {
      const summary = `One-to-one: Zoë Fairweather-Quill, Siân O’Brien; ${'ééé '.repeat(20)}end`
      const text = buildCalendar({
        now: new Date('2026-10-01T12:00:00Z'),
        events: [
          {
            ...base,
            uid: 'long@haven.test',
            date: '2026-11-10',
            startTime: '15:30',
            summary,
            description: 'First line\nSecond line, with a comma; and a back\\slash',
            location: 'Room 4, Block B',
          },
        ],
      })
      for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line)
      assert.ok(text.endsWith('\r\n'))
      assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF')
      const [event] = events(text)
      assert.equal(event!.summary, summary)
      assert.equal(event!.description, 'First line\nSecond line, with a comma; and a back\\slash')
      assert.equal(event!.location, 'Room 4, Block B')
      assert.ok(text.isWellFormed(), 'no character split by a fold')
      // Three-byte and four-byte characters across the fold come back whole.
      const wide = `${'€'.repeat(60)} 🙂🙂🙂 ${'x'.repeat(40)}`
      const folded = buildCalendar({
        now: new Date('2026-10-01T12:00:00Z'),
        events: [{ ...base, uid: 'wide@haven.test', date: '2026-11-10', startTime: '15:30', summary: wide }],
      })
      for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line)
      assert.ok(folded.isWellFormed())
      assert.ok(unfold(folded).includes(`SUMMARY:${wide}`))
      assert.equal(events(folded)[0]!.summary, wide)
    },
  )

  test(
    'a booking email’s invitation is a REQUEST, and its cancellation a CANCEL with the same UID and a later SEQUENCE',
    engineIndependent(),
    () => {
      const session = {
        id: '5b0c1f52-55a1-4b0e-9d7a-0d3b8d2a1c11',
        date: '2026-11-10',
        startTime: '15:30',
        durationMinutes: 60,
        sequence: 0,
        typeName: 'One-to-one supervision',
        venue: 'Room 4',
        onlineLink: null,
        updatedAt: new Date('2026-10-01T09:00:00Z'),
      }
      const people = [
        { name: 'Amira Khan', email: 'amira.khan@oakfield.example', role: 'supervisor' as const },
        { name: 'Ben Carter', email: 'ben.carter@oakfield.example', role: 'supervisee' as const },
      ]
      const request = sessionInvitationIcs(session, people, 'REQUEST', {
        host: 'haven.oakfield.example',
        now: new Date('2026-10-01T09:00:00Z'),
      })
      assert.match(request, /METHOD:REQUEST/)
      assert.match(unfold(request).join('\n'), /ORGANIZER;CN="Amira Khan":mailto:amira\.khan@oakfield\.example/)
      const [invited] = events(request)
      const attendees = [invited!.attendee ?? []].flat() as unknown as {
        params: Record<string, unknown>
        val: string
      }[]
      assert.deepEqual(
        attendees.map((a) => ({ ...a.params, val: a.val.toLowerCase() })),
        [
          {
            CN: 'Amira Khan',
            ROLE: 'CHAIR',
            PARTSTAT: 'NEEDS-ACTION',
            RSVP: false,
            val: 'mailto:amira.khan@oakfield.example',
          },
          {
            CN: 'Ben Carter',
            ROLE: 'REQ-PARTICIPANT',
            PARTSTAT: 'NEEDS-ACTION',
            RSVP: false,
            val: 'mailto:ben.carter@oakfield.example',
          },
        ],
      )
      assert.equal(invited!.uid, `${session.id}@haven.oakfield.example`)
      assert.equal(invited!.summary, 'One-to-one supervision: Ben Carter with Amira Khan')
      assert.equal(invited!.start.toISOString(), '2026-11-10T15:30:00.000Z')
      const cancel = sessionInvitationIcs({ ...session, sequence: 1 }, people, 'CANCEL', {
        host: 'haven.oakfield.example',
      })
      assert.match(cancel, /METHOD:CANCEL/)
      const [cancelled] = events(cancel)
      assert.equal(cancelled!.uid, invited!.uid)
      assert.equal(cancelled!.status, 'CANCELLED')
      assert.equal(Number(cancelled!.sequence), 1)
      const attachment = sessionInvitationAttachment(session, people, 'REQUEST', { host: 'haven.oakfield.example' })
      assert.equal(attachment.contentType, 'text/calendar; charset=utf-8; method=REQUEST')
      assert.match(Buffer.from(attachment.contentBase64, 'base64').toString('utf8'), /^BEGIN:VCALENDAR\r\n/)
    },
  )
})

describe('a person’s calendar feed', () => {
  test('create, read, see a cancellation arrive, replace and turn off the private feed', async (t) => {
    const { app, database, config } = await buildTestApp(t)
    const db = database.db
    const org = await orgOnPack(db, 'cornerstone', '2026-09-01')
    const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'], account: true })
    const ava = await addPerson(db, org, { name: 'Ava Pastoral', lineManagerId: lead, pastoral: true, account: true })
    const before = await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2026-10-23',
      startTime: '10:00',
      supervisorId: lead,
      superviseeIds: [ava],
      venue: 'Room 4, Block B',
    })
    const after = await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2026-10-26',
      startTime: '10:00',
      supervisorId: lead,
      superviseeIds: [ava],
    })
    const someoneElse = await addPerson(db, org, { name: 'Cara Pastoral', lineManagerId: lead })
    await addSession(db, org, {
      typeId: 'formal-planned',
      date: '2026-10-27',
      supervisorId: lead,
      superviseeIds: [someoneElse],
    })

    const browser = await signedInClientByEmail(app, db, emailOf('Ava Pastoral'))
    const page = await browser.get('/account/calendar-feed')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Create my calendar feed/)
    const created = await browser.post('/account/calendar-feed', {}, { formPage: '/account/calendar-feed' })
    assert.equal(created.statusCode, 200)
    const url = parse(created.body).querySelector('#feed-url')!.getAttribute('value')!
    assert.match(url, new RegExp(`^${config.baseUrl}/feeds/[A-Za-z0-9_-]{43}\\.ics$`))
    const path = new URL(url).pathname
    // Only the token's hash is kept.
    const stored = await db.selectFrom('calendar_feed').selectAll().executeTakeFirstOrThrow()
    assert.ok(!url.includes(stored.token_hash))
    assert.match(stored.token_hash, /^[0-9a-f]{64}$/)

    const feed = await app.inject({ method: 'GET', url: path })
    assert.equal(feed.statusCode, 200)
    assert.match(feed.headers['content-type'] as string, /^text\/calendar; charset=utf-8/)
    let parsed = events(feed.body)
    assert.deepEqual(
      parsed.map((e) => e.uid).sort(),
      [before, after].map((id) => `${id}@${new URL(config.baseUrl).hostname}`).sort(),
    )
    const first = parsed.find((e) => e.uid.startsWith(before))!
    assert.equal(first.start.toISOString(), '2026-10-23T09:00:00.000Z', '10:00 BST')
    assert.equal(
      parsed.find((e) => e.uid.startsWith(after))!.start.toISOString(),
      '2026-10-26T10:00:00.000Z',
      '10:00 GMT',
    )
    assert.equal(first.status, 'CONFIRMED')
    assert.equal(first.location, 'Room 4, Block B')
    assert.match(String(first.summary), /Ava Pastoral with Lena Lead/)
    assert.ok(first.lastmodified instanceof Date)

    // The session is cancelled (as the sessions screens do it: status and a new sequence).
    await db
      .updateTable('supervision_session')
      .set((eb) => ({ status: 'cancelled', sequence: eb('sequence', '+', 1), updated_at: new Date() }))
      .where('id', '=', before)
      .execute()
    parsed = events((await app.inject({ method: 'GET', url: path })).body)
    const cancelled = parsed.find((e) => e.uid.startsWith(before))!
    assert.equal(cancelled.status, 'CANCELLED')
    assert.equal(Number(cancelled.sequence), 1)
    assert.equal(cancelled.uid, first.uid)

    // The supervisor's own feed has both people's sessions.
    const leadBrowser = await signedInClientByEmail(app, db, emailOf('Lena Lead'))
    const leadFeed = await leadBrowser.post('/account/calendar-feed', {}, { formPage: '/account/calendar-feed' })
    const leadPath = new URL(parse(leadFeed.body).querySelector('#feed-url')!.getAttribute('value')!).pathname
    assert.equal(events((await app.inject({ method: 'GET', url: leadPath })).body).length, 3)

    // Replace: the old address stops working, the new one works.
    const status = await browser.get('/account/calendar-feed')
    assert.match(status.body, /Your calendar feed is on/)
    assert.match(status.body, /Replace my calendar feed/)
    const replaced = await browser.post('/account/calendar-feed', {}, { formPage: '/account/calendar-feed' })
    const newPath = new URL(parse(replaced.body).querySelector('#feed-url')!.getAttribute('value')!).pathname
    assert.notEqual(newPath, path)
    assert.equal((await app.inject({ method: 'GET', url: path })).statusCode, 404)
    assert.equal((await app.inject({ method: 'GET', url: newPath })).statusCode, 200)

    // Turn off: nothing works.
    const off = await browser.post('/account/calendar-feed/turn-off', {}, { formPage: '/account/calendar-feed' })
    assert.equal(off.statusCode, 303)
    assert.equal((await app.inject({ method: 'GET', url: newPath })).statusCode, 404)
    assert.match((await browser.get(off.headers.location as string)).body, /Your calendar feed is off/)
    for (const bad of ['/feeds/nope.ics', '/feeds/x', `/feeds/${'a'.repeat(43)}.ics`, '/feeds/%00.ics'])
      assert.equal((await app.inject({ method: 'GET', url: bad })).statusCode, 404, bad)
    const audit = await db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'calendar-feed.%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      audit.map((a) => a.action),
      ['calendar-feed.created', 'calendar-feed.created', 'calendar-feed.replaced', 'calendar-feed.turned-off'],
    )
  })

  test('the feed page needs a signed-in person; the feed itself needs only its secret address', async (t) => {
    const { app } = await buildTestApp(t)
    const page = await app.inject({ method: 'GET', url: '/account/calendar-feed' })
    assert.equal(page.statusCode, 302)
    const post = await app.inject({ method: 'POST', url: '/account/calendar-feed/turn-off' })
    assert.equal(post.statusCode, 403)
  })
})
