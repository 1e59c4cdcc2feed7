/**
 * Issue 14: policy settings that change what Haven does, seen through its pages. Each test sets
 * the setting in the school's policy (an invented value as well as the pack's) and watches the
 * behaviour follow it.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { html, textOf } from '../helpers/html.ts'
import { insertSession, recordIdFrom, recordsTestApp } from '../helpers/records.ts'
import { insertPlannedSession, type SessionsApp, sessionsApp, today, weekdayFromToday } from './sessions-support.ts'

/** Sets one value of the school's policy in force, at a JSON path like `{cancellation,reasonRequired}`. */
async function setPolicy(s: SessionsApp, path: string, value: unknown) {
  await sql`update policy_version set document = jsonb_set(document, ${path}::text[], ${JSON.stringify(value)}::jsonb)`.execute(
    s.database.db,
  )
}

function bookFor(s: SessionsApp, superviseeId: string, days: number) {
  return insertPlannedSession(s, {
    typeId: 'formal-planned',
    date: weekdayFromToday(days),
    supervisorId: s.dslId,
    superviseeIds: [superviseeId],
  })
}

test('MW-06: the cancel form asks for a reason only when the policy requires one', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const pat = await s.add('Pat Mills', { pastoral: true })
  const required = await bookFor(s, pat, 10)
  const optional = await bookFor(s, pat, 11)

  // Cornerstone requires a reason (the default).
  const refused = await s.dsl.post(`/sessions/${required}/cancel`, { version: '1', reasonId: '', reasonNote: '' })
  assert.equal(refused.statusCode, 400)
  assert.match(textOf(refused.body, '#reasonId-error'), /Select a reason for cancelling the session/)

  await setPolicy(s, '{cancellation,reasonRequired}', false)
  const form = await s.dsl.get(`/sessions/${optional}/cancel`)
  assert.match(textOf(form.body, 'legend'), /Why is it being cancelled\? \(optional\)/)
  const done = await s.dsl.post(`/sessions/${optional}/cancel`, { version: '1', reasonId: '', reasonNote: '' })
  assert.equal(done.statusCode, 303)
  const list = await s.dsl.get('/sessions/cancellations')
  assert.match(textOf(list.body, '#cancellations'), /No reason given/)
  const madeUp = await s.dsl.post(`/sessions/${required}/cancel`, { version: '1', reasonId: 'whim', reasonNote: '' })
  assert.equal(madeUp.statusCode, 400, 'a reason the policy does not list is still refused')
})

test('MW-06: the roles the policy names see every cancellation of the school; others see only their own sessions', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const pat = await s.add('Pat Mills', { pastoral: true })
  await s.add('Hal Head', { roles: ['headteacher'] })
  await s.add('Cass Teacher', { roles: ['class-teacher'] })
  const id = await bookFor(s, pat, 10)
  await s.dsl.post(`/sessions/${id}/cancel`, { version: '1', reasonId: 'unavoidable-circumstances', reasonNote: '' })
  const head = await s.as('Hal Head')
  const teacher = await s.as('Cass Teacher')

  // Cornerstone: the DSL (who also manages sessions) sees them; the headteacher does not.
  assert.equal((await s.dsl.get('/sessions/cancellations')).statusCode, 200)
  assert.equal((await head.get('/sessions/cancellations')).statusCode, 403)
  assert.doesNotMatch(textOf((await head.get('/sessions')).body, 'main'), /Sessions that did not take place/)

  // An invented policy that names the headteacher.
  await setPolicy(s, '{cancellation,visibleTo}', ['headteacher'])
  const list = await head.get('/sessions/cancellations')
  assert.equal(list.statusCode, 200)
  assert.match(textOf(list.body, '#cancellations'), /Pat Mills/)
  const links = html((await head.get('/sessions')).body)
    .querySelectorAll('main a')
    .map((a) => a.text.trim())
  assert.ok(links.includes('Sessions that did not take place'))
  assert.equal((await teacher.get('/sessions/cancellations')).statusCode, 403)
})

test('CA-05: the standing groups of the policy are listed with their leaders and members, and a meeting is booked with them chosen', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const head = await s.add('Hal Head', { roles: ['headteacher'], trained: true })
  const tutor = await s.add('Tam Tutor', { roles: ['form-tutor'] })
  await s.add('Cass Teacher', { roles: ['class-teacher'] })
  const headBrowser = await s.as('Hal Head')

  assert.match(textOf((await headBrowser.get('/sessions')).body, 'main'), /Supervision groups/)
  const page = await headBrowser.get('/sessions/groups')
  assert.equal(page.statusCode, 200)
  const tutors = textOf(page.body, '#group-ca-tutors')
  assert.match(tutors, /Tutors/)
  assert.match(tutors, /Hal Head/)
  assert.match(tutors, /Members\s*Tam Tutor/)
  assert.doesNotMatch(tutors, /Cass Teacher/)
  assert.match(textOf(page.body, '#group-ca-send-team'), /Chosen for each meeting/)

  // The headteacher does not book sessions; the DSL, who manages them, books a meeting of the group.
  assert.doesNotMatch(textOf(page.body, 'main'), /Book a meeting/)
  const dslPage = html((await s.dsl.get('/sessions/groups')).body)
  assert.equal(
    dslPage.querySelector('#group-ca-tutors a.govuk-button')?.getAttribute('href'),
    '/sessions/new?group=ca-tutors',
  )
  const form = await s.dsl.get('/sessions/new?group=ca-tutors')
  assert.equal(form.statusCode, 200)
  const doc = html(form.body)
  assert.equal(doc.querySelector('input[name=typeId][checked]')?.getAttribute('value'), 'group')
  assert.deepEqual(
    doc.querySelectorAll('input[name=superviseeIds][checked]').map((e) => e.getAttribute('value')),
    [tutor],
  )
  assert.equal(doc.querySelector('select[name=supervisorId] option[selected]')?.getAttribute('value'), head)
  assert.match(textOf(form.body, 'main'), /This books a meeting of the Tutors group/)
  assert.equal((await s.dsl.get('/sessions/new?group=no-such-group')).statusCode, 404)

  // A policy with no groups shows none.
  await setPolicy(s, '{standingGroups}', [])
  assert.doesNotMatch(textOf((await headBrowser.get('/sessions')).body, 'main'), /Supervision groups/)
  assert.match(
    textOf((await headBrowser.get('/sessions/groups')).body, 'main'),
    /does not set up any standing supervision groups/,
  )
})

test('CA-04, LH-04: who may ask for supervision follows the policy, and the further support the school offers is shown beside it', async (t) => {
  const s = await sessionsApp(t, 'ashbury-meadow')
  await s.add('Nia Nobody', { roles: ['class-teacher'] })
  await s.add('Sam Supervised', { roles: ['class-teacher'], supervisorId: s.dslId })
  const nobody = await s.as('Nia Nobody')
  const supervised = await s.as('Sam Supervised')

  // Ashbury Meadow does not let every member of staff ask: someone with no supervisor is told why.
  const closed = await nobody.get('/sessions/requests/new')
  assert.match(textOf(closed.body, '#not-open'), /only staff who have a supervisor or line manager can ask/)
  assert.equal(html(closed.body).querySelector('main form'), null)
  const refused = await nobody.post('/sessions/requests/new', { topic: 'immediate case issues', note: '' })
  assert.equal(refused.statusCode, 400)
  assert.match(textOf(refused.body, 'main'), /only staff who have a supervisor/)
  assert.ok(html((await supervised.get('/sessions/requests/new')).body).querySelector('main form'))

  // An invented change: any member of staff may ask, and the school offers further support.
  await setPolicy(s, '{requests,anyStaffMayRequest}', true)
  await setPolicy(s, '{furtherSupport}', [
    {
      id: 'counselling',
      name: 'Counselling',
      providedBy: 'The school counsellor',
      description: 'Up to six confidential sessions',
    },
  ])
  const open = await nobody.get('/sessions/requests/new')
  assert.ok(html(open.body).querySelector('main form'))
  assert.match(
    textOf(open.body, '#further-support'),
    /Counselling: Up to six confidential sessions\. Who provides it: The school counsellor/,
  )
})

test('LH-07: a new line manager needs a handover note when the policy asks for a handover, and not otherwise', async (t) => {
  const s = await sessionsApp(t, 'lode-heath')
  const outgoing = await s.add('Olwen Price', { roles: ['year-head'] })
  const incoming = await s.add('Ifan Rees', { roles: ['pastoral-lead'] })
  const teacher = await s.add('Tess Ward', { lineManagerId: outgoing })
  const [year, month, day] = today.split('-')
  const change = (note: string) =>
    s.dsl.post(`/staff/${teacher}/change/line-manager`, {
      supervisorId: incoming,
      'effectiveOn-day': String(Number(day)),
      'effectiveOn-month': String(Number(month)),
      'effectiveOn-year': year as string,
      note,
    })

  // Lode Heath asks for a handover (LH-07).
  const noNote = await change('')
  assert.equal(noNote.statusCode, 400)
  assert.match(textOf(noNote.body, '#note-error'), /Enter a handover note/)
  assert.doesNotMatch(
    textOf((await s.dsl.get(`/staff/${teacher}/change/line-manager`)).body, 'main'),
    /Handover note \(optional\)/,
  )

  // A policy that does not: the note is optional, and the change is still recorded.
  await setPolicy(s, '{practice,handoverOnLineManagerChange}', false)
  assert.match(
    textOf((await s.dsl.get(`/staff/${teacher}/change/line-manager`)).body, 'main'),
    /Handover note \(optional\)/,
  )
  assert.equal((await change('')).statusCode, 303)
  const row = await s.database.db
    .selectFrom('person')
    .select('line_manager_id')
    .where('id', '=', teacher)
    .executeTakeFirstOrThrow()
  assert.equal(row.line_manager_id, incoming)
})

test('CA-07, CA-10, LH-04: the record page shows what the school’s policy asks of the record, for the person reading it', async (t) => {
  const s = await recordsTestApp({ after: (fn) => t.after(fn) }, { pack: 'cornerstone' })
  const sessionId = await insertSession(s.database.db, {
    schoolId: s.org.schoolId,
    typeId: 'formal-planned',
    date: addDays(today, -7),
    status: 'planned',
    supervisors: [s.supervisor.id],
    supervisees: [s.supervisee.id],
  })
  const hub = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
  const template = html(hub.body).querySelector('input[name=template]')?.getAttribute('value') as string
  const started = await s.supervisor.browser.post(
    `/records/sessions/${sessionId}/start`,
    { template },
    { formPage: `/records/sessions/${sessionId}` },
  )
  const recordId = recordIdFrom(started.headers.location)
  const guidance = textOf((await s.supervisor.browser.get(`/records/${recordId}`)).body, '#policy-guidance')
  assert.match(guidance, /Order of business\s*Take these in this order:\s*Tasks from the previous meeting/)
  assert.match(guidance, /Record the details of each case discussed on the child’s own safeguarding record as well/)
  assert.match(guidance, /Who else may see it/)
  assert.doesNotMatch(guidance, /Further support/)

  // An invented change: the school offers further support, and no longer sets an order of business.
  await sql`update policy_version set document = jsonb_set(jsonb_set(document, '{furtherSupport}', ${JSON.stringify([
    {
      id: 'eap',
      name: 'Employee assistance line',
      providedBy: 'The trust',
      description: 'Free and confidential, day and night',
    },
  ])}::jsonb), '{practice,sessionOutline}', '[]'::jsonb)`.execute(s.database.db)
  const after = textOf((await s.supervisor.browser.get(`/records/${recordId}`)).body, '#policy-guidance')
  assert.match(after, /Employee assistance line \(the trust\): Free and confidential, day and night/)
  assert.doesNotMatch(after, /Order of business/)
})
