/**
 * Issue 17, item 1: further support (LH-04, LH-03). A line manager or supervisor starts a stress
 * risk assessment (review date, actions) and records referrals to Occupational Health; only the
 * person, whoever recorded it and the DSL read them; while an assessment is open the policy's
 * stricter frequency applies, and it ends when the assessment closes; management sees counts only.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPack } from '../../src/packs/index.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { savePolicyVersion } from '../../src/services/policy/store.ts'
import { html, textOf } from '../helpers/html.ts'
import { personSignedIn, type StaffTestApp, staffTestApp } from '../helpers/staff.ts'

let now = new Date('2025-11-10T10:00:00Z')
const clock = () => now

async function lodeHeath(s: StaffTestApp) {
  await s.database.db.deleteFrom('policy_version').where('school_id', '=', s.org.schoolId).execute()
  const saved = await savePolicyVersion(s.database.db, {
    schoolId: s.org.schoolId,
    organisationId: s.org.organisationId,
    document: { ...loadPack('lode-heath'), effectiveFrom: '2025-09-01' },
    actorId: s.org.personId,
    today: '2025-11-10',
  })
  assert.ok(saved.ok, JSON.stringify(saved))
}

/** A pastoral lead (in scope at Lode Heath) with a line manager, a supervisor, a DSL and a colleague, all signed in. */
async function school(t: Parameters<typeof staffTestApp>[0]) {
  now = new Date('2025-11-10T10:00:00Z')
  const s = await staffTestApp(t, { clock })
  await lodeHeath(s)
  const subject = await personSignedIn(s, {
    name: 'Priya Shah',
    email: 'priya.shah@oakfield.example',
    roles: ['pastoral-lead'],
  })
  const manager = await personSignedIn(s, {
    name: 'Tom Reid',
    email: 'tom.reid@oakfield.example',
    roles: ['year-head'],
  })
  const supervisor = await personSignedIn(s, {
    name: 'Sara Bell',
    email: 'sara.bell@oakfield.example',
    roles: ['deputy-dsl'],
  })
  const dsl = await personSignedIn(s, { name: 'Dana Lowe', email: 'dana.lowe@oakfield.example', roles: ['dsl'] })
  const head = await personSignedIn(s, {
    name: 'Hal Grant',
    email: 'hal.grant@oakfield.example',
    roles: ['headteacher'],
  })
  const colleague = await personSignedIn(s, {
    name: 'Cal Moss',
    email: 'cal.moss@oakfield.example',
    roles: ['class-teacher'],
  })
  const db = s.database.db
  await db
    .updateTable('person')
    .set({ line_manager_id: manager.id, start_date: '2020-09-01' })
    .where('id', '=', subject.id)
    .execute()
  await db
    .insertInto('supervision_assignment')
    .values({
      organisation_id: s.org.organisationId,
      supervisee_id: subject.id,
      supervisor_id: supervisor.id,
      kind: 'supervisor',
      starts_on: '2025-09-01',
    })
    .execute()
  return { s, db, subject, manager, supervisor, dsl, head, colleague }
}

const reviewOn = (day: string, month: string, year: string) => ({
  'reviewOn-day': day,
  'reviewOn-month': month,
  'reviewOn-year': year,
})

function tableRows(body: string, caption: RegExp) {
  return html(body)
    .querySelectorAll('table')
    .find((table) => caption.test(table.querySelector('caption')?.text ?? ''))
    ?.querySelectorAll('tbody tr')
    .map((tr) => tr.querySelectorAll('td').map((td) => td.text.replace(/\s+/g, ' ').trim()))
}

test('LH-04: a line manager starts a stress risk assessment with a review date and actions; only the person, the assessor and the DSL read it', async (t) => {
  const { db, subject, manager, supervisor, dsl, head, colleague } = await school(t)
  const page = `/further-support/${subject.id}`

  // The form names the fields in the Design System's words.
  const blank = await manager.browser.post(`${page}/assessments/new`, { ...reviewOn('', '', ''), actions: ' ' })
  assert.equal(blank.statusCode, 400)
  assert.equal(textOf(blank.body, '#reviewOn-error'), 'Error: Enter the review date')
  assert.equal(textOf(blank.body, '#actions-error'), 'Error: Enter the actions agreed')
  const past = await manager.browser.post(`${page}/assessments/new`, { ...reviewOn('1', '11', '2025'), actions: 'x' })
  assert.equal(past.statusCode, 400)
  assert.equal(textOf(past.body, '#reviewOn-error'), 'Error: Review date must be today or in the future')

  // Nobody else may start one: not the person, not a colleague, not the headteacher.
  for (const who of [subject, colleague, head]) {
    const res = await who.browser.get(`${page}/assessments/new`)
    assert.equal(res.statusCode, 404, 'no form for someone who may not start one')
  }

  const started = await manager.browser.post(`${page}/assessments/new`, {
    ...reviewOn('8', '12', '2025'),
    actions: 'Reduce duty load to one break a week\nWeekly check-in on Fridays',
  })
  assert.equal(started.statusCode, 303)
  assert.equal(started.headers.location, `${page}?saved=assessment`)
  const [row] = await db.selectFrom('stress_risk_assessment').selectAll().execute()
  assert.equal(row?.assessor_id, manager.id)
  assert.equal(row?.started_on, '2025-11-10')
  assert.equal(row?.review_on, '2025-12-08')

  // The person, the assessor and the DSL read it.
  const assessmentPage = `${page}/assessments/${row!.id}`
  for (const who of [subject, manager, dsl]) {
    const res = await who.browser.get(assessmentPage)
    assert.equal(res.statusCode, 200)
    assert.match(textOf(res.body, 'main'), /Weekly check-in on Fridays/)
  }
  const own = await subject.browser.get(page)
  assert.equal(textOf(own.body, 'h1'), 'Your further support')
  assert.deepEqual(tableRows(own.body, /Stress risk assessments/)?.[0]?.slice(0, 4), [
    '10 November 2025',
    'Tom Reid',
    '8 December 2025',
    'Open',
  ])

  // The supervisor (who did not start it), a colleague and the headteacher do not: not even its existence.
  for (const who of [supervisor, colleague, head]) {
    const res = await who.browser.get(assessmentPage)
    assert.equal(res.statusCode, 404)
    assert.doesNotMatch(res.body, /Weekly check-in/)
  }
  const supervisorList = await supervisor.browser.get(page)
  assert.equal(supervisorList.statusCode, 200, 'the supervisor may start one, so has the page')
  assert.doesNotMatch(supervisorList.body, /Tom Reid|8 December 2025/)
  assert.equal((await colleague.browser.get(page)).statusCode, 404)
  assert.equal((await head.browser.get(page)).statusCode, 404)

  // Reading the content is audited, with ids only.
  const reads = await db
    .selectFrom('audit_event')
    .select(['actor_id', 'detail'])
    .where('action', '=', 'further-support.read')
    .execute()
  assert.ok(reads.some((r) => r.actor_id === dsl.id))
  assert.doesNotMatch(JSON.stringify(reads), /check-in/)

  // Only the assessor or the DSL may close it; the person may not.
  const byPerson = await subject.browser.post(
    `${assessmentPage}/close`,
    { note: '', version: '1' },
    { formPage: assessmentPage },
  )
  assert.equal(byPerson.statusCode, 404)
  const stale = await manager.browser.post(
    `${assessmentPage}/close`,
    { note: '', version: '7' },
    { formPage: assessmentPage },
  )
  assert.equal(stale.statusCode, 409)
  assert.match(textOf(stale.body, '#note-error'), /Someone else changed this assessment/)
  const closed = await manager.browser.post(
    `${assessmentPage}/close`,
    { note: 'Reviewed: pressures eased', version: '1' },
    { formPage: assessmentPage },
  )
  assert.equal(closed.statusCode, 303)
  const after = await subject.browser.get(assessmentPage)
  assert.match(textOf(after.body, 'main'), /Closed on 10 November 2025 by Tom Reid/)
  assert.equal(html(after.body).querySelector('form[action$="/close"]'), null)
})

test('LH-03, LH-04: while an assessment is open the policy’s stricter frequency applies; it ends when the assessment closes', async (t) => {
  const { s, db, subject, manager } = await school(t)
  const page = `/further-support/${subject.id}`
  const requirementOf = async (today: string) => {
    const all = await schoolCompliance(db, s.org.schoolId, today)
    return all.find((p) => p.personId === subject.id)!.requirements[0]!
  }
  assert.notEqual((await requirementOf('2025-11-10')).dueSource, 'stricter-rule')

  const started = await manager.browser.post(`${page}/assessments/new`, {
    ...reviewOn('8', '12', '2025'),
    actions: 'Reduce duty load',
  })
  assert.equal(started.statusCode, 303)
  const flag = await db
    .selectFrom('person')
    .select(['additional_support', 'flag_dates'])
    .where('id', '=', subject.id)
    .executeTakeFirstOrThrow()
  assert.equal(flag.additional_support, true)
  assert.deepEqual(flag.flag_dates['additional-support'], { since: '2025-11-10', until: null })
  assert.equal((await requirementOf('2025-11-10')).dueSource, 'stricter-rule')
  assert.equal((await requirementOf('2026-01-20')).dueSource, 'stricter-rule', 'still open after its review date')

  // Closed on 2 February 2026: the stricter rule holds that day and stops the next.
  now = new Date('2026-02-02T10:00:00Z')
  const [row] = await db.selectFrom('stress_risk_assessment').select('id').execute()
  const assessmentPage = `${page}/assessments/${row!.id}`
  const closed = await manager.browser.post(
    `${assessmentPage}/close`,
    { note: '', version: '1' },
    { formPage: assessmentPage },
  )
  assert.equal(closed.statusCode, 303)
  const ended = await db
    .selectFrom('person')
    .select(['flag_dates'])
    .where('id', '=', subject.id)
    .executeTakeFirstOrThrow()
  assert.deepEqual(ended.flag_dates['additional-support'], { since: '2025-11-10', until: '2026-02-02' })
  assert.equal((await requirementOf('2026-02-02')).dueSource, 'stricter-rule')
  assert.notEqual((await requirementOf('2026-02-03')).dueSource, 'stricter-rule')
})

test('LH-03: closing an assessment leaves the additional-support flag the DSL had already set for another reason', async (t) => {
  const { db, subject, manager } = await school(t)
  await db
    .updateTable('person')
    .set({
      additional_support: true,
      flag_dates: JSON.stringify({ 'additional-support': { since: '2025-10-01', until: null } }),
    })
    .where('id', '=', subject.id)
    .execute()
  const page = `/further-support/${subject.id}`
  await manager.browser.post(`${page}/assessments/new`, { ...reviewOn('8', '12', '2025'), actions: 'Check-ins' })
  const [row] = await db.selectFrom('stress_risk_assessment').select('id').execute()
  const assessmentPage = `${page}/assessments/${row!.id}`
  const closed = await manager.browser.post(
    `${assessmentPage}/close`,
    { note: '', version: '1' },
    { formPage: assessmentPage },
  )
  assert.equal(closed.statusCode, 303)
  const flag = await db
    .selectFrom('person')
    .select(['additional_support', 'flag_dates'])
    .where('id', '=', subject.id)
    .executeTakeFirstOrThrow()
  assert.equal(flag.additional_support, true)
  assert.deepEqual(flag.flag_dates['additional-support'], { since: '2025-10-01', until: null })
})

test('LH-04: a referral to Occupational Health records its date, reason category, outcome and follow-up, for the same few readers', async (t) => {
  const { db, subject, supervisor, dsl, manager, colleague } = await school(t)
  const page = `/further-support/${subject.id}`
  const form = await supervisor.browser.get(`${page}/referrals/new`)
  assert.equal(form.statusCode, 200)
  const bad = await supervisor.browser.post(`${page}/referrals/new`, {
    'referredOn-day': '1',
    'referredOn-month': '12',
    'referredOn-year': '2025',
    reason: '',
    outcome: '',
    'followUpOn-day': '31',
    'followUpOn-month': '2',
    'followUpOn-year': '2026',
  })
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, '#reason-error'), 'Error: Select the reason for the referral')
  assert.equal(textOf(bad.body, '#followUpOn-error'), 'Error: Follow-up date must be a real date')
  const future = await supervisor.browser.post(`${page}/referrals/new`, {
    'referredOn-day': '1',
    'referredOn-month': '12',
    'referredOn-year': '2025',
    reason: 'work-related-stress',
  })
  assert.equal(future.statusCode, 400)
  assert.equal(textOf(future.body, '#referredOn-error'), 'Error: Date of the referral must be today or in the past')

  const ok = await supervisor.browser.post(`${page}/referrals/new`, {
    'referredOn-day': '7',
    'referredOn-month': '11',
    'referredOn-year': '2025',
    reason: 'work-related-stress',
    outcome: '',
    'followUpOn-day': '1',
    'followUpOn-month': '12',
    'followUpOn-year': '2025',
  })
  assert.equal(ok.statusCode, 303)
  const [row] = await db.selectFrom('occupational_health_referral').selectAll().execute()
  assert.equal(row?.reason, 'work-related-stress')
  assert.equal(row?.follow_up_on, '2025-12-01')
  const referralPage = `${page}/referrals/${row!.id}`
  const list = await subject.browser.get(page)
  assert.deepEqual(tableRows(list.body, /Referrals/)?.[0]?.slice(0, 4), [
    '7 November 2025',
    'Work-related stress',
    '1 December 2025',
    'Not yet recorded',
  ])
  for (const who of [manager, colleague]) assert.equal((await who.browser.get(referralPage)).statusCode, 404)

  // The DSL records the outcome; the person reads it.
  const saved = await dsl.browser.post(referralPage, {
    outcome: 'Counselling offered: six sessions',
    'followUpOn-day': '',
    'followUpOn-month': '',
    'followUpOn-year': '',
    version: '1',
  })
  assert.equal(saved.statusCode, 303)
  const read = await subject.browser.get(referralPage)
  assert.match(textOf(read.body, 'main'), /Counselling offered: six sessions/)
  assert.equal(html(read.body).querySelector('form textarea'), null, 'the person reads it but does not change it')
})

test('LH-04: management sees further support as counts only, never names or content', async (t) => {
  const { s, subject, manager, head, colleague } = await school(t)
  const page = `/further-support/${subject.id}`
  await manager.browser.post(`${page}/assessments/new`, { ...reviewOn('12', '11', '2025'), actions: 'Check-ins' })
  await manager.browser.post(`${page}/referrals/new`, {
    'referredOn-day': '10',
    'referredOn-month': '11',
    'referredOn-year': '2025',
    reason: 'mental-health',
    'followUpOn-day': '20',
    'followUpOn-month': '11',
    'followUpOn-year': '2025',
  })
  now = new Date('2025-11-14T10:00:00Z')
  assert.equal((await colleague.browser.get('/further-support')).statusCode, 403)
  const figures = await head.browser.get('/further-support')
  assert.equal(figures.statusCode, 200)
  const rows = html(figures.body)
    .querySelectorAll('.govuk-summary-list__row')
    .map((r) => [r.querySelector('dt')?.text.trim(), r.querySelector('dd')?.text.trim()])
  assert.deepEqual(rows, [
    ['Stress risk assessments open', '1'],
    ['Open assessments past their review date', '1'],
    ['Assessments started since 1 September 2025', '1'],
    ['Referrals to Occupational Health since 1 September 2025', '1'],
    ['Referral follow-ups in the next 28 days', '1'],
  ])
  assert.doesNotMatch(figures.body, /Priya Shah|Check-ins|Mental health/)
  const overview = await head.browser.get('/overview')
  assert.ok(html(overview.body).querySelector('a[href="/further-support"]'), 'the overview links to the figures')
  assert.ok(s)
})
