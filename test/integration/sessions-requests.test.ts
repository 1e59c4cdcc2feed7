/**
 * CA-04: any member of staff can ask for a supervision session; it reaches their supervisor and the
 * DSL and is answered, booked or declined. CA-01, LH-06: unplanned supervision recorded, with what
 * was raised carried forward to the next formal session (openCarryForwardItems).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatLongDate } from '../../src/domain/calendar/index.ts'
import { carryForwardItemsForSession, openCarryForwardItems } from '../../src/services/sessions/index.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  booking,
  dateFields,
  sessionCount,
  sessionIdFrom,
  sharedSessionsApps,
  today,
  weekdayFromToday,
} from './sessions-support.ts'

const app = sharedSessionsApps()

function requestIdFrom(location: string | undefined): string {
  const match = /\/sessions\/requests\/([0-9a-f-]{36})/.exec(location ?? '')
  assert.ok(match, `no request in ${location}`)
  return match[1] as string
}

test('CA-04: a request reaches the supervisor and the DSL, and is answered by booking it', async () => {
  const s = await app('cornerstone')
  const lead = await s.add('Erin Lowe', { roles: ['education-lead'] })
  await s.add('Ruth Quest', { supervisorId: lead })
  const ruth = await s.as('Ruth Quest')

  const form = await ruth.get('/sessions/requests/new')
  assert.equal(form.statusCode, 200)
  assert.match(textOf(form.body, 'main'), /Your request goes to Erin Lowe and the DSL/)
  assert.deepEqual(
    html(form.body)
      .querySelectorAll('input[name=topic]')
      .map((i) => i.getAttribute('value')),
    ['safeguarding', 'wellbeing'],
  )
  const preferred = weekdayFromToday(6)
  const sent = await ruth.post('/sessions/requests/new', {
    topic: 'wellbeing',
    note: 'A difficult week with a family',
    ...dateFields('preferredDate1', preferred),
  })
  assert.equal(sent.statusCode, 303)
  const id = requestIdFrom(sent.headers.location as string)
  assert.match(
    textOf((await ruth.get(sent.headers.location as string)).body, '.govuk-notification-banner'),
    /sent to Erin Lowe and the DSL/,
  )

  const mail = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('subject', '=', 'Ruth Quest has asked for a supervision session')
    .execute()
  assert.deepEqual(mail.map((m) => m.to_address).sort(), ['dana.shah@oakfield.example', 'erin.lowe@oakfield.example'])
  assert.doesNotMatch(mail[0]!.text_body, /difficult week/, 'the note stays in Haven')
  assert.match(mail[0]!.text_body, new RegExp(formatLongDate(preferred)))

  // On their pages: the supervisor and the DSL see it to answer.
  const erin = await s.as('Erin Lowe')
  assert.match(
    textOf((await erin.get('/sessions/requests')).body, '#to-answer'),
    /Ruth Quest.*Wellbeing.*Waiting for an answer/,
  )
  assert.match(textOf((await s.dsl.get('/sessions/requests')).body, '#to-answer'), /Ruth Quest/)
  assert.match(textOf((await erin.get('/sessions')).body, '.govuk-inset-text'), /1 request for supervision is waiting/)
  assert.match(textOf((await ruth.get('/sessions/requests')).body, '#own'), /Wellbeing.*Waiting for an answer/)

  // Booked from the request: prefilled with the requester and the preferred date.
  const bookForm = await erin.get(`/sessions/new?request=${id}`)
  assert.equal(bookForm.statusCode, 200)
  const doc = html(bookForm.body)
  assert.equal(doc.querySelector('input[name=request]')?.getAttribute('value'), id)
  assert.equal(doc.querySelector('#date-day')?.getAttribute('value'), String(Number(preferred.slice(8))))
  const res = await erin.post('/sessions/new', {
    ...booking({
      typeId: 'formal-unplanned',
      supervisorId: lead,
      superviseeIds: [await idOf(s, 'Ruth Quest')],
      date: preferred,
    }),
    request: id,
  })
  const sessionId = sessionIdFrom(res)
  const request = await s.database.db
    .selectFrom('session_request')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(request.status, 'booked')
  assert.equal(request.session_id, sessionId)
  assert.equal(request.answered_by, lead)
  const told = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('to_address', '=', 'ruth.quest@oakfield.example')
    .execute()
  assert.deepEqual(
    told.map((m) => m.subject),
    ['Your request for supervision: a session is booked'],
  )
  assert.match(textOf((await ruth.get(`/sessions/requests/${id}`)).body, '.govuk-summary-list'), /Booked by Erin Lowe/)
  // Answered once only.
  assert.equal((await erin.get(`/sessions/new?request=${id}`)).statusCode, 404)
  const twice = await erin.post('/sessions/new', {
    ...booking({
      typeId: 'formal-unplanned',
      supervisorId: lead,
      superviseeIds: [await idOf(s, 'Ruth Quest')],
      date: preferred,
      startTime: '15:00',
    }),
    request: id,
  })
  assert.equal(twice.statusCode, 409)
})

async function idOf(s: Awaited<ReturnType<typeof app>>, name: string): Promise<string> {
  const row = await s.database.db.selectFrom('person').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  return row.id
}

test('CA-04: a request declined with a reason: the requester is told and reads the reason', async () => {
  const s = await app('cornerstone')
  const manager = await s.add('Lena Line', { roles: ['line-manager'] })
  await s.add('Dev Clined', { lineManagerId: manager })
  const dev = await s.as('Dev Clined')
  const sent = await dev.post('/sessions/requests/new', { topic: 'safeguarding', note: '' })
  const id = requestIdFrom(sent.headers.location as string)
  const lena = await s.as('Lena Line')

  const empty = await lena.post(`/sessions/requests/${id}/decline`, { version: '1', reason: '  ' })
  assert.equal(empty.statusCode, 400)
  assert.match(textOf(empty.body, '#reason-error'), /Enter why you are declining the request/)
  // The requester cannot answer their own request; a stranger cannot see it.
  assert.equal((await dev.post(`/sessions/requests/${id}/decline`, { version: '1', reason: 'no' })).statusCode, 404)
  assert.equal((await lena.get(`/sessions/requests/${id}`)).statusCode, 200)
  await s.add('Sid Stranger')
  assert.equal((await (await s.as('Sid Stranger')).get(`/sessions/requests/${id}`)).statusCode, 404)

  const done = await lena.post(`/sessions/requests/${id}/decline`, {
    version: '1',
    reason: 'Already covered in Thursday’s group session; come and see me after.',
  })
  assert.equal(done.statusCode, 303)
  const mail = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('to_address', '=', 'dev.clined@oakfield.example')
    .execute()
  assert.deepEqual(
    mail.map((m) => m.subject),
    ['Your request for supervision has been answered'],
  )
  const page = await dev.get(`/sessions/requests/${id}`)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Declined by Lena Line/)
  assert.match(textOf(page.body, '.govuk-summary-list'), /Already covered in Thursday’s group session/)
  const again = await lena.post(
    `/sessions/requests/${id}/decline`,
    { version: '2', reason: 'x' },
    { formPage: '/sessions/requests' },
  )
  assert.equal(again.statusCode, 409)
  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'session-request.declined')
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.doesNotMatch(JSON.stringify(audit.detail), /Thursday/)
})

test('CA-04: bad input on a request gets a clear message and nothing is sent', async () => {
  const s = await app('cornerstone')
  await s.add('Bo Request')
  const bo = await s.as('Bo Request')
  const before = await s.database.db.selectFrom('session_request').select('id').execute()
  const noTopic = await bo.post('/sessions/requests/new', { topic: '', note: '' })
  assert.equal(noTopic.statusCode, 400)
  assert.match(textOf(noTopic.body, '#topic-error'), /Select what you would like to talk about/)
  const past = await bo.post('/sessions/requests/new', {
    topic: 'wellbeing',
    note: '',
    ...dateFields('preferredDate1', '2021-05-05'),
  })
  assert.match(textOf(past.body, '#preferredDate1-error'), /today or in the future/)
  const far = await bo.post('/sessions/requests/new', {
    topic: 'wellbeing',
    note: '',
    ...dateFields('preferredDate1', '2999-05-05'),
  })
  assert.match(textOf(far.body, '#preferredDate1-error'), /within the next 2 years/)
  const unreal = await bo.post('/sessions/requests/new', {
    topic: 'wellbeing',
    note: '',
    'preferredDate2-day': '30',
    'preferredDate2-month': '2',
    'preferredDate2-year': '2027',
  })
  assert.match(textOf(unreal.body, '#preferredDate2-error'), /must be a real date/)
  const long = await bo.post('/sessions/requests/new', { topic: 'wellbeing', note: 'x'.repeat(2001) })
  assert.match(textOf(long.body, '#note-error'), /2,000 characters or fewer/)
  const forged = await bo.post('/sessions/requests/new', { topic: 'wellbeing', note: '' }, { csrf: null })
  assert.equal(forged.statusCode, 403)
  const after = await s.database.db.selectFrom('session_request').select('id').execute()
  assert.equal(after.length, before.length)
})

test('CA-01, LH-06: unplanned supervision is recorded as held, and what was raised is carried forward to the next formal session', async () => {
  const s = await app('cornerstone')
  const lead = await s.add('Uma Plan', { roles: ['education-lead'] })
  const cal = await s.add('Cal Forward', { supervisorId: lead, pastoral: true })
  const uma = await s.as('Uma Plan')

  const form = await uma.get('/sessions/unplanned')
  assert.equal(form.statusCode, 200)
  assert.deepEqual(
    html(form.body)
      .querySelectorAll('input[name=typeId]')
      .map((i) => i.getAttribute('value')),
    // The drop-in is planned, but its issues too are carried forward to the next formal session (issue 14).
    ['formal-unplanned', 'informal-unplanned', 'informal-planned'],
  )
  const before = await sessionCount(s)
  const future = await uma.post('/sessions/unplanned', {
    typeId: 'informal-unplanned',
    superviseeId: cal,
    supervisorId: lead,
    ...dateFields('date', weekdayFromToday(3)),
    issues: 'x',
  })
  assert.equal(future.statusCode, 400)
  assert.match(textOf(future.body, '#date-error'), /today or in the past/)
  const nothing = await uma.post('/sessions/unplanned', {
    typeId: 'informal-unplanned',
    superviseeId: cal,
    supervisorId: lead,
    ...dateFields('date', today),
    issues: '  \n ',
  })
  assert.match(textOf(nothing.body, '#issues-error'), /Enter what was raised/)
  const planned = await uma.post('/sessions/unplanned', {
    typeId: 'formal-planned',
    superviseeId: cal,
    supervisorId: lead,
    ...dateFields('date', today),
    issues: 'x',
  })
  assert.match(textOf(planned.body, '#typeId-error'), /Select the type of supervision/)
  const notTheirs = await uma.post('/sessions/unplanned', {
    typeId: 'informal-unplanned',
    superviseeId: s.dslId,
    supervisorId: lead,
    ...dateFields('date', today),
    issues: 'x',
  })
  assert.match(textOf(notTheirs.body, '#superviseeId-error'), /people you supervise/)
  assert.equal(await sessionCount(s), before)

  const res = await uma.post('/sessions/unplanned', {
    typeId: 'informal-unplanned',
    superviseeId: cal,
    supervisorId: lead,
    ...dateFields('date', today),
    startTime: '',
    durationMinutes: '10',
    issues: '- Worried about a pupil’s attendance after the weekend\n\n2. Wants advice on recording a disclosure',
    decisions: 'Referral to early help to be made today',
  })
  const unplanned = sessionIdFrom(res)
  const row = await s.database.db
    .selectFrom('supervision_session')
    .selectAll()
    .where('id', '=', unplanned)
    .executeTakeFirstOrThrow()
  assert.equal(row.status, 'held')
  assert.equal(row.unplanned, true)
  const page = await uma.get(`/sessions/${unplanned}`)
  assert.match(textOf(page.body, 'main'), /Unplanned/)
  assert.match(textOf(page.body, 'main'), /What was raised/)
  assert.match(textOf(page.body, 'main'), /Decision: Referral to early help to be made today/)
  // Content: the DSL, not in the session, sees that items exist but not what they say.
  const dslView = await s.dsl.get(`/sessions/${unplanned}`)
  assert.doesNotMatch(dslView.body, /attendance after the weekend/)
  assert.match(textOf(dslView.body, 'main'), /3 items were raised and carried forward/)

  const open = await openCarryForwardItems(s.database.db, cal)
  assert.deepEqual(
    open.map((i) => [i.kind, i.text]),
    [
      ['issue', 'Worried about a pupil’s attendance after the weekend'],
      ['issue', 'Wants advice on recording a disclosure'],
      ['decision', 'Referral to early help to be made today'],
    ],
  )
  assert.equal(open[0]!.sourceSessionId, unplanned)
  assert.equal(open[0]!.sourceDate, today)
  assert.equal(open[0]!.raisedBy, lead)

  // The next formal session shows them on its agenda, and takes them up when it is held.
  const formal = sessionIdFrom(
    await uma.post(
      '/sessions/new',
      booking({
        typeId: 'formal-planned',
        supervisorId: lead,
        superviseeIds: [cal],
        date: today,
        startTime: '23:00',
        durationMinutes: '30',
      }),
    ),
  )
  assert.equal((await carryForwardItemsForSession(s.database.db, formal)).length, 3)
  const agenda = await uma.get(`/sessions/${formal}`)
  assert.match(
    textOf(agenda.body, 'main'),
    /Carried forward from unplanned supervision.*Wants advice on recording a disclosure/,
  )
  assert.match(
    textOf((await uma.get(`/sessions/${formal}/held`)).body, 'main'),
    /3 issues from unplanned supervision will be carried to this session/,
  )
  assert.equal((await uma.post(`/sessions/${formal}/held`, { version: '1' })).statusCode, 303)
  assert.deepEqual(await openCarryForwardItems(s.database.db, cal), [])
  const carried = await carryForwardItemsForSession(s.database.db, formal)
  assert.equal(carried.length, 3)
  assert.ok(carried.every((i) => i.carriedToSessionId === formal))
  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'session.held')
    .where('subject_id', '=', formal)
    .executeTakeFirstOrThrow()
  assert.equal((audit.detail as { carriedForward: number }).carriedForward, 3)
  assert.doesNotMatch(JSON.stringify(audit.detail), /attendance/)
})
