/**
 * Issue 15 item 4: records are private, not confidential (CA-09, AM-05, MW-10), and item 1's
 * child chosen from the pupil register. On The Cornerstone Academy's policy a supervisor shares a
 * signed record, or chosen parts of it, with their own line manager or the DSL, for a reason the
 * policy lists; the supervisee is told before (a two-day notice period) by email and on the
 * record page; the named person opens exactly the shared part, audited; nobody else can; the
 * share is withdrawn. The headteacher's pages hold no record content (MW-10). One app for the file.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { insertPupils } from '../../src/db/repositories/children.ts'
import { recordByIdAcrossOrganisations as loadRecord } from '../../src/db/repositories/records/records.ts'
import { completeRecord, signRecord } from '../../src/services/records/records.ts'
import { signedRecord } from '../helpers/development-plan.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  formValues,
  insertSession,
  passStepUp,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

const start = new Date('2027-01-11T10:00:00Z')
const today = '2027-01-11'
const clock = { now: start }
const day = 24 * 60 * 60 * 1000

const REVIEW = 'SHARE-REVIEW-MARKER'
const OTHER = 'SHARE-OTHER-MARKER'

describe('CA-09: sharing a signed record with a named person, the supervisee told', () => {
  const state: { s?: RecordsTestApp; recordId?: string; manager?: Awaited<ReturnType<RecordsTestApp['person']>> } = {}
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    const s = await recordsTestApp(
      { after: (fn) => void cleanup.push(fn) },
      { pack: 'cornerstone', clock: () => clock.now },
    )
    const manager = await s.person('Lena Marsh', ['class-teacher'])
    await s.database.db
      .updateTable('person')
      .set({ line_manager_id: manager.id })
      .where('id', '=', s.supervisor.id)
      .execute()
    state.recordId = await signedRecord(s.database.db, {
      organisationId: s.org.organisationId,
      schoolId: s.org.schoolId,
      date: today,
      typeId: 'formal-planned',
      template: 'ca-supervision-record',
      supervisor: s.supervisor,
      supervisee: s.supervisee,
      values: { supervisionType: 'formal', progressOnTasks: 'Steady', summary: REVIEW, otherSupportNeeds: OTHER },
    })
    state.s = s
    state.manager = manager
  })
  const outbox = () =>
    state.s!.database.db.selectFrom('outbox_message').select(['to_address', 'subject', 'text_body']).execute()

  test('CA-09, AM-05: only the supervisor shares; the people offered are the policy’s, the reasons its exceptions', async () => {
    const { s, recordId, manager } = { ...state, s: state.s! }
    const url = `/records/${recordId}/share`
    for (const who of [s.supervisee, s.bystander, s.headteacher])
      assert.equal((await who.browser.get(url)).statusCode, 403, who.name)
    const page = await s.supervisor.browser.get(url)
    assert.equal(page.statusCode, 200)
    const options = html(page.body)
      .querySelectorAll('#recipient option')
      .map((o) => o.textContent)
    assert.ok(
      options.some((o) => o.includes(manager!.name) && o.includes('your line manager')),
      options.join('|'),
    )
    assert.ok(options.some((o) => o.includes(s.dsl.name)))
    for (const no of [s.supervisee.name, s.supervisor.name, s.bystander.name, s.headteacher.name])
      assert.ok(!options.some((o) => o.includes(no)), no)
    const reasons = html(page.body)
      .querySelectorAll('input[name="reason"]')
      .map((i) => i.getAttribute('value'))
    assert.deepEqual(reasons, ['safeguard-child', 'safeguard-staff'])

    const refused = await s.supervisor.browser.post(url, { recipient: s.bystander.id, reason: 'gossip', note: '' })
    assert.equal(refused.statusCode, 400)
    const summary = textOf(refused.body, '.govuk-error-summary')
    assert.match(summary, /Select who to share the record with/)
    assert.match(summary, /Select the reason for sharing the record/)
    assert.match(summary, /Enter why you are sharing the record/)
    // The supervisee cannot share it, whatever they send.
    const bySupervisee = await s.supervisee.browser.post(
      url,
      { recipient: manager!.id, reason: 'safeguard-staff', note: 'x', scope: 'whole' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(bySupervisee.statusCode, 403)
  })

  test('CA-09: shared with the line manager, the supervisee is told at once by email and on the record, with who and why', async () => {
    const { s, recordId, manager } = { ...state, s: state.s! }
    const res = await s.supervisor.browser.post(`/records/${recordId}/share`, {
      recipient: manager!.id,
      reason: 'safeguard-staff',
      note: 'Concern for Priya’s wellbeing after the incident',
      scope: 'parts',
      parts: ['review'],
    })
    assert.equal(res.statusCode, 303, textOf(res.body, '.govuk-error-summary'))
    const mail = await outbox()
    const toSupervisee = mail.find((m) => m.to_address === s.supervisee.email && /being shared/.test(m.subject))
    assert.ok(toSupervisee, 'the supervisee is emailed')
    assert.match(toSupervisee.text_body, new RegExp(manager!.name))
    assert.match(toSupervisee.text_body, /To safeguard a member of staff/)
    assert.match(toSupervisee.text_body, /can open it from/)
    assert.ok(mail.some((m) => m.to_address === manager!.email && /shared with you/.test(m.subject)))
    for (const m of mail)
      assert.ok(!m.text_body.includes(REVIEW) && !m.text_body.includes(OTHER), 'no content by email')
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_id'])
      .where('action', '=', 'record.share')
      .execute()
    assert.deepEqual(
      audit.map((a) => a.actor_id),
      [s.supervisor.id],
    )

    const page = await s.supervisee.browser.get(`/records/${recordId}`)
    const shared = textOf(page.body, 'main')
    assert.match(shared, /Who this record is shared with/)
    assert.match(shared, new RegExp(manager!.name))
    assert.match(shared, /To safeguard a member of staff/)
    assert.match(shared, /Concern for Priya’s wellbeing/)
    assert.match(shared, /Notice period/)
  })

  test('CA-09: the named person opens only the shared part once the notice has passed; nobody else opens it', async () => {
    const { s, recordId, manager } = { ...state, s: state.s! }
    const share = await s.database.db.selectFrom('record_share').select('id').executeTakeFirstOrThrow()
    const url = `/records/shared/${share.id}`
    const early = await manager!.browser.get(url)
    assert.equal(early.statusCode, 403, 'told before: the named person waits out the notice period')
    assert.ok(!early.body.includes(REVIEW))

    clock.now = new Date(start.getTime() + 2 * day)
    const list = await manager!.browser.get('/records/shared')
    assert.equal(list.statusCode, 200)
    assert.match(textOf(list.body, 'main'), new RegExp(s.supervisor.name))
    const opened = await manager!.browser.get(url)
    assert.equal(opened.statusCode, 200)
    assert.ok(opened.body.includes(REVIEW), 'the shared part is shown')
    assert.ok(!opened.body.includes(OTHER), 'a part not shared is not')
    const opens = await s.database.db
      .selectFrom('audit_event')
      .select(['detail'])
      .where('action', '=', 'record.open')
      .where('actor_id', '=', manager!.id)
      .execute()
    assert.equal(opens.length, 1)
    assert.match(JSON.stringify(opens[0]!.detail), /share/)

    // Nobody else gains access: not through the share, not to the record itself.
    for (const who of [s.dsl, s.bystander, s.supervisee, s.headteacher]) {
      const other = await who.browser.get(url)
      assert.equal(other.statusCode, 404, who.name)
      assert.ok(!other.body.includes(REVIEW))
    }
    assert.equal((await manager!.browser.get(`/records/${recordId}`)).statusCode, 403)
    assert.equal((await manager!.browser.get(`/records/${recordId}/record.pdf`)).statusCode, 403)
  })

  test('CA-09: a share is withdrawn by the supervisor, never by the supervisee; the named person can no longer open it', async () => {
    const { s, recordId, manager } = { ...state, s: state.s! }
    const share = await s.database.db.selectFrom('record_share').select('id').executeTakeFirstOrThrow()
    const withdraw = `/records/${recordId}/shares/${share.id}/withdraw`
    const formPage = `/records/${recordId}`
    assert.equal((await s.supervisee.browser.post(withdraw, {}, { formPage })).statusCode, 403)
    const done = await s.supervisor.browser.post(withdraw, {}, { formPage })
    assert.equal(done.statusCode, 303)
    const gone = await manager!.browser.get(`/records/shared/${share.id}`)
    assert.equal(gone.statusCode, 410)
    assert.ok(!gone.body.includes(REVIEW))
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'record.share-withdraw')
      .execute()
    assert.equal(audit.length, 1)
    assert.ok(
      (await outbox()).some((m) => m.to_address === s.supervisee.email && /withdrawn/.test(m.subject)),
      'the supervisee is told',
    )
    assert.match(textOf((await s.supervisee.browser.get(formPage)).body, 'main'), /Withdrawn/)
  })

  test('MW-10: the headteacher’s pages give general figures, never what a record says', async () => {
    const { s } = { ...state, s: state.s! }
    for (const url of ['/overview', '/overview/records-awaiting-signature', '/records', '/governors/report', '/']) {
      const res = await s.headteacher.browser.get(url)
      assert.ok(res.statusCode < 500, url)
      assert.ok(!res.body.includes(REVIEW) && !res.body.includes(OTHER), `${url} holds no record content`)
    }
  })

  test('X-07: a decision names a child chosen from the pupil register; only people who may see the record see the name', async () => {
    const { s } = { ...state, s: state.s! }
    await insertPupils(s.database.db, s.org, [
      { upn: 'A123456789012', misId: '1001', name: 'Aisha Begum', dateOfBirth: '2016-03-14', yearGroup: 'Year 4' },
      { upn: null, misId: '1002', name: 'Tobi Okafor', dateOfBirth: '2015-01-02', yearGroup: 'Year 5' },
    ])
    const aisha = await s.database.db
      .selectFrom('pupil')
      .select('id')
      .where('name', '=', 'Aisha Begum')
      .executeTakeFirstOrThrow()
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    const recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const options = html(page.body)
      .querySelectorAll('select[name="decisions-0-pupil"] option')
      .map((o) => o.textContent)
    assert.ok(options.includes('Aisha Begum, Year 4'), options.join('|'))
    const fields = formValues(page.body)
    const saved = await s.supervisor.browser.post(`/records/${recordId}`, {
      ...fields,
      'decisions-0-kind': 'child',
      'decisions-0-pupil': aisha.id,
      'decisions-0-name': '',
      'decisions-0-decision': 'Refer to early help',
    })
    assert.equal(saved.statusCode, 303, textOf(saved.body, '.govuk-error-summary'))
    const record = (await loadRecord(s.database.db, recordId))!
    assert.deepEqual(
      record.document.decisions.map((d) => [d.kind, d.pupilId, d.name, d.reference]),
      [['child', aisha.id, 'Aisha Begum', 'A123456789012']],
    )
    assert.match(textOf((await s.supervisee.browser.get(`/records/${recordId}`)).body, 'main'), /Aisha Begum/)
    const outsider = await s.bystander.browser.get(`/records/${recordId}`)
    assert.equal(outsider.statusCode, 403)
    assert.ok(!outsider.body.includes('Aisha Begum'))

    // Signed by both: the decision reaches the DSL's queue linked to the pupil.
    const supervisor = { personId: s.supervisor.id, name: s.supervisor.name, organisationId: s.org.organisationId }
    const mailer = { baseUrl: 'http://localhost' }
    const completed = await completeRecord(s.database.db, {
      recordId,
      expectedDraftVersion: record.draftVersion,
      draft: {
        values: { ...record.document.values, supervisionType: 'formal', progressOnTasks: 'x', summary: 'y' },
        actions: [],
        reviews: [],
        decisions: record.document.decisions,
        boundary: '',
      },
      actor: supervisor,
      today,
      mailer,
    })
    assert.equal(completed.outcome, 'completed', JSON.stringify(completed))
    const shownHash = (completed as { contentHash: string }).contentHash
    for (const who of [
      supervisor,
      { personId: s.supervisee.id, name: s.supervisee.name, organisationId: s.org.organisationId },
    ]) {
      const signed = await signRecord(s.database.db, await passStepUp(s.database.db, who, recordId), {
        recordId,
        actor: who,
        shownHash,
        mailer,
      })
      assert.ok(signed.ok, JSON.stringify(signed))
    }
    const queued = await s.database.db
      .selectFrom('child_decision')
      .select(['pupil_id', 'about_name'])
      .where('record_id', '=', recordId)
      .execute()
    assert.deepEqual(queued, [{ pupil_id: aisha.id, about_name: 'Aisha Begum' }])
  })
})
