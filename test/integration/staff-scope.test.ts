/**
 * Issue 14 on the staff pages: flags that carry their own dates (set on the person's form, ended
 * by themselves), and manual scope overrides with a reason from the person's page and the
 * staff import.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { html, textOf } from '../helpers/html.ts'
import { staffTestApp } from '../helpers/staff.ts'

const clock = () => new Date('2025-11-10T10:00:00Z')

const aPerson = (over: Record<string, string | string[]> = {}) => ({
  name: 'Imogen Castellane',
  email: 'imogen.castellane@oakfield.example',
  jobTitle: 'Year 2 teacher',
  roles: ['class-teacher'],
  lineManagerId: '',
  employmentType: 'permanent',
  partTime: 'no',
  workingDays: ['1', '2', '3', '4', '5'],
  'startDate-day': '1',
  'startDate-month': '9',
  'startDate-year': '2025',
  ...over,
})

test('issue 14: a flag can carry the day it began and its last day; the page shows them and says when it has ended', async (t) => {
  const s = await staffTestApp(t, { clock })
  const form = await s.admin.get('/staff/new')
  assert.ok(html(form.body).querySelector('#earlyCareerSince-day'), 'each flag has its dates, revealed when ticked')

  const bad = await s.admin.post(
    '/staff/new',
    aPerson({
      flags: ['earlyCareer', 'inProbation'],
      'earlyCareerSince-day': '31',
      'earlyCareerSince-month': '2',
      'earlyCareerSince-year': '2025',
      'inProbationSince-day': '1',
      'inProbationSince-month': '9',
      'inProbationSince-year': '2025',
      'inProbationUntil-day': '1',
      'inProbationUntil-month': '8',
      'inProbationUntil-year': '2025',
    }),
  )
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, '#earlyCareerSince-error'), 'Error: Early career: start date must be a real date')
  assert.equal(
    textOf(bad.body, '#inProbationUntil-error'),
    'Error: Probation: end date must be the same as or after the start date',
  )
  const links = html(bad.body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map((a) => a.getAttribute('href'))
  assert.deepEqual(links, ['#earlyCareerSince-day', '#inProbationUntil-day'])

  const ok = await s.admin.post(
    '/staff/new',
    aPerson({
      flags: ['earlyCareer', 'inProbation'],
      'earlyCareerSince-day': '1',
      'earlyCareerSince-month': '9',
      'earlyCareerSince-year': '2025',
      'inProbationUntil-day': '31',
      'inProbationUntil-month': '10',
      'inProbationUntil-year': '2025',
      // Dates of a flag that is not ticked are not kept.
      'worksInEyfsUntil-day': '1',
      'worksInEyfsUntil-month': '1',
      'worksInEyfsUntil-year': '2026',
    }),
  )
  assert.equal(ok.statusCode, 303)
  const id = /^\/staff\/([0-9a-f-]{36})\?/.exec(ok.headers.location as string)![1]!
  const row = await s.database.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.deepEqual(row.flag_dates, {
    'early-career': { since: '2025-09-01', until: null },
    'in-probation': { since: null, until: '2025-10-31' },
  })
  const page = await s.admin.get(`/staff/${id}`)
  const flags = html(page.body)
    .querySelectorAll('.govuk-summary-list__row')
    .find((r) => r.querySelector('.govuk-summary-list__key')?.text.trim() === 'Flags')
  const items = flags?.querySelectorAll('li').map((li) => li.text.trim())
  assert.deepEqual(items, [
    'Early-career teacher (ECT or NQT), since 1 September 2025',
    'In a probation period: ended on 31 October 2025',
  ])

  // The edit form shows the dates; unticking a flag clears them; the change is audited by field name.
  const edit = await s.admin.get(`/staff/${id}/edit`)
  assert.equal(html(edit.body).querySelector('#inProbationUntil-day')?.getAttribute('value'), '31')
  const version = html(edit.body).querySelector('input[name=version]')?.getAttribute('value') ?? ''
  const saved = await s.admin.post(
    `/staff/${id}/edit`,
    aPerson({
      version,
      flags: ['earlyCareer'],
      'earlyCareerSince-day': '1',
      'earlyCareerSince-month': '9',
      'earlyCareerSince-year': '2025',
    }),
  )
  assert.equal(saved.statusCode, 303)
  const after = await s.database.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.deepEqual(after.flag_dates, { 'early-career': { since: '2025-09-01', until: null } })
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select(['detail'])
    .where('action', '=', 'staff.person-updated')
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.deepEqual((audit.detail as { changedFields: string[] }).changedFields, [
    'flags.inProbation',
    'flagDates.inProbation',
  ])
})
