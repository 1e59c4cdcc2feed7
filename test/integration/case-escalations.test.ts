/**
 * Case escalation (LH-10; issue 17): a case that is not progressing, or where multi-agency working
 * is ineffective, is escalated through the local partnership's dispute-resolution stages (Lode
 * Heath's policy), from a record or on its own; the DSL moves it through the stages and records
 * the outcome; reminders go out once at each stage's deadline; only the DSL and the person who
 * raised it see its content, management counts only.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  escalationCounts,
  openCaseEscalationCount,
  sendCaseEscalationReminders,
} from '../../src/services/escalations/case-escalations.ts'
import { completedRecord, hidden, insertSession, type RecordsTestApp, recordsTestApp } from '../helpers/records.ts'

// Monday 11 January 2027: the first stage (5 working days) is due on Monday 18 January.
const now = new Date('2027-01-11T10:00:00Z')
const today = '2027-01-11'

async function aRecord(s: RecordsTestApp): Promise<string> {
  const sessionId = await insertSession(s.database.db, {
    schoolId: s.org.schoolId,
    typeId: 'one-to-one',
    date: today,
    supervisors: [s.supervisor.id],
    supervisees: [s.supervisee.id],
  })
  const { recordId } = await completedRecord(s.database.db, {
    sessionId,
    schoolId: s.org.schoolId,
    date: today,
    supervisor: { personId: s.supervisor.id, name: s.supervisor.name, organisationId: s.org.organisationId },
    summary: 'Discussed a case that is stuck',
    mailer: { baseUrl: 'http://localhost' },
  })
  return recordId
}

function idFrom(location: unknown): string {
  const match = /\/escalations\/([0-9a-f-]{36})$/.exec(String(location))
  assert.ok(match, `redirected to an escalation: ${String(location)}`)
  return match[1]!
}

async function reminders(s: RecordsTestApp) {
  return s.database.db
    .selectFrom('outbox_message')
    .select(['to_address', 'subject', 'text_body'])
    .where('subject', '=', 'A case escalation has reached its stage deadline')
    .execute()
}

describe('LH-10: case escalation', () => {
  const state: { s?: RecordsTestApp } = {}
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    state.s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'lode-heath', clock: () => now })
  })
  const ids: { fromRecord?: string; standalone?: string } = {}

  test('LH-10: the supervisor escalates a case from a record; errors name the fields', async () => {
    const s = state.s!
    const recordId = await aRecord(s)
    const recordPage = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(recordPage.body, new RegExp(`href="/escalations/new\\?record=${recordId}"`))
    const superviseesPage = await s.supervisee.browser.get(`/records/${recordId}`)
    assert.doesNotMatch(superviseesPage.body, /\/escalations\/new/, 'the supervisee has no link to escalate')
    const refused = await s.supervisee.browser.get(`/escalations/new?record=${recordId}`)
    assert.equal(refused.statusCode, 403)
    const form = await s.supervisor.browser.get(`/escalations/new?record=${recordId}`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /Practitioner to practitioner/)
    assert.equal(hidden(form.body, 'record'), recordId)

    const bad = await s.supervisor.browser.post('/escalations/new', {
      record: recordId,
      reason: '',
      otherAgency: '',
      summary: '',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /There is a problem/)
    assert.match(bad.body, /Select why the case is being escalated/)
    assert.match(bad.body, /Enter the other agency/)

    const raised = await s.supervisor.browser.post('/escalations/new', {
      record: recordId,
      reason: 'not-progressing',
      otherAgency: 'Children’s social care',
      summary: 'No strategy meeting after three referrals.',
    })
    assert.equal(raised.statusCode, 303)
    ids.fromRecord = idFrom(raised.headers.location)
    const row = await s.database.db
      .selectFrom('case_escalation')
      .selectAll()
      .where('id', '=', ids.fromRecord)
      .executeTakeFirstOrThrow()
    assert.equal(row.record_id, recordId)
    assert.equal(row.stage_id, 'practitioner')
    const page = await s.supervisor.browser.get(`/escalations/${ids.fromRecord}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /No strategy meeting after three referrals/)
    assert.match(page.body, /18 January 2027/, 'the first stage is due after 5 working days')
    assert.doesNotMatch(page.body, /Save the outcome/, 'only the DSL moves it and records the outcome')
  })

  test('LH-10: the DSL escalates a case on its own; a class teacher may not, even from nothing', async () => {
    const s = state.s!
    const refused = await s.bystander.browser.get('/escalations/new')
    assert.equal(refused.statusCode, 403)
    const raised = await s.dsl.browser.post('/escalations/new', {
      record: '',
      reason: 'multi-agency',
      otherAgency: 'Community health',
      summary: 'Health visitor not attending core groups.',
    })
    assert.equal(raised.statusCode, 303)
    ids.standalone = idFrom(raised.headers.location)
    const list = await s.dsl.browser.get('/escalations')
    assert.match(list.body, /Community health/)
    assert.match(list.body, /Children’s social care/)
    const supervisorsList = await s.supervisor.browser.get('/escalations')
    assert.doesNotMatch(supervisorsList.body, /Community health/, 'others see only what they raised')
  })

  test('LH-10: a headteacher and a supervisee are refused the content; management gets counts only', async () => {
    const s = state.s!
    for (const who of [s.headteacher, s.supervisee, s.bystander]) {
      const page = await who.browser.get(`/escalations/${ids.fromRecord}`)
      assert.equal(page.statusCode, 403)
      assert.doesNotMatch(page.body, /strategy meeting/)
      const list = await who.browser.get('/escalations')
      assert.doesNotMatch(list.body, /social care|Community health/)
    }
    assert.deepEqual(await escalationCounts(s.database.db, s.org.schoolId, '2027-01-01', '2027-01-31'), {
      raised: 2,
      resolved: 0,
      open: 2,
    })
  })

  test('LH-10: the DSL’s overview shows how many escalations are open, with a link', async () => {
    const s = state.s!
    assert.equal(await openCaseEscalationCount(s.database.db, s.org.schoolId), 2)
    const overview = await s.dsl.browser.get('/overview')
    assert.equal(overview.statusCode, 200)
    assert.match(overview.body, /2 open case escalations/)
    assert.match(overview.body, /href="\/escalations"/)
  })

  test('LH-10: reminders go out once at each stage’s deadline, not before', async () => {
    const s = state.s!
    const db = s.database.db
    await db.deleteFrom('outbox_message').execute()
    assert.equal(await sendCaseEscalationReminders(db, { today: '2027-01-15', baseUrl: 'http://localhost' }), 0)
    const first = await sendCaseEscalationReminders(db, { today: '2027-01-18', baseUrl: 'http://localhost' })
    assert.ok(first > 0)
    assert.equal(await sendCaseEscalationReminders(db, { today: '2027-01-18', baseUrl: 'http://localhost' }), 0)
    assert.equal(await sendCaseEscalationReminders(db, { today: '2027-01-19', baseUrl: 'http://localhost' }), 0)
    const sent = await reminders(s)
    // The record's escalation: the DSL and the supervisor who raised it; the DSL's own: the DSL once.
    assert.equal(sent.filter((m) => m.to_address === s.dsl.email).length, 2)
    assert.equal(sent.filter((m) => m.to_address === s.supervisor.email).length, 1)
    assert.ok(
      sent.every((m) => !/strategy meeting|Community health/.test(m.text_body)),
      'no content in emails',
    )
  })

  test('LH-10: the DSL moves it to the next stage, which is reminded at its own deadline, then records the outcome', async () => {
    const s = state.s!
    const db = s.database.db
    const page = await s.dsl.browser.get(`/escalations/${ids.fromRecord}`)
    const version = hidden(page.body, 'version')
    const moved = await s.dsl.browser.post(`/escalations/${ids.fromRecord}/stage`, { version, note: 'No reply' })
    assert.equal(moved.statusCode, 303)
    const stale = await s.dsl.browser.post(`/escalations/${ids.fromRecord}/stage`, { version, note: '' })
    assert.equal(stale.statusCode, 409, 'an edit from an old page is refused')
    const row = await db
      .selectFrom('case_escalation')
      .selectAll()
      .where('id', '=', ids.fromRecord!)
      .executeTakeFirstOrThrow()
    assert.equal(row.stage_id, 'manager')

    // Moved on 11 January (the app's clock): manager stage, 5 working days, due 18 January.
    const again = await sendCaseEscalationReminders(db, { today: '2027-01-18', baseUrl: 'http://localhost' })
    assert.equal(again, 2, 'the new stage is reminded to the DSL and the supervisor')

    const after = await s.dsl.browser.get(`/escalations/${ids.fromRecord}`)
    assert.match(after.body, /Manager to manager/)
    const noOutcome = await s.dsl.browser.post(`/escalations/${ids.fromRecord}/outcome`, {
      version: hidden(after.body, 'version'),
      outcome: '',
      note: '',
    })
    assert.equal(noOutcome.statusCode, 400)
    assert.match(noOutcome.body, /Select the outcome of the escalation/)
    const closed = await s.dsl.browser.post(`/escalations/${ids.fromRecord}/outcome`, {
      version: hidden(after.body, 'version'),
      outcome: 'resolved',
      note: 'Strategy meeting held.',
    })
    assert.equal(closed.statusCode, 303)
    assert.deepEqual(await escalationCounts(db, s.org.schoolId, '2027-01-01', '2027-01-31'), {
      raised: 2,
      resolved: 1,
      open: 1,
    })
    assert.equal(
      await sendCaseEscalationReminders(db, { today: '2027-02-01', baseUrl: 'http://localhost' }),
      0,
      'a closed escalation is not reminded; the open one at the same stage is not reminded twice',
    )
    const audit = await db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', ids.fromRecord!)
      .execute()
    const actions = audit.map((a) => a.action)
    for (const action of [
      'case-escalation.raise',
      'case-escalation.read',
      'case-escalation.stage',
      'case-escalation.outcome',
    ])
      assert.ok(actions.includes(action), action)
  })
})
