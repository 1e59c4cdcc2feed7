/**
 * Adding and editing people, optimistic locking, the sensitive flag, roles, schools, the
 * staff list, export and invitations.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { html, textOf } from '../helpers/html.ts'
import { personSignedIn, postFile, staffTestApp } from '../helpers/staff.ts'

const aPerson = (over: Record<string, string | string[]> = {}) => ({
  name: 'Imogen Castellane',
  email: 'Imogen.Castellane@Oakfield.example',
  jobTitle: 'Year 2 teacher',
  roles: ['class-teacher'],
  lineManagerId: '',
  employmentType: 'permanent',
  partTime: 'yes',
  workingDays: ['1', '2', '3'],
  'startDate-day': '1',
  'startDate-month': '9',
  'startDate-year': '2024',
  flags: ['earlyCareer'],
  ...over,
})

async function auditActions(s: Awaited<ReturnType<typeof staffTestApp>>) {
  return s.database.db.selectFrom('audit_event').select(['action', 'subject_id', 'detail']).orderBy('id').execute()
}

test('adding a person: every field is checked, the form comes back with an error summary, then it saves', async (t) => {
  const s = await staffTestApp(t)
  const bad = await s.admin.post('/staff/new', {
    name: '',
    email: 'not-an-email',
    roles: ['class-teacher', 'made-up'],
    employmentType: 'external',
    externalOrganisation: '',
    workingDays: [],
    'startDate-day': '31',
    'startDate-month': '2',
    'startDate-year': '2024',
    'endDate-day': '1',
    'endDate-month': '',
    'endDate-year': '',
    'supervisorTrainedOn-day': '1',
    'supervisorTrainedOn-month': '1',
    'supervisorTrainedOn-year': '2999',
  })
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, '.govuk-error-summary__title'), 'There is a problem')
  assert.match(textOf(bad.body, 'title'), /^Error: /)
  assert.equal(textOf(bad.body, '#name-error'), 'Error: Enter a name')
  assert.match(textOf(bad.body, '#email-error'), /correct format, like name@example.com/)
  assert.match(textOf(bad.body, '#roles-error'), /Select roles from the list/)
  assert.match(textOf(bad.body, '#externalOrganisation-error'), /Enter the organisation/)
  assert.match(textOf(bad.body, '#partTime-error'), /full time or part time/)
  assert.match(textOf(bad.body, '#workingDays-error'), /Select at least one working day/)
  assert.match(textOf(bad.body, '#startDate-error'), /Start date must be a real date/)
  assert.match(textOf(bad.body, '#endDate-error'), /End date must include a month and year/)
  const summaryLinks = html(bad.body)
    .querySelectorAll('.govuk-error-summary__list a')
    .map((a) => a.getAttribute('href'))
  assert.deepEqual(summaryLinks.slice(0, 3), ['#name', '#email', '#roles'])
  assert.ok(summaryLinks.includes('#startDate-day'))
  // What was typed comes back.
  assert.equal(html(bad.body).querySelector('#startDate-day')?.getAttribute('value'), '31')
  assert.equal((await s.database.db.selectFrom('person').select('id').execute()).length, 1, 'nothing saved')

  const ok = await s.admin.post('/staff/new', aPerson())
  assert.equal(ok.statusCode, 303)
  const id = /^\/staff\/([0-9a-f-]{36})\?saved=added$/.exec(ok.headers.location as string)![1]!
  const row = await s.database.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.email, 'imogen.castellane@oakfield.example')
  assert.equal(row.part_time, true)
  assert.deepEqual(row.working_days, [1, 2, 3])
  assert.equal(row.start_date, '2024-09-01')
  assert.equal(row.early_career, true)
  assert.equal(row.school_id, s.org.schoolId)
  const page = await s.admin.get(ok.headers.location as string)
  assert.match(textOf(page.body, '.govuk-notification-banner'), /Imogen Castellane has been added/)
  assert.match(page.body, /Part time, Monday, Tuesday and Wednesday/)
  assert.match(page.body, /Early-career teacher/)

  const again = await s.admin.post(
    '/staff/new',
    aPerson({ name: 'Someone Else', email: 'IMOGEN.castellane@oakfield.example' }),
  )
  assert.equal(again.statusCode, 400)
  assert.match(textOf(again.body, '#email-error'), /already in Haven/)
  const audit = await auditActions(s)
  const created = audit.filter((a) => a.action === 'staff.person-created')
  assert.equal(created.length, 1)
  assert.equal(created[0]!.subject_id, id)
  assert.doesNotMatch(JSON.stringify(created[0]!.detail), /Imogen|@/)
})

test('an external supervisor (CA-12) is added with the organisation they work for', async (t) => {
  const s = await staffTestApp(t)
  const res = await s.admin.post(
    '/staff/new',
    aPerson({
      name: 'Priya Raman',
      email: 'priya.raman@la.example',
      roles: ['external-supervisor'],
      employmentType: 'external',
      externalOrganisation: 'Local authority safeguarding team',
      flags: [],
    }),
  )
  assert.equal(res.statusCode, 303)
  const row = await s.database.db
    .selectFrom('person')
    .selectAll()
    .where('email', '=', 'priya.raman@la.example')
    .executeTakeFirstOrThrow()
  assert.equal(row.employment_type, 'external')
  assert.equal(row.external_organisation, 'Local authority safeguarding team')
  const page = await s.admin.get(`/staff/${row.id}`)
  assert.match(page.body, /Local authority safeguarding team/)
})

test('two people edit the same person at once: the second save is refused and nothing is overwritten', async (t) => {
  const s = await staffTestApp(t, { alsoDsl: false })
  const added = await s.admin.post('/staff/new', aPerson())
  const id = /\/staff\/([0-9a-f-]{36})/.exec(added.headers.location as string)![1]!
  const dsl = await personSignedIn(s, { name: 'Dafydd Marsh', email: 'dafydd.marsh@oakfield.example', roles: ['dsl'] })

  // Both open the form at version 1.
  const formA = await s.admin.get(`/staff/${id}/edit`)
  const formB = await dsl.browser.get(`/staff/${id}/edit`)
  const versionOf = (body: string) => html(body).querySelector('input[name=version]')!.getAttribute('value')!
  assert.equal(versionOf(formA.body), '1')
  assert.equal(versionOf(formB.body), '1')

  const first = await s.admin.post(`/staff/${id}/edit`, aPerson({ jobTitle: 'Reception teacher', version: '1' }), {
    formPage: `/staff/${id}`,
  })
  assert.equal(first.statusCode, 303)
  assert.equal(first.headers.location, `/staff/${id}?saved=changed`)

  const second = await dsl.browser.post(
    `/staff/${id}/edit`,
    aPerson({ jobTitle: 'Year 6 teacher', name: 'Imogen Castellane-Reeve', version: '1' }),
    { formPage: `/staff/${id}` },
  )
  assert.equal(second.statusCode, 409)
  assert.match(textOf(second.body, '.govuk-error-summary'), /Someone else changed this person while you were editing/)
  // The form now shows what is saved, at the new version, so a second attempt is deliberate.
  assert.equal(html(second.body).querySelector('#jobTitle')?.getAttribute('value'), 'Reception teacher')
  assert.equal(versionOf(second.body), '2')
  const row = await s.database.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.job_title, 'Reception teacher')
  assert.equal(row.name, 'Imogen Castellane')
  assert.equal(row.version, 2)

  const updates = (await auditActions(s)).filter((a) => a.action === 'staff.person-updated')
  assert.equal(updates.length, 1)
  assert.deepEqual(updates[0]!.detail, { changedFields: ['jobTitle'], version: 2 })
})

test('edits are checked: own roles, the administrator role, and an end date for someone who supervises others', async (t) => {
  const s = await staffTestApp(t)
  const own = await s.admin.get(`/staff/${s.org.personId}/edit`)
  assert.equal(own.statusCode, 200)
  const version = html(own.body).querySelector('input[name=version]')!.getAttribute('value')!
  const selfPromotion = await s.admin.post(
    `/staff/${s.org.personId}/edit`,
    aPerson({ name: 'Amira Khan', email: 'amira.khan@oakfield.example', roles: ['administrator', 'dsl'], version }),
    { formPage: `/staff/${s.org.personId}` },
  )
  assert.equal(selfPromotion.statusCode, 400)
  assert.match(textOf(selfPromotion.body, '#roles-error'), /cannot change your own roles/)

  const dsl = await personSignedIn(s, { name: 'Dafydd Marsh', email: 'dafydd.marsh@oakfield.example', roles: ['dsl'] })
  const added = await s.admin.post('/staff/new', aPerson())
  const id = /\/staff\/([0-9a-f-]{36})/.exec(added.headers.location as string)![1]!
  const grant = await dsl.browser.post(`/staff/${id}/edit`, aPerson({ roles: ['administrator'], version: '1' }), {
    formPage: `/staff/${id}`,
  })
  assert.equal(grant.statusCode, 400)
  assert.match(textOf(grant.body, '#roles-error'), /Only an administrator/)

  // Imogen line-manages someone: an end date must go through "End employment".
  await s.admin.post(
    '/staff/new',
    aPerson({ name: 'Barnaby Whitlock', email: 'b.whitlock@oakfield.example', lineManagerId: id }),
  )
  const ending = await s.admin.post(
    `/staff/${id}/edit`,
    aPerson({ 'endDate-day': '31', 'endDate-month': '8', 'endDate-year': '2026', version: '1' }),
    { formPage: `/staff/${id}` },
  )
  assert.equal(ending.statusCode, 400)
  assert.match(textOf(ending.body, '#endDate-error'), /supervises or line-manages 1 person.*End employment/)
})

test('"needs additional support" is seen only by the DSL, the deputy DSL and the current line manager or supervisor', async (t) => {
  const s = await staffTestApp(t)
  const dsl = await personSignedIn(s, { name: 'Dafydd Marsh', email: 'dafydd.marsh@oakfield.example', roles: ['dsl'] })
  const deputy = await personSignedIn(s, {
    name: 'Siân Obi',
    email: 'sian.obi@oakfield.example',
    roles: ['deputy-dsl'],
  })
  const head = await personSignedIn(s, {
    name: 'Hana Osei',
    email: 'hana.osei@oakfield.example',
    roles: ['headteacher'],
  })
  const otherHead = await personSignedIn(s, {
    name: 'Ivo Hart',
    email: 'ivo.hart@oakfield.example',
    roles: ['associate-headteacher'],
  })
  // The DSL records the flag; the headteacher is the line manager.
  const added = await dsl.browser.post(
    '/staff/new',
    aPerson({ flags: ['additionalSupport'], lineManagerId: head.id }),
    { formPage: '/staff/new' },
  )
  assert.equal(added.statusCode, 303, added.body)
  const id = /\/staff\/([0-9a-f-]{36})/.exec(added.headers.location as string)![1]!
  const row = await s.database.db
    .selectFrom('person')
    .select('additional_support')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(row.additional_support, true)

  const sees = async (browser: typeof s.admin) =>
    /Needs additional support/.test((await browser.get(`/staff/${id}`)).body)
  assert.equal(await sees(dsl.browser), true, 'DSL')
  assert.equal(await sees(deputy.browser), true, 'deputy DSL')
  assert.equal(await sees(head.browser), true, 'line manager')
  assert.equal(await sees(s.admin), false, 'administrator')
  assert.equal(await sees(otherHead.browser), false, 'another senior leader')

  // The administrator's edit form does not show the flag, and saving keeps it.
  const form = await s.admin.get(`/staff/${id}/edit`)
  assert.doesNotMatch(form.body, /additionalSupport/)
  const version = html(form.body).querySelector('input[name=version]')!.getAttribute('value')!
  const saved = await s.admin.post(`/staff/${id}/edit`, aPerson({ lineManagerId: head.id, flags: [], version }), {
    formPage: `/staff/${id}`,
  })
  assert.equal(saved.statusCode, 303)
  const after = await s.database.db
    .selectFrom('person')
    .select('additional_support')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(after.additional_support, true, 'kept')

  // Filtering by it is offered to the DSL only; a crafted query is ignored for others.
  assert.match((await dsl.browser.get('/staff')).body, /value="additional-support"/)
  const adminList = await s.admin.get('/staff?flag=additional-support')
  assert.doesNotMatch(adminList.body, /value="additional-support"/)
  assert.match(textOf(adminList.body, '.govuk-table__caption'), /of 6 people/, 'the filter was ignored')
  const dslList = await dsl.browser.get('/staff?flag=additional-support')
  assert.match(textOf(dslList.body, '.govuk-table__caption'), /1 to 1 of 1 matching/)

  // Export: the column only for those who may see it.
  const adminCsv = await s.admin.get('/staff/export.csv')
  assert.doesNotMatch(adminCsv.body, /Additional support/)
  const dslCsv = await dsl.browser.get('/staff/export.csv')
  assert.match(dslCsv.body, /Additional support/)
})

test('X-03: the role catalogue is shown with plain descriptions, and a school adds its own roles (no duplicates)', async (t) => {
  const s = await staffTestApp(t)
  const head = await personSignedIn(s, {
    name: 'Hana Osei',
    email: 'hana.osei@oakfield.example',
    roles: ['headteacher'],
  })
  const page = await head.browser.get('/staff/roles')
  assert.equal(page.statusCode, 200)
  for (const name of [
    'Designated safeguarding lead (DSL)',
    'Looked-after children co-ordinator',
    'External supervisor',
    'Chair of governors',
  ])
    assert.match(page.body, new RegExp(name.replace(/[()]/g, '\\$&')))
  assert.doesNotMatch(page.body, /Add a role/, 'reading roles does not allow adding them')

  const blank = await s.admin.post('/staff/roles', { name: '', description: '' })
  assert.equal(blank.statusCode, 400)
  assert.equal(textOf(blank.body, '#name-error'), 'Error: Enter a name for the role')
  const dup = await s.admin.post('/staff/roles', { name: 'SENDCO', description: '' })
  assert.match(textOf(dup.body, '#name-error'), /A role called “SENCO or SENDCO” already exists/)
  const ok = await s.admin.post('/staff/roles', { name: 'Head of Maths', description: 'Leads the maths department.' })
  assert.equal(ok.statusCode, 303)
  assert.equal(ok.headers.location, '/staff/roles?added=head-of-maths')
  const again = await s.admin.post('/staff/roles', { name: 'head of maths', description: '' })
  assert.equal(again.statusCode, 400)
  assert.match(textOf(again.body, '#name-error'), /already exists/)
  const shown = await s.admin.get('/staff/roles?added=head-of-maths')
  assert.match(textOf(shown.body, '.govuk-notification-banner'), /Head of Maths has been added/)
  // The new role can be given to people.
  const added = await s.admin.post('/staff/new', aPerson({ roles: ['head-of-maths'] }))
  assert.equal(added.statusCode, 303)
  const person = await s.admin.get(added.headers.location as string)
  assert.match(person.body, /Head of Maths/)
})

test('schools: a trust’s administrator adds a school; the short name is checked and unique', async (t) => {
  const s = await staffTestApp(t, { trust: true })
  const page = await s.admin.get('/admin/schools')
  assert.match(page.body, /Oakfield Primary School/)
  const bad = await s.admin.post('/admin/schools', { name: '', slug: 'Not A Slug', region: 'mars' })
  assert.equal(bad.statusCode, 400)
  assert.match(textOf(bad.body, '#name-error'), /Enter the name of the school/)
  assert.match(textOf(bad.body, '#slug-error'), /letters a to z/)
  assert.match(textOf(bad.body, '#region-error'), /Select where the school is/)
  const taken = await s.admin.post('/admin/schools', { name: 'Oak Two', slug: 'oakfield', region: 'england-and-wales' })
  assert.match(textOf(taken.body, '#slug-error'), /already used/)
  const ok = await s.admin.post('/admin/schools', {
    name: 'Larchfield Academy',
    slug: 'Larchfield',
    region: 'england-and-wales',
  })
  assert.equal(ok.statusCode, 303)
  const school = await s.database.db
    .selectFrom('school')
    .selectAll()
    .where('slug', '=', 'larchfield')
    .executeTakeFirstOrThrow()
  assert.equal(school.organisation_id, s.org.organisationId)
  // The staff list can show either school.
  const list = await s.admin.get('/staff?school=larchfield')
  assert.equal(list.statusCode, 200)
  assert.match(textOf(list.body, '.govuk-caption-l'), /Larchfield Academy/)
})

test('schools: a single school cannot add another', async (t) => {
  const s = await staffTestApp(t)
  const res = await s.admin.post('/admin/schools', { name: 'Second', slug: 'second', region: 'england-and-wales' })
  assert.equal(res.statusCode, 400)
  assert.match(textOf(res.body, '.govuk-error-summary'), /Only a trust/)
})

test('the staff list searches by name or email, filters by role and flag, and pages 50 at a time', async (t) => {
  const s = await staffTestApp(t)
  const rows = Array.from({ length: 120 }, (_, i) => ({
    organisation_id: s.org.organisationId,
    school_id: s.org.schoolId,
    name: `Person ${String(i).padStart(3, '0')}`,
    email: `person.${i}@oakfield.example`,
    roles: i % 10 === 0 ? ['year-head'] : ['class-teacher'],
    trained_dsl: i % 40 === 0,
  }))
  await s.database.db.insertInto('person').values(rows).execute()
  const first = await s.admin.get('/staff')
  assert.match(textOf(first.body, '.govuk-table__caption'), /Showing 1 to 50 of 121 people/)
  assert.equal(html(first.body).querySelectorAll('tbody tr').length, 50)
  const third = await s.admin.get('/staff?page=3')
  assert.match(textOf(third.body, '.govuk-table__caption'), /Showing 101 to 121 of 121/)
  assert.match(third.body, /href="\/staff\?page=2"/)
  const search = await s.admin.get('/staff?q=PERSON.11')
  assert.match(textOf(search.body, '.govuk-table__caption'), /of 11 matching/) // 11, 110-119
  const like = await s.admin.get('/staff?q=%25')
  assert.match(like.body, /No one matches your search/, '% is a character, not a wildcard')
  const heads = await s.admin.get('/staff?role=year-head')
  assert.match(textOf(heads.body, '.govuk-table__caption'), /of 12 matching/)
  const pages = await s.admin.get('/staff?role=class-teacher&page=2')
  assert.match(pages.body, /href="\/staff\?role=class-teacher&amp;page=3"|href="\/staff\?role=class-teacher&page=3"/)
  const dsls = await s.admin.get('/staff?flag=trained-dsl&q=person')
  assert.match(textOf(dsls.body, '.govuk-table__caption'), /of 3 matching/)
  const unknownRole = await s.admin.get('/staff?role=nonsense')
  assert.match(textOf(unknownRole.body, '.govuk-table__caption'), /of 121 people/)
})

test('invitations: one by one from a person’s page, or everyone not yet invited from the list', async (t) => {
  const s = await staffTestApp(t)
  for (const [i, name] of ['Ann Aldous', 'Bo Brent', 'Cy Croft'].entries())
    await s.admin.post('/staff/new', aPerson({ name, email: `p${i}@oakfield.example` }))
  await s.admin.post(
    '/staff/new',
    aPerson({
      name: 'Lee Left',
      email: 'left@oakfield.example',
      'endDate-day': '1',
      'endDate-month': '1',
      'endDate-year': '2020',
      'startDate-year': '2010',
    }),
  )
  const people = await s.database.db.selectFrom('person').select(['id', 'email']).execute()
  const ann = people.find((p) => p.email === 'p0@oakfield.example')!
  const list = await s.admin.get('/staff')
  assert.match(list.body, /3 people have not been invited/)
  assert.match(list.body, /Not invited/)

  const one = await s.admin.post(`/staff/${ann.id}/invite`, {}, { formPage: `/staff/${ann.id}` })
  assert.equal(one.headers.location, `/staff/${ann.id}?saved=invited`)
  const page = await s.admin.get(`/staff/${ann.id}`)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Invited on/)
  assert.match(page.body, /Send the invitation again/)

  const all = await s.admin.post('/staff/invite-all', {}, { formPage: '/staff' })
  assert.equal(all.statusCode, 303)
  assert.equal(all.headers.location, '/staff?invited=2')
  const mail = await s.database.db.selectFrom('outbox_message').select('to_address').execute()
  assert.deepEqual(mail.map((m) => m.to_address).sort(), [
    'p0@oakfield.example',
    'p1@oakfield.example',
    'p2@oakfield.example',
  ])
  const after = await s.admin.get('/staff?invited=2')
  assert.match(textOf(after.body, '.govuk-notification-banner'), /2 invitations sent/)
  assert.doesNotMatch(after.body, /have not been invited/)
  // The administrator has an account; the leaver is not invited.
  const admin = await s.admin.post(`/staff/${s.org.personId}/invite`, {}, { formPage: '/staff' })
  assert.equal(admin.statusCode, 400)
  const leaver = people.find((p) => p.email === 'left@oakfield.example')!
  assert.equal((await s.admin.post(`/staff/${leaver.id}/invite`, {}, { formPage: '/staff' })).statusCode, 400)
})

test('export: the staff list as a CSV attachment, which imports again changing nothing', async (t) => {
  const s = await staffTestApp(t)
  await s.admin.post('/staff/new', aPerson())
  const res = await s.admin.get('/staff/export.csv')
  assert.equal(res.statusCode, 200)
  assert.match(res.headers['content-type'] as string, /^text\/csv/)
  assert.match(
    res.headers['content-disposition'] as string,
    /^attachment; filename="staff-oakfield-\d{4}-\d{2}-\d{2}\.csv"$/,
  )
  const records = parse(res.body, { bom: true }) as string[][]
  assert.equal(records[0]![0], 'Full name')
  assert.equal(records.length, 3)
  const audit = (await auditActions(s)).filter((a) => a.action === 'staff.export')
  assert.equal(audit.length, 1)
  const upload = await postFile(s.app, s.admin, '/staff/import', { filename: 'export.csv', content: res.rawPayload })
  assert.equal(upload.statusCode, 303)
  const preview = await s.admin.get(upload.headers.location as string)
  assert.match(preview.body, /There is nothing to import/)
  assert.match(preview.body, /2 people already up to date/)
})
