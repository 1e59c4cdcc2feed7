/**
 * Lists that scale (issue 16): the staff list sorts by name, job title and line manager both ways,
 * and filters by role, current supervisor and standing against the policy (in scope or not,
 * overdue), paging the result with a count, never counting another school's people.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { overviewWithLists } from '../../src/services/overview/overview.ts'
import { addSchool } from '../../src/services/staff/schools.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import { html } from '../helpers/html.ts'
import { sessionFor } from '../helpers/records.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'

const now = new Date('2026-11-20T12:00:00Z')
const COUNT = 70

function page(body: string) {
  const doc = html(body)
  return {
    caption: doc.querySelector('.govuk-table__caption')?.text.trim() ?? '',
    names: doc.querySelectorAll('tbody tr').map((tr) => tr.querySelector('td a')?.text.trim() ?? ''),
    jobs: doc.querySelectorAll('tbody tr').map((tr) => tr.querySelectorAll('td')[1]?.text.trim() ?? ''),
  }
}

describe('the staff list, sorted and filtered (issue 16)', () => {
  let app: TestApp
  let admin: Client
  let school: { id: string; organisationId: string; slug: string; name: string }
  let supervisorId: string
  let managerId: string
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    app = await buildTestApp({ after: (fn) => void cleanup.push(fn as () => Promise<void>) }, {}, { clock: () => now })
    const db = app.database.db
    const org = await insertOrganisation(db, {
      organisationKind: 'trust',
      organisationName: 'Riverside Learning Trust',
      packId: 'lode-heath',
    })
    await relaxTwoStep(db, org.organisationId, org.personId)
    // The policy in force since 2020, so everyone's standing is judged today.
    await sql`update policy_version set effective_from = '2020-09-01', document = jsonb_set(document, '{effectiveFrom}', '"2020-09-01"')`.execute(
      db,
    )
    admin = await sessionFor(app, org.personId)
    const oak = await db
      .selectFrom('school')
      .select(['id', 'organisation_id', 'slug', 'name'])
      .where('id', '=', org.schoolId)
      .executeTakeFirstOrThrow()
    school = { id: oak.id, organisationId: oak.organisation_id, slug: oak.slug, name: oak.name }
    const added = await addSchool(db, {
      organisationId: org.organisationId,
      name: 'Larchfield Academy',
      slug: 'larchfield',
      region: 'england-and-wales',
      actorId: org.personId,
    })
    assert.ok(added.ok)
    const person = (schoolId: string, i: number, over: Record<string, unknown> = {}) => ({
      organisation_id: org.organisationId,
      school_id: schoolId,
      name: `Person ${String(i).padStart(3, '0')}`,
      email: `person.${i}.${schoolId.slice(0, 8)}@example.org`,
      job_title: `Job ${String((i * 7) % COUNT).padStart(3, '0')}`,
      roles: i % 10 === 0 ? ['year-head'] : i % 3 === 0 ? ['governor'] : ['class-teacher'],
      ...over,
    })
    const [supervisor, manager] = await db
      .insertInto('person')
      .values([
        person(org.schoolId, 900, {
          name: 'Zoe Supervisor',
          roles: ['pastoral-lead'],
          supervisor_trained_on: '2025-01-01',
        }),
        person(org.schoolId, 901, { name: 'Adam Manager', roles: ['pastoral-lead'] }),
      ])
      .returning('id')
      .execute()
    supervisorId = supervisor!.id
    managerId = manager!.id
    const rows = await db
      .insertInto('person')
      .values(
        Array.from({ length: COUNT }, (_, i) => person(org.schoolId, i, i < 5 ? { line_manager_id: managerId } : {})),
      )
      .returning('id')
      .execute()
    // Six people are supervised by Zoe (one of them from the past); another school's people never count.
    await db
      .insertInto('supervision_assignment')
      .values(
        rows.slice(0, 6).map((r, i) => ({
          organisation_id: org.organisationId,
          supervisee_id: r.id,
          supervisor_id: supervisorId,
          kind: 'supervisor' as const,
          starts_on: '2026-09-01',
          ends_on: i === 5 ? '2026-10-01' : null,
        })),
      )
      .execute()
    const larch = await db
      .insertInto('person')
      .values(Array.from({ length: 12 }, (_, i) => person(added.id, i, { name: `Larch ${i}`, roles: ['year-head'] })))
      .returning('id')
      .execute()
    await db
      .insertInto('supervision_assignment')
      .values(
        larch.map((r) => ({
          organisation_id: org.organisationId,
          supervisee_id: r.id,
          supervisor_id: supervisorId,
          kind: 'supervisor' as const,
          starts_on: '2026-09-01',
        })),
      )
      .execute()
  })

  const get = async (q: string) => {
    const res = await admin.get(`/staff${q}`)
    assert.equal(res.statusCode, 200, q)
    return page(res.body)
  }

  test('issue 16: more people than a page, sorted by name both ways', async () => {
    const total = COUNT + 3 // and the DSL, the supervisor and the manager
    const first = await get('')
    assert.equal(first.caption, `Showing 1 to 50 of ${total} people`)
    const asc = [...first.names]
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a.localeCompare(b, 'en')),
    )
    const desc = await get('?sort=name&order=desc')
    assert.equal(desc.names[0], 'Zoe Supervisor')
    assert.deepEqual(
      desc.names,
      [...desc.names].sort((a, b) => b.localeCompare(a, 'en')),
    )
    const second = await get('?sort=name&order=desc&page=2')
    assert.equal(second.caption, `Showing 51 to ${total} of ${total} people`)
    assert.equal(new Set([...desc.names, ...second.names]).size, total)
    assert.ok(!desc.names.some((n) => n.startsWith('Larch')))
  })

  test('issue 16: sorted by job title and by line manager, both ways; the sort links keep the filters', async () => {
    const up = await get('?sort=job-title&order=asc&role=class-teacher')
    assert.deepEqual(up.jobs, [...up.jobs].sort())
    const down = await get('?sort=job-title&order=desc&role=class-teacher')
    assert.deepEqual(down.jobs, [...down.jobs].sort().reverse())
    assert.notDeepEqual(up.jobs[0], down.jobs[0])
    const managed = await get('?sort=line-manager&order=asc')
    // Those with a line manager first (people without one come last either way).
    assert.deepEqual(managed.names.slice(0, 5).sort(), [
      'Person 000',
      'Person 001',
      'Person 002',
      'Person 003',
      'Person 004',
    ])
    const res = await admin.get('/staff?role=class-teacher')
    const header = html(res.body).querySelector('th[aria-sort] a[href*="sort=job-title"]')
    assert.match(header?.getAttribute('href') ?? '', /role=class-teacher/)
  })

  test('issue 16: filtered by role and by current supervisor (another school’s supervisees never counted)', async () => {
    const heads = await get('?role=year-head')
    assert.equal(heads.caption, `Showing 1 to 7 of 7 matching people`)
    const zoes = await get(`?supervisor=${supervisorId}`)
    assert.equal(
      zoes.caption,
      'Showing 1 to 5 of 5 matching people',
      'the ended assignment and Larchfield do not count',
    )
    const res = await admin.get('/staff')
    const options = html(res.body)
      .querySelectorAll('select#supervisor option')
      .map((o) => o.text.trim())
    assert.deepEqual(options, ['Anyone', 'Zoe Supervisor'])
    assert.equal((await get(`?supervisor=${managerId}`)).caption, '')
  })

  test('issue 16: filtered by standing: in scope or not, and overdue, as the overview judges it', async () => {
    const overview = await overviewWithLists(app.database.db, school, '2026-11-20')
    const inScope = overview.lists.people.length
    const overdue = overview.lists.people.filter(
      (p) => p.status === 'overdue' || p.status === 'never-supervised',
    ).length
    const total = COUNT + 3
    assert.ok(inScope > 0 && inScope < total, `some in scope and some not: ${inScope} of ${total}`)
    const caption = (n: number) =>
      n === 0 ? '' : `Showing 1 to ${Math.min(50, n)} of ${n} matching ${n === 1 ? 'person' : 'people'}`
    assert.equal((await get('?status=in-scope')).caption, caption(inScope))
    assert.equal((await get('?status=not-in-scope')).caption, caption(total - inScope))
    assert.ok(overdue > 0)
    assert.equal((await get('?status=overdue')).caption, caption(overdue))
    // An unknown standing is ignored.
    assert.equal((await get('?status=late')).caption, `Showing 1 to 50 of ${total} people`)
  })
})
