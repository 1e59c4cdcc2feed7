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

  const recorderPage = (personId = s.supervisee.id) => `/staff/${personId}/change/supervisor/recorder`
  /** The date a choice takes effect, as the form's date input sends it. */
  const from = (iso: string) => dateFields('effectiveFrom', iso)

  async function session(
    over: { date?: string; typeId?: string; supervisors?: string[]; supervisees?: string[]; startTime?: string } = {},
  ): Promise<string> {
    return insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: over.typeId ?? 'formal-planned',
      date: over.date ?? today,
      startTime: over.startTime,
      supervisors: over.supervisors ?? [s.supervisor.id],
      supervisees: over.supervisees ?? [s.supervisee.id],
    })
  }

  async function assign(superviseeId: string, supervisorId: string) {
    await s.database.db
      .insertInto('supervision_assignment')
      .values({
        organisation_id: s.org.organisationId,
        supervisee_id: superviseeId,
        supervisor_id: supervisorId,
        kind: 'supervisor',
        starts_on: '2026-09-01',
      })
      .execute()
  }

  /** Starts the record of a session as `who`, and returns its id. */
  async function startedBy(who: RecordsTestApp['supervisor'], sessionId: string): Promise<string> {
    const started = await start(who, sessionId)
    assert.equal(started.statusCode, 303, `${who.name} starts the record`)
    return recordIdFrom(started.headers.location)
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

    const saved = await s.dsl.browser.post(recorderPage(), { recorder: 'supervisee', personId: '', ...from(today) })
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
    const missing = await s.dsl.browser.post(recorderPage(), { recorder: 'person', personId: '', ...from(today) })
    assert.equal(missing.statusCode, 400)
    assert.match(textOf(missing.body, '#personId-error'), /Select the person who completes the records/)
    const itself = await s.dsl.browser.post(recorderPage(), {
      recorder: 'person',
      personId: s.supervisee.id,
      ...from(today),
    })
    assert.equal(itself.statusCode, 400)

    const sessionId = await session()
    assert.equal((await s.bystander.browser.get(`/records/sessions/${sessionId}`)).statusCode, 403, 'not yet named')
    assert.equal(
      (await s.dsl.browser.post(recorderPage(), { recorder: 'person', personId: s.bystander.id, ...from(today) }))
        .statusCode,
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

  test('X-05: each choice is kept from its date; a record follows the choice in force on its session’s date (ADR 42)', async () => {
    // Until now: the bystander from today. Now also: the supervisee from 1 October.
    const blank = await s.dsl.browser.post(recorderPage(), {
      recorder: 'supervisee',
      personId: '',
      'effectiveFrom-day': '',
      'effectiveFrom-month': '',
      'effectiveFrom-year': '',
    })
    assert.equal(blank.statusCode, 400)
    assert.match(textOf(blank.body, '#effectiveFrom-error'), /Enter the date the change takes effect/)
    const tooEarly = await s.dsl.browser.post(recorderPage(), {
      recorder: 'supervisee',
      personId: '',
      ...from('2026-08-01'),
    })
    assert.equal(tooEarly.statusCode, 400)
    assert.match(
      textOf(tooEarly.body, '#effectiveFrom-error'),
      /must be the same as or after 1 September 2026, when Dana Ellis became their supervisor/,
    )
    const saved = await s.dsl.browser.post(recorderPage(), {
      recorder: 'supervisee',
      personId: '',
      ...from('2026-10-01'),
    })
    assert.equal(saved.statusCode, 303)
    const page = textOf((await s.dsl.browser.get(recorderPage())).body, 'main')
    assert.match(page, /23 November 2026 Tom Reed 1 October 2026 Priya Shah/)

    const september = await session({ date: '2026-09-21' })
    const october = await session({ date: '2026-10-12' })
    const november = await session({ date: '2026-11-23', startTime: '16:30' })
    // Before any choice: the supervisor.
    assert.equal((await start(s.supervisee, september)).statusCode, 403)
    assert.equal((await complete(s.supervisor, await startedBy(s.supervisor, september))).statusCode, 303)
    // From 1 October: the supervisee, though the bystander completes today's.
    const octoberRecord = await startedBy(s.supervisee, october)
    assert.equal((await complete(s.bystander, octoberRecord)).statusCode, 403)
    assert.equal((await complete(s.supervisee, octoberRecord)).statusCode, 303)
    assert.equal((await stored(octoberRecord)).completed_by, s.supervisee.id)
    const novemberRecord = await startedBy(s.bystander, november)
    assert.equal((await complete(s.supervisee, novemberRecord)).statusCode, 403)
    assert.equal((await complete(s.bystander, novemberRecord)).statusCode, 303)

    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('detail')
      .where('action', '=', 'supervision.recorder-set')
      .where('subject_id', '=', s.supervisee.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal((audit.detail as { effectiveFrom?: string }).effectiveFrom, '2026-10-01')
  })

  test('X-05: a group session is completed by its leader by default, or by the person named for its members', async () => {
    const lead = await s.person('Lena Lead', ['pastoral-lead'])
    const maya = await s.person('Maya Moss', ['pastoral-lead'])
    const pip = await s.person('Pip Price')
    await assign(maya.id, lead.id)
    await assign(pip.id, lead.id)
    const group = { typeId: 'group', supervisors: [lead.id], supervisees: [maya.id, pip.id] }

    const first = await session({ ...group, date: '2026-11-16' })
    assert.equal((await start(maya, first)).statusCode, 403, 'a member does not complete it by default')
    const firstRecord = await startedBy(lead, first)
    assert.equal((await complete(maya, firstRecord)).statusCode, 403)
    assert.equal((await complete(lead, firstRecord)).statusCode, 303, 'the group leader completes it')

    // The manager completes the form even in the group session she is supervised in.
    const saved = await s.dsl.browser.post(recorderPage(maya.id), {
      recorder: 'supervisee',
      personId: '',
      ...from('2026-11-17'),
    })
    assert.equal(saved.statusCode, 303)
    const second = await session({ ...group, date: '2026-11-18' })
    const secondRecord = await startedBy(maya, second)
    assert.equal((await complete(lead, secondRecord)).statusCode, 403, 'the leader no longer completes it')
    assert.equal((await complete(pip, secondRecord)).statusCode, 403)
    assert.equal((await complete(maya, secondRecord)).statusCode, 303)
    assert.equal((await stored(secondRecord)).completed_by, maya.id)
    assert.equal((await stored(firstRecord)).completed_by, lead.id, 'a completed record keeps who completed it')

    // A clerk named for Pip's relationship too: two different people named, so the leader again.
    assert.equal(
      (
        await s.dsl.browser.post(recorderPage(pip.id), {
          recorder: 'person',
          personId: s.bystander.id,
          ...from('2026-11-19'),
        })
      ).statusCode,
      303,
    )
    const third = await session({ ...group, date: '2026-11-20' })
    assert.equal((await complete(lead, await startedBy(lead, third))).statusCode, 303)
  })

  test('X-05, X-06: the records list offers a group session to the person who may complete it, never to two', async () => {
    const leader = await s.person('Gail Group', ['pastoral-lead'])
    const ana = await s.person('Ana Ash')
    const ben = await s.person('Ben Birch')
    const clerkA = await s.person('Cleo Clerk')
    const clerkB = await s.person('Colm Clerk')
    await assign(ana.id, leader.id)
    await assign(ben.id, leader.id)
    const name = async (memberId: string, clerkId: string, date: string) =>
      assert.equal(
        (await s.dsl.browser.post(recorderPage(memberId), { recorder: 'person', personId: clerkId, ...from(date) }))
          .statusCode,
        303,
      )
    const listed = async (who: RecordsTestApp['supervisor'], sessionId: string) =>
      (await who.browser.get('/records')).body.includes(`href="/records/sessions/${sessionId}"`)
    const group = { typeId: 'group', supervisors: [leader.id], supervisees: [ana.id, ben.id] }

    // Two different clerks named for the group's members: the leader completes it, so only she is offered it.
    await name(ana.id, clerkA.id, '2026-11-02')
    await name(ben.id, clerkB.id, '2026-11-02')
    const split = await session({ ...group, date: '2026-11-04' })
    assert.equal(await listed(leader, split), true, 'the leader is offered it')
    assert.equal(await listed(clerkA, split), false, 'a clerk who may not open it is not offered it')
    assert.equal(await listed(clerkB, split), false)
    assert.equal((await clerkA.browser.get(`/records/sessions/${split}`)).statusCode, 403)
    assert.equal((await start(clerkA, split)).statusCode, 403)
    assert.equal((await complete(leader, await startedBy(leader, split))).statusCode, 303)

    // From a later date one clerk is named for both: she is offered it, opens it and completes it.
    await name(ben.id, clerkA.id, '2026-11-09')
    const shared = await session({ ...group, date: '2026-11-11' })
    assert.equal(await listed(clerkA, shared), true, 'the one named clerk is offered it')
    assert.equal(await listed(clerkB, shared), false)
    assert.equal((await clerkA.browser.get(`/records/sessions/${shared}`)).statusCode, 200)
    const record = await startedBy(clerkA, shared)
    assert.equal((await complete(leader, record)).statusCode, 403)
    assert.equal((await complete(clerkA, record)).statusCode, 303)
    // The earlier session is still the leader's alone: the choice in force on its date decides.
    assert.equal(await listed(clerkA, split), false)
  })

  test('X-05: a manager completes the form even in her own session as supervisee, as she does in the sessions she leads; both parties still sign', async () => {
    const head = await s.person('Hal Head', ['headteacher'])
    const manager = await s.person('Mina Manager', ['pastoral-lead'])
    const report = await s.person('Rob Report')
    await assign(manager.id, head.id)
    await assign(report.id, manager.id)
    assert.equal(
      (
        await s.dsl.browser.post(recorderPage(manager.id), {
          recorder: 'supervisee',
          personId: '',
          ...from('2026-09-01'),
        })
      ).statusCode,
      303,
    )
    // Her own supervision, with the headteacher: she completes it, he does not.
    const own = await session({ date: '2026-11-09', supervisors: [head.id], supervisees: [manager.id] })
    const ownRecord = await startedBy(manager, own)
    assert.equal((await complete(head, ownRecord)).statusCode, 403)
    assert.equal((await complete(manager, ownRecord)).statusCode, 303)
    assert.deepEqual(await stored(ownRecord), { status: 'completed', completed_by: manager.id })
    assert.equal((await head.browser.get(`/records/${ownRecord}/sign`)).statusCode, 200, 'the headteacher signs')
    assert.equal((await manager.browser.get(`/records/${ownRecord}/sign`)).statusCode, 200, 'and so does she')
    // The supervision she gives her own report: she completes that too, as its supervisor.
    const given = await session({ date: '2026-11-10', supervisors: [manager.id], supervisees: [report.id] })
    const givenRecord = await startedBy(manager, given)
    assert.equal((await complete(report, givenRecord)).statusCode, 403)
    assert.equal((await complete(manager, givenRecord)).statusCode, 303)
  })

  test('X-05: the home page’s records to write and the records list follow the relationship’s choice on the session’s date (ADR 42)', async () => {
    const sam = await s.person('Sam Stone', ['pastoral-lead'])
    const tia = await s.person('Tia Todd')
    const cora = await s.person('Cora Clerk')
    await assign(tia.id, sam.id)
    const saved = await s.dsl.browser.post(recorderPage(tia.id), {
      recorder: 'person',
      personId: cora.id,
      ...from('2026-11-02'),
    })
    assert.equal(saved.statusCode, 303)
    const pair = { supervisors: [sam.id], supervisees: [tia.id] }
    const before = await session({ ...pair, date: '2026-10-26' })
    const named = await session({ ...pair, date: '2026-11-16' })
    const link = (id: string) => `href="/records/sessions/${id}"`

    const coraHome = (await cora.browser.get('/')).body
    assert.match(textOf(coraHome, 'main'), /Write the record of the/)
    assert.ok(coraHome.includes(link(named)), 'the named person is asked to write it')
    assert.ok(!coraHome.includes(link(before)), 'not a session from before the choice took effect')
    const samHome = (await sam.browser.get('/')).body
    assert.ok(samHome.includes(link(before)), 'the supervisor writes the one before')
    const samWrites = html(samHome)
      .querySelectorAll('a')
      .filter((a) => a.getAttribute('href') === `/records/sessions/${named}` && /Write the record/.test(a.textContent))
    assert.equal(samWrites.length, 0, 'the supervisor is not told to write the named person’s record')

    const coraList = (await cora.browser.get('/records')).body
    assert.ok(coraList.includes(`/records/sessions/${named}`), 'the records list shows it to the named person')
    assert.ok(!coraList.includes(`/records/sessions/${before}`))
  })
})
