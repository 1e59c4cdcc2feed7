/**
 * Lists that scale (issue 16, X-06): 1,000 sessions with their records behind the records list.
 * Paged through, every one is shown exactly once with the right count; filters, search and sort are
 * done in the query; and scope is in the query too: another school's rows are never counted, a
 * supervisee counts only their own.
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
const COUNT = 1000
const statuses = ['draft', 'completed', 'signed'] as const

interface Seeded {
  id: string
  date: string
  supervisee: number
  status: (typeof statuses)[number]
}

/** Sessions of one supervisor with ten supervisees in turn, each with a record, written in bulk. */
async function seed(
  db: Db,
  schoolId: string,
  supervisorId: string,
  supervisees: string[],
  count: number,
  firstDate: string,
): Promise<Seeded[]> {
  const seeded: Seeded[] = []
  for (let i = 0; i < count; i++) {
    seeded.push({
      id: randomUUID(),
      date: addDays(firstDate, Math.floor(i / 2)),
      supervisee: i % supervisees.length,
      status: statuses[i % 3]!,
    })
  }
  const template = JSON.stringify({ id: 'ca-supervision-record', name: 'Supervision record' })
  for (let at = 0; at < seeded.length; at += 250) {
    const chunk = seeded.slice(at, at + 250)
    await db
      .insertInto('supervision_session')
      .values(
        chunk.map((s) => ({
          id: s.id,
          school_id: schoolId,
          type_id: 'formal-planned',
          date: s.date,
          start_time: '15:30',
          duration_minutes: 60,
          status: 'held',
        })),
      )
      .execute()
    await db
      .insertInto('session_participant')
      .values(
        chunk.flatMap((s) => [
          { session_id: s.id, person_id: supervisorId, role: 'supervisor' as const, attended: true },
          { session_id: s.id, person_id: supervisees[s.supervisee]!, role: 'supervisee' as const, attended: true },
        ]),
      )
      .execute()
    await db
      .insertInto('supervision_record')
      .values(
        chunk.map((s) => ({
          school_id: schoolId,
          session_id: s.id,
          template_id: 'ca-supervision-record',
          template_version: 1,
          template,
          document: '{}',
          status: s.status,
          completed_at: s.status === 'draft' ? null : now,
          content_hash: s.status === 'draft' ? null : 'a'.repeat(64),
          locked_at: s.status === 'signed' ? now : null,
        })),
      )
      .execute()
  }
  return seeded
}

/** The session ids a records page links to, in order, and its count line. */
function page(body: string): { ids: string[]; caption: string } {
  const doc = html(body)
  const ids = doc
    .querySelectorAll('tbody tr')
    .map((tr) => /\/records\/sessions\/([0-9a-f-]{36})/.exec(tr.innerHTML)?.[1] ?? '')
  return { ids, caption: doc.querySelector('[role="status"]')?.text.trim() ?? '' }
}

describe('the records list with 1,000 records (issue 16)', () => {
  let built: TestApp
  let oak: Seeded[]
  let larch: Seeded[]
  let dsl: Client
  let larchDsl: Client
  let supervisor: Client
  let supervisees: { id: string; browser: Client }[]
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    built = await buildTestApp(
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
    const larchAt = { organisationId: org.organisationId, schoolId: added.id }
    const person = async (at: { organisationId: string; schoolId: string }, name: string, roles: string[]) => {
      const id = await insertPersonWithAccount(db, at, {
        name,
        email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@oakfield.example`,
        roles,
      })
      return { id, browser: await sessionFor(built, id) }
    }
    const dslP = await person(org, 'Grace Obi', ['dsl'])
    const supervisorP = await person(org, 'Dana Ellis', ['pastoral-lead'])
    const names = ['Zed Marsh', ...Array.from({ length: 9 }, (_, i) => `Teacher ${String.fromCharCode(65 + i)}lpha`)]
    supervisees = []
    for (const name of names) supervisees.push(await person(org, name, ['class-teacher']))
    const larchDslP = await person(larchAt, 'Lara Quinn', ['dsl'])
    const larchSupervisor = await person(larchAt, 'Leo Park', ['pastoral-lead'])
    const larchSupervisee = await person(larchAt, 'Zed Marshall', ['class-teacher'])
    oak = await seed(
      db,
      org.schoolId,
      supervisorP.id,
      supervisees.map((s) => s.id),
      COUNT,
      '2024-09-02',
    )
    larch = await seed(db, larchAt.schoolId, larchSupervisor.id, [larchSupervisee.id], 37, '2024-09-02')
    dsl = dslP.browser
    larchDsl = larchDslP.browser
    supervisor = supervisorP.browser
  })

  test('X-06: the DSL pages through all 1,000, each once, and another school’s are never counted', async () => {
    const first = await dsl.get('/records')
    assert.equal(first.statusCode, 200)
    assert.equal(page(first.body).caption, 'Showing 1 to 50 of 1,000 sessions')
    const seen: string[] = []
    for (let n = 1; n <= 20; n++) {
      const res = await dsl.get(`/records?page=${n}`)
      assert.equal(res.statusCode, 200)
      const p = page(res.body)
      assert.equal(p.ids.length, 50, `page ${n}`)
      assert.equal(
        p.caption,
        `Showing ${((n - 1) * 50 + 1).toLocaleString('en-GB')} to ${(n * 50).toLocaleString('en-GB')} of 1,000 sessions`,
      )
      seen.push(...p.ids)
    }
    assert.equal(new Set(seen).size, COUNT, 'no session shown twice')
    assert.deepEqual([...seen].sort(), oak.map((s) => s.id).sort(), 'none missed, none of the other school')
    // Newest first by default.
    const dates = new Map(oak.map((s) => [s.id, s.date]))
    const inOrder = seen.map((id) => dates.get(id)!)
    assert.deepEqual(inOrder, [...inOrder].sort().reverse())
    assert.equal((await dsl.get('/records?page=21')).statusCode, 404)
    // The pagination links.
    assert.match(first.body, /class="govuk-pagination/)
    assert.match(first.body, /href="\/records\?page=20"/)
  })

  test('issue 16: filters, search and sort are done in the query', async () => {
    const count = async (client: Client, query: string) => {
      const res = await client.get(`/records?${query}`)
      assert.equal(res.statusCode, 200, query)
      return page(res.body).caption
    }
    const zed = supervisees[0]!
    const expectCount = (n: number) =>
      n === 0 ? 'No sessions' : `Showing 1 to ${Math.min(50, n)} of ${n.toLocaleString('en-GB')} matching sessions`
    assert.equal(await count(dsl, `person=${zed.id}`), expectCount(oak.filter((s) => s.supervisee === 0).length))
    assert.equal(await count(dsl, 'status=signed'), expectCount(oak.filter((s) => s.status === 'signed').length))
    const from = '2025-01-01'
    const to = '2025-03-31'
    assert.equal(
      await count(dsl, `from=${from}&to=${to}`),
      expectCount(oak.filter((s) => s.date >= from && s.date <= to).length),
    )
    // The date input's fields, as the filter form sends them.
    assert.equal(
      await count(dsl, 'from-day=1&from-month=1&from-year=2025&to-day=31&to-month=3&to-year=2025'),
      expectCount(oak.filter((s) => s.date >= from && s.date <= to).length),
    )
    // Search by name: "marsh" finds Zed Marsh's sessions here, and not Zed Marshall's at the other school.
    assert.equal(await count(dsl, 'q=MARSH'), expectCount(oak.filter((s) => s.supervisee === 0).length))
    assert.equal(await count(dsl, 'q=nobody-by-this-name'), 'No sessions')
    assert.equal(
      await count(dsl, `person=${zed.id}&status=draft&from=${from}`),
      expectCount(oak.filter((s) => s.supervisee === 0 && s.status === 'draft' && s.date >= from).length),
    )
    assert.equal(await count(dsl, 'kind=formal-planned'), expectCount(COUNT))
    assert.equal(await count(dsl, 'kind=no-such-kind'), 'No sessions')
    // Oldest first.
    const oldest = page((await dsl.get('/records?sort=date&order=asc')).body).ids
    const dates = new Map(oak.map((s) => [s.id, s.date]))
    assert.equal(dates.get(oldest[0]!), '2024-09-02')
    // Sortable headers say how the column is sorted, and link to the other way.
    const sorted = html((await dsl.get('/records?sort=date&order=asc')).body)
    assert.equal(sorted.querySelector('th[aria-sort="ascending"] a')?.getAttribute('href'), '/records')
    // Paging keeps the filters.
    const filtered = await dsl.get(`/records?status=signed&page=2`)
    assert.match(filtered.body, /href="\/records\?status=signed&amp;page=3"/)
    // Nonsense is ignored, never an error.
    for (const q of ['page=abc', 'person=not-a-person', 'from=2026-02-31', 'status=%3Cb%3E', 'sort=drop', 'order=up']) {
      assert.equal((await dsl.get(`/records?${q}`)).statusCode, 200, q)
    }
  })

  test('X-06: each viewer counts only the sessions they may see', async () => {
    const caption = async (client: Client) => page((await client.get('/records')).body).caption
    assert.equal(await caption(larchDsl), `Showing 1 to 37 of ${larch.length} sessions`)
    assert.equal(await caption(supervisor), 'Showing 1 to 50 of 1,000 sessions')
    const mine = oak.filter((s) => s.supervisee === 3).length
    assert.equal(await caption(supervisees[3]!.browser), `Showing 1 to 50 of ${mine} sessions`)
    // A supervisee's filter for someone else finds nothing of theirs.
    const other = await supervisees[3]!.browser.get(`/records?person=${supervisees[0]!.id}`)
    assert.equal(page(other.body).caption, 'No sessions')
    // The other school's DSL finds none of this school's by search.
    assert.equal(page((await larchDsl.get('/records?q=Zed')).body).caption, 'Showing 1 to 37 of 37 matching sessions')
  })
})
