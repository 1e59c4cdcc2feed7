/**
 * The policy page (X-01, X-08, LH-01): the plain-English summary of the version in force, its
 * details and review dates, every version with its effective date, downloads as JSON, and
 * uploading a new version from a JSON file. One app for the file.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { addDays, addMonths, formatLongDate } from '../../src/domain/calendar/index.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { projectRoot } from '../../src/root.ts'
import type { Client } from '../helpers/browser-like.ts'
import { testToday } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import { personSignedIn, postFile, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

let s: StaffTestApp
let headteacher: Client
const today = testToday
const cleanups: (() => Promise<void>)[] = []
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

before(async () => {
  s = await staffTestApp({ after: (fn) => void cleanups.push(fn as () => Promise<void>) })
  headteacher = (
    await personSignedIn(s, { name: 'Hana Okafor', email: 'hana.okafor@oakfield.example', roles: ['headteacher'] })
  ).browser
})

function lodeHeath(): PolicyDocument {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'src/packs/lode-heath/policy.json'), 'utf8'))
}

function dateFields(iso: string): Record<string, string> {
  return {
    'effectiveFrom-day': String(Number(iso.slice(8))),
    'effectiveFrom-month': String(Number(iso.slice(5, 7))),
    'effectiveFrom-year': iso.slice(0, 4),
  }
}

async function upload(browser: Client, document: unknown, fields: Record<string, string>, filename = 'policy.json') {
  return postFile(
    s.app,
    browser,
    '/policy/upload',
    { filename, content: typeof document === 'string' ? document : JSON.stringify(document), type: 'application/json' },
    { fields },
  )
}

async function versions(): Promise<number[]> {
  const rows = await s.database.db
    .selectFrom('policy_version')
    .select('version')
    .where('school_id', '=', s.org.schoolId)
    .orderBy('version')
    .execute()
  return rows.map((r) => r.version)
}

test('X-01: the policy in force as plain English, in sections with headings, with its versions and links', async () => {
  const page = await headteacher.get('/policy')
  assert.equal(page.statusCode, 200)
  assert.equal(textOf(page.body, 'h1'), 'Staff supervision policy: Oakfield Primary School')
  const headings = html(page.body)
    .querySelectorAll('main h2')
    .map((h) => h.textContent.trim())
  for (const heading of ['Details', 'Who is supervised', 'How often', 'Who may supervise whom', 'Versions']) {
    assert.ok(headings.includes(heading), heading)
  }
  assert.match(page.body, /All staff have one-to-one supervision with their line manager at least once a term/)
  assert.match(page.body, /Part-time staff are supervised as often as full-time staff, never pro rata/)
  assert.match(page.body, /href="\/policy\/versions\/1.json"/)
  // Reading is not managing: no upload or edit links for the headteacher.
  assert.doesNotMatch(page.body, /href="\/policy\/upload"/)
  assert.doesNotMatch(page.body, /href="\/policy\/edit"/)
  const admin = await s.admin.get('/policy')
  assert.match(admin.body, /href="\/policy\/upload"/)
  assert.match(admin.body, /href="\/policy\/edit"/)

  const json = await headteacher.get('/policy/versions/1.json')
  assert.equal(json.statusCode, 200)
  assert.match(json.headers['content-type'] as string, /^application\/json/)
  assert.equal(json.headers['content-disposition'], 'attachment; filename="policy-oakfield-version-1.json"')
  const document = JSON.parse(json.body)
  assert.equal(document.version, 1)
  assert.equal(document.metadata.school, 'Oakfield Primary School')

  assert.equal((await headteacher.get('/policy/versions/1')).statusCode, 200)
  for (const url of [
    '/policy/versions/9',
    '/policy/versions/9.json',
    '/policy/versions/x.json',
    '/policy/versions/1.csv',
  ]) {
    assert.equal((await headteacher.get(url)).statusCode, 404, url)
  }
})

test('X-01: uploading a file with problems lists every one with where it is, and saves nothing', async () => {
  const broken = lodeHeath()
  broken.requirements[0]!.frequency!.every = 0
  broken.requirements[0]!.sessionTypes = ['no-such-type']
  broken.metadata.title = ''
  broken.escalation[0]!.steps[1]!.afterWorkingDays = -1
  const res = await upload(s.admin, broken, dateFields(today))
  assert.equal(res.statusCode, 400)
  const summary = html(res.body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map((a) => a.textContent.trim())
  assert.ok(
    summary.some((t) => t.startsWith('requirements[0].frequency.every: ')),
    summary.join('\n'),
  )
  assert.ok(
    summary.some((t) => t.startsWith("requirements[0].sessionTypes[0]: There is no session type 'no-such-type'")),
  )
  assert.ok(summary.some((t) => t.startsWith('metadata.title: Enter the policy title')))
  assert.ok(summary.some((t) => t.startsWith('escalation[0].steps[1].afterWorkingDays: ')))
  assert.ok(
    html(res.body)
      .querySelectorAll('.govuk-error-summary__list a')
      .every((a) => a.getAttribute('href') === '#file'),
  )
  assert.match(textOf(res.body, '#file-error'), /The selected file has \d+ problems\. Nothing has been saved/)
  assert.match(textOf(res.body, 'table'), /requirements\[0\]\.frequency\.every/)
  // The date typed comes back.
  assert.equal(
    html(res.body).querySelector('#effectiveFrom-day')?.getAttribute('value'),
    String(Number(today.slice(8))),
  )
  assert.deepEqual(await versions(), [1])

  const notJson = await upload(s.admin, '{ "title": ', dateFields(today))
  assert.equal(notJson.statusCode, 400)
  assert.match(textOf(notJson.body, '#file-error'), /The selected file must be a policy in JSON format/)
  const empty = await upload(s.admin, '', {})
  assert.equal(empty.statusCode, 400)
  assert.match(textOf(empty.body, '#file-error'), /The selected file is empty/)
  assert.equal(textOf(empty.body, '#effectiveFrom-error'), 'Error: Enter the date the new version takes effect')
  const noFile = await upload(s.admin, '', {}, '')
  assert.match(textOf(noFile.body, '#file-error'), /Select a policy file/)
  const badDate = await upload(s.admin, lodeHeath(), {
    'effectiveFrom-day': '30',
    'effectiveFrom-month': '2',
    'effectiveFrom-year': '2027',
  })
  assert.equal(badDate.statusCode, 400)
  assert.equal(textOf(badDate.body, '#effectiveFrom-error'), 'Error: The date it takes effect must be a real date')
  assert.deepEqual(summaryHrefs(badDate.body), ['#effectiveFrom-day'])
  assert.deepEqual(await versions(), [1])
})

function summaryHrefs(body: string): string[] {
  return html(body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map((a) => a.getAttribute('href') ?? '')
}

test('X-01: a valid file becomes the next version from the date chosen, never earlier than the latest version', async () => {
  const v1 = await s.database.db
    .selectFrom('policy_version')
    .select('effective_from')
    .where('version', '=', 1)
    .executeTakeFirstOrThrow()
  // X-01, issue 14: version 1 was made automatically at set-up, so it does not block an older
  // version; but the days before today were already judged: backdating shows the change and
  // needs a reason.
  const early = await upload(s.admin, lodeHeath(), dateFields(addDays(v1.effective_from, -1)))
  assert.equal(early.statusCode, 400)
  assert.match(
    textOf(early.body, '#reason-error'),
    new RegExp(
      `^Error: It takes effect before today: supervision from ${formatLongDate(addDays(v1.effective_from, -1))} to ${formatLongDate(addDays(today, -1))} would be judged again by this version`,
    ),
  )
  assert.deepEqual(await versions(), [1])

  const csrfMissing = await postFile(
    s.app,
    s.admin,
    '/policy/upload',
    { filename: 'policy.json', content: JSON.stringify(lodeHeath()) },
    { csrf: null, fields: dateFields(today) },
  )
  assert.equal(csrfMissing.statusCode, 403)
  const notAllowed = await postFile(
    s.app,
    headteacher,
    '/policy/upload',
    { filename: 'policy.json', content: JSON.stringify(lodeHeath()) },
    { formPage: '/policy', fields: dateFields(today) },
  )
  assert.equal(notAllowed.statusCode, 403)
  assert.equal((await headteacher.get('/policy/upload')).statusCode, 403)
  assert.deepEqual(await versions(), [1])

  const ok = await upload(s.admin, lodeHeath(), dateFields(today))
  assert.equal(ok.statusCode, 303)
  assert.equal(ok.headers.location, '/policy?uploaded=2')
  const row = await s.database.db
    .selectFrom('policy_version')
    .selectAll()
    .where('version', '=', 2)
    .executeTakeFirstOrThrow()
  assert.equal(row.effective_from, today)
  assert.equal(row.created_by, s.org.personId)
  const page = await s.admin.get('/policy?uploaded=2')
  assert.match(page.body, /Version 2 has been uploaded/)
  assert.equal(textOf(page.body, 'h1'), 'Supervision Policy: Lode Heath School')
  // LH-01: lead person, governor committee, date last reviewed, review frequency, next review date.
  const details = textOf(page.body, '.govuk-summary-list')
  assert.match(details, /Lead \(owner\) Mr N Hayfield/)
  assert.match(details, /Governor committee BSII Committee/)
  assert.match(details, /Last reviewed 1 June 2025/)
  assert.match(details, /Next review due 1 June 2026/)
  assert.match(details, /Review frequency Every year/)
  // the review date has passed; issue 14: Lode Heath records no approval, and the page says so.
  const warnings = html(page.body)
    .querySelectorAll('.govuk-warning-text')
    .map((w) => w.textContent.replace(/\s+/g, ' ').trim())
  assert.deepEqual(warnings, [
    '! Warning This policy has no recorded approval. Record who approved it, and when, in the policy details',
    '! Warning The policy review was due by 1 June 2026',
  ])
  assert.match(details, /Approved Not recorded/)
  // "How Haven reads this policy" notes.
  assert.match(page.body, /<h2 class="govuk-heading-m" id="notes">How Haven reads this policy<\/h2>/)
  assert.match(page.body, /this pack uses the first of the month/)
  // LH-02: the framework section, and the supervision grid.
  assert.match(page.body, /management oversight/i)
  const rows = html(page.body)
    .querySelectorAll('table tbody tr')
    .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
  assert.match(rows[0]!, /^2 .*In force/)
  assert.match(rows[1]!, /^1 .*Replaced/)
})

test('X-08: a warning when the review is near; none when it is not; a scheduled version is announced', async () => {
  const near = lodeHeath()
  near.metadata.lastReviewedOn = addMonths(today, -11)
  near.metadata.nextReviewDue = addDays(today, 10)
  // Approved, so the only warning is the review's (issue 14: a blank approval warns too).
  near.metadata.approvedBy = 'The BSII Committee'
  const res = await upload(s.admin, near, dateFields(today))
  assert.equal(res.statusCode, 303)
  const page = await s.admin.get('/policy')
  assert.equal(
    textOf(page.body, '.govuk-warning-text'),
    `! Warning The policy is due for review by ${formatLongDate(addDays(today, 10))}`,
  )

  const later = lodeHeath()
  later.metadata.lastReviewedOn = today
  later.metadata.nextReviewDue = addMonths(today, 12)
  later.metadata.approvedBy = 'The BSII Committee'
  const effective = addDays(today, 30)
  assert.equal((await upload(s.admin, later, dateFields(effective))).statusCode, 303)
  const now = await s.admin.get('/policy')
  // Still the version in force today, with a warning; the scheduled one is announced.
  assert.match(now.body, /is due for review/)
  assert.match(now.body, new RegExp(`Version \\d takes effect on ${formatLongDate(effective)}`))
  const all = await versions()
  const scheduled = await s.admin.get(`/policy/versions/${all.at(-1)}`)
  assert.equal(scheduled.statusCode, 200)
  assert.match(scheduled.body, /takes effect on/)
  assert.match(scheduled.body, /This is not the version in force today/)
  assert.equal(html(scheduled.body).querySelector('.govuk-warning-text'), null, 'reviewed today: no warning')
})

test('the policy needs policy.read; the navigation shows Policy and Calendar to those who have it', async () => {
  const teacher = (
    await personSignedIn(s, { name: 'Tom Reeve', email: 'tom.reeve@oakfield.example', roles: ['class-teacher'] })
  ).browser
  assert.equal((await teacher.get('/policy')).statusCode, 403)
  assert.equal((await teacher.get('/policy/versions/1.json')).statusCode, 403)
  const teacherHome = await teacher.get('/')
  assert.doesNotMatch(teacherHome.body, /href="\/calendar"/)
  const home = await headteacher.get('/')
  const nav = html(home.body)
    .querySelectorAll('.govuk-service-navigation__link')
    .map((a) => a.textContent.trim())
  assert.ok(nav.indexOf('Calendar') === nav.indexOf('Policy') + 1, nav.join(', '))
  const signedOut = await s.app.inject({ method: 'GET', url: '/policy' })
  assert.equal(signedOut.statusCode, 302)
})
