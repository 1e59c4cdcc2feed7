/**
 * Issue 14, CA-04: a session can be requested on someone else's behalf (by their supervisor, line
 * manager or the chair who supervises the headteacher, or by whoever manages sessions), and the
 * request records who asked. Only someone who may book for the person may ask for them. The clock
 * is the shared sessions app's fixed clock (sessions-support.ts).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { html, textOf } from '../helpers/html.ts'
import { booking, dateFields, sessionIdFrom, sharedSessionsApps, weekdayFromToday } from './sessions-support.ts'

const app = sharedSessionsApps()

function requestIdFrom(location: string | undefined): string {
  const match = /\/sessions\/requests\/([0-9a-f-]{36})/.exec(location ?? '')
  assert.ok(match, `no request in ${location}`)
  return match[1] as string
}

test('CA-04: a supervisor asks for a session on behalf of a supervisee; the request records who asked', async () => {
  const s = await app('cornerstone')
  const lead = await s.add('Erin Lowe', { roles: ['education-lead'] })
  const ruth = await s.add('Ruth Quest', { supervisorId: lead })
  const erin = await s.as('Erin Lowe')

  const form = await erin.get('/sessions/requests/new')
  assert.equal(form.statusCode, 200)
  const options = html(form.body)
    .querySelectorAll('select[name=forPerson] option')
    .map((o) => [o.getAttribute('value'), o.text.trim()])
  assert.deepEqual(options, [
    ['', 'Yourself'],
    [ruth, 'Ruth Quest'],
  ])

  const sent = await erin.post('/sessions/requests/new', {
    forPerson: ruth,
    topic: 'wellbeing',
    note: 'She has had a hard week',
    ...dateFields('preferredDate1', weekdayFromToday(5)),
  })
  assert.equal(sent.statusCode, 303)
  const id = requestIdFrom(sent.headers.location as string)
  const row = await s.database.db
    .selectFrom('session_request')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(row.requester_id, ruth, 'the request is for Ruth')
  assert.equal(row.requested_by, lead, 'Erin asked')
  assert.equal(row.supervisor_id, lead)

  // Told as today (the DSL; the supervisor is the one asking), and the person it is for.
  const mail = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('subject', '=', 'Erin Lowe has asked for a supervision session for Ruth Quest')
    .execute()
  assert.deepEqual(mail.map((m) => m.to_address).sort(), ['dana.shah@oakfield.example', 'ruth.quest@oakfield.example'])

  // Pages say who asked, for whom.
  const ruthApp = await s.as('Ruth Quest')
  const page = await ruthApp.get(`/sessions/requests/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(textOf(page.body, '#asked-by'), /Asked by Erin Lowe for Ruth Quest/)
  assert.match(textOf(page.body, 'h1'), /Request for supervision for Ruth Quest/)
  assert.match(textOf((await ruthApp.get('/sessions/requests')).body, '#own'), /Asked by Erin Lowe for Ruth Quest/)
  assert.match(textOf((await erin.get('/sessions/requests')).body, '#own'), /Asked by Erin Lowe for Ruth Quest/)
  assert.match(
    textOf((await s.dsl.get('/sessions/requests')).body, '#to-answer'),
    /Asked by Erin Lowe for Ruth Quest.*Wellbeing/,
  )

  // Audited like other request changes.
  const audit = await s.database.db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', 'session-request.created')
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow()
  assert.equal(audit.actor_id, lead)
  assert.deepEqual(
    {
      onBehalfOf: (audit.detail as { onBehalfOf?: string }).onBehalfOf,
      requestedBy: (audit.detail as { requestedBy?: string }).requestedBy,
    },
    { onBehalfOf: ruth, requestedBy: lead },
  )

  // Declined by the DSL: both the person and whoever asked are told.
  const declined = await s.dsl.post(`/sessions/requests/${id}/decline`, { version: '1', reason: 'Booked elsewhere' })
  assert.equal(declined.statusCode, 303)
  const answered = await s.database.db
    .selectFrom('outbox_message')
    .select('to_address')
    .where('subject', '=', 'Your request for supervision has been answered')
    .execute()
  assert.deepEqual(answered.map((m) => m.to_address).sort(), [
    'erin.lowe@oakfield.example',
    'ruth.quest@oakfield.example',
  ])
})

test('CA-04: only someone who may book for the person may ask on their behalf', async () => {
  const s = await app('cornerstone')
  const lead = await s.add('Omar Lead', { roles: ['education-lead'] })
  const tess = await s.add('Tess Ward', { supervisorId: lead })
  await s.add('Colin League')
  const colin = await s.as('Colin League')

  // No one to ask for: no choice on the form.
  const form = await colin.get('/sessions/requests/new')
  assert.equal(html(form.body).querySelector('select[name=forPerson]'), null)

  const refused = await colin.post('/sessions/requests/new', { forPerson: tess, topic: 'wellbeing', note: '' })
  assert.equal(refused.statusCode, 400)
  assert.match(textOf(refused.body, '.govuk-error-summary'), /someone you supervise or line-manage/)
  assert.match(html(refused.body).querySelector('.govuk-error-summary a')?.getAttribute('href') ?? '', /#forPerson/)
  const rows = await s.database.db.selectFrom('session_request').select('id').where('requester_id', '=', tess).execute()
  assert.equal(rows.length, 0)

  // The DSL (who manages sessions) may ask for anyone of the school.
  const byDsl = await s.dsl.post('/sessions/requests/new', { forPerson: tess, topic: 'safeguarding', note: '' })
  assert.equal(byDsl.statusCode, 303)
  const id = requestIdFrom(byDsl.headers.location as string)
  // Whoever asked sees it; a stranger does not.
  assert.equal((await colin.get(`/sessions/requests/${id}`)).statusCode, 404)
  assert.equal((await s.dsl.get(`/sessions/requests/${id}`)).statusCode, 200)

  // Booked by the supervisor: the person and whoever asked for them are told.
  const omar = await s.as('Omar Lead')
  const booked = await omar.post('/sessions/new', {
    ...booking({ typeId: 'formal-unplanned', supervisorId: lead, superviseeIds: [tess], date: weekdayFromToday(4) }),
    request: id,
  })
  sessionIdFrom(booked)
  const told = await s.database.db
    .selectFrom('outbox_message')
    .select('to_address')
    .where('subject', '=', 'Your request for supervision: a session is booked')
    .execute()
  assert.deepEqual(told.map((m) => m.to_address).sort(), ['dana.shah@oakfield.example', 'tess.ward@oakfield.example'])
})

test('CA-04: asking for oneself still records the person as who asked', async () => {
  const s = await app('cornerstone')
  const lead = await s.add('Ana Lead', { roles: ['education-lead'] })
  const pat = await s.add('Pat Self', { supervisorId: lead })
  const res = await (await s.as('Pat Self')).post('/sessions/requests/new', { topic: 'wellbeing', note: '' })
  assert.equal(res.statusCode, 303)
  const row = await s.database.db
    .selectFrom('session_request')
    .selectAll()
    .where('id', '=', requestIdFrom(res.headers.location as string))
    .executeTakeFirstOrThrow()
  assert.equal(row.requester_id, pat)
  assert.equal(row.requested_by, pat)
  const page = await (await s.as('Pat Self')).get(`/sessions/requests/${row.id}`)
  assert.equal(html(page.body).querySelector('#asked-by'), null)
})
