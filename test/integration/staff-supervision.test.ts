/**
 * Who supervises and line-manages whom, and changes to it (LH-05, LH-07, LH-08, CA-12): each change
 * records a handover and keeps the history, shown on the person's page.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { londonDateOf } from '../../src/domain/calendar/london.ts'
import { clockFrom, testNow } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import { type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

// The app's clock starts at the fixed test instant (helpers/clock.ts, ADR 0017): "today" here and in
// the app is the same term-time day whatever the real date (a run once failed at 23:59:56).
const now = testNow
const clock = clockFrom(now)
const today = londonDateOf(now)
const [year, month, day] = today.split('-').map(Number) as [number, number, number]
const todayParts = {
  'effectiveOn-day': String(day),
  'effectiveOn-month': String(month),
  'effectiveOn-year': String(year),
}

async function add(s: StaffTestApp, name: string, over: Record<string, string | string[]> = {}): Promise<string> {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@oakfield.example`
  const res = await s.admin.post('/staff/new', {
    name,
    email,
    roles: ['class-teacher'],
    employmentType: 'permanent',
    partTime: 'no',
    workingDays: ['1', '2', '3', '4', '5'],
    ...over,
  })
  assert.equal(res.statusCode, 303, res.body.slice(0, 3000))
  return /\/staff\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!
}

async function row(s: StaffTestApp, id: string) {
  return s.database.db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

test('LH-07: changing a line manager needs a handover note, and the history of who managed whom is kept', async (t) => {
  const s = await staffTestApp(t, { clock })
  const outgoing = await add(s, 'Olwen Price', { roles: ['year-head'] })
  const incoming = await add(s, 'Ifan Rees', { roles: ['pastoral-lead'] })
  const teacher = await add(s, 'Tess Ward', { lineManagerId: outgoing })
  assert.equal((await row(s, teacher)).line_manager_id, outgoing)

  const form = await s.admin.get(`/staff/${teacher}/change/line-manager`)
  assert.match(form.body, /Their line manager now is Olwen Price/)
  const options = html(form.body)
    .querySelectorAll('#supervisorId option')
    .map((o) => o.textContent)
  assert.ok(options.some((o) => o.startsWith('Ifan Rees')))
  assert.ok(!options.some((o) => o.startsWith('Tess Ward')), 'not themself')

  const noNote = await s.admin.post(`/staff/${teacher}/change/line-manager`, {
    supervisorId: incoming,
    ...todayParts,
    note: '',
  })
  assert.equal(noNote.statusCode, 400)
  assert.match(textOf(noNote.body, '#note-error'), /Enter a handover note/)
  const future = await s.admin.post(`/staff/${teacher}/change/line-manager`, {
    supervisorId: incoming,
    'effectiveOn-day': '1',
    'effectiveOn-month': '1',
    'effectiveOn-year': String(year + 1),
    note: 'x',
  })
  assert.match(textOf(future.body, '#effectiveOn-error'), /today or in the past/)
  const partial = await s.admin.post(`/staff/${teacher}/change/line-manager`, {
    supervisorId: incoming,
    'effectiveOn-day': '1',
    note: 'x',
  })
  assert.match(textOf(partial.body, '#effectiveOn-error'), /must include a month and year/)
  const stranger = await s.admin.post(`/staff/${teacher}/change/line-manager`, {
    supervisorId: '00000000-0000-4000-8000-000000000000',
    ...todayParts,
    note: 'x',
  })
  assert.match(textOf(stranger.body, '#supervisorId-error'), /Select a line manager from the list/)
  assert.equal((await row(s, teacher)).line_manager_id, outgoing, 'nothing changed yet')

  const ok = await s.admin.post(`/staff/${teacher}/change/line-manager`, {
    supervisorId: incoming,
    ...todayParts,
    note: 'Two observations due this half term; wellbeing check-in agreed.',
  })
  assert.equal(ok.statusCode, 303)
  assert.equal(ok.headers.location, `/staff/${teacher}?saved=line-manager`)
  assert.equal((await row(s, teacher)).line_manager_id, incoming)
  const handover = await s.database.db.selectFrom('handover').selectAll().executeTakeFirstOrThrow()
  assert.equal(handover.from_person_id, outgoing)
  assert.equal(handover.to_person_id, incoming)
  assert.equal(handover.supervisee_id, teacher)
  assert.equal(handover.reason, 'change')
  assert.equal(handover.effective_on, today)
  assert.equal(handover.recorded_by, s.org.personId)

  const page = await s.admin.get(ok.headers.location as string)
  assert.match(textOf(page.body, '.govuk-notification-banner'), /new line manager has been recorded/)
  const history = html(page.body)
    .querySelectorAll('table')[0]!
    .querySelectorAll('tbody tr')
    .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
  assert.equal(history.length, 2)
  assert.match(history[0]!, /^Ifan Rees Line manager .* Now From Olwen Price, recorded .*Two observations due/)
  assert.match(history[1]!, /^Olwen Price Line manager/)
  assert.doesNotMatch(history[1]!, /Now/)
  // The outgoing person's page shows the handover they gave.
  const theirs = await s.admin.get(`/staff/${outgoing}`)
  assert.match(theirs.body, /Handovers/)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'staff.line-manager-changed')
    .executeTakeFirstOrThrow()
  assert.deepEqual(audit.detail, {
    fromPersonId: outgoing,
    toPersonId: incoming,
    handoverId: handover.id,
  })
})

test('a line manager change that would make a loop is refused', async (t) => {
  const s = await staffTestApp(t, { clock })
  const a = await add(s, 'Ann Aldous')
  const b = await add(s, 'Bo Brent', { lineManagerId: a })
  const c = await add(s, 'Cy Croft', { lineManagerId: b })
  const res = await s.admin.post(`/staff/${a}/change/line-manager`, { supervisorId: c, ...todayParts })
  assert.equal(res.statusCode, 400)
  assert.match(
    textOf(res.body, '#supervisorId-error'),
    /loop of line managers: Ann Aldous reports to Cy Croft reports to Bo Brent reports to Ann Aldous/,
  )
  assert.equal((await row(s, a)).line_manager_id, null)
})

test('LH-05, CA-12: a DSL from another school of the trust or an external supervisor can supervise; externals never line-manage', async (t) => {
  const s = await staffTestApp(t, { trust: true, clock })
  await s.admin.post('/admin/schools', { name: 'Larchfield Academy', slug: 'larchfield', region: 'england-and-wales' })
  const larchfield = await s.database.db
    .selectFrom('school')
    .select('id')
    .where('slug', '=', 'larchfield')
    .executeTakeFirstOrThrow()
  const otherDsl = await s.database.db
    .insertInto('person')
    .values({
      organisation_id: s.org.organisationId,
      school_id: larchfield.id,
      name: 'Lowri Dsl',
      email: 'lowri@larchfield.example',
      roles: ['dsl'],
      supervisor_trained_on: '2023-01-10',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await s.database.db
    .insertInto('person')
    .values({
      organisation_id: s.org.organisationId,
      school_id: larchfield.id,
      name: 'Larch Teacher',
      email: 'lt@larchfield.example',
      roles: ['class-teacher'],
    })
    .execute()
  const external = await add(s, 'Priya Raman', {
    roles: ['external-supervisor'],
    employmentType: 'external',
    externalOrganisation: 'Local authority safeguarding team',
  })
  const dsl = await add(s, 'Dafydd Marsh', { roles: ['dsl'] })

  const supervisorForm = await s.admin.get(`/staff/${dsl}/change/supervisor`)
  const options = html(supervisorForm.body)
    .querySelectorAll('#supervisorId option')
    .map((o) => o.textContent)
  assert.ok(
    options.some((o) => o.startsWith('Lowri Dsl') && o.includes('Larchfield Academy')),
    options.join('|'),
  )
  assert.ok(
    options.some((o) => o === 'Priya Raman (external: Local authority safeguarding team)'),
    options.join('|'),
  )
  assert.ok(!options.some((o) => o.startsWith('Larch Teacher')), 'not any teacher of another school')
  const lineForm = await s.admin.get(`/staff/${dsl}/change/line-manager`)
  assert.ok(!lineForm.body.includes('Priya Raman'), 'an external supervisor is not offered as a line manager')
  const refused = await s.admin.post(`/staff/${dsl}/change/line-manager`, { supervisorId: external, ...todayParts })
  assert.match(textOf(refused.body, '#supervisorId-error'), /Select a line manager from the list/)

  const cross = await s.admin.post(`/staff/${dsl}/change/supervisor`, {
    supervisorId: otherDsl.id,
    ...todayParts,
    note: '',
  })
  assert.equal(cross.statusCode, 303, 'no handover note needed when there was no supervisor')
  const page = await s.admin.get(`/staff/${dsl}`)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Supervisor Lowri Dsl \(Larchfield Academy\), since/)
  const toExternal = await s.admin.post(`/staff/${dsl}/change/supervisor`, {
    supervisorId: external,
    ...todayParts,
    note: 'Handing to the LA team.',
  })
  assert.equal(toExternal.statusCode, 303)
  const after = await s.admin.get(`/staff/${dsl}`)
  assert.match(
    textOf(after.body, '.govuk-summary-list'),
    /Supervisor Priya Raman \(external: Local authority safeguarding team\)/,
  )
  const assignments = await s.database.db
    .selectFrom('supervision_assignment')
    .selectAll()
    .where('supervisee_id', '=', dsl)
    .orderBy('created_at')
    .execute()
  assert.deepEqual(
    assignments.map((a) => [a.supervisor_id, a.ends_on === null]),
    [
      [otherDsl.id, false],
      [external, true],
    ],
  )
})

test('LH-08: a supervisor without training, or not supervised themself, is flagged on their page', async (t) => {
  const s = await staffTestApp(t, { clock })
  const supervisor = await add(s, 'Olwen Price', { roles: ['year-head'] })
  const teacher = await add(s, 'Tess Ward')
  assert.equal((await s.admin.get(`/staff/${supervisor}`)).body.includes('govuk-warning-text'), false)
  await s.admin.post(`/staff/${teacher}/change/supervisor`, { supervisorId: supervisor, ...todayParts })
  const page = await s.admin.get(`/staff/${supervisor}`)
  const warnings = html(page.body)
    .querySelectorAll('.govuk-warning-text')
    .map((w) => w.textContent)
  assert.equal(warnings.length, 2)
  assert.match(warnings[0]!, /No supervisor training is recorded/)
  assert.match(warnings[1]!, /No one supervises them/)
  assert.match(page.body, /Tess Ward/)
})

test('LH-07: ending the employment of someone with supervisees requires choosing who takes them on', async (t) => {
  const s = await staffTestApp(t, { clock })
  const leaver = await add(s, 'Olwen Price', { roles: ['dsl'] })
  const deputy = await add(s, 'Ifan Rees', { roles: ['deputy-dsl'] })
  const teacher = await add(s, 'Tess Ward', { lineManagerId: leaver })
  // Olwen supervises her deputy and the teacher.
  await s.admin.post(`/staff/${deputy}/change/supervisor`, { supervisorId: leaver, ...todayParts })
  await s.admin.post(`/staff/${teacher}/change/supervisor`, { supervisorId: leaver, ...todayParts })
  const form = await s.admin.get(`/staff/${leaver}/end`)
  assert.match(form.body, /supervises or line-manages 2 people/)
  const version = html(form.body).querySelector('input[name=version]')!.getAttribute('value')!

  const missing = await s.admin.post(`/staff/${leaver}/end`, {
    version,
    'endDate-day': '31',
    'endDate-month': '8',
    'endDate-year': String(year + 1),
    toPersonId: '',
    note: '',
  })
  assert.equal(missing.statusCode, 400)
  assert.match(textOf(missing.body, '#toPersonId-error'), /Select who takes on/)
  const noNote = await s.admin.post(`/staff/${leaver}/end`, {
    version,
    'endDate-day': '31',
    'endDate-month': '8',
    'endDate-year': String(year + 1),
    toPersonId: deputy,
    note: ' ',
  })
  assert.match(textOf(noNote.body, '#note-error'), /Enter a handover note/)
  const noDate = await s.admin.post(`/staff/${leaver}/end`, { version, toPersonId: deputy, note: 'x' })
  assert.match(textOf(noDate.body, '#endDate-error'), /Enter the end date/)
  assert.equal((await row(s, leaver)).end_date, null, 'nothing changed yet')

  const ok = await s.admin.post(`/staff/${leaver}/end`, {
    version,
    'endDate-day': '31',
    'endDate-month': '8',
    'endDate-year': String(year + 1),
    toPersonId: deputy,
    note: 'Caseload summary shared; next sessions booked for September.',
  })
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 2000))
  assert.equal((await row(s, leaver)).end_date, `${year + 1}-08-31`)
  assert.equal((await row(s, teacher)).line_manager_id, deputy)
  const current = await s.database.db
    .selectFrom('supervision_assignment')
    .selectAll()
    .where('ends_on', 'is', null)
    .execute()
  const bySupervisee = new Map(current.map((a) => [`${a.supervisee_id}:${a.kind}`, a.supervisor_id]))
  assert.equal(bySupervisee.get(`${teacher}:supervisor`), deputy)
  assert.equal(bySupervisee.get(`${teacher}:line-manager`), deputy)
  assert.equal(
    bySupervisee.has(`${deputy}:supervisor`),
    false,
    'the deputy no longer has a supervisor: nobody supervises themself',
  )
  const handover = await s.database.db.selectFrom('handover').selectAll().executeTakeFirstOrThrow()
  assert.equal(handover.reason, 'leaving')
  assert.equal(handover.supervisee_id, null)
  // The deputy's page now flags that nobody supervises them (LH-08).
  const deputyPage = await s.admin.get(`/staff/${deputy}`)
  assert.match(deputyPage.body, /No one supervises them/)
  // A stale form is refused.
  const stale = await s.admin.post(`/staff/${leaver}/end`, {
    version,
    'endDate-day': '1',
    'endDate-month': '9',
    'endDate-year': String(year + 1),
  })
  assert.equal(stale.statusCode, 409)
  assert.match(textOf(stale.body, '.govuk-error-summary'), /Someone else changed this person/)
})

test('LH-07: someone with no supervisees ends their employment with just a date; a handover moves everyone at once', async (t) => {
  const s = await staffTestApp(t, { clock })
  const loner = await add(s, 'Lee Lone', { 'startDate-day': '1', 'startDate-month': '9', 'startDate-year': '2020' })
  const form = await s.admin.get(`/staff/${loner}/end`)
  assert.doesNotMatch(form.body, /toPersonId/)
  const version = html(form.body).querySelector('input[name=version]')!.getAttribute('value')!
  const early = await s.admin.post(`/staff/${loner}/end`, {
    version,
    'endDate-day': '1',
    'endDate-month': '1',
    'endDate-year': '2019',
  })
  assert.match(textOf(early.body, '#endDate-error'), /same as or after the start date/)
  const ok = await s.admin.post(`/staff/${loner}/end`, {
    version,
    'endDate-day': '1',
    'endDate-month': '1',
    'endDate-year': '2021',
  })
  assert.equal(ok.statusCode, 303)
  const page = await s.admin.get(`/staff/${loner}`)
  assert.match(page.body, /Left on 1 January 2021/)
  assert.doesNotMatch(page.body, /Invite to Haven/)

  const from = await add(s, 'Olwen Price', { roles: ['year-head'] })
  const to = await add(s, 'Ifan Rees', { roles: ['year-head'] })
  const a = await add(s, 'Ann Aldous', { lineManagerId: from })
  const b = await add(s, 'Bo Brent', { lineManagerId: from })
  const none = await s.admin.get(`/staff/${to}/handover`)
  assert.match(none.body, /does not supervise or line-manage anyone/)
  const handover = await s.admin.post(`/staff/${from}/handover`, {
    toPersonId: to,
    note: 'New timetable from January.',
  })
  assert.equal(handover.statusCode, 303)
  assert.equal((await row(s, a)).line_manager_id, to)
  assert.equal((await row(s, b)).line_manager_id, to)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'staff.handover')
    .executeTakeFirstOrThrow()
  assert.equal(audit.detail.count, 2)
})

test('issue 13: an impossible date (31 February, 29 February 2027) is refused on the staff forms, with the field named and nothing saved', async (t) => {
  const s = await staffTestApp(t, { clock })
  const leaver = await add(s, 'Olwen Price', { roles: ['dsl'] })
  const incoming = await add(s, 'Ifan Rees', { roles: ['deputy-dsl'] })
  const teacher = await add(s, 'Tess Ward')

  const change = await s.admin.post(`/staff/${teacher}/change/supervisor`, {
    supervisorId: incoming,
    'effectiveOn-day': '31',
    'effectiveOn-month': '2',
    'effectiveOn-year': '2026',
    note: 'x',
  })
  assert.equal(change.statusCode, 400, change.body.slice(0, 500))
  assert.match(textOf(change.body, '#effectiveOn-error'), /The date the change takes effect must be a real date/)
  assert.equal(html(change.body).querySelector('#effectiveOn-day')?.getAttribute('value'), '31', 'shown again as typed')

  const form = await s.admin.get(`/staff/${leaver}/end`)
  const version = html(form.body).querySelector('input[name=version]')!.getAttribute('value')!
  for (const [dd, mm, yyyy] of [
    ['29', '2', '2027'],
    ['31', '4', '2027'],
    ['1', '13', '2027'],
    ['0', '1', '2027'],
  ]) {
    const end = await s.admin.post(`/staff/${leaver}/end`, {
      version,
      'endDate-day': dd!,
      'endDate-month': mm!,
      'endDate-year': yyyy!,
      toPersonId: '',
      note: '',
    })
    assert.equal(end.statusCode, 400, `${dd}/${mm}/${yyyy}: ${end.body.slice(0, 500)}`)
    assert.match(textOf(end.body, '#endDate-error'), /End date must be a real date/)
  }
  assert.equal((await row(s, leaver)).end_date, null, 'nothing saved')
  assert.equal(
    (await s.database.db.selectFrom('handover').selectAll().execute()).length,
    0,
    'no handover recorded for an impossible date',
  )
})
