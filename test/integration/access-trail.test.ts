/**
 * The access trail (X-06, issue 16): the DSL reads who opened, printed or exported which record and
 * when, filtered by who, record and date, a page at a time; a supervisee reads who opened their own
 * records; nobody else reads the trail. The decisions list, the actions page and the session pages,
 * which show record content, now leave an entry too.
 *
 * The audit log stamps entries with the real time (it says when something happened, not which school
 * day it was: ADR 0017), so the date filters are tried around the day of the first stored entry;
 * the sessions and actions are dated from the app's clock, set to the fixed test instant.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { londonDateOf } from '../../src/domain/calendar/london.ts'
import { clockFrom, testNow, testToday } from '../helpers/clock.ts'
import { html } from '../helpers/html.ts'
import {
  dateFields,
  formValues,
  hidden,
  insertSession,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

const now = testNow
const today = testToday

/** The rows of a trail page: [when, who, what, record and session, ...]. */
function rows(body: string): string[][] {
  return html(body)
    .querySelectorAll('tbody tr')
    .map((tr) => tr.querySelectorAll('td').map((td) => td.text.replace(/\s+/g, ' ').trim()))
}

function caption(body: string): string {
  return html(body).querySelector('[role="status"]')?.text.trim() ?? ''
}

describe('the access trail (X-06)', () => {
  let s: RecordsTestApp
  let sessionId: string
  let recordId: string
  let otherRecordId: string
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone', clock: clockFrom(now) })
    sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, -7),
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const saved = await s.supervisor.browser.post(
      `/records/${recordId}`,
      {
        ...formValues(page.body),
        'agreedFurtherActions-0-text': 'Finish the attendance report',
        'agreedFurtherActions-0-owner': s.supervisee.id,
        ...dateFields('agreedFurtherActions-0-dueOn', addDays(today, 7)),
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(saved.statusCode, 303)
    // Another supervisee's record, which the first supervisee's trail never shows.
    const other = await s.person('Ola Brennan')
    const otherSession = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, -3),
      supervisors: [s.supervisor.id],
      supervisees: [other.id],
    })
    const otherStarted = await s.supervisor.browser.post(
      `/records/sessions/${otherSession}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${otherSession}` },
    )
    otherRecordId = recordIdFrom(otherStarted.headers.location)
    // The openings the trail must show.
    assert.equal((await s.dsl.browser.get(`/records/${recordId}/record.pdf`)).statusCode, 200)
    assert.equal((await s.dsl.browser.get(`/records/${otherRecordId}`)).statusCode, 200)
    assert.equal((await s.supervisee.browser.get(`/records/${recordId}`)).statusCode, 200)
  })

  test('X-06: a supervisee reads who opened their own records, and nobody else’s', async () => {
    const res = await s.supervisee.browser.get('/records/who-opened')
    assert.equal(res.statusCode, 200)
    const trail = rows(res.body)
    assert.ok(
      trail.some((r) => r[1] === 'Grace Obi' && /Printed or downloaded/.test(r[2]!)),
      'the DSL printing the record is shown',
    )
    assert.ok(trail.some((r) => r[1] === 'Dana Ellis' && r[2] === 'Opened the record'))
    assert.ok(trail.some((r) => r[1] === 'Priya Shah'))
    assert.doesNotMatch(res.body, new RegExp(otherRecordId), 'another supervisee’s record is not in their trail')
    assert.match(caption(res.body), /^Showing 1 to \d+ of \d+ entries$/)
    // From the record page.
    const record = await s.supervisee.browser.get(`/records/${recordId}`)
    assert.match(record.body, new RegExp(`href="/records/who-opened\\?record=${recordId}"`))
    const one = await s.supervisee.browser.get(`/records/who-opened?record=${otherRecordId}`)
    assert.equal(rows(one.body).length, 0, 'a record of someone else’s session shows nothing')
    // The bystander took part in nothing.
    assert.equal(rows((await s.bystander.browser.get('/records/who-opened')).body).length, 0)
  })

  test('X-06: the DSL filters the school’s trail by who, record and date, a page at a time', async () => {
    const all = await s.dsl.browser.get('/records/access-trail')
    assert.equal(all.statusCode, 200)
    const everything = rows(all.body)
    assert.ok(everything.some((r) => r[1] === 'Priya Shah'))
    assert.ok(everything.some((r) => r[1] === 'Grace Obi'))
    const byWho = rows((await s.dsl.browser.get(`/records/access-trail?person=${s.supervisee.id}`)).body)
    assert.ok(byWho.length > 0)
    assert.ok(byWho.every((r) => r[1] === 'Priya Shah'))
    const byRecord = await s.dsl.browser.get(`/records/access-trail?record=${otherRecordId}`)
    assert.ok(rows(byRecord.body).length > 0)
    assert.ok(rows(byRecord.body).every((r) => r[4] === 'Ola Brennan'))
    assert.ok(!rows(byRecord.body).some((r) => r[4] === 'Priya Shah'))
    const search = rows((await s.dsl.browser.get('/records/access-trail?q=brennan')).body)
    assert.ok(search.length > 0 && search.every((r) => r[4] === 'Ola Brennan'))
    // Dates: every entry is in from the day of the first one; none up to the day before it. The date
    // input's fields work too. (Entries carry the real time: their day is read from the log.)
    const first = await s.database.db
      .selectFrom('audit_event')
      .select('occurred_at')
      .orderBy('occurred_at')
      .executeTakeFirstOrThrow()
    const firstDay = londonDateOf(new Date(first.occurred_at))
    const [y, m, d] = firstDay.split('-')
    const fromToday = rows(
      (await s.dsl.browser.get(`/records/access-trail?from-day=${d}&from-month=${m}&from-year=${y}`)).body,
    )
    assert.equal(fromToday.length, everything.length)
    const untilYesterday = await s.dsl.browser.get(`/records/access-trail?to=${addDays(firstDay, -1)}`)
    assert.equal(rows(untilYesterday.body).length, 0)
    assert.match(caption(untilYesterday.body), /^No entries$/)
    // Sorted by who, A to Z.
    const byName = rows((await s.dsl.browser.get('/records/access-trail?sort=who&order=asc')).body).map((r) => r[1]!)
    assert.deepEqual(
      byName,
      [...byName].sort((a, b) => a.localeCompare(b)),
    )
    // Nonsense in the address is ignored, never an error; a page past the end is not found.
    assert.equal((await s.dsl.browser.get('/records/access-trail?person=x&from=2026-02-31&sort=%27')).statusCode, 200)
    assert.equal((await s.dsl.browser.get('/records/access-trail?page=99')).statusCode, 404)
  })

  test('X-06: only the DSL reads the school’s trail', async () => {
    for (const who of [s.headteacher, s.supervisor, s.supervisee, s.bystander]) {
      const res = await who.browser.get('/records/access-trail')
      assert.equal(res.statusCode, 403, who.name)
      assert.doesNotMatch(res.body, /Grace Obi/)
    }
    assert.equal((await s.admin.get('/records/access-trail')).statusCode, 403)
  })

  test('X-06: the actions page and the session page leave an entry in the trail; the old decisions list leads to the queue', async () => {
    const entries = async (format: string) =>
      (
        await s.database.db
          .selectFrom('audit_event')
          .select(['subject_type', 'subject_id', 'actor_id'])
          .where('action', '=', 'record.open')
          .where(({ ref, eb }) => eb(ref('detail', '->>').key('format' as never), '=', format))
          .execute()
      ).map((e) => `${e.subject_type}:${e.subject_id}:${e.actor_id}`)

    assert.equal((await s.supervisee.browser.get('/actions')).statusCode, 200)
    assert.ok((await entries('actions')).includes(`record:${recordId}:${s.supervisee.id}`))
    const trail = rows((await s.supervisee.browser.get('/records/who-opened')).body)
    assert.ok(trail.some((r) => r[1] === 'Priya Shah' && /actions/.test(r[2]!)))

    // The old list of decisions to record leads to the decision queue (issue 15), whose decision
    // pages leave their own audit entries (test/integration/children-decisions.test.ts).
    const transfers = await s.dsl.browser.get('/records/transfers')
    assert.equal(transfers.statusCode, 303)
    assert.equal(transfers.headers.location, '/children/decisions')
  })

  test('X-06: a session page showing preparation is in the trail', async () => {
    const prep = await s.supervisee.browser.get(`/records/sessions/${sessionId}/preparation`)
    assert.equal(prep.statusCode, 200)
    const posted = await s.supervisee.browser.post(`/records/sessions/${sessionId}/preparation`, {
      version: hidden(prep.body, 'version'),
      'agenda-0-text': 'Workload in the new term',
    })
    assert.ok([200, 303].includes(posted.statusCode), `preparation saved (${posted.statusCode})`)
    const sessionPage = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
    assert.match(sessionPage.body, /Workload in the new term/)
    const seen = await s.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'record.open')
      .where('subject_type', '=', 'session')
      .where('subject_id', '=', sessionId)
      .where('actor_id', '=', s.supervisor.id)
      .execute()
    assert.ok(seen.length > 0, 'the supervisor seeing the preparation is audited')
  })
})
