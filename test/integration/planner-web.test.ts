import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parse } from 'node-html-parser'
import { academicYearBounds, halfTermOn, isoWeekday, weekdayOnOrAfter } from '../../src/domain/calendar/index.ts'
import { schoolCalendar } from '../../src/services/calendar/store.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { ADMIN_EMAIL } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { addPerson, emailOf, nextAcademicYear, orgOnPack } from './planner-fixtures.ts'

const year = nextAcademicYear()

function rowsOf(html: string) {
  return parse(html)
    .querySelectorAll('table[id^="half-term-"] tbody tr')
    .map((tr) => tr.querySelectorAll('td').map((td) => td.text.trim()))
}

function removeForms(html: string) {
  return parse(html)
    .querySelectorAll('form[action$="/remove"]')
    .map((f) => f.getAttribute('action')!)
}

describe('the annual planner on the web', () => {
  test('CA-02: the DSL proposes the year’s half-termly sessions, removes one, moves one, and confirms the rest in one go', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const org = await orgOnPack(db, 'cornerstone', year.currentStart)
    const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'], account: true })
    const staff: string[] = []
    for (const name of ['Ava Pastoral', 'Ben Pastoral', 'Cara Pastoral'])
      staff.push(await addPerson(db, org, { name, lineManagerId: lead, pastoral: true, account: true }))
    const partTimer = await addPerson(db, org, {
      name: 'Dev Parttime',
      lineManagerId: lead,
      pastoral: true,
      partTime: true,
      workingDays: [2, 3],
      account: true,
    })
    await addPerson(db, org, { name: 'Eve Teacher', lineManagerId: lead })
    const browser = await signedInClientByEmail(app, database.db, ADMIN_EMAIL)

    const empty = await browser.get(`/planner?year=${year.id}`)
    assert.equal(empty.statusCode, 200)
    assert.match(empty.body, new RegExp(`Propose sessions for ${year.id}`))

    const proposed = await browser.post('/planner/propose', { year: year.id }, { formPage: `/planner?year=${year.id}` })
    assert.equal(proposed.statusCode, 303)
    const page = await browser.get(proposed.headers.location as string)
    assert.equal(page.statusCode, 200)
    let rows = rowsOf(page.body)
    assert.equal(rows.length, 24, 'six half terms for each of four people')
    const captions = parse(page.body)
      .querySelectorAll('table[id^="half-term-"] caption')
      .map((c) => c.text.replace(/\s+/g, ' ').trim())
    assert.deepEqual(
      captions.map((c) => c.split(' ').slice(0, 2).join(' ')),
      ['Autumn 1', 'Autumn 2', 'Spring 1', 'Spring 2', 'Summer 1', 'Summer 2'],
    )
    assert.ok(
      rows.every((r) => r[3] === 'Lena Lead'),
      'supervised by their line manager',
    )
    assert.ok(!rows.some((r) => r[2] === 'Eve Teacher'), 'not in scope')
    for (const row of rows.filter((r) => r[2] === 'Dev Parttime'))
      assert.match(row[0]!, /^(Tuesday|Wednesday) /, 'MW-04: on the part-timer’s own days')

    // Remove one session: the rest are still there, and the gap is pointed out.
    const removeAction = removeForms(page.body)[0]!
    const removed = await browser.post(removeAction, { year: year.id }, { formPage: `/planner?year=${year.id}` })
    assert.equal(removed.statusCode, 303)
    const afterRemove = await browser.get(removed.headers.location as string)
    rows = rowsOf(afterRemove.body)
    assert.equal(rows.length, 23)
    assert.match(afterRemove.body, /some people would still miss a session/)

    // Move one: a Saturday is refused with the reason, a working day in the same half term is taken.
    const changeLink = parse(afterRemove.body).querySelector('a[href$="/date"]')!.getAttribute('href')!
    const form = await browser.get(changeLink)
    assert.equal(form.statusCode, 200)
    const saturday = weekdayOnOrAfter(`${year.start.slice(0, 4)}-10-01`, 6)
    const [y, m, d] = saturday.split('-')
    const refused = await browser.post(
      changeLink,
      { 'date-day': d!, 'date-month': m!, 'date-year': y! },
      { formPage: changeLink },
    )
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /is not a working day in term/)
    assert.match(refused.body, /govuk-error-summary/)
    const blank = await browser.post(
      changeLink,
      { 'date-day': '', 'date-month': '', 'date-year': '' },
      { formPage: changeLink },
    )
    assert.equal(blank.statusCode, 400)
    assert.match(blank.body, /Enter the date/)
    const nonsense = await browser.post(
      changeLink,
      { 'date-day': '31', 'date-month': '2', 'date-year': y! },
      { formPage: changeLink },
    )
    assert.equal(nonsense.statusCode, 400)
    assert.match(nonsense.body, /Date must be a real date/)
    const target = weekdayOnOrAfter(`${y}-09-15`, 3)
    assert.ok(halfTermOn(await schoolCalendar(db, org.schoolId, year.start), target))
    const [ty, tm, td] = target.split('-')
    const moved = await browser.post(
      changeLink,
      { 'date-day': td!, 'date-month': tm!, 'date-year': ty! },
      { formPage: changeLink },
    )
    assert.equal(moved.statusCode, 303, moved.body.match(/govuk-error-message[^<]*<[^>]*>[^<]*<\/span>([^<]*)/)?.[1])

    // A confirmation of an older version of the plan is refused: nothing is booked.
    const current = await browser.get(`/planner?year=${year.id}`)
    const version = Number(
      parse(current.body).querySelector('form[action="/planner/confirm"] input[name=version]')!.getAttribute('value'),
    )
    const stale = await browser.post(
      '/planner/confirm',
      { year: year.id, version: String(version - 1) },
      { formPage: `/planner?year=${year.id}` },
    )
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Someone else changed this plan/)
    assert.equal((await db.selectFrom('supervision_session').select('id').execute()).length, 0)

    const confirmed = await browser.post(
      '/planner/confirm',
      { year: year.id, version: String(version) },
      { formPage: `/planner?year=${year.id}` },
    )
    assert.equal(confirmed.statusCode, 303)
    assert.match(confirmed.headers.location as string, /confirmed=23/)
    const sessions = await db.selectFrom('supervision_session').selectAll().execute()
    assert.equal(sessions.length, 23)
    assert.ok(sessions.every((s) => s.status === 'planned' && s.type_id === 'formal-planned' && s.start_time !== null))
    assert.ok(
      sessions.some((s) => s.date === target),
      'the moved date was kept',
    )
    const participants = await db.selectFrom('session_participant').selectAll().execute()
    assert.equal(participants.length, 46)
    const partTimeDays = sessions
      .filter((s) => participants.some((p) => p.session_id === s.id && p.person_id === partTimer))
      .map((s) => isoWeekday(s.date))
    assert.ok(partTimeDays.every((day) => day === 2 || day === 3))
    // Everyone is told their dates once; the draft is gone; the audit log has it.
    const mail = await db.selectFrom('outbox_message').select(['to_address', 'subject', 'text_body']).execute()
    assert.deepEqual(
      mail.map((m) => m.to_address).sort(),
      ['Ava Pastoral', 'Ben Pastoral', 'Cara Pastoral', 'Dev Parttime', 'Lena Lead'].map(emailOf).sort(),
    )
    assert.match(mail.find((m) => m.to_address === emailOf('Ava Pastoral'))!.text_body, /with Lena Lead/)
    assert.equal((await db.selectFrom('planner_draft').select('id').execute()).length, 0)
    const audit = await db
      .selectFrom('audit_event')
      .select(['action', 'detail'])
      .where('action', 'like', 'planner.%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      audit.map((a) => a.action),
      ['planner.proposed', 'planner.confirmed'],
    )
    assert.equal((audit[1]!.detail as { sessions: number }).sessions, 23)

    const after = await browser.get(confirmed.headers.location as string)
    assert.match(after.body, /23 sessions planned/)
    assert.match(after.body, /Planned sessions/)
    assert.equal(parse(after.body).querySelectorAll('tbody tr').length, 23)
    void staff
  })

  test('the planner is for those who manage sessions; its settings are checked and guarded', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const org = await orgOnPack(db, 'cornerstone', year.currentStart)
    await addPerson(db, org, { name: 'Tom Teacher', account: true })
    const teacher = await signedInClientByEmail(app, database.db, emailOf('Tom Teacher'))
    assert.equal((await teacher.get('/planner')).statusCode, 403)
    assert.equal((await teacher.get('/planner/settings')).statusCode, 403)

    const admin = await signedInClientByEmail(app, database.db, ADMIN_EMAIL)
    const settings = await admin.get('/planner/settings')
    assert.equal(settings.statusCode, 200)
    const bad = await admin.post(
      '/planner/settings',
      {
        maxPerDay: '0',
        maxPerWeek: 'lots',
        dayStartsAt: '17:00',
        dayEndsAt: '09:00',
        preparationWorkingDays: '3',
        version: '0',
      },
      { formPage: '/planner/settings' },
    )
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /The most sessions in a day must be between 1 and 20/)
    assert.match(bad.body, /The most sessions in a week must be a whole number/)
    const ok = await admin.post(
      '/planner/settings',
      {
        maxPerDay: '2',
        maxPerWeek: '6',
        dayStartsAt: '15.30',
        dayEndsAt: '17:30',
        preparationWorkingDays: '4',
        version: '0',
        year: year.id,
      },
      { formPage: '/planner/settings' },
    )
    assert.equal(ok.statusCode, 303)
    const row = await db.selectFrom('planner_setting').selectAll().executeTakeFirstOrThrow()
    assert.deepEqual(
      [
        row.max_per_day,
        row.max_per_week,
        row.day_starts_at,
        row.day_ends_at,
        row.preparation_working_days,
        row.version,
      ],
      [2, 6, '15:30', '17:30', 4, 1],
    )
    // Someone else saved in between: the older form is refused.
    const stale = await admin.post(
      '/planner/settings',
      {
        maxPerDay: '3',
        maxPerWeek: '6',
        dayStartsAt: '15:30',
        dayEndsAt: '17:30',
        preparationWorkingDays: '4',
        version: '0',
      },
      { formPage: '/planner/settings' },
    )
    assert.equal(stale.statusCode, 409)
    assert.match(stale.body, /Someone else changed these settings/)
    const page = await admin.get(`/planner?year=${year.id}`)
    assert.match(page.body, /between 3:30pm and 5:30pm/)
    // Bad input never gives a 500.
    assert.equal((await admin.get('/planner?year=2026-99')).statusCode, 404)
    assert.equal((await admin.get('/planner/rows/not-a-uuid/date')).statusCode, 404)
    assert.equal((await admin.get('/planner/rows/00000000-0000-4000-8000-000000000000/date')).statusCode, 404)
    const noYear = await admin.post('/planner/propose', { year: 'soon' }, { formPage: '/planner/settings' })
    assert.equal(noYear.statusCode, 404)
  })

  test('a year with no policy in force, or already over, is explained, not given a 500', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const later = academicYearBounds(Number(year.id.slice(0, 4)) + 1).start
    await orgOnPack(db, 'cornerstone', later)
    const admin = await signedInClientByEmail(app, database.db, ADMIN_EMAIL)
    const page = await admin.get(`/planner?year=${year.id}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, new RegExp(`No supervision policy is in force during ${year.id}`))
    assert.doesNotMatch(page.body, /Propose sessions for/)
    const refused = await admin.post('/planner/propose', { year: year.id }, { formPage: `/planner?year=${year.id}` })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /There is a problem/)
    const past = await admin.get('/planner?year=2010-11')
    assert.equal(past.statusCode, 200)
    assert.match(past.body, /2010-11 has ended: there is nothing left to plan/)
  })
})
