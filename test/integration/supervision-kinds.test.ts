/**
 * Supervisors per kind of supervision (issue 14), end to end: the staff page that assigns a
 * supervisor for each kind checks the choice against the policy's rule for that kind; booking
 * refuses and accepts the same people; the annual planner plans each kind with its own supervisor
 * and keeps an assigned external supervisor booking accepts (LH-05, PL-03, CA-12). The policy is an
 * invented one (safeguarding supervision with a safeguarding lead, management supervision with the
 * line manager) as well as a pack.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { planYear } from '../../src/domain/planning/index.ts'
import { riversidePolicy } from '../../src/domain/policy/kinds-builders.ts'
import { loadPlanInput } from '../../src/services/planning/inputs.ts'
import { html, textOf } from '../helpers/html.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { ADMIN_EMAIL } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, nextAcademicYear, orgOnPack } from './planner-fixtures.ts'
import { booking, type SessionsApp, sessionIdFrom, sessionsApp, today } from './sessions-support.ts'

const year = nextAcademicYear()

async function onRiverside(s: SessionsApp): Promise<void> {
  const policy = { ...riversidePolicy(), effectiveFrom: '2020-09-01' }
  await sql`update policy_version set document = ${JSON.stringify(policy)}::jsonb`.execute(s.database.db)
}

async function planned(s: SessionsApp, personId: string) {
  const loaded = await loadPlanInput(s.database.db, s.org.schoolId, year.id, today)
  return planYear(loaded.input).proposals.filter((p) => p.superviseeId === personId)
}

test('LH-05: a supervisor for each kind of supervision, checked by its rule, used by booking and the planner alike', async (t) => {
  const s = await sessionsApp(t, 'meanwood')
  await onRiverside(s)
  const manager = await s.add('Lena Manager', { trained: true })
  const teacher = await s.add('Tom Teacher', { lineManagerId: manager })
  const path = `/staff/${teacher}/supervision-kinds`

  const personPage = await s.dsl.get(`/staff/${teacher}`)
  assert.ok(html(personPage.body).querySelector(`a[href="${path}"]`), 'linked from their page')
  const page = await s.dsl.get(path)
  assert.equal(page.statusCode, 200)
  assert.equal(textOf(page.body, 'h1'), 'Their supervisor for each kind of supervision')
  assert.equal(textOf(page.body, 'label[for=kind-safeguarding]'), 'Safeguarding supervision')
  assert.equal(textOf(page.body, 'label[for=kind-management]'), 'Management supervision')
  assert.equal(
    html(page.body).querySelector('#kind-peer'),
    null,
    'a kind that does not count has no supervisor of its own',
  )
  assert.match(
    textOf(page.body, '#kind-safeguarding-hint'),
    /In safeguarding supervision, all staff may be supervised by/,
  )
  const version = html(page.body).querySelector('input[name=version]')?.getAttribute('value') ?? ''

  // The line manager is not a safeguarding supervisor under the rule for that kind.
  const refused = await s.dsl.post(path, { version, 'kind-safeguarding': manager, 'kind-management': '' })
  assert.equal(refused.statusCode, 400)
  assert.match(
    textOf(refused.body, '#kind-safeguarding-error'),
    /Lena Manager cannot supervise Tom Teacher under the policy\. In safeguarding supervision, .*a local authority team\. Lena Manager is none of these\. Select someone else as supervisor for safeguarding supervision/,
  )
  assert.match(textOf(refused.body, '.govuk-error-summary'), /In safeguarding supervision, all staff may be supervised/)
  assert.doesNotMatch(textOf(refused.body, 'main'), /rf-safeguarding/, 'the rule in words, never its id')
  const stranger = await s.dsl.post(path, { version, 'kind-safeguarding': '00000000-0000-4000-8000-000000000000' })
  assert.match(
    textOf(stranger.body, '#kind-safeguarding-error'),
    /Select a supervisor for safeguarding supervision from the list/,
  )

  const saved = await s.dsl.post(path, { version, 'kind-safeguarding': s.dslId, 'kind-management': '' })
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000))
  const after = await s.dsl.get(saved.headers.location as string)
  assert.match(textOf(after.body, '.govuk-notification-banner'), /Tom Teacher’s supervisors have been saved/)
  assert.match(textOf(after.body, '#kind-safeguarding-hint'), /^Now Dana Shah, since /)
  const stale = await s.dsl.post(path, { version, 'kind-safeguarding': '', 'kind-management': '' })
  assert.equal(stale.statusCode, 409, 'a form older than the last change is refused')
  const rows = await s.database.db
    .selectFrom('supervision_kind_assignment')
    .selectAll()
    .where('supervisee_id', '=', teacher)
    .execute()
  assert.deepEqual(
    rows.map((r) => [r.session_type_id, r.supervisor_id, r.ends_on]),
    [['safeguarding', s.dslId, null]],
  )

  // AM-04: the booking form says who stays accountable when someone other than the line manager supervises.
  const form = await s.dsl.get('/sessions/new')
  assert.match(
    textOf(form.body, '#supervisorId-hint'),
    /The line manager stays accountable for the work when someone else supervises\.$/,
  )

  // Booking: the line manager leads management supervision, not safeguarding supervision.
  const wrongKind = await s.dsl.post(
    '/sessions/new',
    booking({ typeId: 'safeguarding', supervisorId: manager, superviseeIds: [teacher] }),
  )
  assert.equal(wrongKind.statusCode, 400)
  assert.match(
    textOf(wrongKind.body, '#supervisorId-error'),
    /In safeguarding supervision, all staff may be supervised/,
  )
  sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ typeId: 'management', supervisorId: manager, superviseeIds: [teacher] }),
    ),
  )
  sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ typeId: 'safeguarding', supervisorId: s.dslId, superviseeIds: [teacher], startTime: '14:00' }),
    ),
  )

  // The planner: safeguarding with the DSL assigned for it, management with the line manager.
  const mine = await planned(s, teacher)
  const safeguarding = mine.filter((p) => p.typeId === 'safeguarding')
  const management = mine.filter((p) => p.typeId === 'management')
  assert.equal(safeguarding.length, 6, 'one each half term')
  assert.equal(management.length, 3, 'one each term')
  assert.ok(safeguarding.every((p) => p.supervisorId === s.dslId))
  assert.ok(management.every((p) => p.supervisorId === manager))
})

test('CA-12: the planner keeps an assigned external supervisor that booking accepts', async (t) => {
  const s = await sessionsApp(t, 'lode-heath')
  const head = await s.add('Hana Head', { roles: ['headteacher'], trained: true })
  const external = await s.add('Pat Professional', { roles: [], external: true })
  const specialist = await s.add('Sam Speech', {
    roles: ['specialist-support-worker'],
    lineManagerId: head,
    supervisorId: external,
  })
  sessionIdFrom(await s.dsl.post('/sessions/new', booking({ supervisorId: external, superviseeIds: [specialist] })))
  const mine = await planned(s, specialist)
  assert.ok(mine.length >= 3, `at least once a term (${mine.length})`)
  assert.ok(
    mine.every((p) => p.supervisorId === external),
    'the external supervisor, not the line manager',
  )
})

test('CA-02: the planner page says who lacks the dates the policy plans at the start of the year, and a rolling policy says nothing', async (t) => {
  const { app, database } = await buildTestApp(t)
  const db = database.db
  const org = await orgOnPack(db, 'cornerstone', year.currentStart)
  const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'] })
  await addPerson(db, org, { name: 'Ava Pastoral', lineManagerId: lead, pastoral: true })
  await addPerson(db, org, { name: 'Eve Teacher', lineManagerId: lead })
  const browser = await signedInClientByEmail(app, db, ADMIN_EMAIL)
  const page = await browser.get(`/planner?year=${year.id}`)
  assert.equal(page.statusCode, 200)
  assert.match(
    textOf(page.body, '#start-of-year'),
    new RegExp(`planned at the start of the academic year: 1 person does not have all their dates for ${year.id} yet`),
  )
  assert.match(textOf(page.body, '#start-of-year li'), /^Ava Pastoral: /)
  assert.doesNotMatch(page.body, /Eve Teacher:/, 'not in scope')

  await sql`update policy_version set document = jsonb_set(document, '{requirements,0,planning}', '"rolling"')`.execute(
    db,
  )
  const rolling = await browser.get(`/planner?year=${year.id}`)
  assert.equal(
    html(rolling.body).querySelector('#start-of-year'),
    null,
    'rolling: each session is booked after the last',
  )
})

test('LH-07: a handover moves whom the outgoing person supervises in each kind of supervision, and the person page lists each kind’s supervisor', async (t) => {
  const s = await sessionsApp(t, 'meanwood')
  await onRiverside(s)
  const outgoing = await s.add('Olga Out', { roles: ['dsl'], trained: true })
  const incoming = await s.add('Ivan In', { roles: ['dsl'], trained: true })
  const teacher = await s.add('Tom Teacher', { lineManagerId: s.dslId })
  await s.database.db
    .insertInto('supervision_kind_assignment')
    .values({
      organisation_id: s.org.organisationId,
      supervisee_id: teacher,
      supervisor_id: outgoing,
      session_type_id: 'safeguarding',
      starts_on: '2020-09-01',
    })
    .execute()
  const before = textOf((await s.dsl.get(`/staff/${teacher}`)).body, 'main')
  assert.match(before, /Safeguarding supervision: Olga Out, since 1 September 2020/)

  const handover = await s.dsl.post(`/staff/${outgoing}/handover`, { toPersonId: incoming, note: 'Olga moves school' })
  assert.equal(handover.statusCode, 303, textOf(handover.body, 'main').slice(0, 500))
  const rows = await s.database.db
    .selectFrom('supervision_kind_assignment')
    .select(['supervisor_id', 'ends_on', 'starts_on'])
    .where('supervisee_id', '=', teacher)
    .orderBy('created_at')
    .execute()
  assert.deepEqual(
    rows.map((r) => [r.supervisor_id, r.ends_on]),
    [
      [outgoing, today],
      [incoming, null],
    ],
  )
  const after = textOf((await s.dsl.get(`/staff/${teacher}`)).body, 'main')
  assert.match(after, /Safeguarding supervision: Ivan In, since/)
})
