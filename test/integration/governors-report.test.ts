/**
 * The governors' report through the real app (issue 16), on the overview's small school
 * (overview-school.ts) on Monday 23 November 2026, the autumn term running: the figures it shows
 * (the overview's own: 6 in scope, 4 up to date, so hidden), small numbers hidden, no one named, the PDF
 * and the CSV file, a governor who sees the report and is refused everything else, and the DSL
 * sending its link to the governors (an email with the link and no figures).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parse as parseCsv } from 'csv-parse/sync'
import type { Client } from '../helpers/browser-like.ts'
import { html, textOf } from '../helpers/html.ts'
import { testPasswordHash } from '../helpers/passwords.ts'
import { signedInClient, signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import { buildOverviewSchool, type OverviewSchool } from './overview-school.ts'

const names = ['Helen Ashworth', 'Daniel Okafor', 'Ada Brook', 'Bea Clarke', 'Cal Doyle', 'Dev Evans', 'Priya Raman']

function rowOf(body: string, tableId: string, label: string): string[] {
  const table = html(body).querySelector(`#${tableId} + p + table`)
  assert.ok(table, `table ${tableId}`)
  const row = table.querySelectorAll('tbody tr').find((tr) => tr.querySelector('th')?.text.trim() === label)
  assert.ok(row, `row ${label} of ${tableId}`)
  return row.querySelectorAll('td').map((td) => td.text.trim())
}

describe('the governors’ report (issue 16)', () => {
  let t: TestApp
  let built: OverviewSchool
  let dsl: Client
  let head: Client
  let deputy: Client
  let teacher: Client
  let governor: Client
  const governorIds: string[] = []
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  before(async () => {
    t = await buildTestApp(
      { after: (fn) => void cleanups.push(fn as () => Promise<void>) },
      {},
      { clock: () => new Date('2026-11-23T12:00:00Z') },
    )
    const db = t.database.db
    built = await buildOverviewSchool(db)
    await relaxTwoStep(db, built.organisationId, built.adminId)
    for (const [name, role] of [
      ['Gill Moss', 'chair-of-governors'],
      ['Sol Reyes', 'safeguarding-governor'],
    ] as const) {
      const row = await db
        .insertInto('person')
        .values({
          organisation_id: built.organisationId,
          school_id: built.schoolId,
          name,
          email: `${name.toLowerCase().replace(' ', '.')}@governors.example`,
          job_title: 'Governor',
          roles: [role],
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      governorIds.push(row.id)
      // Invited: Haven emails nobody who has never been invited (issue 18).
      await db
        .insertInto('account')
        .values({ person_id: row.id, password_hash: await testPasswordHash('a governor’s own password') })
        .execute()
    }
    // An escalation recorded in the term (LH-09): one person, so hidden.
    await db
      .insertInto('escalation_event')
      .values({
        school_id: built.schoolId,
        person_id: built.ids.cal!,
        chain_id: 'lh-entitlement',
        step_id: 'supervisor',
        reached_on: '2026-10-12',
        recipient_ids: [],
      })
      .execute()
    ;[dsl, head, deputy, teacher, governor] = await Promise.all([
      signedInClientByEmail(t.app, db, built.emails.dsl),
      signedInClientByEmail(t.app, db, built.emails.head),
      signedInClientByEmail(t.app, db, built.emails.deputy),
      signedInClientByEmail(t.app, db, built.emails.teacher),
      signedInClient(t.app, db, governorIds[0]!),
    ])
  })

  test('X-04, issue 16: the term’s figures are the overview’s, a group of fewer than 5 is hidden, and no one is named', async () => {
    const res = await governor.get('/governors/report')
    assert.equal(res.statusCode, 200)
    assert.match(textOf(res.body, 'h1'), /Governors’ report: Autumn term 2026/)
    // 4 up to date is fewer than 5 people: hidden, and the percentage it would give away (66%) with it.
    assert.deepEqual(rowOf(res.body, 'in-scope-by-role', 'Everyone in scope'), ['6', 'Hidden', 'Hidden'])
    // Each role has one or two people: every row hidden.
    assert.deepEqual(rowOf(res.body, 'in-scope-by-role', 'SENCO or SENDCO'), ['Hidden', 'Hidden', 'Hidden'])
    assert.deepEqual(rowOf(res.body, 'cancellations', 'All reasons'), ['Hidden'])
    assert.deepEqual(rowOf(res.body, 'escalations', 'Raised'), ['Hidden'])
    assert.deepEqual(rowOf(res.body, 'supervisors', 'Supervisors'), ['Hidden'])
    for (const name of names) assert.ok(!res.body.includes(name), `${name} is not named`)
    const trend = html(res.body).querySelectorAll('#trend + p + table tbody tr')
    assert.equal(trend.length, 4, 'this term and the three before')
    assert.equal(trend[3]!.querySelector('th')!.text.trim(), 'Autumn term 2026')
  })

  test('issue 16: another term or a year can be chosen; one not begun is not found', async () => {
    const year = await governor.get('/governors/report?period=2025-26')
    assert.equal(year.statusCode, 200)
    assert.match(textOf(year.body, 'h1'), /Academic year 2025 to 2026/)
    assert.equal((await governor.get('/governors/report?period=2027-28/summer')).statusCode, 404)
    assert.equal((await governor.get('/governors/report?period=nonsense')).statusCode, 404)
  })

  test('issue 16: the PDF is a tagged PDF with a title and a language; the CSV holds the same figures; both are audited', async () => {
    const pdf = await governor.get('/governors/report.pdf?period=2026-27/autumn')
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    const bytes = pdf.rawPayload.toString('latin1')
    assert.ok(bytes.startsWith('%PDF-1.7'))
    assert.match(bytes, /\/StructTreeRoot/)
    assert.match(bytes, /\/MarkInfo/)
    assert.match(bytes, /\/Lang \(en-GB\)/)
    assert.match(bytes, /\/DisplayDocTitle true/)

    const csv = await governor.get('/governors/report.csv?period=2026-27/autumn')
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['content-type']), /^text\/csv/)
    const rows = parseCsv(csv.body.slice(1)) as string[][]
    assert.deepEqual(rows[0], ['Period', 'Section', 'Row', 'Measure', 'Value'])
    const value = (row: string, measure: string) =>
      rows.find((r) => r[1] === 'Who must be supervised, by role' && r[2] === row && r[3] === measure)?.[4]
    assert.equal(value('Everyone in scope', 'In scope'), '6')
    assert.equal(value('Everyone in scope', 'Percentage up to date'), '[c]')
    assert.equal(value('SENCO or SENDCO', 'In scope'), '[c]')
    for (const name of names) assert.ok(!csv.body.includes(name))

    const audits = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('action', '=', 'governors-report.export')
      .execute()
    assert.deepEqual(audits.map((a) => (a.detail as { format: string }).format).sort(), ['csv', 'pdf'])
  })

  test('issue 16: a governor sees the report and nothing else', async () => {
    const home = await governor.get('/')
    assert.equal(home.statusCode, 302)
    assert.equal(home.headers.location, '/governors/report')
    for (const url of ['/sessions', '/records', '/actions', '/contracts/mine', '/overview', '/staff', '/policy']) {
      assert.equal((await governor.get(url)).statusCode, 403, url)
    }
    const account = await governor.get('/account')
    assert.equal(account.statusCode, 200, 'their own account')
    assert.ok(!account.body.includes('Set up your calendar feed'), 'no calendar feed: it is not theirs')
    const nav = html((await governor.get('/governors/report')).body)
      .querySelectorAll('.govuk-service-navigation__link')
      .map((a) => a.text.trim())
    assert.deepEqual(nav, ['Governors’ report', 'Your account', 'Sign out'])
    // The report is not for everyone: a class teacher is refused it.
    assert.equal((await teacher.get('/governors/report')).statusCode, 403)
    assert.equal((await head.get('/governors/report')).statusCode, 200)
  })

  test('issue 16: the DSL sends the link to the governors: an email with the link and no figures, and an audit entry', async () => {
    // A governor or a deputy may read it, not send it.
    const token = await dsl.csrfToken('/governors/report')
    assert.equal(
      (await governor.post('/governors/report/send', { period: '2026-27/autumn' }, { csrf: token })).statusCode,
      403,
    )
    assert.equal(
      (await deputy.post('/governors/report/send', { period: '2026-27/autumn' }, { csrf: token })).statusCode,
      403,
    )

    const res = await dsl.post(
      '/governors/report/send',
      { period: '2026-27/autumn' },
      { formPage: '/governors/report' },
    )
    assert.equal(res.statusCode, 302)
    assert.equal(res.headers.location, '/governors/report?period=2026-27%2Fautumn&sent=2')
    const page = await dsl.get(String(res.headers.location))
    assert.match(textOf(page.body, '.govuk-notification-banner'), /sent to 2 governors/)

    const mail = await t.database.db
      .selectFrom('outbox_message')
      .select(['to_address', 'subject', 'text_body'])
      .where('subject', 'like', 'Governors%')
      .orderBy('to_address')
      .execute()
    assert.deepEqual(
      mail.map((m) => m.to_address),
      ['gill.moss@governors.example', 'sol.reyes@governors.example'],
    )
    for (const m of mail) {
      assert.match(m.text_body, /\/governors\/report\?period=2026-27%2Fautumn/)
      const words = m.text_body.replace(/https?:\/\/\S+/g, '')
      assert.ok(!/\b6\b|Hidden|\d%/.test(words), 'no figures in the email')
      for (const name of names) assert.ok(!m.text_body.includes(name))
    }
    const sent = await t.database.db
      .selectFrom('audit_event')
      .select(['actor_id', 'detail'])
      .where('action', '=', 'governors-report.sent')
      .executeTakeFirstOrThrow()
    assert.deepEqual((sent.detail as { recipients: string[] }).recipients.sort(), [...governorIds].sort())

    // A period that was tampered with is refused with a message, not a 500.
    const bad = await dsl.post('/governors/report/send', { period: '<script>' }, { formPage: '/governors/report' })
    assert.equal(bad.statusCode, 400)
    assert.match(textOf(bad.body, '.govuk-error-summary'), /Select a term or year to send/)
  })
})
