/**
 * The trust rollup through the real app (issue 16, item 2; ADR 0033), one app and database for
 * every check. Fenland Learning Trust runs Lode Heath's policy (once a term, from 1 September
 * 2024) in two academies, and has a third with no policy yet; the clock is 10 January 2027 and the
 * autumn term 2026 is compared with the summer term before it:
 * - Fen Edge: its DSL and five heads of year. The heads were supervised by the DSL on 1 October;
 *   the DSL herself on 5 October by Marsh Lane's DSL, in a session recorded at Marsh Lane
 *   (LH-05: "a DSL from another school of the trust").
 * - Marsh Lane: its DSL and five heads of year; one head supervised on 1 October.
 * - Wash Road: no policy.
 * And another trust (Broads Learning Partnership) with its own central DSL and academy DSL.
 */
import assert from 'node:assert/strict'
import { after, before, describe, type TestContext, test } from 'node:test'
import { viewerOf } from '../../src/features/overview/routes.ts'
import { loadPack } from '../../src/packs/index.ts'
import { addSchool } from '../../src/services/staff/schools.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import { html } from '../helpers/html.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import { addPerson, addSession, type PlanningOrg } from './planner-fixtures.ts'

const autumn = '2026-27/autumn'

interface World extends TestApp {
  fenland: string
  fenEdge: PlanningOrg
  marshLane: PlanningOrg
  marshDsl: string
  marshHeads: string[]
  lead: Client
  fenDsl: Client
  admin: Client
  otherLead: Client
  otherDsl: Client
}

interface Row {
  name: string
  href: string
  flagged: boolean
  cells: string[]
}

/** The rollup table's academy rows, as read on the page. */
function rowsOf(body: string): Row[] {
  return html(body)
    .querySelectorAll('#academies tbody tr')
    .map((tr) => {
      const link = tr.querySelector('th a')!
      return {
        name: link.text.replace(': overview', '').trim(),
        href: link.getAttribute('href') ?? '',
        flagged: tr.querySelector('th .govuk-tag') !== null,
        cells: tr.querySelectorAll('td').map((td) => td.text.replace(/\s+/g, ' ').trim()),
      }
    })
}

/** The columns as shown: Up to date, In scope, Overdue, Sessions held, required, Cancellations, missed, Contracts. */
const HELD = 3

async function trust(
  w: { database: TestApp['database'] },
  name: string,
  first: string,
  slug: string,
  email: string,
): Promise<PlanningOrg> {
  const db = w.database.db
  const org = await insertOrganisation(db, {
    organisationKind: 'trust',
    organisationName: name,
    schoolName: first,
    schoolSlug: slug,
    adminName: 'Dana Shah',
    adminEmail: email,
    packId: 'lode-heath',
    policy: { ...loadPack('lode-heath'), effectiveFrom: '2024-09-01' },
  })
  await relaxTwoStep(db, org.organisationId, org.personId)
  return { organisationId: org.organisationId, schoolId: org.schoolId, adminId: org.personId }
}

async function academy(w: TestApp, at: PlanningOrg, name: string, slug: string, copyPolicy: boolean) {
  const db = w.database.db
  const added = await addSchool(db, {
    organisationId: at.organisationId,
    name,
    slug,
    region: 'england-and-wales',
    actorId: at.adminId,
  })
  assert.ok(added.ok)
  if (copyPolicy) {
    const policy = await db
      .selectFrom('policy_version')
      .selectAll()
      .where('school_id', '=', at.schoolId)
      .executeTakeFirstOrThrow()
    await db
      .insertInto('policy_version')
      .values({
        school_id: added.id,
        version: 1,
        effective_from: policy.effective_from,
        document: JSON.stringify(policy.document),
        pack_id: policy.pack_id,
        created_by: at.adminId,
      })
      .execute()
  }
  return { ...at, schoolId: added.id }
}

async function central(w: TestApp, organisationId: string, name: string): Promise<Client> {
  const db = w.database.db
  const row = await db
    .insertInto('person')
    .values({
      organisation_id: organisationId,
      school_id: null,
      name,
      email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@trust.example`,
      job_title: 'Trust safeguarding lead',
      roles: ['dsl'],
      start_date: '2020-09-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('account').values({ person_id: row.id, password_hash: null }).execute()
  return signedInClient(w.app, db, row.id)
}

async function world(t: Pick<TestContext, 'after'>): Promise<World> {
  const built = await buildTestApp(t, {}, { clock: () => new Date('2027-01-10T10:00:00Z') })
  const db = built.database.db
  const fenEdge = await trust(built, 'Fenland Learning Trust', 'Fen Edge Academy', 'fen-edge', 'dana@fenland.example')
  const marshLane = await academy(built, fenEdge, 'Marsh Lane Academy', 'marsh-lane', true)
  await academy(built, fenEdge, 'Wash Road Academy', 'wash-road', false)

  const fenDsl = await addPerson(db, fenEdge, { name: 'Felix Fen', roles: ['dsl'], account: true })
  const marshDsl = await addPerson(db, marshLane, { name: 'Maya Marsh', roles: ['dsl'] })
  const heads = async (org: PlanningOrg, prefix: string, lineManagerId: string) => {
    const ids: string[] = []
    for (const tree of ['Ash', 'Birch', 'Cedar', 'Damson', 'Elm'])
      ids.push(await addPerson(db, org, { name: `${tree} ${prefix}`, roles: ['year-head'], lineManagerId }))
    return ids
  }
  const fenHeads = await heads(fenEdge, 'Fen', fenDsl)
  const marshHeads = await heads(marshLane, 'Marsh', marshDsl)
  for (const id of fenHeads)
    await addSession(db, fenEdge, {
      typeId: 'one-to-one',
      date: '2026-10-01',
      status: 'held',
      supervisorId: fenDsl,
      superviseeIds: [id],
    })
  await addSession(db, marshLane, {
    typeId: 'one-to-one',
    date: '2026-10-01',
    status: 'held',
    supervisorId: marshDsl,
    superviseeIds: [marshHeads[0]!],
  })
  // LH-05: Fen Edge's DSL supervised by Marsh Lane's DSL, recorded at Marsh Lane.
  await addSession(db, marshLane, {
    typeId: 'one-to-one',
    date: '2026-10-05',
    status: 'held',
    supervisorId: marshDsl,
    superviseeIds: [fenDsl],
  })

  // Haven sets up one organisation per installation: another trust sharing the database is inserted as rows.
  const otherOrg = await db
    .insertInto('organisation')
    .values({ kind: 'trust', name: 'Broads Learning Partnership' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const otherSchool = await db
    .insertInto('school')
    .values({ organisation_id: otherOrg.id, name: 'Reedham Academy', slug: 'reedham' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const broads = { organisationId: otherOrg.id, schoolId: otherSchool.id, adminId: fenEdge.adminId }
  const otherDsl = await addPerson(db, broads, { name: 'Olive Reed', roles: ['dsl'], account: true })
  return {
    ...built,
    fenland: fenEdge.organisationId,
    fenEdge,
    marshLane,
    marshDsl,
    marshHeads,
    lead: await central(built, fenEdge.organisationId, 'Rhiannon Reed'),
    fenDsl: await signedInClient(built.app, db, fenDsl),
    admin: await signedInClient(built.app, db, fenEdge.adminId),
    otherLead: await central(built, broads.organisationId, 'Owen Broad'),
    otherDsl: await signedInClient(built.app, db, otherDsl),
  }
}

describe('the trust rollup (issue 16)', () => {
  let w: World
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })
  before(async () => {
    w = await world({ after: (fn) => void cleanups.push(fn as () => Promise<void>) })
  })

  test('X-03: only the trust’s central safeguarding team sees it; an academy’s DSL, an administrator and another trust’s people are refused', async () => {
    assert.equal((await w.lead.get(`/trust/rollup?period=${autumn}`)).statusCode, 200)
    for (const refused of [w.fenDsl, w.admin, w.otherDsl]) {
      assert.equal((await refused.get('/trust/rollup')).statusCode, 403)
      assert.equal((await refused.get('/trust/rollup/threshold')).statusCode, 403)
    }
    // Another trust's central lead sees only their own academies.
    const other = await w.otherLead.get(`/trust/rollup?period=${autumn}`)
    assert.equal(other.statusCode, 200)
    assert.deepEqual(
      rowsOf(other.body).map((r) => r.name),
      ['Reedham Academy'],
    )
    assert.doesNotMatch(other.body, /Fen Edge|Marsh Lane/)
  })

  test('LH-05: cross-school supervision is counted once, in the supervisee’s academy; academies below the threshold are flagged', async () => {
    const res = await w.lead.get(`/trust/rollup?period=${autumn}`)
    const rows = rowsOf(res.body)
    // Lowest percentage first; the academy with no policy last.
    assert.deepEqual(
      rows.map((r) => [r.name, r.flagged]),
      [
        ['Marsh Lane Academy', true],
        ['Fen Edge Academy', false],
        ['Wash Road Academy', false],
      ],
    )
    const [marsh, fen] = rows
    assert.match(fen!.cells[0]!, /^100%/)
    assert.match(fen!.cells[HELD]!, /^6\b/, 'the session recorded at Marsh Lane counts for Fen Edge’s DSL')
    assert.match(marsh!.cells[HELD]!, /^1\b/, 'and not for Marsh Lane, where it was recorded')
    const total = html(res.body)
      .querySelectorAll('#academies tfoot td')
      .map((td) => td.text.trim())
    assert.match(total[HELD]!, /^7\b/, 'the trust counts it once')
    assert.match(res.body, /No supervision policy in force/)
    assert.match(res.body, /1 academy is below the trust’s threshold of 80% up to date/)
    // This term against the one before: nobody was supervised in the summer term.
    assert.match(fen!.cells[0]!, /Up 100 points/)
  })

  test('sorting by any column works with links alone, and says how it is sorted', async () => {
    const res = await w.lead.get(`/trust/rollup?period=${autumn}&sort=academy&order=asc`)
    assert.deepEqual(
      rowsOf(res.body).map((r) => r.name),
      ['Fen Edge Academy', 'Marsh Lane Academy', 'Wash Road Academy'],
    )
    const headers = html(res.body).querySelectorAll('#academies thead th')
    assert.equal(headers[0]!.getAttribute('aria-sort'), 'ascending')
    assert.equal(headers[HELD + 1]!.getAttribute('aria-sort'), 'none')
    const byHeld = headers[HELD + 1]!.querySelector('a')!.getAttribute('href')!
    const sorted = await w.lead.get(byHeld.replaceAll('&amp;', '&'))
    assert.deepEqual(
      rowsOf(sorted.body).map((r) => r.name),
      ['Fen Edge Academy', 'Marsh Lane Academy', 'Wash Road Academy'],
    )
    assert.equal(
      html(sorted.body).querySelectorAll('#academies thead th')[HELD + 1]!.getAttribute('aria-sort'),
      'descending',
    )
  })

  test('drill-down: an academy’s name opens its overview for the central team, without record content; an academy’s DSL sees only their own', async () => {
    const rows = rowsOf((await w.lead.get(`/trust/rollup?period=${autumn}`)).body)
    const marsh = rows.find((r) => r.name === 'Marsh Lane Academy')!
    assert.equal(marsh.href, '/overview?school=marsh-lane')
    const overview = await w.lead.get(marsh.href)
    assert.equal(overview.statusCode, 200)
    assert.match(overview.body, /Marsh Lane Academy/)
    // The central team's DSL role opens no record content there (the wording of actions).
    assert.equal(viewerOf({ personId: 'lead', roles: ['dsl'], schoolId: null }).content, false)
    assert.equal(viewerOf({ personId: 'dsl', roles: ['dsl'], schoolId: w.marshLane.schoolId }).content, true)
    // An academy's DSL asking for another academy sees only their own.
    const own = await w.fenDsl.get(marsh.href)
    assert.doesNotMatch(own.body, /Marsh Lane Academy/)
  })

  test('the threshold: the central team sets it in a form; what is not a whole percentage is refused naming the field', async () => {
    for (const [typed, message] of [
      ['', 'Enter the percentage below which an academy is flagged'],
      ['eighty', 'The percentage must be a whole number, like 80'],
      ['101', 'The percentage must be between 0 and 100'],
    ] as const) {
      const refused = await w.lead.post('/trust/rollup/threshold', { threshold: typed })
      assert.equal(refused.statusCode, 400, typed)
      assert.match(html(refused.body).querySelector('#threshold-error')!.text, new RegExp(message))
    }
    const saved = await w.lead.post('/trust/rollup/threshold', { threshold: '15' })
    assert.equal(saved.statusCode, 303)
    const res = await w.lead.get(`/trust/rollup?period=${autumn}&saved=threshold`)
    assert.ok(
      rowsOf(res.body).every((r) => !r.flagged),
      'Marsh Lane (16%) is no longer below',
    )
    assert.match(res.body, /flagged below 15%/)
    // Another trust keeps its own threshold.
    assert.match((await w.otherLead.get(`/trust/rollup?period=${autumn}`)).body, /threshold of 80%/)
  })

  test('kept figures are counted again when an academy changes', async () => {
    for (const id of w.marshHeads.slice(1))
      await addSession(w.database.db, w.marshLane, {
        typeId: 'one-to-one',
        date: '2026-11-01',
        status: 'held',
        supervisorId: w.marshDsl,
        superviseeIds: [id],
      })
    const marsh = rowsOf((await w.lead.get(`/trust/rollup?period=${autumn}`)).body).find(
      (r) => r.name === 'Marsh Lane Academy',
    )!
    assert.match(marsh.cells[HELD]!, /^5\b/)
  })
})
