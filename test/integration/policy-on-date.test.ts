/**
 * Issue 14, one policy on a date (ADR 0021): a session type renamed in a new version of the policy
 * is named the same way on every page: in the calendar feed, the records list and the sessions
 * pages, each session by the version on its own date. Before the new version takes effect the old
 * name stands (editing the policy never rewrites history, X-01); from that date on, the new one.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import ical, { type VEvent } from 'node-ical'
import { writeGeneration } from '../../src/db/kept-reads.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { loadPack } from '../../src/packs/index.ts'
import { policyBook, policyTimeline } from '../../src/services/policy/on-date.ts'
import { savePolicyVersion } from '../../src/services/policy/store.ts'
import { html } from '../helpers/html.ts'
import { untilReadsAreKept } from '../helpers/kept-reads.ts'
import { insertSession, recordsTestApp } from '../helpers/records.ts'

const OLD_NAME = 'Formal planned supervision'
const NEW_NAME = 'One-to-one reflective supervision'
// Monday 1 February 2027, midday: the app's clock (ADR 0017).
const NOW = new Date('2027-02-01T12:00:00Z')

/** The text of the table row holding a link to `href` ('' when there is none). */
function rowText(body: string, href: string): string {
  const link = html(body).querySelector(`a[href="${href}"]`)
  let row = link?.parentNode
  while (row && row.tagName !== 'TR') row = row.parentNode
  return (row ?? link)?.textContent.replace(/\s+/g, ' ').trim() ?? ''
}

function namedOnly(text: string, name: string, where: string) {
  const other = name === OLD_NAME ? NEW_NAME : OLD_NAME
  assert.ok(text.includes(name), `${where}: expected "${name}" in "${text}"`)
  assert.ok(!text.includes(other), `${where}: did not expect "${other}" in "${text}"`)
}

test('X-01: a renamed session type shows the same name in the calendar feed, the records list and the sessions pages', async (t) => {
  const s = await recordsTestApp(t, { pack: 'cornerstone', clock: () => NOW })
  const db = s.database.db

  // Version 2 renames the type from Monday 4 January 2027 (version 1, the pack, is from 2021).
  const pack = loadPack('cornerstone')
  const renamed: PolicyDocument = {
    ...pack,
    sessionTypes: pack.sessionTypes.map((type) => (type.id === 'formal-planned' ? { ...type, name: NEW_NAME } : type)),
  }
  const saved = await savePolicyVersion(db, {
    schoolId: s.org.schoolId,
    organisationId: s.org.organisationId,
    document: renamed,
    effectiveFrom: '2027-01-04',
    actorId: s.org.personId,
    today: '2026-12-01',
  })
  assert.deepEqual(saved, { ok: true, version: 2 })

  const session = (date: string, status: 'held' | 'planned') =>
    insertSession(db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date,
      startTime: '10:00',
      status,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
  const expected = new Map([
    [await session('2026-11-10', 'held'), OLD_NAME], // under version 1
    [await session('2027-01-20', 'held'), NEW_NAME], // under version 2
    [await session('2027-02-10', 'planned'), NEW_NAME], // to come, under version 2
  ])

  // The calendar feed.
  const created = await s.supervisee.browser.post('/account/calendar-feed', {}, { formPage: '/account/calendar-feed' })
  assert.equal(created.statusCode, 200)
  const feedUrl = html(created.body).querySelector('#feed-url')!.getAttribute('value')!
  const feed = await s.app.inject({ method: 'GET', url: new URL(feedUrl).pathname })
  assert.equal(feed.statusCode, 200)
  const events = Object.values(ical.sync.parseICS(feed.body)).filter((c): c is VEvent => c?.type === 'VEVENT')
  assert.equal(events.length, 3)
  for (const [id, name] of expected) {
    const event = events.find((e) => e.uid.startsWith(id))
    assert.ok(event, `the feed has session ${id}`)
    namedOnly(String(event.summary), name, `feed, session of ${id}`)
  }

  // The records list, and each session's records page.
  const records = await s.supervisee.browser.get('/records')
  assert.equal(records.statusCode, 200)
  for (const [id, name] of expected) {
    namedOnly(rowText(records.body, `/records/sessions/${id}`), name, `records list, session ${id}`)
  }

  // The sessions pages: "Your sessions", each session's page, and the school's week for the DSL.
  // Issue 16: upcoming and past are two views of the paged list.
  const mine = await s.supervisee.browser.get('/sessions')
  const minePast = await s.supervisee.browser.get('/sessions?show=past')
  assert.equal(mine.statusCode, 200)
  assert.equal(minePast.statusCode, 200)
  for (const [id, name] of expected) {
    const row = rowText(mine.body, `/sessions/${id}`) || rowText(minePast.body, `/sessions/${id}`)
    namedOnly(row, name, `your sessions, session ${id}`)
    const page = await s.supervisee.browser.get(`/sessions/${id}`)
    assert.equal(page.statusCode, 200)
    namedOnly(html(page.body).querySelector('h1')!.textContent, name, `session page ${id}`)
  }
  const weeks = await Promise.all(
    ['2026-11-09', '2027-01-18', '2027-02-08'].map((date) => s.dsl.browser.get(`/sessions/week?date=${date}`)),
  )
  for (const [id, name] of expected) {
    const week = weeks.find((w) => w.body.includes(`/sessions/${id}`))
    assert.ok(week, `a week page lists session ${id}`)
    assert.equal(week.statusCode, 200)
    namedOnly(rowText(week.body, `/sessions/${id}`), name, `week page, session ${id}`)
  }
})

test('X-01: the school’s policy is read once while nothing is written, cannot be changed by a reader, and a new version is seen at once', async (t) => {
  const s = await recordsTestApp(t, { pack: 'cornerstone', clock: () => NOW })
  const db = s.database.db
  await untilReadsAreKept(db)
  // Two services of one request ask for the policy: the second is given what the first read. (On
  // PostgreSQL an earlier write may still be heard between the two; then both are read again.)
  let first: Awaited<ReturnType<typeof policyTimeline>>
  let second: typeof first
  for (let i = 0; ; i++) {
    const generation = writeGeneration(db)
    first = await policyTimeline(db, s.org.schoolId)
    second = await policyTimeline(db, s.org.schoolId)
    if (writeGeneration(db) === generation) break
    assert.ok(i < 20, 'two reads with nothing written between them')
  }
  assert.equal(second, first)
  assert.equal(first.length, 1)
  // What is kept is shared, so it is frozen: a reader that changed it would change every other's.
  assert.throws(() => {
    ;(first[0]!.document as PolicyDocument).sessionTypes[0]!.name = 'Changed in place'
  }, TypeError)
  assert.throws(() => first.push(first[0]!), TypeError)

  const pack = loadPack('cornerstone')
  const saved = await savePolicyVersion(db, {
    schoolId: s.org.schoolId,
    organisationId: s.org.organisationId,
    document: { ...pack, sessionTypes: pack.sessionTypes.map((type) => ({ ...type, name: `${type.name} (new)` })) },
    effectiveFrom: '2027-01-04',
    actorId: s.org.personId,
    today: '2026-12-01',
  })
  assert.deepEqual(saved, { ok: true, version: 2 })
  const after = await policyTimeline(db, s.org.schoolId)
  assert.notEqual(after, first)
  assert.deepEqual(
    after.map((v) => v.version),
    [1, 2],
  )
  assert.match((await policyBook(db, s.org.schoolId)).on('2027-01-05')!.sessionTypes[0]!.name, /\(new\)$/)
})
