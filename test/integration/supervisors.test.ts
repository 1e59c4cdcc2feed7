/**
 * Supervisors (issue 17 item 6): training records and what booking does without them (LH-08,
 * PL-05), standing teams planned by the planner (CA-05), and the focus of a multi-agency session
 * (CA-01). One app per policy pack for the file.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { saveTeam, teamsOf } from '../../src/db/repositories/supervisor-training.ts'
import { academicYearIdFor } from '../../src/domain/calendar/academic-year.ts'
import { addDays } from '../../src/domain/calendar/index.ts'
import { schoolCalendar } from '../../src/services/calendar/store.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { confirmDraft, getDraft, proposeDraft } from '../../src/services/planning/drafts.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  booking,
  dateFields,
  insertPlannedSession,
  sessionIdFrom,
  sharedSessionsApps,
  today,
  weekdayFromToday,
} from './sessions-support.ts'

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

test('CA-01: the governors’ report counts multi-agency sessions held by focus, sessions only, small numbers hidden', async () => {
  const s = await app('cornerstone')
  const db = s.database.db
  const people = [
    await s.add('Fay Focus', { roles: ['class-teacher'] }),
    await s.add('Gus Focus', { roles: ['class-teacher'] }),
  ]
  // A year that has ended, so the figures do not depend on where today falls in the term.
  const yearId = academicYearIdFor(addDays(today, -365))
  const held = `${yearId.slice(0, 4)}-11-12`
  const focuses = [...Array(6).fill('case-centred'), ...Array(5).fill('staff-centred'), 'theme-centred']
  for (const [i, focus] of focuses.entries()) {
    const id = await insertPlannedSession(s, {
      typeId: 'multi-agency',
      date: held,
      supervisorId: s.dslId,
      superviseeIds: [people[i % 2]!],
    })
    await db.updateTable('supervision_session').set({ status: 'held', focus_id: focus }).where('id', '=', id).execute()
  }
  // Another type's sessions, and a multi-agency one not held, are not counted.
  const other = await insertPlannedSession(s, {
    typeId: 'one-to-one',
    date: held,
    supervisorId: s.dslId,
    superviseeIds: [people[0]!],
  })
  await db.updateTable('supervision_session').set({ status: 'held' }).where('id', '=', other).execute()
  await insertPlannedSession(s, {
    typeId: 'multi-agency',
    date: held,
    supervisorId: s.dslId,
    superviseeIds: [people[1]!],
  })

  const res = await s.dsl.get(`/governors/report?period=${yearId}`)
  assert.equal(res.statusCode, 200)
  const table = html(res.body).querySelector('#focus-1 + p + table')
  assert.ok(table, 'a table of multi-agency sessions by focus')
  assert.match(textOf(res.body, '#focus-1'), /Multi-agency supervision by focus/)
  const rows = table.querySelectorAll('tbody tr').map((tr) => tr.text.replace(/\s+/g, ' ').trim())
  // One theme-centred session is hidden, and so is the smallest other (5), so it cannot be worked out.
  assert.deepEqual(rows, ['Theme-centred Hidden', 'Case-centred 6', 'Staff-centred Hidden', 'All sessions 12'])
  for (const name of ['Fay Focus', 'Gus Focus']) assert.ok(!res.body.includes(name), `${name} is not named`)
  const csv = await s.dsl.get(`/governors/report.csv?period=${yearId}`)
  assert.match(csv.body, /Multi-agency supervision by focus,Case-centred,Sessions,6/)
  assert.match(csv.body, /Multi-agency supervision by focus,Theme-centred,Sessions,\[c\]/)
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

test('CA-05: the DSL adds, changes and ends a standing team on its pages; the leader is checked against the policy', async () => {
  const s = await app('ashbury-meadow')
  const db = s.database.db
  const one = await s.add('Tess Three', { roles: ['deputy-dsl'], lineManagerId: s.dslId })
  const two = await s.add('Tia Four', { roles: ['deputy-dsl'], lineManagerId: s.dslId })
  const teacher = await s.add('Ted Teacher', { roles: ['class-teacher'] })

  const list = await s.dsl.get('/planner/teams')
  assert.equal(list.statusCode, 200)
  assert.match(textOf(list.body, 'h1'), /Standing teams/)
  assert.equal((await s.dsl.get('/planner/teams/new')).statusCode, 200)

  const blank = await s.dsl.post('/planner/teams/new', {
    name: '',
    leaderId: '',
    sessionTypeId: 'group',
    everyWeeks: '99',
  })
  assert.equal(blank.statusCode, 400)
  const summary = textOf(blank.body, '.govuk-error-summary')
  assert.match(summary, /Enter the name of the team/)
  assert.match(summary, /How often the team meets must be a whole number of weeks from 1 to 52/)
  const unchosen = await s.dsl.post('/planner/teams/new', {
    name: 'Safeguarding team',
    leaderId: '',
    sessionTypeId: 'group',
  })
  assert.equal(unchosen.statusCode, 400)
  assert.match(textOf(unchosen.body, '#leaderId-error'), /Select who leads the team/)
  assert.match(textOf(unchosen.body, '#memberIds-error'), /Select the members of the team/)

  // The leader is checked against the policy: a teacher may not supervise the deputies.
  const team = { name: 'Safeguarding team', sessionTypeId: 'group', everyWeeks: '4', memberIds: [one, two] }
  const refused = await s.dsl.post('/planner/teams/new', { ...team, leaderId: teacher })
  assert.equal(refused.statusCode, 400)
  assert.match(textOf(refused.body, '#leaderId-error'), /Ted Teacher cannot supervise/)
  assert.match(refused.body, /value="Safeguarding team"/)

  const added = await s.dsl.post('/planner/teams/new', { ...team, leaderId: s.dslId })
  assert.equal(added.statusCode, 303, added.body.slice(0, 800))
  const teamId = /saved=([0-9a-f-]{36})/.exec(added.headers.location as string)?.[1] ?? ''
  const listed = await s.dsl.get(added.headers.location as string)
  assert.match(textOf(listed.body, '.govuk-notification-banner'), /Safeguarding team has been saved/)
  assert.match(textOf(listed.body, 'table'), /Safeguarding team.*Dana Shah.*Tess Three, Tia Four.*Every 4 weeks/s)
  const taken = await s.dsl.post('/planner/teams/new', { ...team, name: 'safeguarding TEAM', leaderId: s.dslId })
  assert.equal(taken.statusCode, 400)
  assert.match(textOf(taken.body, '#name-error'), /already exists/)

  // Changing it at the version read; a second change from the same version is refused (409).
  const edit = await s.dsl.get(`/planner/teams/${teamId}`)
  assert.equal(edit.statusCode, 200)
  assert.match(edit.body, /name="version" value="1"/)
  const changed = await s.dsl.post(`/planner/teams/${teamId}`, {
    ...team,
    memberIds: [one],
    leaderId: s.dslId,
    version: '1',
  })
  assert.equal(changed.statusCode, 303)
  const stale = await s.dsl.post(`/planner/teams/${teamId}`, { ...team, leaderId: s.dslId, version: '1' })
  assert.equal(stale.statusCode, 409)
  assert.match(textOf(stale.body, '.govuk-error-summary'), /Someone else changed this team while you were editing/)
  assert.match(stale.body, /name="version" value="2"/)
  const members = await db
    .selectFrom('supervision_team_member')
    .select('person_id')
    .where('team_id', '=', teamId)
    .execute()
  assert.deepEqual(
    members.map((m) => m.person_id),
    [one],
  )

  // Ending it: at the version read; the planner no longer reads it, and its name is free again.
  assert.equal((await s.dsl.post(`/planner/teams/${teamId}/end`, { version: '1' })).statusCode, 409)
  const ended = await s.dsl.post(`/planner/teams/${teamId}/end`, { version: '2' })
  assert.equal(ended.statusCode, 303)
  const after = await s.dsl.get(ended.headers.location as string)
  assert.match(textOf(after.body, '.govuk-notification-banner'), /Safeguarding team has been ended/)
  assert.match(textOf(after.body, 'body'), /Teams that have ended/)
  assert.ok(!(await teamsOf(db, s.org.schoolId)).some((t) => t.id === teamId))
  const endedPage = await s.dsl.get(`/planner/teams/${teamId}`)
  assert.equal(endedPage.statusCode, 200)
  assert.match(textOf(endedPage.body, 'main'), /Safeguarding team ended on/)
  assert.doesNotMatch(endedPage.body, /Save the team/)
  assert.equal(
    (await s.dsl.post(`/planner/teams/${teamId}`, { ...team, leaderId: s.dslId, version: '3' })).statusCode,
    404,
  )
  assert.equal((await s.dsl.post('/planner/teams/new', { ...team, leaderId: s.dslId })).statusCode, 303)

  const audit = await db
    .selectFrom('audit_event')
    .select(['action'])
    .where('subject_id', '=', teamId)
    .orderBy('id')
    .execute()
  assert.deepEqual(
    audit.map((a) => a.action),
    ['team.added', 'team.changed', 'team.ended'],
  )
  // Someone who does not plan sessions may not reach the pages.
  const other = await s.as('Ted Teacher')
  assert.equal((await other.get('/planner/teams')).statusCode, 403)
  assert.equal((await other.post('/planner/teams/new', { ...team, leaderId: s.dslId })).statusCode, 403)
})
