/**
 * Lists that scale (issue 16), the lists moved onto the one list piece after the records and
 * cancellations: each holds more rows than its old cut, pages through them all once with the right
 * count, filters and searches in the query, and never counts another school's rows.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { Db } from '../../src/db/database.ts'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { addSchool } from '../../src/services/staff/schools.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import { html } from '../helpers/html.ts'
import { sessionFor } from '../helpers/records.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

const now = new Date('2026-11-20T12:00:00Z')

/** A page's count line, and the ids its rows link to (the first match of `link` in each row). */
function listed(body: string, rows: string, link: RegExp) {
  const doc = html(body)
  return {
    caption: doc.querySelector('[role="status"]')?.text.trim() ?? '',
    ids: doc.querySelectorAll(rows).map((row) => link.exec(row.innerHTML)?.[1] ?? ''),
  }
}

/** Pages through a list: every id shown, and each page's count line checked. */
async function pageThrough(
  client: Client,
  address: string,
  total: number,
  noun: string,
  read: (body: string) => { caption: string; ids: string[] },
): Promise<string[]> {
  const seen: string[] = []
  const pages = Math.ceil(total / 50)
  const n = (x: number) => x.toLocaleString('en-GB')
  for (let p = 1; p <= pages; p++) {
    const res = await client.get(`${address}${address.includes('?') ? '&' : '?'}page=${p}`)
    assert.equal(res.statusCode, 200, `page ${p}`)
    const page = read(res.body)
    assert.equal(page.caption, `Showing ${n((p - 1) * 50 + 1)} to ${n(Math.min(p * 50, total))} of ${n(total)} ${noun}`)
    seen.push(...page.ids)
  }
  const past = await client.get(`${address}${address.includes('?') ? '&' : '?'}page=${pages + 1}`)
  assert.equal(past.statusCode, 404)
  return seen
}

/** Sessions written in bulk (planned or held; no records). */
async function sessionsInBulk(
  db: Db,
  schoolId: string,
  rows: {
    id: string
    date: string
    supervisor: string
    supervisee: string
    typeId?: string
    status?: 'planned' | 'held'
  }[],
): Promise<void> {
  for (let at = 0; at < rows.length; at += 200) {
    const chunk = rows.slice(at, at + 200)
    await db
      .insertInto('supervision_session')
      .values(
        chunk.map((s) => ({
          id: s.id,
          school_id: schoolId,
          type_id: s.typeId ?? 'formal-planned',
          date: s.date,
          start_time: '15:30',
          duration_minutes: 60,
          status: s.status ?? 'planned',
        })),
      )
      .execute()
    await db
      .insertInto('session_participant')
      .values(
        chunk.flatMap((s) => [
          { session_id: s.id, person_id: s.supervisor, role: 'supervisor' as const, attended: true },
          { session_id: s.id, person_id: s.supervisee, role: 'supervisee' as const, attended: true },
        ]),
      )
      .execute()
  }
}

/** Held sessions, each with a record, written in bulk. */
async function heldSessionsWithRecords(
  db: Db,
  schoolId: string,
  rows: { id: string; date: string; supervisor: string; supervisee: string }[],
): Promise<Map<string, string>> {
  await sessionsInBulk(
    db,
    schoolId,
    rows.map((r) => ({ ...r, status: 'held' as const })),
  )
  const records = new Map<string, string>()
  const template = JSON.stringify({ id: 'ca-supervision-record', name: 'Supervision record' })
  for (let at = 0; at < rows.length; at += 200) {
    const chunk = rows.slice(at, at + 200)
    const made = await db
      .insertInto('supervision_record')
      .values(
        chunk.map((s) => ({
          school_id: schoolId,
          session_id: s.id,
          template_id: 'ca-supervision-record',
          template_version: 1,
          template,
          document: '{}',
          status: 'completed' as const,
          completed_at: now,
          content_hash: 'a'.repeat(64),
        })),
      )
      .returning(['id', 'session_id'])
      .execute()
    for (const r of made) records.set(r.session_id, r.id)
  }
  return records
}

interface Person {
  id: string
  browser: Client
}

interface Trust extends TestApp {
  org: { organisationId: string; schoolId: string; personId: string }
  larch: { organisationId: string; schoolId: string }
  person(at: 'oak' | 'larch', name: string, roles?: string[]): Promise<Person>
}

/** A trust of two schools, Oakfield (the one the tests look at) and Larchfield (never counted). */
async function trust(cleanup: (() => Promise<void>)[]): Promise<Trust> {
  const built = await buildTestApp(
    { after: (fn) => void cleanup.push(fn as () => Promise<void>) },
    {},
    { clock: () => now },
  )
  const db = built.database.db
  const org = await insertOrganisation(db, {
    organisationKind: 'trust',
    organisationName: 'Riverside Learning Trust',
    packId: 'cornerstone',
  })
  await relaxTwoStep(db, org.organisationId, org.personId)
  const added = await addSchool(db, {
    organisationId: org.organisationId,
    name: 'Larchfield Academy',
    slug: 'larchfield',
    region: 'england-and-wales',
    actorId: org.personId,
  })
  assert.ok(added.ok)
  const larch = { organisationId: org.organisationId, schoolId: added.id }
  const person = async (at: 'oak' | 'larch', name: string, roles: string[] = ['class-teacher']) => {
    const id = await insertPersonWithAccount(db, at === 'oak' ? org : larch, {
      name,
      email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${at}.example`,
      roles,
    })
    return { id, browser: await sessionFor(built, id) }
  }
  return { ...built, org, larch, person }
}

describe('your actions, paged (issue 16, X-05)', () => {
  let s: Trust
  let supervisor: Person
  let supervisee: Person
  let bystander: Person
  const COUNT = 130
  const statuses = ['open', 'in-progress', 'carried-forward'] as const
  const made: { id: string; due: string; status: (typeof statuses)[number]; withOla: boolean }[] = []
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await trust(cleanup)
    const db = s.database.db
    const ola = await s.person('oak', 'Ola Brennan', ['pastoral-lead'])
    supervisor = await s.person('oak', 'Dana Ellis', ['pastoral-lead'])
    supervisee = await s.person('oak', 'Priya Shah')
    bystander = await s.person('oak', 'Tom Reed')
    const sessions = Array.from({ length: COUNT }, (_, i) => ({
      id: randomUUID(),
      date: addDays('2025-09-01', i),
      supervisor: i % 4 === 0 ? ola.id : supervisor.id,
      supervisee: supervisee.id,
    }))
    const records = await heldSessionsWithRecords(db, s.org.schoolId, sessions)
    const actions = sessions.map((session, i) => {
      const row = {
        id: randomUUID(),
        due: addDays('2026-01-01', i),
        status: statuses[i % 3]!,
        withOla: session.supervisor === ola.id,
      }
      made.push(row)
      return {
        id: row.id,
        school_id: s.org.schoolId,
        record_id: records.get(session.id)!,
        session_id: session.id,
        description: `Action ${i}`,
        owner_kind: 'supervisee' as const,
        owner_person_id: supervisee.id,
        due_on: row.due,
        status: row.status,
      }
    })
    // Someone else's actions at the same school, and the same person's at another organisation's
    // school: neither is theirs to see here.
    const others = actions.slice(0, 10).map((a) => ({ ...a, id: randomUUID(), owner_person_id: bystander.id }))
    await db
      .insertInto('record_action')
      .values([...actions, ...others])
      .execute()
    const larchPerson = (await s.person('larch', 'Zed Marshall')).id
    const away = [{ id: randomUUID(), date: '2026-01-05', supervisor: ola.id, supervisee: larchPerson }]
    const awayRecords = await heldSessionsWithRecords(db, s.larch.schoolId, away)
    await db
      .insertInto('record_action')
      .values({
        id: randomUUID(),
        school_id: s.larch.schoolId,
        record_id: awayRecords.get(away[0]!.id)!,
        session_id: away[0]!.id,
        description: 'Not here',
        owner_kind: 'supervisee',
        owner_person_id: larchPerson,
        due_on: '2026-01-05',
        status: 'open',
      })
      .execute()
  })

  const read = (body: string) => listed(body, '#your-actions li', /\/records\/([0-9a-f-]{36})/)

  test('X-05, issue 16: all 130 open actions are reached a page at a time, each once, soonest due first', async () => {
    const res = await supervisee.browser.get('/actions')
    const first = read(res.body)
    assert.equal(first.caption, `Showing 1 to 50 of ${COUNT} open actions`)
    const seen = await pageThrough(supervisee.browser, '/actions', COUNT, 'open actions', read)
    assert.equal(seen.length, COUNT)
    const byRecord = await s.database.db
      .selectFrom('record_action')
      .select(['record_id', 'due_on'])
      .where('owner_person_id', '=', supervisee.id)
      .where('school_id', '=', s.org.schoolId)
      .orderBy('due_on')
      .execute()
    assert.deepEqual(
      seen,
      byRecord.map((r) => r.record_id),
    )
    assert.equal(new Set(seen).size, COUNT, 'no action shown twice')
  })

  test('X-05, issue 16: filtered by status and due date, searched by name, sorted by date agreed', async () => {
    const caption = async (q: string) => read((await supervisee.browser.get(`/actions?${q}`)).body).caption
    const n = (count: number) => `Showing 1 to ${Math.min(50, count)} of ${count} matching open actions`
    assert.equal(await caption('status=carried-forward'), n(made.filter((m) => m.status === 'carried-forward').length))
    assert.equal(
      await caption('from=2026-02-01&to=2026-02-28'),
      n(made.filter((m) => m.due >= '2026-02-01' && m.due <= '2026-02-28').length),
    )
    assert.equal(await caption('q=brennan'), n(made.filter((m) => m.withOla).length))
    assert.equal(await caption('q=nobody'), 'No open actions')
    const latest = read((await supervisee.browser.get('/actions?sort=raised&order=desc')).body).ids[0]
    const last = await s.database.db
      .selectFrom('record_action')
      .select('record_id')
      .where('description', '=', `Action ${COUNT - 1}`)
      .where('owner_person_id', '=', supervisee.id)
      .executeTakeFirstOrThrow()
    assert.equal(latest, last.record_id)
    // Someone else sees only their own (ten here).
    assert.equal(read((await bystander.browser.get('/actions')).body).caption, 'Showing 1 to 10 of 10 open actions')
  })
})

describe('your sessions, paged (issue 16)', () => {
  let s: Trust
  let supervisor: Person
  let ola: Person
  const UPCOMING = 160
  const PAST = 70
  const upcoming: { id: string; date: string; supervisor: string }[] = []
  const past: { id: string; date: string; supervisor: string; status: 'planned' | 'held' }[] = []
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await trust(cleanup)
    const db = s.database.db
    supervisor = await s.person('oak', 'Dana Ellis', ['pastoral-lead'])
    ola = await s.person('oak', 'Ola Brennan')
    const priya = await s.person('oak', 'Priya Shah')
    for (let i = 0; i < UPCOMING; i++)
      upcoming.push({
        id: randomUUID(),
        date: addDays('2026-11-20', Math.floor(i / 2)),
        supervisor: supervisor.id,
      })
    for (let i = 0; i < PAST; i++)
      past.push({
        id: randomUUID(),
        date: addDays('2026-11-19', -i),
        supervisor: supervisor.id,
        status: i % 4 === 0 ? 'planned' : 'held',
      })
    await sessionsInBulk(db, s.org.schoolId, [
      ...upcoming.map((u, i) => ({ ...u, supervisee: i % 5 === 0 ? ola.id : priya.id })),
      ...past.map((p) => ({ ...p, supervisee: priya.id })),
    ])
    // Another school's sessions, of other people: never counted.
    const leo = await s.person('larch', 'Leo Park', ['pastoral-lead'])
    const zed = await s.person('larch', 'Zed Marshall')
    await sessionsInBulk(
      db,
      s.larch.schoolId,
      Array.from({ length: 12 }, (_, i) => ({
        id: randomUUID(),
        date: addDays('2026-11-20', i),
        supervisor: leo.id,
        supervisee: zed.id,
      })),
    )
  })

  const read = (id: string) => (body: string) => listed(body, `#${id} tbody tr`, /\/sessions\/([0-9a-f-]{36})/)

  test('issue 16: all 160 upcoming (the old cut was 100) are reached a page at a time, each once, soonest first', async () => {
    const seen = await pageThrough(supervisor.browser, '/sessions', UPCOMING, 'upcoming sessions', read('upcoming'))
    assert.equal(new Set(seen).size, UPCOMING)
    assert.deepEqual([...seen].sort(), upcoming.map((u) => u.id).sort())
    const dates = new Map(upcoming.map((u) => [u.id, u.date]))
    const inOrder = seen.map((id) => dates.get(id)!)
    assert.deepEqual(inOrder, [...inOrder].sort())
  })

  test('issue 16: all 70 past (the old cut was 50) are reached, latest first', async () => {
    const seen = await pageThrough(supervisor.browser, '/sessions?show=past', PAST, 'past sessions', read('past'))
    assert.deepEqual(
      seen,
      past.map((p) => p.id),
    )
  })

  test('issue 16: filtered by supervisee, status and dates, searched by name, in the query', async () => {
    const caption = async (q: string, id = 'upcoming') =>
      read(id)((await supervisor.browser.get(`/sessions?${q}`)).body).caption
    const n = (count: number, noun = 'upcoming sessions') =>
      `Showing 1 to ${Math.min(50, count)} of ${count} matching ${noun}`
    const olas = Math.ceil(UPCOMING / 5)
    assert.equal(await caption(`person=${ola.id}`), n(olas))
    assert.equal(await caption('q=brennan'), n(olas))
    assert.equal(await caption('q=nobody'), 'No upcoming sessions')
    assert.equal(
      await caption('show=past&status=planned', 'past'),
      n(past.filter((p) => p.status === 'planned').length, 'past sessions'),
    )
    assert.equal(
      await caption('from=2026-12-01&to=2026-12-10'),
      n(upcoming.filter((u) => u.date >= '2026-12-01' && u.date <= '2026-12-10').length),
    )
    // Ola sees only her own.
    assert.equal(
      read('upcoming')((await ola.browser.get('/sessions')).body).caption,
      `Showing 1 to ${olas} of ${olas} upcoming sessions`,
    )
  })
})

describe('requests for supervision, paged (issue 16, CA-04)', () => {
  let s: Trust
  let dsl: Person
  let priya: Person
  let olaId: string
  const TO_ANSWER = 230
  const OWN = 70
  const made: { id: string; status: 'open' | 'booked' | 'declined'; by: string; at: Date }[] = []
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await trust(cleanup)
    const db = s.database.db
    dsl = await s.person('oak', 'Grace Obi', ['dsl'])
    priya = await s.person('oak', 'Priya Shah')
    const ola = await s.person('oak', 'Ola Brennan')
    olaId = ola.id
    const statuses = ['open', 'booked', 'declined'] as const
    const rows = Array.from({ length: TO_ANSWER }, (_, i) => {
      const row = {
        id: randomUUID(),
        status: statuses[i % 3]!,
        by: i % 5 === 0 ? ola.id : priya.id,
        at: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000),
      }
      made.push(row)
      return {
        id: row.id,
        organisation_id: s.org.organisationId,
        school_id: s.org.schoolId,
        requester_id: row.by,
        topic: 'Wellbeing',
        preferred_dates: [],
        status: row.status,
        created_at: row.at,
        answered_at: row.status === 'open' ? null : now,
        decline_reason: row.status === 'declined' ? 'No one free' : null,
      }
    })
    // The DSL's own requests (not theirs to answer), and another school's (never counted).
    const own = Array.from({ length: OWN }, (_, i) => ({
      id: randomUUID(),
      organisation_id: s.org.organisationId,
      school_id: s.org.schoolId,
      requester_id: dsl.id,
      topic: 'Safeguarding',
      preferred_dates: [],
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000),
    }))
    const zed = await s.person('larch', 'Zed Marshall')
    const larch = Array.from({ length: 9 }, () => ({
      id: randomUUID(),
      organisation_id: s.org.organisationId,
      school_id: s.larch.schoolId,
      requester_id: zed.id,
      topic: 'Wellbeing',
      preferred_dates: [],
    }))
    for (const chunk of [rows.slice(0, 150), rows.slice(150), own, larch])
      await db.insertInto('session_request').values(chunk).execute()
  })

  const read = (body: string) => listed(body, '#to-answer tbody tr', /\/sessions\/requests\/([0-9a-f-]{36})/)
  const readOwn = (body: string) => {
    const doc = html(body)
    return {
      caption: doc.querySelector('#own-count [role="status"]')?.text.trim() ?? '',
      ids: doc
        .querySelectorAll('#own tbody tr')
        .map((tr) => /\/sessions\/requests\/([0-9a-f-]{36})/.exec(tr.innerHTML)?.[1] ?? ''),
    }
  }

  test('CA-04, issue 16: the DSL reaches all 230 requests to answer (the old cut was 200), each once', async () => {
    const seen = await pageThrough(dsl.browser, '/sessions/requests', TO_ANSWER, 'requests to answer', read)
    assert.equal(new Set(seen).size, TO_ANSWER)
    assert.deepEqual([...seen].sort(), made.map((m) => m.id).sort())
  })

  test('CA-04, issue 16: their own 70 requests (the old cut was 50) are paged on their own', async () => {
    const first = readOwn((await dsl.browser.get('/sessions/requests')).body)
    assert.equal(first.caption, `Showing 1 to 50 of ${OWN} requests of yours`)
    const second = readOwn((await dsl.browser.get('/sessions/requests?own-page=2')).body)
    assert.equal(second.caption, `Showing 51 to ${OWN} of ${OWN} requests of yours`)
    assert.equal(new Set([...first.ids, ...second.ids]).size, OWN)
  })

  test('CA-04, issue 16: filtered by status and date asked, searched by name, sorted by date', async () => {
    const caption = async (q: string) => read((await dsl.browser.get(`/sessions/requests?${q}`)).body).caption
    const n = (count: number) => `Showing 1 to ${Math.min(50, count)} of ${count} matching requests to answer`
    assert.equal(await caption('status=declined'), n(made.filter((m) => m.status === 'declined').length))
    assert.equal(await caption('q=brennan'), n(made.filter((m) => m.by !== priya.id).length))
    assert.equal(
      await caption('from=2026-02-01&to=2026-02-28'),
      n(made.filter((m) => m.at.toISOString().slice(0, 7) === '2026-02').length),
    )
    assert.equal(await caption('q=nobody'), 'No requests to answer')
    const newest = read((await dsl.browser.get('/sessions/requests?sort=asked&order=desc')).body).ids[0]
    assert.equal(newest, made.at(-1)!.id)
  })

  test('CA-04, issue 16: the person asked for is chosen from a list (no JavaScript), never another school’s', async () => {
    const page = await dsl.browser.get('/sessions/requests')
    const options = html(page.body)
      .querySelectorAll('select#person option')
      .map((o) => o.text.trim())
    assert.deepEqual(options, ['Anyone', 'Grace Obi', 'Ola Brennan', 'Priya Shah'])
    assert.ok(html(page.body).querySelector('form[method="get"] select#supervisor'))
    const olas = await dsl.browser.get(`/sessions/requests?person=${olaId}`)
    assert.equal(
      read(olas.body).caption,
      `Showing 1 to 46 of 46 matching requests to answer`,
      'every fifth of the 230 is Ola’s',
    )
    assert.equal(html(olas.body).querySelector(`select#person option[value="${olaId}"]`)?.getAttribute('selected'), '')
  })
})

describe('the school’s contracts, paged (issue 16, MW-02)', () => {
  let s: Trust
  let dsl: Person
  let priya: Person
  let ola: Person
  const COUNT = 5020
  const made: { id: string; supervisee: 'priya' | 'ola'; year: string }[] = []
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await trust(cleanup)
    const db = s.database.db
    dsl = await s.person('oak', 'Grace Obi', ['dsl'])
    const supervisor = await s.person('oak', 'Dana Ellis', ['pastoral-lead'])
    priya = await s.person('oak', 'Priya Shah')
    ola = await s.person('oak', 'Ola Brennan')
    const contract = (schoolId: string, superviseeId: string, supervisorId: string, year: string) => ({
      id: randomUUID(),
      organisation_id: s.org.organisationId,
      school_id: schoolId,
      supervisee_id: superviseeId,
      supervisor_id: supervisorId,
      template_id: 'mw-contract',
      template_version: 1,
      policy_version: 1,
      academic_year: year,
      status: 'superseded',
      content_hash: 'a'.repeat(64),
      issued_at: now,
      superseded_at: now,
      agreed: '{}',
      rendered: '""',
    })
    const rows = Array.from({ length: COUNT }, (_, i) => {
      const who = i % 4 === 0 ? 'ola' : 'priya'
      const year = `${2000 + (i % 20)}-${String((1 + (i % 20)) % 100).padStart(2, '0')}`
      const row = contract(s.org.schoolId, who === 'ola' ? ola.id : priya.id, supervisor.id, year)
      made.push({ id: row.id, supervisee: who, year })
      return row
    })
    for (let at = 0; at < rows.length; at += 500)
      await db
        .insertInto('contract')
        .values(rows.slice(at, at + 500))
        .execute()
    const leo = await s.person('larch', 'Leo Park', ['pastoral-lead'])
    const zed = await s.person('larch', 'Zed Marshall')
    await db
      .insertInto('contract')
      .values(Array.from({ length: 7 }, () => contract(s.larch.schoolId, zed.id, leo.id, '2025-26')))
      .execute()
  })

  const read = (body: string) => listed(body, '#contracts tbody tr', /\/contracts\/([0-9a-f-]{36})/)

  test('MW-02, issue 16: all 5,020 contracts (the old cut was 5,000) are reached a page at a time, each once', async () => {
    const seen = await pageThrough(dsl.browser, '/contracts', COUNT, 'contracts', read)
    assert.equal(new Set(seen).size, COUNT)
    assert.deepEqual([...seen].sort(), made.map((m) => m.id).sort())
  })

  test('MW-02, issue 16: searched by name, filtered by status, sorted by year', async () => {
    const caption = async (q: string) => read((await dsl.browser.get(`/contracts?${q}`)).body).caption
    const olas = made.filter((m) => m.supervisee === 'ola').length
    assert.equal(await caption('q=brennan'), `Showing 1 to 50 of ${olas.toLocaleString('en-GB')} matching contracts`)
    assert.equal(await caption('status=signed'), 'No contracts')
    const first = read((await dsl.browser.get('/contracts?sort=year&order=desc')).body).ids[0]
    const latestYear = made
      .map((m) => m.year)
      .sort()
      .at(-1)
    assert.equal(made.find((m) => m.id === first)?.year, latestYear)
  })

  test('MW-02, issue 16: the supervisee and supervisor are chosen from lists (no JavaScript), never another school’s', async () => {
    const page = html((await dsl.browser.get('/contracts')).body)
    const options = (id: string) => page.querySelectorAll(`select#${id} option`).map((o) => o.text.trim())
    assert.deepEqual(options('person'), ['Anyone', 'Ola Brennan', 'Priya Shah'])
    assert.deepEqual(options('supervisor'), ['Anyone', 'Dana Ellis'])
    const olas = made.filter((m) => m.supervisee === 'ola').length
    const chosen = read((await dsl.browser.get(`/contracts?person=${ola.id}`)).body)
    assert.equal(chosen.caption, `Showing 1 to 50 of ${olas.toLocaleString('en-GB')} matching contracts`)
  })

  test('MW-02, issue 16: your own contracts are paged, not cut at 500', async () => {
    const priyas = made.filter((m) => m.supervisee === 'priya').length
    const n = (x: number) => x.toLocaleString('en-GB')
    const mine = (q: string) => priya.browser.get(`/contracts/mine${q}`)
    const readMine = (body: string) => listed(body, '#my-contracts tbody tr', /\/contracts\/([0-9a-f-]{36})/)
    const first = readMine((await mine('')).body)
    assert.equal(first.caption, `Showing 1 to 50 of ${n(priyas)} contracts`)
    assert.equal(first.ids.length, 50)
    const pages = Math.ceil(priyas / 50)
    const last = await mine(`?page=${pages}`)
    assert.equal(last.statusCode, 200)
    assert.equal(
      readMine(last.body).caption,
      `Showing ${n((pages - 1) * 50 + 1)} to ${n(priyas)} of ${n(priyas)} contracts`,
    )
    assert.equal((await mine(`?page=${pages + 1}`)).statusCode, 404)
    // Sorted by year both ways, and searched by the other party's name.
    const yearOf = (id: string) => made.find((m) => m.id === id)?.year
    const years = made
      .filter((m) => m.supervisee === 'priya')
      .map((m) => m.year)
      .sort()
    assert.equal(yearOf(readMine((await mine('?sort=year&order=desc')).body).ids[0]!), years.at(-1))
    assert.equal(yearOf(readMine((await mine('?sort=year&order=asc')).body).ids[0]!), years[0])
    assert.equal(readMine((await mine('?q=ellis')).body).caption, `Showing 1 to 50 of ${n(priyas)} matching contracts`)
    assert.equal(readMine((await mine('?q=brennan')).body).caption, 'No contracts')
  })
})
