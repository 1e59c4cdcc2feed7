/**
 * Supervisors (issue 17 item 6): training records and what booking does without them (LH-08,
 * PL-05), standing teams planned by the planner (CA-05), and the focus of a multi-agency session
 * (CA-01). One app per policy pack for the file.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { saveTeam } from '../../src/db/repositories/supervisor-training.ts'
import { academicYearIdFor } from '../../src/domain/calendar/academic-year.ts'
import { schoolCalendar } from '../../src/services/calendar/store.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { confirmDraft, getDraft, proposeDraft } from '../../src/services/planning/drafts.ts'
import { html, textOf } from '../helpers/html.ts'
import { booking, dateFields, sessionIdFrom, sharedSessionsApps, today, weekdayFromToday } from './sessions-support.ts'

const app = sharedSessionsApps()

test('LH-08: the DSL records supervisor training on the person’s page; it lifts the refusal and brings the supervisor into scope', async () => {
  const s = await app('lode-heath')
  const lead = await s.add('Priya Lal', { roles: ['pastoral-lead'] })
  const teacher = await s.add('Tom Reed', { roles: ['class-teacher'], trained: true })
  const refused = await s.dsl.post('/sessions/new', booking({ supervisorId: lead, superviseeIds: [teacher] }))
  assert.equal(refused.statusCode, 400)
  assert.match(textOf(refused.body, '#supervisorId-error'), /no supervisor training is recorded/)

  const form = await s.dsl.get(`/staff/${lead}/training/new`)
  assert.equal(form.statusCode, 200)
  const blank = await s.dsl.post(`/staff/${lead}/training/new`, {
    course: '',
    kind: '',
    ...dateFields('completedOn', ''),
  })
  assert.equal(blank.statusCode, 400)
  assert.match(textOf(blank.body, '.govuk-error-summary'), /Enter the name of the course/)
  assert.match(textOf(blank.body, '.govuk-error-summary'), /Select whether it was a first course or a refresher/)
  const future = await s.dsl.post(`/staff/${lead}/training/new`, {
    course: 'Reflective supervision',
    kind: 'initial',
    ...dateFields('completedOn', weekdayFromToday(10)),
  })
  assert.equal(future.statusCode, 400)
  assert.match(textOf(future.body, '#completedOn-error'), /today or in the past/)
  const saved = await s.dsl.post(`/staff/${lead}/training/new`, {
    course: 'Reflective supervision',
    kind: 'initial',
    ...dateFields('completedOn', '2025-03-14'),
    evidence: 'Certificate in the staff file',
  })
  assert.equal(saved.statusCode, 303)
  const page = await s.dsl.get(`/staff/${lead}`)
  assert.match(textOf(page.body, 'table'), /Reflective supervision/)
  assert.match(page.body, /14 March 2025/)
  // A teacher may not reach the form.
  const other = await s.as('Tom Reed')
  assert.notEqual((await other.get(`/staff/${lead}/training/new`)).statusCode, 200)

  const ok = await s.dsl.post('/sessions/new', booking({ supervisorId: lead, superviseeIds: [teacher] }))
  sessionIdFrom(ok)
  // LH-08: supervisors' own supervision is tracked like anyone's: the supervisor and the DSL who
  // supervises are both in scope, each with their own status.
  const compliance = await schoolCompliance(s.database.db, s.org.schoolId, today)
  for (const id of [lead, s.dslId]) {
    const entry = compliance.find((p) => p.personId === id)
    assert.equal(entry?.required, true, entry?.reason)
    assert.notEqual(entry?.status, 'not-required')
  }
})

test('PL-05: where the policy says to warn, booking an untrained supervisor asks to confirm, then books', async () => {
  const s = await app('the-place')
  const manager = await s.add('Mina Manager', { roles: ['class-teacher'] })
  const staff = await s.add('Sam Staff', { roles: ['class-teacher'], lineManagerId: manager })
  const first = await s.dsl.post('/sessions/new', booking({ supervisorId: manager, superviseeIds: [staff] }))
  assert.equal(first.statusCode, 200, first.body.slice(0, 500))
  assert.match(first.body, /Mina Manager has no supervisor training recorded by/)
  const confirmed = await s.dsl.post(
    '/sessions/new',
    booking({ supervisorId: manager, superviseeIds: [staff], confirmed: 'yes' }),
  )
  sessionIdFrom(confirmed)
})

test('CA-01: a multi-agency session must say whether it is theme-, case- or staff-centred, and its page shows it', async () => {
  const s = await app('cornerstone')
  const a = await s.add('Ada Agency', { roles: ['class-teacher'] })
  const missing = await s.dsl.post(
    '/sessions/new',
    booking({ typeId: 'multi-agency', supervisorId: s.dslId, superviseeIds: [a] }),
  )
  assert.equal(missing.statusCode, 400)
  assert.match(
    textOf(missing.body, '#focusId-error'),
    /Select whether the multi-agency supervision is theme-centred, case-centred or staff-centred/,
  )
  const ok = await s.dsl.post(
    '/sessions/new',
    booking({ typeId: 'multi-agency', focusId: 'case-centred', supervisorId: s.dslId, superviseeIds: [a] }),
  )
  const id = sessionIdFrom(ok)
  const page = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Focus\s*Case-centred/)
  // Another type ignores a focus sent with it.
  const row = await s.database.db
    .selectFrom('supervision_session')
    .select('focus_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(row.focus_id, 'case-centred')
})

test('CA-05: the planner plans a standing team’s group sessions, one session for the whole team when confirmed', async () => {
  const s = await app('ashbury-meadow')
  const deputies = [
    await s.add('Dee One', { roles: ['deputy-dsl'], lineManagerId: s.dslId }),
    await s.add('Dee Two', { roles: ['deputy-dsl'], lineManagerId: s.dslId }),
  ]
  const db = s.database.db
  await db.transaction().execute((trx) =>
    saveTeam(
      trx,
      s.org,
      null,
      {
        name: 'Deputies',
        leaderId: s.dslId,
        memberIds: deputies,
        sessionTypeId: 'group',
        standingGroupId: null,
        everyWeeks: 6,
      },
      null,
    ),
  )
  const yearId = academicYearIdFor(today)
  await proposeDraft(db, { schoolId: s.org.schoolId, yearId, today, actorId: s.dslId })
  const calendar = await schoolCalendar(db, s.org.schoolId, today)
  const draft = await getDraft(db, s.org.schoolId, yearId, calendar)
  assert.ok(draft)
  const group = draft.rows.filter((r) => r.typeId === 'group')
  assert.ok(group.length >= 2, `only ${group.length} group lines`)
  assert.ok(group.every((r) => r.supervisorId === s.dslId && deputies.includes(r.superviseeId)))
  assert.ok(
    !draft.unplaceable.some((u) => deputies.includes(u.personId) && /counts only group sessions/.test(u.reason)),
  )
  const confirmed = await confirmDraft(db, {
    schoolId: s.org.schoolId,
    organisationId: s.org.organisationId,
    yearId,
    expectedVersion: draft.version,
    actorId: s.dslId,
    baseUrl: 'http://localhost',
  })
  assert.ok(confirmed.ok)
  const first = group[0]!
  const sessions = await db
    .selectFrom('supervision_session as ss')
    .innerJoin('session_participant as sp', 'sp.session_id', 'ss.id')
    .select(['ss.id', 'sp.person_id', 'sp.role'])
    .where('ss.school_id', '=', s.org.schoolId)
    .where('ss.type_id', '=', 'group')
    .where('ss.date', '=', first.date)
    .execute()
  assert.equal(new Set(sessions.map((r) => r.id)).size, 1)
  assert.deepEqual(
    sessions
      .filter((r) => r.role === 'supervisee')
      .map((r) => r.person_id)
      .sort(),
    [...deputies].sort(),
  )
  void html
})
