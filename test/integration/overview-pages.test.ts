/**
 * The overview's pages and downloads through the real app (issue 9): who may see them, what the
 * headteacher's general view leaves out (MW-10), the figures as shown, and the CSV files.
 * Dates are today's: the figures shown are checked against the overview worked out for today,
 * and the people and items named are ones whose standing does not change with the date.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parse as parseCsv } from 'csv-parse/sync'
import { computeOverview } from '../../src/services/overview/overview.ts'
import type { Client } from '../helpers/browser-like.ts'
import { testToday } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import {
  buildOverviewSchool,
  driftingWording,
  formulaJobTitle,
  type OverviewSchool,
  overdueWording,
} from './overview-school.ts'

const listPaths = [
  '/overview/in-scope',
  '/overview/overdue',
  '/overview/due-soon',
  '/overview/never-supervised',
  '/overview/rebookings-at-risk',
  '/overview/rebookings-missed',
  '/overview/records-awaiting-signature',
  '/overview/contracts-unsigned',
  '/overview/overdue-actions',
  '/overview/drifting-actions',
  '/overview/supervisors-untrained',
  '/overview/supervisors-unsupervised',
  '/overview/balance',
  '/overview/supervisor-load',
]

function csvRows(body: string): string[][] {
  assert.ok(body.startsWith('\uFEFF'), 'a CSV starts with a byte order mark')
  return parseCsv(body.slice(1)) as string[][]
}

describe('the overview pages', () => {
  let t: TestApp
  let built: OverviewSchool
  let dsl: Client
  let head: Client
  let deputy: Client
  let teacher: Client
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  before(async () => {
    t = await buildTestApp({ after: (fn) => void cleanups.push(fn as () => Promise<void>) })
    built = await buildOverviewSchool(t.database.db)
    await relaxTwoStep(t.database.db, built.organisationId, built.adminId)
    ;[dsl, head, deputy, teacher] = await Promise.all([
      signedInClientByEmail(t.app, t.database.db, built.emails.dsl),
      signedInClientByEmail(t.app, t.database.db, built.emails.head),
      signedInClientByEmail(t.app, t.database.db, built.emails.deputy),
      signedInClientByEmail(t.app, t.database.db, built.emails.teacher),
    ])
  })

  test('the DSL’s home page shows the overview’s figures, each a link to its list; others’ home pages do not', async () => {
    const home = await dsl.get('/')
    assert.equal(home.statusCode, 200)
    assert.match(textOf(home.body, 'h1'), /Welcome, Daniel Okafor/)
    assert.match(textOf(home.body, '#overview-heading'), /How Oakfield Primary School stands today/)
    const links = html(home.body)
      .querySelectorAll('#overview-heading ~ .govuk-grid-row a, section[aria-labelledby=overview-heading] a')
      .map((a) => a.getAttribute('href'))
    for (const href of ['/overview', '/overview/overdue', '/overview/never-supervised', '/overview/drifting-actions']) {
      assert.ok(links.includes(href), href)
    }
    const teacherHome = await teacher.get('/')
    assert.equal(teacherHome.statusCode, 200)
    assert.match(textOf(teacherHome.body, 'h1'), /Welcome, Eve Fox/)
    assert.doesNotMatch(teacherHome.body, /href="\/overview/)
    // The headteacher's home page has the figures too.
    assert.match((await head.get('/')).body, /href="\/overview\/overdue"/)
  })

  test('X-04, LH-08: every figure is shown as worked out for today, and links to the list behind it', async () => {
    const res = await dsl.get('/overview')
    assert.equal(res.statusCode, 200)
    const root = html(res.body)
    const expected = (await computeOverview(t.database.db, built.school, testToday)).summary.figures
    const shown = new Map(
      root
        .querySelectorAll('.govuk-summary-card__content a')
        .map((a) => [a.getAttribute('href'), a.querySelector('.haven-figure')?.textContent ?? '']),
    )
    assert.equal(shown.get('/overview/overdue'), String(expected.overdue))
    assert.equal(shown.get('/overview/due-soon'), String(expected.dueSoon))
    assert.equal(shown.get('/overview/never-supervised'), String(expected.neverSupervised))
    assert.equal(shown.get('/overview/rebookings-at-risk'), String(expected.rebookingsAtRisk))
    assert.equal(shown.get('/overview/rebookings-missed'), String(expected.rebookingsMissed))
    assert.equal(shown.get('/overview/records-awaiting-signature'), String(expected.recordsAwaitingSignature))
    assert.equal(shown.get('/overview/contracts-unsigned'), String(expected.contractsUnsigned))
    assert.equal(shown.get('/overview/overdue-actions'), String(expected.overdueActions))
    assert.equal(shown.get('/overview/drifting-actions'), String(expected.driftingActions))
    assert.equal(shown.get('/overview/supervisors-untrained'), String(expected.supervisorsUntrained))
    assert.equal(shown.get('/overview/supervisors-unsupervised'), String(expected.supervisorsUnsupervised))
    assert.equal(shown.get('/overview/balance'), String(expected.frameworkGaps))
    assert.equal(shown.get('/overview/supervisor-load'), String(expected.supervisorsOverLimit))
    assert.equal(expected.neverSupervised, 1)
    // The chart is an image with a name, and its figures are in a table beside it.
    const svg = root.querySelector('svg[role=img]')
    assert.ok(svg)
    assert.match(svg.querySelector('title')?.textContent ?? '', /People in scope by status/)
    assert.ok(root.querySelectorAll('table').some((table) => /The figures in the chart/.test(table.textContent)))
    for (const path of listPaths) {
      const page = await dsl.get(path)
      assert.equal(page.statusCode, 200, path)
    }
  })

  test('the lists name the people and items behind the figures', async () => {
    const never = await dsl.get('/overview/never-supervised')
    assert.match(textOf(never.body, 'table'), /Dev Evans/)
    const overdue = await dsl.get('/overview/overdue')
    assert.match(textOf(overdue.body, 'table'), /Cal Doyle/)
    const untrained = await dsl.get('/overview/supervisors-untrained')
    assert.match(textOf(untrained.body, 'table'), /Helen Ashworth/)
    assert.doesNotMatch(textOf(untrained.body, 'table'), /Sam Gale/)
    const unknown = await dsl.get('/overview/nobody')
    assert.equal(unknown.statusCode, 404)
  })

  test('a class teacher may not see the overview, its lists or its downloads', async () => {
    for (const path of [
      '/overview',
      '/overview/overdue',
      '/overview/overdue.csv',
      '/overview/balance.csv',
      '/overview/supervisor-load',
    ]) {
      const res = await teacher.get(path)
      assert.equal(res.statusCode, 403, path)
    }
  })

  test('MW-10: the headteacher sees the same figures without record content or the additional-support flag', async () => {
    const dslPage = html((await dsl.get('/overview')).body)
    const headPage = await head.get('/overview')
    assert.equal(headPage.statusCode, 200)
    const figures = (root: ReturnType<typeof html>) => root.querySelectorAll('.haven-figure').map((f) => f.textContent)
    assert.deepEqual(figures(html(headPage.body)), figures(dslPage))
    assert.match(textOf(headPage.body, '.govuk-inset-text'), /What was said in supervision is not shown here/)

    // The DSL reads the wording of actions and sees who needs additional support.
    assert.match((await dsl.get('/overview/drifting-actions')).body, new RegExp(driftingWording))
    assert.match((await dsl.get('/overview/overdue-actions')).body, new RegExp(overdueWording))
    assert.match((await dsl.get('/overview/in-scope')).body, /Needs additional support/)
    const dslCsv = csvRows((await dsl.get('/overview/drifting-actions.csv')).body)
    assert.equal(dslCsv[0]?.[0], 'Action')
    assert.equal(dslCsv[1]?.[0], driftingWording)

    // The headteacher reads neither, on any page or in any download.
    for (const path of listPaths) {
      for (const url of [path, `${path}.csv`]) {
        const res = await head.get(url)
        assert.equal(res.statusCode, 200, url)
        assert.doesNotMatch(res.body, new RegExp(driftingWording), url)
        assert.doesNotMatch(res.body, new RegExp(overdueWording), url)
        assert.doesNotMatch(res.body, /additional support/i, url)
        assert.doesNotMatch(res.body, /href="\/records\//, url)
        assert.doesNotMatch(res.body, /strategy meeting/, url)
      }
    }
    // Still the same items, by who and when.
    const headDrifting = await head.get('/overview/drifting-actions')
    assert.match(textOf(headDrifting.body, 'table'), /Ada Brook/)
    // The balance for the headteacher: how many functions each person has not covered, not which.
    const balance = await head.get('/overview/balance')
    const byPerson = html(balance.body).querySelectorAll('table').at(-1)?.textContent ?? ''
    assert.match(byPerson, /Functions not covered/)
    assert.match(byPerson, /Ada Brook/)
    assert.doesNotMatch(byPerson, /Personal support/)
  })

  test('MW-10, LH-03: a deputy DSL sees who needs additional support, but not what was said', async () => {
    const scope = await deputy.get('/overview/in-scope')
    assert.equal(scope.statusCode, 200)
    assert.match(scope.body, /Needs additional support/)
    const drifting = await deputy.get('/overview/drifting-actions')
    assert.doesNotMatch(drifting.body, new RegExp(driftingWording))
  })

  test('every list downloads as CSV, with formulas guarded, and the download is in the audit log', async () => {
    const res = await dsl.get('/overview/never-supervised.csv')
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/)
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename="never-supervised-oakfield-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const rows = csvRows(res.body)
    assert.deepEqual(rows[0], [
      'Name',
      'Job title',
      'Last supervised',
      'Was due by',
      'Supervisor',
      'Needs additional support',
    ])
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[5]]),
      [['Dev Evans', `'${formulaJobTitle}`, '', 'Daniel Okafor', 'No']],
    )
    for (const path of listPaths) {
      const csv = await dsl.get(`${path}.csv`)
      assert.equal(csv.statusCode, 200, path)
      assert.ok(csvRows(csv.body).length >= 1, path)
    }
    const load = csvRows((await dsl.get('/overview/supervisor-load.csv')).body)
    assert.deepEqual(load[0]?.slice(0, 3), ['Supervisor', 'Autumn 1', 'Autumn 2'])
    const balance = csvRows((await dsl.get('/overview/balance.csv')).body)
    assert.deepEqual(balance[0], [
      'Framework',
      'Supervisee',
      'Sessions in the last 12 months',
      'Item',
      'Covered',
      'Flagged',
    ])
    const audit = await t.database.db
      .selectFrom('audit_event')
      .select(['detail'])
      .where('action', '=', 'overview.export')
      .where('actor_id', '=', built.ids.daniel!)
      .execute()
    assert.ok(audit.some((a) => (a.detail as { list?: string }).list === 'never-supervised'))
  })
  test('someone of the trust rather than one school chooses the school; a school with no policy says so', async () => {
    const db = t.database.db
    await db
      .insertInto('school')
      .values({ organisation_id: built.organisationId, slug: 'elm', name: 'Elm Grove School' })
      .execute()
    const trustLead = await db
      .insertInto('person')
      .values({
        organisation_id: built.organisationId,
        school_id: null,
        name: 'Tara Trust',
        email: 'tara@trust.example',
        roles: ['dsl'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const account = await db
      .selectFrom('account')
      .select('password_hash')
      .where('person_id', '=', built.ids.daniel!)
      .executeTakeFirstOrThrow()
    await db.insertInto('account').values({ person_id: trustLead.id, password_hash: account.password_hash }).execute()
    const tara = await signedInClientByEmail(t.app, t.database.db, 'tara@trust.example')
    // The first school by name has no policy yet.
    const first = await tara.get('/overview')
    assert.equal(first.statusCode, 200)
    assert.match(textOf(first.body, 'main'), /Elm Grove School has no supervision policy in Haven yet/)
    const chosen = await tara.get('/overview?school=oakfield')
    assert.equal(chosen.statusCode, 200)
    assert.ok(html(chosen.body).querySelector('select#school'))
    assert.match(chosen.body, /href="\/overview\/overdue\?school=oakfield"/)
    const list = await tara.get('/overview/overdue?school=oakfield')
    assert.match(textOf(list.body, 'table'), /Cal Doyle/)
    assert.match(list.body, /href="\/overview\/overdue\.csv\?school=oakfield"/)
    assert.equal((await tara.get('/overview?school=nowhere')).statusCode, 404)
  })
})
