/**
 * People who are not employees (issue 14): governors, committee chairs, volunteers and external
 * supervisors, added and changed on their own pages, never counted as staff, signing in as anyone
 * does, with an external person's access ending on a date; what they may do is enforced.
 */
import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { reportRecipients } from '../../src/services/staff/others.ts'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import { html, textOf } from '../helpers/html.ts'
import { testPasswordHash } from '../helpers/passwords.ts'
import { type StaffTestApp, signIn, staffTestApp } from '../helpers/staff.ts'
import { addPerson, emailOf } from './planner-fixtures.ts'

interface Setup extends StaffTestApp {
  setNow(iso: string): void
}

async function setup(t: Pick<TestContext, 'after'>, now: string): Promise<Setup> {
  let clock = new Date(now)
  const s = await staffTestApp(t, { alsoDsl: true, clock: () => clock })
  return { ...s, setNow: (iso) => (clock = new Date(iso)) }
}

interface OtherSpec {
  kind: string
  name: string
  organisationName?: string
  capabilities: string[]
  roles?: string[]
  accessEndsOn?: string
}

/** Adds someone who is not staff through the page; returns their id. */
async function addOther(s: Setup, spec: OtherSpec): Promise<string> {
  const [y, m, d] = spec.accessEndsOn?.split('-') ?? ['', '', '']
  const res = await s.admin.post('/staff/others/new', {
    kind: spec.kind,
    name: spec.name,
    email: emailOf(spec.name),
    jobTitle: '',
    organisationName: spec.organisationName ?? '',
    capabilities: spec.capabilities,
    roles: spec.roles ?? [],
    'accessEndsOn-day': d ? String(Number(d)) : '',
    'accessEndsOn-month': m ? String(Number(m)) : '',
    'accessEndsOn-year': y ?? '',
  })
  assert.equal(res.statusCode, 303, textOf(res.body, 'main').slice(0, 500))
  const id = /\/staff\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1]
  assert.ok(id)
  return id
}

function names(body: string): string[] {
  return html(body)
    .querySelectorAll('table tbody tr')
    .map((tr) => tr.querySelector('th, td')?.text.trim() ?? '')
}

async function giveAccount(s: Setup, personId: string) {
  await s.database.db
    .insertInto('account')
    .values({ person_id: personId, password_hash: await testPasswordHash(ADMIN_PASSWORD) })
    .execute()
}

test('CA-12: an external supervisor is added with their organisation, listed apart from the staff, and offered as a supervisor', async (t) => {
  const s = await setup(t, '2026-10-01T10:00:00Z')
  const id = await addOther(s, {
    kind: 'external-supervisor',
    name: 'Erin Ortiz',
    organisationName: 'Local authority safeguarding team',
    capabilities: ['supervise', 'sign'],
    roles: ['external-supervisor'],
    accessEndsOn: '2027-07-31',
  })
  await addPerson(s.database.db, { ...s.org, adminId: s.org.personId }, { name: 'Tom Teal' })

  const staff = names((await s.admin.get('/staff')).body)
  assert.ok(staff.some((n) => n.includes('Tom Teal')))
  assert.ok(!staff.some((n) => n.includes('Erin Ortiz')), 'not on the staff list')
  const others = await s.admin.get('/staff/others')
  assert.equal(others.statusCode, 200)
  assert.ok(names(others.body).some((n) => n.includes('Erin Ortiz')))
  assert.match(textOf(others.body, 'main'), /Local authority safeguarding team/)
  assert.match(textOf(others.body, 'main'), /Until 31 July 2027/)

  const page = textOf((await s.admin.get(`/staff/${id}`)).body, 'main')
  assert.match(page, /External supervisor/)
  assert.match(page, /Supervise others/)
  assert.doesNotMatch(page, /Employment type|Working days|End employment/)
  // Their details are changed on their own form, not the staff form.
  const edit = await s.admin.get(`/staff/${id}/edit`)
  assert.equal(edit.statusCode, 303)
  assert.equal(edit.headers.location, `/staff/${id}/about`)

  const booking = await s.admin.get('/sessions/new')
  assert.match(textOf(booking.body, '#supervisorId'), /Erin Ortiz \(external: Local authority safeguarding team\)/)
  assert.doesNotMatch(textOf(booking.body, 'main'), /Erin Ortiz[^)]*\)\s*$/m)
  const supervisees = html(booking.body)
    .querySelectorAll('input[name="superviseeIds"]')
    .map((i) => i.getAttribute('value'))
  assert.ok(!supervisees.includes(id), 'not offered as a supervisee: they may not be supervised')
})

test('X-04: people who are not employees never count as staff: not in scope, not on the overview', async (t) => {
  const s = await setup(t, '2026-10-01T10:00:00Z')
  const volunteer = await addOther(s, {
    kind: 'volunteer',
    name: 'Vera Vale',
    capabilities: ['be-supervised', 'sign'],
    roles: ['eyfs-practitioner'],
  })
  const scope = textOf((await s.admin.get(`/staff/${volunteer}`)).body, 'main')
  assert.match(scope, /Only staff must receive supervision: this is a volunteer\./)
  const inScope = await s.admin.get('/overview/in-scope')
  assert.equal(inScope.statusCode, 200)
  assert.ok(!names(inScope.body).some((n) => n.includes('Vera Vale')))
  const csv = await s.admin.get('/staff/export.csv')
  assert.doesNotMatch(csv.body, /Vera Vale/)
})

test('AM-05: a chair of governors who may not supervise is not offered as a supervisor; those who receive reports are listed for the school', async (t) => {
  const s = await setup(t, '2026-10-01T10:00:00Z')
  const chair = await addOther(s, {
    kind: 'governor',
    name: 'Gill Moss',
    organisationName: 'Governing board',
    capabilities: ['sign', 'receive-reports'],
    roles: ['chair-of-governors'],
  })
  await addOther(s, { kind: 'volunteer', name: 'Vera Vale', capabilities: ['be-supervised'] })
  const ended = await addOther(s, {
    kind: 'governor',
    name: 'Olly Old',
    capabilities: ['receive-reports'],
    accessEndsOn: '2026-08-31',
  })
  const booking = await s.admin.get('/sessions/new')
  assert.doesNotMatch(textOf(booking.body, '#supervisorId'), /Gill Moss/)
  const change = await s.admin.get(`/staff/${chair}/about`)
  assert.equal(change.statusCode, 200)

  const recipients = await reportRecipients(s.database.db, s.org.schoolId, '2026-10-01')
  assert.deepEqual(
    recipients.map((r) => r.name),
    ['Gill Moss'],
  )
  assert.equal(recipients[0]?.kind, 'governor')
  assert.ok(!recipients.some((r) => r.id === ended), 'access ended: no reports')
})

test('an external person signs in as anyone does until their access ends: then signing in is refused and their session ends', async (t) => {
  const s = await setup(t, '2026-12-30T10:00:00Z')
  const id = await addOther(s, {
    kind: 'external-supervisor',
    name: 'Erin Ortiz',
    organisationName: 'Critical incident team',
    capabilities: ['supervise', 'sign'],
    accessEndsOn: '2026-12-31',
  })
  await giveAccount(s, id)
  const browser = await signIn(s.app, emailOf('Erin Ortiz'))
  assert.equal((await browser.get('/account')).statusCode, 200)

  s.setNow('2027-01-01T09:00:00Z')
  const after = await browser.get('/account')
  assert.equal(after.statusCode, 302, 'the session has ended')
  assert.match(String(after.headers.location), /sign-in/)
  await assert.rejects(signIn(s.app, emailOf('Erin Ortiz')), /failed/)

  // Their access is given back: they may sign in again.
  const form = await s.admin.get(`/staff/${id}/about`)
  const version = /name="version" value="(\d+)"/.exec(form.body)?.[1]
  const res = await s.admin.post(`/staff/${id}/about`, {
    version: version ?? '',
    kind: 'external-supervisor',
    name: 'Erin Ortiz',
    organisationName: 'Critical incident team',
    capabilities: ['supervise', 'sign'],
    'accessEndsOn-day': '31',
    'accessEndsOn-month': '3',
    'accessEndsOn-year': '2027',
  })
  assert.equal(res.statusCode, 303, textOf(res.body, 'main').slice(0, 500))
  assert.ok(await signIn(s.app, emailOf('Erin Ortiz')))
})

test('the form for someone who is not staff names each field it refuses', async (t) => {
  const s = await setup(t, '2026-10-01T10:00:00Z')
  const res = await s.admin.post('/staff/others/new', {
    kind: 'nobody',
    name: '',
    email: 'not an email',
    capabilities: ['fly'],
    'accessEndsOn-day': '31',
    'accessEndsOn-month': '2',
    'accessEndsOn-year': '2027',
  })
  assert.equal(res.statusCode, 400)
  const summary = textOf(res.body, '.govuk-error-summary')
  assert.match(summary, /Select who they are/)
  assert.match(summary, /Enter their full name/)
  assert.match(summary, /Enter an email address in the correct format/)
  assert.match(summary, /Select from the list/)
  assert.match(summary, /date their access ends/i)
})
