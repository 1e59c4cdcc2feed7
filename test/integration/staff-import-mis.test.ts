/**
 * Issue 18: staff lists exported from SIMS, Arbor, Bromcom and Scholarpack (invented files shaped
 * like theirs) go through the pages as a school would: upload, preview, the mapping step (columns,
 * job titles to roles, line managers by name), then import, all or nothing; the choices are
 * remembered for the school's next import.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { adoptablePolicy } from '../../src/services/policy/store.ts'
import type { Client } from '../helpers/browser-like.ts'
import { html, textOf } from '../helpers/html.ts'
import { postFile, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url))
const clock = () => new Date('2026-01-15T10:00:00Z')

async function upload(s: StaffTestApp, content: Buffer | string) {
  const up = await postFile(s.app, s.admin, '/staff/import', { filename: 'export.csv', content })
  assert.equal(up.statusCode, 303, up.body.slice(0, 3000))
  return up.headers.location as string
}

/** The values a browser would send for the mapping form: each select's chosen option, each radio checked. */
function mappingFields(body: string): Record<string, string> {
  const form = html(body).querySelector('form[action$="/choices"]')
  assert.ok(form, 'the preview has a mapping step')
  const fields: Record<string, string> = {}
  for (const select of form.querySelectorAll('select')) {
    const chosen = select.querySelector('option[selected]') ?? select.querySelector('option')
    fields[select.getAttribute('name')!] = chosen?.getAttribute('value') ?? ''
  }
  for (const radio of form.querySelectorAll('input[type=radio][checked]'))
    fields[radio.getAttribute('name')!] = radio.getAttribute('value')!
  return fields
}

async function saveChoices(browser: Client, url: string, fields: Record<string, string>) {
  const saved = await browser.post(`${url}/choices`, fields, { formPage: url })
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000))
  assert.equal(saved.headers.location, `${url}#import`)
  const preview = await browser.get(url)
  assert.equal(preview.statusCode, 200)
  return preview
}

async function confirm(browser: Client, url: string, body: string) {
  const digest = html(body).querySelector('input[name=digest]')?.getAttribute('value')
  assert.ok(digest, 'the preview offers the import')
  return browser.post(url, { digest })
}

async function people(s: StaffTestApp) {
  const rows = await s.database.db.selectFrom('person').selectAll().execute()
  return new Map(rows.map((r) => [r.email, r]))
}

test('SIMS: columns mapped once, roles from job titles, "J Patel" chosen in the preview, managers in the same file on the first import', async (t) => {
  const s = await staffTestApp(t, { clock })
  const url = await upload(s, fixture('sims-mis-export.csv'))
  const preview = await s.admin.get(url)
  assert.equal(preview.statusCode, 200)
  assert.match(preview.body, /7 people to add/)
  assert.match(textOf(preview.body, '#mapping'), /Match the file to Haven/)
  assert.match(preview.body, /What is the column “Date of Appointment”\?/)
  assert.match(preview.body, /Role for “Teacher, Year 4” \(1 person\)/)
  assert.match(preview.body, /Who is “J Patel”, the line manager on rows 5, 6 and 7\?/)
  assert.match(preview.body, /1 line manager is not chosen yet/)
  // Nothing is written by the preview.
  assert.equal((await people(s)).has('h.whitbread@brackenmoor.example.org'), false)

  const fields = mappingFields(preview.body)
  assert.equal(fields['column:dateofappointment'], 'ignore')
  assert.equal(fields['title:teacheryear4'], 'class-teacher')
  assert.equal(fields['title:sitemanager'], 'none')
  const again = await saveChoices(s.admin, url, {
    ...fields,
    'column:dateofappointment': 'startDate',
    'title:sitemanager': 'line-manager',
    'manager:j patel': 'j.patel@brackenmoor.example.org',
  })
  assert.doesNotMatch(again.body, /not chosen yet/)
  assert.match(again.body, /You chose before/)

  const done = await confirm(s.admin, url, again.body)
  assert.equal(done.statusCode, 303, done.body.slice(0, 2000))
  assert.equal(done.headers.location, '/staff?imported=1&created=7&updated=0')
  const byEmail = await people(s)
  const head = byEmail.get('h.whitbread@brackenmoor.example.org')!
  const jasmine = byEmail.get('j.patel@brackenmoor.example.org')!
  assert.equal(head.name, 'Hattie Whitbread')
  assert.equal(head.start_date, '2014-09-01')
  assert.deepEqual(head.roles, ['headteacher'])
  assert.equal(jasmine.line_manager_id, head.id)
  assert.equal(byEmail.get('jas.patel@brackenmoor.example.org')!.line_manager_id, head.id)
  assert.equal(byEmail.get('e.okafor@brackenmoor.example.org')!.line_manager_id, jasmine.id)
  assert.equal(byEmail.get('r.quartermaine@brackenmoor.example.org')!.line_manager_id, jasmine.id)
  assert.equal(byEmail.get('d.featherstonehaugh@brackenmoor.example.org')!.line_manager_id, head.id)
  assert.deepEqual(byEmail.get('d.featherstonehaugh@brackenmoor.example.org')!.roles, ['line-manager'])
  assert.equal(byEmail.get('jas.patel@brackenmoor.example.org')!.job_title, 'Teacher, Year 4')

  // The next import remembers every choice: nothing to map, nothing changes.
  const next = await s.admin.get(await upload(s, fixture('sims-mis-export.csv')))
  assert.match(next.body, /7 people already up to date/)
  const remembered = mappingFields(next.body)
  assert.equal(remembered['column:dateofappointment'], 'startDate')
  assert.equal(remembered['manager:j patel'], 'j.patel@brackenmoor.example.org')
})

for (const [name, expect] of [
  [
    'arbor-mis-export.csv',
    {
      count: 4,
      managed: 'i.okonjo@fernleigh.example.org',
      by: 'c.adeyemi-roth@fernleigh.example.org',
      role: ['child-family-support-worker'],
    },
  ],
  [
    'bromcom-mis-export.csv',
    {
      count: 4,
      managed: 'y.osei-bonsu@thornbury-vale.example.org',
      by: 'c.hanrahan@thornbury-vale.example.org',
      role: ['teaching-assistant'],
    },
  ],
  [
    'scholarpack-mis-export.csv',
    {
      count: 4,
      managed: 's.mbatha@saltmarsh.example.org',
      by: 'a.lindqvist@saltmarsh.example.org',
      role: ['eyfs-practitioner'],
    },
  ],
] as const)
  test(`${name.split('-')[0]}: previewed, mapped and imported through the pages`, async (t) => {
    const s = await staffTestApp(t, { clock })
    const url = await upload(s, fixture(name))
    const preview = await s.admin.get(url)
    assert.equal(preview.statusCode, 200)
    assert.match(preview.body, new RegExp(`${expect.count} people to add`))
    const again = await saveChoices(s.admin, url, mappingFields(preview.body))
    const done = await confirm(s.admin, url, again.body)
    assert.equal(done.statusCode, 303, done.body.slice(0, 2000))
    const byEmail = await people(s)
    const managed = byEmail.get(expect.managed)!
    assert.equal(managed.line_manager_id, byEmail.get(expect.by)!.id)
    assert.deepEqual(managed.roles, [...expect.role])
  })

test('the preview warns when nobody in the file would be in scope of the policy', async (t) => {
  const s = await staffTestApp(t, { clock })
  // A published pack's policy (roles decide scope), in force on the test's day.
  const policy = adoptablePolicy('ashbury-meadow', 'Oakfield Primary School', '2026-01-15')
  await s.database.db
    .updateTable('policy_version')
    .set({ document: JSON.stringify({ ...policy, version: 1 }), effective_from: policy.effectiveFrom })
    .where('school_id', '=', s.org.schoolId)
    .execute()
  const file =
    'Name,Email,Job title\nEzra Ravensworth,e.r@saltmarsh.example.org,Office Manager\nPip Lowe,p.l@saltmarsh.example.org,Site Manager\n'
  const url = await upload(s, file)
  const preview = await s.admin.get(url)
  assert.match(
    textOf(preview.body, '.govuk-warning-text'),
    /No one in this file is in scope of your policy: map roles first/,
  )
  const fields = mappingFields(preview.body)
  const mapped = await saveChoices(s.admin, url, { ...fields, 'title:officemanager': 'dsl' })
  assert.equal(html(mapped.body).querySelector('.govuk-warning-text'), null)
})

test('all or nothing: a mapped column with a bad cell refuses the whole file, naming the row and column', async (t) => {
  const s = await staffTestApp(t, { clock })
  const file =
    'Name,Email,Appointed\nAda Brook,a.brook@x.example.org,01/09/2020\nBen Cole,b.cole@x.example.org,31/02/2021\n'
  const url = await upload(s, file)
  const preview = await s.admin.get(url)
  const saved = await s.admin.post(
    `${url}/choices`,
    { ...mappingFields(preview.body), 'column:appointed': 'startDate' },
    { formPage: url },
  )
  assert.equal(saved.statusCode, 303)
  const refused = await s.admin.get(url)
  assert.equal(refused.statusCode, 400)
  const rows = html(refused.body)
    .querySelector('table')!
    .querySelectorAll('tbody tr')
    .map((tr) => tr.querySelectorAll('th, td').map((c) => c.textContent.trim()))
  assert.deepEqual(rows, [['3', 'Appointed', 'Start date must be a real date, like 01/09/2024']])
  assert.equal((await people(s)).has('a.brook@x.example.org'), false)
})

test('a tampered mapping form is ignored, never a 500', async (t) => {
  const s = await staffTestApp(t, { clock })
  const url = await upload(s, fixture('sims-mis-export.csv'))
  const saved = await s.admin.post(
    `${url}/choices`,
    {
      'column:dateofappointment': 'password',
      'title:sitemanager': 'emperor',
      'manager:j patel': 'x@evil.example',
      'column:': 'x',
    },
    { formPage: url },
  )
  assert.equal(saved.statusCode, 303)
  const rows = await s.database.db.selectFrom('staff_import_mapping').selectAll().execute()
  assert.deepEqual(rows, [])
})

test('a file whose email column has a heading Haven does not know is kept, mapped on the upload page, then previewed', async (t) => {
  const s = await staffTestApp(t, { clock })
  const file = 'Full name,Contact\nAda Brook,a.brook@x.example.org\n'
  const url = await upload(s, file)
  const refused = await s.admin.get(url)
  assert.equal(refused.statusCode, 400)
  assert.match(refused.body, /must have an &quot;Email&quot; column|must have an "Email" column/)
  assert.match(refused.body, /What is the column “Contact”\?/)
  const saved = await s.admin.post(`${url}/choices`, { 'column:contact': 'email' }, { formPage: url })
  assert.equal(saved.statusCode, 303)
  const preview = await s.admin.get(url)
  assert.equal(preview.statusCode, 200)
  assert.match(preview.body, /1 person to add/)
  const done = await confirm(s.admin, url, preview.body)
  assert.equal(done.statusCode, 303)
  assert.equal((await people(s)).get('a.brook@x.example.org')?.name, 'Ada Brook')
})

test('text that is not a staff list is refused at once, not kept for mapping', async (t) => {
  const s = await staffTestApp(t, { clock })
  const refused = await postFile(s.app, s.admin, '/staff/import', {
    filename: 'notes.csv',
    content: 'hello world\nthis is not a list\n',
  })
  assert.equal(refused.statusCode, 400)
  assert.equal(await s.database.db.selectFrom('staff_import').select('id').executeTakeFirst(), undefined)
})
