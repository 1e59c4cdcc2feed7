/**
 * Booking sessions (issue 6 item 1): the policy's grid of who may supervise whom (LH-05), group
 * and team sessions (LH-06, CA-05, AM-02), clashes, every kind of bad input, who may book, CSRF,
 * and MW-08 (a group session does not count as a one-to-one) through schoolCompliance.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  booking,
  sessionCount,
  sessionIdFrom,
  sharedSessionsApps,
  today,
  weekdayFromToday,
} from './sessions-support.ts'

const app = sharedSessionsApps()

test('LH-05: a supervisor outside the policy grid is refused with a message naming the rule, and nothing is saved', async () => {
  const s = await app('lode-heath')
  const yearHead = await s.add('Yusuf Hale', { roles: ['year-head'], trained: true })
  const teacher = await s.add('Tom Reed', { roles: ['class-teacher'], trained: true })

  const form = await s.dsl.get('/sessions/new')
  assert.equal(form.statusCode, 200)
  assert.ok(html(form.body).querySelector('input[name=typeId][value=one-to-one]'))

  const before = await sessionCount(s)
  const refused = await s.dsl.post('/sessions/new', booking({ supervisorId: teacher, superviseeIds: [yearHead] }))
  assert.equal(refused.statusCode, 400)
  const message = textOf(refused.body, '#supervisorId-error')
  assert.match(message, /Tom Reed cannot supervise Yusuf Hale under the policy/)
  // The rule (lh-who-pastoral-leaders) in the policy's words, never its id (issue 18).
  assert.match(message, /Year Heads, Pastoral Leads and the SENCO\/LAC Co-ordinator may be supervised by/)
  assert.doesNotMatch(textOf(refused.body, 'main'), /lh-who-pastoral-leaders|\(rule /)
  assert.match(textOf(refused.body, '.govuk-error-summary'), /Year Heads, Pastoral Leads/)
  assert.equal(await sessionCount(s), before)

  const untrained = await s.add('Priya Lal', { roles: ['pastoral-lead'] })
  const notTrained = await s.dsl.post('/sessions/new', booking({ supervisorId: untrained, superviseeIds: [teacher] }))
  assert.match(textOf(notTrained.body, '#supervisorId-error'), /no supervisor training is recorded/)

  const ok = await s.dsl.post('/sessions/new', booking({ supervisorId: s.dslId, superviseeIds: [yearHead] }))
  const id = sessionIdFrom(ok)
  const page = await s.dsl.get(`/sessions/${id}?saved=booked`)
  assert.match(textOf(page.body, '.govuk-notification-banner'), /The session has been booked/)
  assert.match(textOf(page.body, 'h1'), /Planned one-to-one supervision on/)
  assert.equal(await sessionCount(s), before + 1)
})

test('booking writes the session, its people, an email to the others and an audit entry of ids only', async () => {
  const s = await app('lode-heath')
  const teacher = await s.add('Wendy Ash')
  const date = weekdayFromToday(12)
  const res = await s.dsl.post(
    '/sessions/new',
    booking({
      supervisorId: s.dslId,
      superviseeIds: [teacher],
      date,
      startTime: '2:30pm',
      durationMinutes: '45',
      venue: '',
      onlineLink: 'https://meet.example.com/abc',
    }),
  )
  const id = sessionIdFrom(res)
  const db = s.database.db
  const row = await db.selectFrom('supervision_session').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.date, date)
  assert.equal(row.start_time, '14:30')
  assert.equal(row.duration_minutes, 45)
  assert.equal(row.online_link, 'https://meet.example.com/abc')
  assert.equal(row.venue, null)
  assert.equal(row.status, 'planned')
  assert.equal(row.sequence, 0)
  const people = await db
    .selectFrom('session_participant')
    .selectAll()
    .where('session_id', '=', id)
    .orderBy('role')
    .execute()
  assert.deepEqual(
    people.map((p) => [p.role, p.person_id]),
    [
      ['supervisee', teacher],
      ['supervisor', s.dslId],
    ],
  )
  const mail = await db
    .selectFrom('outbox_message')
    .selectAll()
    .where('to_address', '=', 'wendy.ash@oakfield.example')
    .execute()
  assert.equal(mail.length, 1)
  assert.match(mail[0]!.subject, /^Supervision booked for/)
  assert.match(mail[0]!.text_body, /2:30pm to 3:15pm/)
  const audit = await db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'session.booked')
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(audit.actor_id, s.dslId)
  const detail = JSON.stringify(audit.detail)
  assert.doesNotMatch(detail, /Wendy|Ash|oakfield|meet\.example/)
  assert.match(detail, new RegExp(teacher))
})

test('every bad input gets a clear message and nothing is saved', async () => {
  const s = await app('lode-heath')
  const teacher = await s.add('Bea Input')
  const other = await s.add('Ben Input')
  const cases: [string, Record<string, string | string[]>, string, RegExp][] = [
    [
      'a date in the past',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], date: '2020-01-06' }),
      '#date-error',
      /must be today or in the future/,
    ],
    [
      'a date years ahead',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], date: '2999-01-06' }),
      '#date-error',
      /within the next 2 years/,
    ],
    [
      'no date',
      {
        ...booking({ supervisorId: s.dslId, superviseeIds: [teacher] }),
        'date-day': '',
        'date-month': '',
        'date-year': '',
      },
      '#date-error',
      /Enter the date of the session/,
    ],
    [
      'not a real date',
      { ...booking({ supervisorId: s.dslId, superviseeIds: [teacher] }), 'date-day': '31', 'date-month': '2' },
      '#date-error',
      /must be a real date/,
    ],
    [
      'part of a date',
      { ...booking({ supervisorId: s.dslId, superviseeIds: [teacher] }), 'date-month': '' },
      '#date-error',
      /must include a month/,
    ],
    [
      'end before start (no length)',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], durationMinutes: '0' }),
      '#durationMinutes-error',
      /must last more than 0 minutes: its end must be after its start/,
    ],
    [
      'a negative length',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], durationMinutes: '-30' }),
      '#durationMinutes-error',
      /more than 0 minutes/,
    ],
    [
      'a length that is not a number',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], durationMinutes: 'an hour' }),
      '#durationMinutes-error',
      /whole number of minutes/,
    ],
    [
      'past midnight',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], startTime: '23:30' }),
      '#durationMinutes-error',
      /end by midnight/,
    ],
    [
      'no time',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], startTime: '' }),
      '#startTime-error',
      /Enter the start time/,
    ],
    [
      'not a time',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], startTime: '25:00' }),
      '#startTime-error',
      /like 14:30 or 2:30pm/,
    ],
    [
      'an unknown supervisor',
      booking({ supervisorId: '00000000-0000-4000-8000-000000000000', superviseeIds: [teacher] }),
      '#supervisorId-error',
      /Select a supervisor from the list/,
    ],
    [
      'an unknown supervisee',
      booking({ supervisorId: s.dslId, superviseeIds: ['00000000-0000-4000-8000-000000000000'] }),
      '#superviseeIds-error',
      /Select supervisees from the list/,
    ],
    [
      'not an id at all',
      booking({ supervisorId: 'x', superviseeIds: ['<script>'] }),
      '#supervisorId-error',
      /Select a supervisor from the list/,
    ],
    [
      'no supervisor',
      booking({ supervisorId: '', superviseeIds: [teacher] }),
      '#supervisorId-error',
      /Select a supervisor/,
    ],
    [
      'a supervisee twice',
      booking({ typeId: 'group', supervisorId: s.dslId, superviseeIds: [teacher, teacher] }),
      '#superviseeIds-error',
      /Bea Input is listed twice/,
    ],
    [
      'a group with no one in it',
      booking({ typeId: 'group', supervisorId: s.dslId, superviseeIds: [] }),
      '#superviseeIds-error',
      /a group session needs at least one supervisee/,
    ],
    [
      'two people in a one-to-one',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher, other] }),
      '#superviseeIds-error',
      /is for one supervisee/,
    ],
    [
      'no type',
      booking({ typeId: '', supervisorId: s.dslId, superviseeIds: [teacher] }),
      '#typeId-error',
      /Select the type of session/,
    ],
    [
      'nowhere',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], venue: '' }),
      '#venue-error',
      /Enter where the session will take place/,
    ],
    [
      'a link that is not one',
      booking({ supervisorId: s.dslId, superviseeIds: [teacher], onlineLink: 'javascript:alert(1)' }),
      '#onlineLink-error',
      /correct format/,
    ],
    [
      'the same person twice as supervisor',
      booking({ supervisorId: s.dslId, secondSupervisorId: s.dslId, superviseeIds: [teacher] }),
      '#supervisorId-error',
      /chosen twice/,
    ],
  ]
  const before = await sessionCount(s)
  for (const [name, fields, selector, expected] of cases) {
    const res = await s.dsl.post('/sessions/new', fields)
    assert.equal(res.statusCode, 400, `${name}: ${res.statusCode}`)
    assert.match(textOf(res.body, selector), expected, name)
    assert.match(textOf(res.body, '.govuk-error-summary'), /There is a problem/, name)
  }
  // Ids that are not ids never reach the database.
  const dashes = '-'.repeat(36)
  assert.equal((await s.dsl.get(`/sessions/new?supervisee=${dashes}`)).statusCode, 200)
  assert.equal((await s.dsl.get(`/sessions/new?rebook=${dashes}`)).statusCode, 404)
  assert.equal((await s.dsl.get(`/sessions/new?request=${dashes}`)).statusCode, 404)
  const forged = await s.dsl.post('/sessions/new', {
    ...booking({ supervisorId: s.dslId, superviseeIds: [dashes] }),
    rebooks: dashes,
    request: dashes,
  })
  assert.equal(forged.statusCode, 400)
  // The values typed are shown again.
  const again = await s.dsl.post(
    '/sessions/new',
    booking({ supervisorId: s.dslId, superviseeIds: [teacher], startTime: '25:00', venue: 'The library' }),
  )
  assert.equal(html(again.body).querySelector('#venue')?.getAttribute('value'), 'The library')
  assert.ok(html(again.body).querySelector(`input[name=superviseeIds][value="${teacher}"]`)?.hasAttribute('checked'))
  assert.equal(await sessionCount(s), before)
  assert.equal(
    await s.database.db
      .selectFrom('outbox_message')
      .select('id')
      .where('to_address', '=', 'bea.input@oakfield.example')
      .execute()
      .then((r) => r.length),
    0,
  )
})

test('clashes: a warning the person can confirm past, except a supervisee booked twice at the same time', async () => {
  const s = await app('lode-heath')
  const tess = await s.add('Cara Clash')
  const tom = await s.add('Colin Clash')
  const date = weekdayFromToday(20)
  const before = await sessionCount(s)
  sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ supervisorId: s.dslId, superviseeIds: [tess], date, startTime: '10:00' }),
    ),
  )

  // The DSL again at 10:30 with someone else: a warning, nothing saved until confirmed.
  const warned = await s.dsl.post(
    '/sessions/new',
    booking({ supervisorId: s.dslId, superviseeIds: [tom], date, startTime: '10:30' }),
  )
  assert.equal(warned.statusCode, 200)
  assert.match(textOf(warned.body, '.govuk-warning-text'), /Dana Shah already has a session from 10am to 11am/)
  assert.ok(html(warned.body).querySelector('input[name=confirmed][value=yes]'))
  assert.equal(await sessionCount(s), before + 1)
  const confirmed = await s.dsl.post('/sessions/new', {
    ...booking({ supervisorId: s.dslId, superviseeIds: [tom], date, startTime: '10:30' }),
    confirmed: 'yes',
  })
  sessionIdFrom(confirmed)
  assert.equal(await sessionCount(s), before + 2)

  // Tess in two sessions at once: refused, even when "confirmed".
  const twice = await s.dsl.post('/sessions/new', {
    ...booking({ supervisorId: s.dslId, superviseeIds: [tess], date, startTime: '10:45' }),
    confirmed: 'yes',
  })
  assert.equal(twice.statusCode, 400)
  assert.match(
    textOf(twice.body, '#superviseeIds-error'),
    /Cara Clash already has a session .*a supervisee cannot be booked into two sessions at the same time/,
  )
  // Back to back is fine.
  sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ supervisorId: s.dslId, superviseeIds: [tess], date, startTime: '11:30' }),
    ),
  )
  assert.equal(await sessionCount(s), before + 3)
})

test('LH-06, CA-05, AM-02: a group session takes everyone in the group, and says it is a group', async () => {
  const s = await app('lode-heath')
  const ids = [await s.add('Gina Group'), await s.add('Gary Group'), await s.add('Gwen Group')]
  const res = await s.dsl.post(
    '/sessions/new',
    booking({ typeId: 'group', supervisorId: s.dslId, superviseeIds: ids, date: weekdayFromToday(30) }),
  )
  const id = sessionIdFrom(res)
  const people = await s.database.db
    .selectFrom('session_participant')
    .select('person_id')
    .where('session_id', '=', id)
    .where('role', '=', 'supervisee')
    .execute()
  assert.equal(people.length, 3)
  const page = await s.dsl.get(`/sessions/${id}`)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Group safeguarding supervision \(group session\)/)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Gary Group.*Gina Group.*Gwen Group/)
})

test('who may book: the DSL for anyone, a supervisor for their own supervisees, a supervisee only asks', async () => {
  const s = await app('cornerstone')
  const lead = await s.add('Erin Lowe', { roles: ['education-lead'] })
  const own = await s.add('Tess Ward', { supervisorId: lead })
  const report = await s.add('Rhys Jones', { lineManagerId: lead })
  const stranger = await s.add('Tom Reed')
  const erin = await s.as('Erin Lowe')

  const form = await erin.get('/sessions/new')
  assert.equal(form.statusCode, 200)
  const offered = html(form.body)
    .querySelectorAll('input[name=superviseeIds]')
    .map((i) => i.getAttribute('value'))
  assert.deepEqual(offered.sort(), [own, report].sort(), 'only their own supervisees and line reports')
  sessionIdFrom(
    await erin.post('/sessions/new', booking({ typeId: 'formal-planned', supervisorId: lead, superviseeIds: [own] })),
  )
  sessionIdFrom(
    await erin.post(
      '/sessions/new',
      booking({ typeId: 'formal-planned', supervisorId: lead, superviseeIds: [report], startTime: '14:00' }),
    ),
  )
  const notTheirs = await erin.post(
    '/sessions/new',
    booking({ typeId: 'formal-planned', supervisorId: lead, superviseeIds: [stranger] }),
  )
  assert.equal(notTheirs.statusCode, 400)
  assert.match(
    textOf(notTheirs.body, '#superviseeIds-error'),
    /only book sessions for people you supervise or line-manage\. Ask the DSL to book a session for Tom Reed/,
  )
  const forSomeoneElse = await erin.post(
    '/sessions/new',
    booking({ typeId: 'formal-planned', supervisorId: s.dslId, superviseeIds: [own] }),
  )
  assert.match(textOf(forSomeoneElse.body, '#supervisorId-error'), /only book sessions that you lead/)

  const tom = await s.as('Tom Reed')
  const redirected = await tom.get('/sessions/new')
  assert.equal(redirected.statusCode, 303)
  assert.equal(redirected.headers.location, '/sessions/requests/new')
  const posted = await tom.post(
    '/sessions/new',
    booking({ typeId: 'formal-planned', supervisorId: stranger, superviseeIds: [own] }),
    { formPage: '/sessions' },
  )
  assert.equal(posted.statusCode, 400)
  assert.equal(await sessionCount(s), 2)

  // The DSL books for anyone.
  sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({ typeId: 'formal-planned', supervisorId: s.dslId, superviseeIds: [stranger] }),
    ),
  )

  // Nobody outside a session sees it; the school pages are for sessions.manage only.
  const [ownSession] = await s.database.db
    .selectFrom('session_participant')
    .select('session_id')
    .where('person_id', '=', own)
    .execute()
  assert.equal((await tom.get(`/sessions/${ownSession!.session_id}`)).statusCode, 404)
  assert.equal((await (await s.as('Tess Ward')).get(`/sessions/${ownSession!.session_id}`)).statusCode, 200)
  assert.equal((await tom.get('/sessions/week')).statusCode, 403)
  assert.equal((await tom.get('/sessions/month')).statusCode, 403)
  assert.equal((await tom.get('/sessions/cancellations')).statusCode, 403)
  assert.equal((await tom.get('/sessions/not-a-uuid')).statusCode, 404)
})

test('CSRF: a booking without the form token is refused and saves nothing', async () => {
  const s = await app('lode-heath')
  const teacher = await s.add('Cleo Token')
  const before = await sessionCount(s)
  const res = await s.dsl.post('/sessions/new', booking({ supervisorId: s.dslId, superviseeIds: [teacher] }), {
    csrf: null,
  })
  assert.equal(res.statusCode, 403)
  const wrong = await s.dsl.post('/sessions/new', booking({ supervisorId: s.dslId, superviseeIds: [teacher] }), {
    csrf: 'x'.repeat(43),
  })
  assert.equal(wrong.statusCode, 403)
  assert.equal(await sessionCount(s), before)
  const signedOut = await s.app.inject({ method: 'GET', url: '/sessions' })
  assert.equal(signedOut.statusCode, 302)
})

test('MW-08: a group session held does not count as the one-to-one; a one-to-one does (schoolCompliance)', async () => {
  const s = await app('meanwood')
  const manager = await s.add('Maya Patel', { roles: ['line-manager'] })
  const eyfs = await s.add('Ellie Ford', { roles: ['eyfs-practitioner'], eyfs: true, lineManagerId: manager })
  const group = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'group',
        supervisorId: s.dslId,
        superviseeIds: [eyfs],
        date: today,
        startTime: '00:00',
        durationMinutes: '30',
      }),
    ),
  )
  const held = await s.dsl.post(`/sessions/${group}/held`, { version: '1' })
  assert.equal(held.statusCode, 303)
  let ellie = (await schoolCompliance(s.database.db, s.org.schoolId, today)).find((p) => p.personId === eyfs)!
  assert.equal(ellie.required, true)
  assert.equal(ellie.lastSession, null, 'the group session does not count')

  const oneToOne = sessionIdFrom(
    await s.dsl.post(
      '/sessions/new',
      booking({
        typeId: 'one-to-one',
        supervisorId: manager,
        superviseeIds: [eyfs],
        date: today,
        startTime: '00:30',
        durationMinutes: '30',
      }),
    ),
  )
  assert.equal((await s.dsl.post(`/sessions/${oneToOne}/held`, { version: '1' })).statusCode, 303)
  ellie = (await schoolCompliance(s.database.db, s.org.schoolId, today)).find((p) => p.personId === eyfs)!
  assert.equal(ellie.lastSession, today)
  // MW-03: the line manager rule of the policy was applied to the one-to-one.
  const refused = await s.dsl.post(
    '/sessions/new',
    booking({ typeId: 'one-to-one', supervisorId: s.dslId, superviseeIds: [eyfs] }),
  )
  assert.match(textOf(refused.body, '#supervisorId-error'), /Staff are supervised by their line manager\./)
  assert.doesNotMatch(textOf(refused.body, 'main'), /mw-line-manager/)
})

test('the school by week and by month: an accessible table with previous and next', async () => {
  const s = await app('lode-heath')
  const teacher = await s.add('Sam Schedule')
  const date = weekdayFromToday(40)
  sessionIdFrom(await s.dsl.post('/sessions/new', booking({ supervisorId: s.dslId, superviseeIds: [teacher], date })))
  const week = await s.dsl.get(`/sessions/week?date=${date}`)
  assert.equal(week.statusCode, 200)
  const doc = html(week.body)
  assert.match(doc.querySelector('#schedule caption')?.textContent ?? '', /1 session in the week beginning/)
  assert.equal(doc.querySelectorAll('#schedule th[scope=col]').length, 6)
  assert.equal(doc.querySelectorAll('#schedule tbody th[scope=row]').length, 1)
  assert.match(textOf(week.body, '#schedule tbody'), /Sam Schedule/)
  assert.ok(doc.querySelector('.govuk-pagination__prev a')?.getAttribute('href')?.startsWith('/sessions/week?date='))
  assert.ok(doc.querySelector('.govuk-pagination__next a'))
  const month = await s.dsl.get(`/sessions/month?month=${date.slice(0, 7)}`)
  assert.match(textOf(month.body, '#schedule'), /Sam Schedule/)
  const empty = await s.dsl.get('/sessions/month?month=2030-01')
  assert.match(textOf(empty.body, 'main'), /No sessions in January 2030/)
  assert.equal((await s.dsl.get('/sessions/week?date=2026-02-31')).statusCode, 404)
  assert.equal((await s.dsl.get('/sessions/month?month=13-2026')).statusCode, 404)
  // Navigation offers Sessions to everyone signed in.
  const tess = await s.as('Sam Schedule')
  const mine = await tess.get('/sessions')
  assert.ok(
    html(mine.body)
      .querySelectorAll('.govuk-service-navigation__link')
      .some((a) => a.textContent.trim() === 'Sessions'),
  )
  assert.match(textOf(mine.body, '#upcoming'), /Supervisee/)
  assert.equal(html(mine.body).querySelectorAll('#upcoming tbody tr').length, 1)
})
