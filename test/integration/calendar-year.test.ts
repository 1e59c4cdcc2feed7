/**
 * The school calendar: academic years with their half terms, closure and INSET days and the
 * region's bank holidays; editing a year with per-field messages; resetting to the England default;
 * optimistic locking. One app for the file; each test starts with no stored years.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, test } from 'node:test'
import {
  academicYearIdFor,
  englandDefaultYear,
  formatLongDate,
  parseAcademicYearId,
} from '../../src/domain/calendar/index.ts'
import type { Client } from '../helpers/browser-like.ts'
import { testToday } from '../helpers/clock.ts'
import { formFields, submitForm } from '../helpers/forms.ts'
import { html, textOf } from '../helpers/html.ts'
import { personSignedIn, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

let s: StaffTestApp
let dsl: Client
let headteacher: Client
const today = testToday
const currentId = academicYearIdFor(today)
const startYear = parseAcademicYearId(currentId)!.startYear
const nextId = `${startYear + 1}-${String((startYear + 2) % 100).padStart(2, '0')}`
const previousId = `${startYear - 1}-${String(startYear % 100).padStart(2, '0')}`
const cleanups: (() => Promise<void>)[] = []
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

before(async () => {
  s = await staffTestApp({ after: (fn) => void cleanups.push(fn as () => Promise<void>) })
  dsl = (await personSignedIn(s, { name: 'Dara Singh', email: 'dara.singh@oakfield.example', roles: ['dsl'] })).browser
  headteacher = (
    await personSignedIn(s, { name: 'Hana Okafor', email: 'hana.okafor@oakfield.example', roles: ['headteacher'] })
  ).browser
})

beforeEach(async () => {
  await s.database.db.deleteFrom('academic_year').execute()
})

async function stored(yearId = currentId) {
  return s.database.db
    .selectFrom('academic_year')
    .selectAll()
    .where('school_id', '=', s.org.schoolId)
    .where('year_id', '=', yearId)
    .executeTakeFirst()
}

function summaryHrefs(body: string): string[] {
  return html(body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map((a) => a.getAttribute('href') ?? '')
}

const inset = {
  'closures-0-date-day': '2',
  'closures-0-date-month': '9',
  'closures-0-date-year': String(startYear),
  'closures-0-kind': 'inset',
  'closures-0-description': 'Staff training day',
  action: 'save',
}

test('X-02: the calendar shows the previous, current and next years with half terms, closures and the region’s bank holidays', async () => {
  const page = await headteacher.get('/calendar')
  assert.equal(page.statusCode, 200)
  const headings = html(page.body)
    .querySelectorAll('main h2.govuk-heading-l')
    .map((h) => h.textContent.replace(/\s+/g, ' ').trim())
  assert.deepEqual(headings, [
    `${startYear} to ${startYear + 1} This year`,
    `${startYear + 1} to ${startYear + 2} Next year`,
    `${startYear - 1} to ${startYear} Last year`,
  ])
  const autumn1 = englandDefaultYear(startYear).halfTerms[0]!
  assert.match(page.body, new RegExp(`Autumn 1</th>\\s*<td class="govuk-table__cell">${formatLongDate(autumn1.start)}`))
  assert.match(page.body, /These are the England default dates/)
  assert.match(page.body, /Christmas Day/)
  assert.match(page.body, /Bank holidays are those of England and Wales/)
  assert.doesNotMatch(page.body, /Change the dates for/, 'reading is not editing')
  const admin = await s.admin.get('/calendar')
  assert.match(admin.body, new RegExp(`href="/calendar/${currentId}"`))
})

test('X-02: editing a year: half-term dates and an INSET day are saved, audited and shown', async () => {
  const form = await s.admin.get(`/calendar/${currentId}`)
  assert.equal(form.statusCode, 200)
  assert.equal(formFields(form.body).closureCount, '1', 'one empty row to add a closure')
  const saved = await submitForm(s.admin, `/calendar/${currentId}`, {
    'halfTerms-0-start-day': '3',
    'halfTerms-0-start-month': '9',
    'halfTerms-0-start-year': String(startYear),
    ...inset,
  })
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, `/calendar?saved=${currentId}`)
  const row = (await stored())!
  assert.equal(row.version, 1)
  assert.deepEqual(row.closures, [{ date: `${startYear}-09-02`, kind: 'inset', description: 'Staff training day' }])
  assert.equal((row.half_terms as { start: string }[])[0]!.start, `${startYear}-09-03`)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select('detail')
    .where('action', '=', 'calendar.year-saved')
    .execute()
  assert.deepEqual(audit.at(-1)?.detail, { yearId: currentId, closures: 1 })

  const page = await headteacher.get(`/calendar?saved=${currentId}`)
  assert.match(page.body, new RegExp(`The dates for ${startYear} to ${startYear + 1} have been saved`))
  assert.match(page.body, /INSET day<\/td>\s*<td class="govuk-table__cell">Staff training day/)
  assert.match(page.body, new RegExp(`Autumn 1</th>\\s*<td class="govuk-table__cell">3 September ${startYear}`))

  // Editing again starts from what was saved, with its version; the blank row is ignored.
  const again = await submitForm(s.admin, `/calendar/${currentId}`, {
    action: 'save',
    'closures-0-description': 'INSET day',
  })
  assert.equal(again.statusCode, 303)
  const second = (await stored())!
  assert.equal(second.version, 2)
  assert.deepEqual(second.closures, [{ date: `${startYear}-09-02`, kind: 'inset', description: 'INSET day' }])
})

test('X-02: every problem is shown by its field, in GOV.UK words, and nothing is saved', async () => {
  const res = await submitForm(s.admin, `/calendar/${currentId}`, {
    'halfTerms-1-end-day': '1',
    'halfTerms-1-end-month': '10',
    'halfTerms-1-end-year': String(startYear),
    'halfTerms-2-start-day': '',
    'halfTerms-2-start-month': '',
    'halfTerms-2-start-year': '',
    'halfTerms-3-end-month': '',
    'closures-0-date-day': '31',
    'closures-0-date-month': '2',
    'closures-0-date-year': String(startYear + 1),
    'closures-0-description': 'Polling day',
    action: 'save',
  })
  assert.equal(res.statusCode, 400)
  assert.match(textOf(res.body, 'title'), /^Error: /)
  assert.equal(textOf(res.body, '#halfTerms-1-end-error'), 'Error: Autumn 2 must end after it starts')
  assert.equal(textOf(res.body, '#halfTerms-2-start-error'), 'Error: Enter the date Spring 1 starts')
  assert.equal(textOf(res.body, '#halfTerms-3-end-error'), 'Error: Spring 2 end date must include a month')
  assert.equal(textOf(res.body, '#closures-0-date-error'), 'Error: Date of closure 1 must be a real date')
  assert.equal(
    textOf(res.body, '#closures-0-kind-error'),
    'Error: Select whether closure 1 is an INSET day or a closure',
  )
  assert.deepEqual(summaryHrefs(res.body), [
    '#halfTerms-1-end-day',
    '#halfTerms-2-start-day',
    '#halfTerms-3-end-day',
    '#closures-0-date-day',
    '#closures-0-kind',
  ])
  assert.equal(html(res.body).querySelector('#closures-0-description')?.getAttribute('value'), 'Polling day')
  assert.equal(await stored(), undefined)

  const outside = await submitForm(s.admin, `/calendar/${currentId}`, {
    ...inset,
    'closures-0-date-year': String(startYear + 2),
  })
  assert.equal(outside.statusCode, 400)
  assert.match(textOf(outside.body, '#closures-0-date-error'), /Date of closure 1 must be between 1 September/)
})

test('X-02: closure rows are added and removed without JavaScript, and nothing is saved until Save', async () => {
  const added = await submitForm(s.admin, `/calendar/${currentId}`, { ...inset, action: 'add-closure' })
  assert.equal(added.statusCode, 200)
  const fields = formFields(added.body)
  assert.equal(fields.closureCount, '2')
  assert.equal(fields['closures-0-description'], 'Staff training day')
  assert.equal(fields['closures-1-description'], '')
  assert.equal(await stored(), undefined)

  const { _csrf, ...rest } = fields
  const second = {
    ...rest,
    'closures-1-date-day': '3',
    'closures-1-date-month': '9',
    'closures-1-date-year': String(startYear),
    'closures-1-kind': 'closure',
    'closures-1-description': 'Polling day',
  }
  const removed = await s.admin.post(
    `/calendar/${currentId}`,
    { ...second, action: 'remove-closure-0' },
    { csrf: _csrf as string },
  )
  assert.equal(removed.statusCode, 200)
  const after = formFields(removed.body)
  assert.equal(after.closureCount, '1')
  assert.equal(after['closures-0-description'], 'Polling day')
  assert.equal(after['closures-0-kind'], 'closure')
  assert.equal(await stored(), undefined)
  const { _csrf: token, ...keep } = after
  const saved = await s.admin.post(`/calendar/${currentId}`, { ...keep, action: 'save' }, { csrf: token as string })
  assert.equal(saved.statusCode, 303)
  assert.deepEqual((await stored())!.closures, [
    { date: `${startYear}-09-03`, kind: 'closure', description: 'Polling day' },
  ])
})

test('X-02: two people editing a year at once: the second save is refused and nothing is overwritten', async () => {
  for (const round of [1, 2]) {
    const theirs = formFields((await dsl.get(`/calendar/${nextId}`)).body)
    const first = await submitForm(s.admin, `/calendar/${nextId}`, {
      ...inset,
      'closures-0-date-year': String(startYear + 1),
      'closures-0-description': `Mine ${round}`,
    })
    assert.equal(first.statusCode, 303)
    const { _csrf, ...fields } = theirs
    const second = await dsl.post(
      `/calendar/${nextId}`,
      { ...fields, ...inset, 'closures-0-date-year': String(startYear + 1), 'closures-0-description': 'Theirs' },
      { csrf: _csrf as string },
    )
    assert.equal(second.statusCode, 409)
    assert.match(textOf(second.body, '.govuk-error-summary'), /Someone else changed this year while you were editing/)
    const row = (await stored(nextId))!
    assert.equal(row.version, round)
    assert.equal((row.closures as { description: string }[])[0]!.description, `Mine ${round}`)
  }
})

test('X-02: a year is reset to the England default', async () => {
  await submitForm(s.admin, `/calendar/${previousId}`, {
    ...inset,
    'closures-0-date-year': String(startYear - 1),
    'halfTerms-0-start-day': '4',
  })
  const confirm = await s.admin.get(`/calendar/${previousId}/reset`)
  assert.equal(confirm.statusCode, 200)
  assert.match(confirm.body, /every closure and INSET day/)
  const reset = await submitForm(s.admin, `/calendar/${previousId}/reset`)
  assert.equal(reset.statusCode, 303)
  assert.equal(reset.headers.location, `/calendar?reset=${previousId}`)
  const row = (await stored(previousId))!
  assert.equal(row.version, 2)
  assert.deepEqual(row.closures, [])
  assert.deepEqual(row.half_terms, englandDefaultYear(startYear - 1).halfTerms)
  assert.match((await s.admin.get(`/calendar?reset=${previousId}`)).body, /has been reset to the England default dates/)
})

test('X-02: editing the calendar needs policy.manage and a CSRF token; other years are not found', async () => {
  assert.equal((await headteacher.get(`/calendar/${currentId}`)).statusCode, 403)
  const fields = formFields((await s.admin.get(`/calendar/${currentId}`)).body)
  const { _csrf, ...rest } = fields
  const refused = await headteacher.post(
    `/calendar/${currentId}`,
    { ...rest, action: 'save' },
    { formPage: '/calendar' },
  )
  assert.equal(refused.statusCode, 403)
  const reset = await headteacher.post(`/calendar/${currentId}/reset`, { version: '' }, { formPage: '/calendar' })
  assert.equal(reset.statusCode, 403)
  const noToken = await s.admin.post(`/calendar/${currentId}`, { ...rest, action: 'save' }, { csrf: null })
  assert.equal(noToken.statusCode, 403)
  assert.equal(await stored(), undefined)
  for (const id of [`${startYear - 5}-${String((startYear - 4) % 100).padStart(2, '0')}`, '2026-28', 'nonsense']) {
    assert.equal((await s.admin.get(`/calendar/${id}`)).statusCode, 404, id)
  }
})
