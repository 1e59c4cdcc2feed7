/**
 * Issue 14: the person who completes the record is chosen per relationship, not always the
 * supervisor: the supervisor by default, the supervisee (a manager completes the form even
 * in her own session as supervisee), or a named person, who may then open it and complete
 * it. Signing stays with the supervisor and supervisee. The app's clock is set.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { html, textOf } from '../helpers/html.ts'
import {
  dateFields,
  formValues,
  insertSession,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

const now = new Date('2026-11-23T10:00:00Z')
const today = '2026-11-23'

describe('who completes the record (issue 14)', () => {
  let s: RecordsTestApp
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone', clock: () => now })
    await s.database.db
      .insertInto('supervision_assignment')
      .values({
        organisation_id: s.org.organisationId,
        supervisee_id: s.supervisee.id,
        supervisor_id: s.supervisor.id,
        kind: 'supervisor',
        starts_on: '2026-09-01',
      })
      .execute()
  })

  const recorderPage = () => `/staff/${s.supervisee.id}/change/supervisor/recorder`

  async function session(): Promise<string> {
    return insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
  }

  async function start(who: RecordsTestApp['supervisor'], sessionId: string) {
    return who.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
  }

  async function complete(who: RecordsTestApp['supervisor'], recordId: string) {
    const page = (await who.browser.get(`/records/${recordId}`)).body
    const values = html(page).querySelector('#record-form') ? formValues(page) : { draftVersion: '1' }
    return who.browser.post(
      `/records/${recordId}/complete`,
      { ...values, summary: 'Workload and one family.', supervisionType: 'formal', progressOnTasks: 'First session' },
      { formPage: `/records/${recordId}` },
    )
  }

  async function stored(recordId: string) {
    return s.database.db
      .selectFrom('supervision_record')
      .select(['status', 'completed_by'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
  }

  test('X-05: by default the supervisor completes the record; the supervisee does not', async () => {
    const recordId = recordIdFrom((await start(s.supervisor, await session())).headers.location)
    assert.equal((await complete(s.supervisee, recordId)).statusCode, 403)
    assert.equal((await complete(s.supervisor, recordId)).statusCode, 303)
    assert.equal((await stored(recordId)).completed_by, s.supervisor.id)
  })

  test('X-05: set on the relationship, the supervisee completes the record of her own session; both still sign', async () => {
    const page = await s.dsl.browser.get(recorderPage())
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body, 'main'), /Both of them still sign each record/)
    const person = await s.dsl.browser.get(`/staff/${s.supervisee.id}`)
    assert.ok(person.body.includes(`href="${recorderPage()}"`), textOf(person.body, 'main'))

    const saved = await s.dsl.browser.post(recorderPage(), { recorder: 'supervisee', personId: '' })
    assert.equal(saved.statusCode, 303)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'supervision.recorder-set')
      .where('subject_id', '=', s.supervisee.id)
      .execute()
    assert.equal(audit.length, 1)

    const sessionId = await session()
    // The supervisee may start and write it now, whatever the policy's default.
    const started = await start(s.supervisee, sessionId)
    assert.equal(started.statusCode, 303)
    const recordId = recordIdFrom(started.headers.location)
    assert.ok(html((await s.supervisee.browser.get(`/records/${recordId}`)).body).querySelector('#record-form'))
    assert.equal((await complete(s.supervisor, recordId)).statusCode, 403, 'the supervisor no longer completes it')
    assert.equal((await complete(s.supervisee, recordId)).statusCode, 303)
    const record = await stored(recordId)
    assert.deepEqual(record, { status: 'completed', completed_by: s.supervisee.id })
    // Signing stays with both parties.
    const signPage = await s.supervisor.browser.get(`/records/${recordId}/sign`)
    assert.equal(signPage.statusCode, 200)
    assert.match(textOf((await s.supervisor.browser.get(`/records/${recordId}`)).body, 'main'), /Dana Ellis/)
  })

  test('X-06: a named person may open and complete the record; nobody else gains access', async () => {
    const missing = await s.dsl.browser.post(recorderPage(), { recorder: 'person', personId: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(textOf(missing.body, '#personId-error'), /Select the person who completes the records/)
    const itself = await s.dsl.browser.post(recorderPage(), { recorder: 'person', personId: s.supervisee.id })
    assert.equal(itself.statusCode, 400)

    const sessionId = await session()
    assert.equal((await s.bystander.browser.get(`/records/sessions/${sessionId}`)).statusCode, 403, 'not yet named')
    assert.equal(
      (await s.dsl.browser.post(recorderPage(), { recorder: 'person', personId: s.bystander.id })).statusCode,
      303,
    )
    assert.equal((await s.bystander.browser.get(`/records/sessions/${sessionId}`)).statusCode, 200)
    const started = await start(s.bystander, sessionId)
    assert.equal(started.statusCode, 303)
    const recordId = recordIdFrom(started.headers.location)
    assert.equal((await complete(s.supervisor, recordId)).statusCode, 403)
    assert.equal((await complete(s.bystander, recordId)).statusCode, 303)
    assert.equal((await stored(recordId)).completed_by, s.bystander.id)
    assert.equal((await s.headteacher.browser.get(`/records/${recordId}`)).statusCode, 403)
    // The named person is not a party: they do not sign.
    const signers = await s.database.db
      .selectFrom('record_signature')
      .select('person_id')
      .where('record_id', '=', recordId)
      .execute()
    assert.equal(signers.length, 0)
  })

  test('X-05: chosen per session at booking: the supervisee completes this session’s record', async () => {
    // The DSL leads this session: no relationship between them says who records.
    const booked = await s.dsl.browser.post(
      '/sessions/new',
      {
        typeId: 'formal-planned',
        supervisorId: s.dsl.id,
        superviseeIds: [s.supervisee.id],
        ...dateFields('date', '2026-11-25'),
        startTime: '10:00',
        durationMinutes: '60',
        venue: 'Meeting room 2',
        onlineLink: '',
        recorder: 'supervisee',
        confirmed: 'yes',
      },
      { formPage: '/sessions/new' },
    )
    assert.equal(booked.statusCode, 303, textOf(booked.body, '.govuk-error-summary'))
    const sessionId = /\/sessions\/([0-9a-f-]{36})/.exec(String(booked.headers.location))![1]!
    const row = await s.database.db
      .selectFrom('supervision_session')
      .select('recorder_id')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow()
    assert.equal(row.recorder_id, s.supervisee.id)
    const started = await start(s.supervisee, sessionId)
    assert.equal(started.statusCode, 303, 'the supervisee starts the record')
    const recordId = recordIdFrom(started.headers.location)
    assert.equal((await complete(s.dsl, recordId)).statusCode, 403, 'the session’s supervisor does not complete it')
    assert.equal((await complete(s.supervisee, recordId)).statusCode, 303)
  })

  test('only people who manage staff choose who completes the records', async () => {
    assert.equal((await s.supervisor.browser.get(recorderPage())).statusCode, 403)
    assert.equal((await s.dsl.browser.get(`/staff/${s.bystander.id}/change/supervisor/recorder`)).statusCode, 404)
  })
})
