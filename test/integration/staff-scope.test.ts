/**
 * Issue 14 on the staff pages: flags that carry their own dates (set on the person's form, ended
 * by themselves), and manual scope overrides with a reason from the person's page and the
 * staff import.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { overridesInForce } from '../../src/db/repositories/compliance.ts'
import { loadPack } from '../../src/packs/index.ts'
import { savePolicyVersion } from '../../src/services/policy/store.ts'
import { html, textOf } from '../helpers/html.ts'
import { postFile, staffTestApp } from '../helpers/staff.ts'

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

  // The staff list's filters count a flag only while it holds.
  const names = async (flag: string) =>
    html((await s.admin.get(`/staff?flag=${flag}`)).body)
      .querySelectorAll('table tbody tr')
      .map((tr) => tr.querySelector('a')?.text.trim())
  assert.deepEqual(await names('early-career'), ['Imogen Castellane'])
  assert.deepEqual(await names('in-probation'), [])

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

async function withPolicy(s: Awaited<ReturnType<typeof staffTestApp>>, pack: 'lode-heath' | 'meanwood' = 'lode-heath') {
  // The organisation starts with a policy from next September; these tests need one in force now.
  await s.database.db.deleteFrom('policy_version').where('school_id', '=', s.org.schoolId).execute()
  const document = { ...loadPack(pack), effectiveFrom: '2025-09-01' }
  const saved = await savePolicyVersion(s.database.db, {
    schoolId: s.org.schoolId,
    organisationId: s.org.organisationId,
    document,
    actorId: s.org.personId,
    today: '2025-11-10',
  })
  assert.ok(saved.ok, JSON.stringify(saved))
}

async function addTeacher(s: Awaited<ReturnType<typeof staffTestApp>>, over: Record<string, string | string[]> = {}) {
  const res = await s.admin.post('/staff/new', aPerson(over))
  assert.equal(res.statusCode, 303)
  return /^\/staff\/([0-9a-f-]{36})\?/.exec(res.headers.location as string)![1]!
}

function summaryValue(body: string, key: string): string | undefined {
  return html(body)
    .querySelectorAll('.govuk-summary-list__row')
    .find((r) => r.querySelector('.govuk-summary-list__key')?.text.trim() === key)
    ?.querySelectorAll('.govuk-summary-list__value p')
    .map((p) => p.text.replace(/\s+/g, ' ').trim())
    .join(' ')
}

test('X-04: bringing someone into scope by name from their page needs a reason, shows who and when, and can be ended', async (t) => {
  // A second later at each reading, on the same day, so that decisions are ordered by when they were made.
  let tick = 0
  const s = await staffTestApp(t, { clock: () => new Date(Date.parse('2025-11-10T10:00:00Z') + tick++ * 1000) })
  await withPolicy(s)
  const id = await addTeacher(s)
  const page = await s.admin.get(`/staff/${id}`)
  assert.equal(
    summaryValue(page.body, 'Must receive supervision'),
    'No No group in the policy covers their roles or responsibilities.',
  )
  assert.ok(html(page.body).querySelector(`a[href="/staff/${id}/scope"]`), 'a link to decide by name')

  // The school's guidance on whom to bring in is shown where the decision is made.
  const form = await s.admin.get(`/staff/${id}/scope`)
  assert.equal(form.statusCode, 200)
  assert.match(textOf(form.body, '.govuk-inset-text'), /Class teachers and teaching assistants/)
  assert.doesNotMatch(form.body, /lh-[a-z-]+/, 'no rule ids on the page')

  const blank = await s.admin.post(`/staff/${id}/scope`, { required: '', reason: ' ' })
  assert.equal(blank.statusCode, 400)
  assert.equal(textOf(blank.body, '#required-error'), 'Error: Select whether they must receive supervision')
  assert.equal(textOf(blank.body, '#reason-error'), 'Error: Enter the reason')

  const set = await s.admin.post(`/staff/${id}/scope`, { required: 'yes', reason: 'Holds child protection casework' })
  assert.equal(set.statusCode, 303)
  assert.equal(set.headers.location, `/staff/${id}?saved=scope-in`)
  const after = await s.admin.get(`/staff/${id}`)
  assert.equal(
    summaryValue(after.body, 'Must receive supervision'),
    'Yes Brought into scope by name: Holds child protection casework',
  )
  const scopePage = await s.admin.get(`/staff/${id}/scope`)
  assert.match(
    textOf(scopePage.body, 'main'),
    /Brought into scope by Amira Khan on 10 November 2025\. Reason: Holds child protection casework/,
  )

  // The compliance engine reads it: it is in force for the school.
  const inForce = await overridesInForce(s.database.db, s.org.schoolId)
  assert.deepEqual(
    inForce.map((o) => o.kind === 'scope' && [o.personId, o.required, o.from]),
    [[id, true, '2025-11-10']],
  )

  // Taking them out replaces it; ending that leaves the policy to decide.
  const out = await s.admin.post(`/staff/${id}/scope`, { required: 'no', reason: 'Casework handed over' })
  assert.equal(out.statusCode, 303)
  const rows = await s.database.db
    .selectFrom('person_override')
    .select(['id', 'ended_at', 'ended_by'])
    .where('person_id', '=', id)
    .orderBy('set_at')
    .orderBy('ended_at')
    .execute()
  assert.equal(rows.length, 2)
  assert.equal(rows.filter((r) => r.ended_at === null).length, 1)
  const current = rows.find((r) => r.ended_at === null)!
  const other = await s.admin.post(`/staff/${id}/scope/end`, { overrideId: '00000000-0000-4000-8000-000000000000' })
  assert.equal(other.statusCode, 404)
  const ended = await s.admin.post(`/staff/${id}/scope/end`, { overrideId: current.id })
  assert.equal(ended.headers.location, `/staff/${id}?saved=scope-ended`)
  assert.deepEqual(await overridesInForce(s.database.db, s.org.schoolId), [])
  const history = await s.admin.get(`/staff/${id}/scope`)
  const statuses = html(history.body)
    .querySelectorAll('table tbody tr')
    .map((tr) => tr.querySelectorAll('td').map((td) => td.text.trim()))
  assert.deepEqual(statuses, [
    [
      'Taken out of scope',
      'Casework handed over',
      'Amira Khan, 10 November 2025',
      'Ended on 10 November 2025 by Amira Khan',
    ],
    [
      'Brought into scope',
      'Holds child protection casework',
      'Amira Khan, 10 November 2025',
      'Ended on 10 November 2025 by Amira Khan',
    ],
  ])

  const audit = await s.database.db
    .selectFrom('audit_event')
    .select(['action'])
    .where('subject_id', '=', id)
    .where('action', 'like', 'staff.scope-%')
    .orderBy('id')
    .execute()
  assert.deepEqual(
    audit.map((a) => a.action),
    ['staff.scope-override-set', 'staff.scope-override-set', 'staff.scope-override-ended'],
  )
})

test('X-04: the staff import brings people into scope by name from its In scope column, audited, and the same file again changes nothing', async (t) => {
  const s = await staffTestApp(t, { clock })
  await withPolicy(s)
  const file = [
    'Full name,Email,Roles,In scope,Scope reason',
    'Nia Okafor,nia.okafor@oakfield.example,class-teacher,Yes,Holds child protection casework',
    'Tom Reyes,tom.reyes@oakfield.example,class-teacher,,',
  ].join('\n')
  const importFile = async () => {
    const up = await postFile(s.app, s.admin, '/staff/import', { filename: 'staff.csv', content: file })
    assert.equal(up.statusCode, 303, up.body.slice(0, 1000))
    const preview = await s.admin.get(up.headers.location as string)
    const digest = html(preview.body).querySelector('input[name=digest]')?.getAttribute('value')
    return { preview, done: digest ? await s.admin.post(up.headers.location as string, { digest }) : null }
  }
  const first = await importFile()
  assert.match(textOf(first.preview.body, 'main'), /Whether they must receive supervision, decided by name/)
  assert.match(
    textOf(first.preview.body, 'main'),
    /Nia Okafor\s*nia.okafor@oakfield.example\s*Bring into scope\s*Holds child protection casework/,
  )
  assert.equal(first.done?.statusCode, 303)
  const nia = await s.database.db
    .selectFrom('person')
    .select('id')
    .where('email', '=', 'nia.okafor@oakfield.example')
    .executeTakeFirstOrThrow()
  const inForce = await overridesInForce(s.database.db, s.org.schoolId)
  assert.deepEqual(
    inForce.map((o) => o.kind === 'scope' && [o.personId, o.required, o.reason]),
    [[nia.id, true, 'Holds child protection casework']],
  )
  const page = await s.admin.get(`/staff/${nia.id}`)
  assert.equal(
    summaryValue(page.body, 'Must receive supervision'),
    'Yes Brought into scope by name: Holds child protection casework',
  )
  const scopePage = await s.admin.get(`/staff/${nia.id}/scope`)
  assert.match(textOf(scopePage.body, 'main'), /by Amira Khan on 10 November 2025, in a staff import/)

  // The same file again: the decision in force is the same, so nothing new is recorded.
  await importFile()
  const rows = await s.database.db.selectFrom('person_override').select('id').where('person_id', '=', nia.id).execute()
  assert.equal(rows.length, 1)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select(['action', 'detail'])
    .where('action', '=', 'staff.scope-override-set')
    .execute()
  assert.deepEqual(
    audit.map((a) => (a.detail as { source: string }).source),
    ['import'],
  )
})
