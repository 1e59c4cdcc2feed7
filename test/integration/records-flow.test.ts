/**
 * A whole session on The Cornerstone Academy's policy (issue 7): preparation with the case
 * proforma (CA-06), the record with last time's actions (CA-07, X-05), completion, both signatures
 * with the password again (AM-06), the lock, an addendum, every version kept, the PDF, and actions
 * reviewed at the next session until they drift.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  dateFields,
  formValues,
  hidden,
  insertSession,
  pdfText,
  pdfTitle,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

const today = testToday

describe('a session recorded from preparation to lock', () => {
  let s: RecordsTestApp
  let sessionId: string
  let recordId: string
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone' })
    sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, -14),
      status: 'planned',
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
  })

  test('CA-06: the supervisee prepares agenda items and a case, with the case proforma', async () => {
    const page = await s.supervisee.browser.get(`/records/sessions/${sessionId}/preparation`)
    assert.equal(page.statusCode, 200, page.body.slice(0, 500))
    const saved = await s.supervisee.browser.post(`/records/sessions/${sessionId}/preparation`, {
      version: hidden(page.body, 'version'),
      'agenda-0-text': 'Workload in Year 6',
      'cases-0-id': '',
      'cases-0-kind': 'child',
      'cases-0-name': 'Child A',
      'cases-0-reference': 'CP-1234',
      'cases-0-notes': 'Not attending since half term',
    })
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000))
    const again = await s.supervisee.browser.get(`/records/sessions/${sessionId}/preparation`)
    const link = html(again.body).querySelector('a[href*="/proforma"]')?.getAttribute('href')
    assert.ok(link, 'a link to the proforma of the saved case')
    const proforma = await s.supervisee.browser.get(link)
    assert.equal(proforma.statusCode, 200)
    assert.match(proforma.body, /Genogram/)
    assert.match(proforma.body, /Signs of Safety|worried/i)
    const bad = await s.supervisee.browser.post(link, {
      version: hidden(proforma.body, 'version'),
      'case-name': 'Child A',
      genogram: 'Lives with mum',
      safetyScale: '11',
    })
    assert.equal(bad.statusCode, 400)
    const ok = await s.supervisee.browser.post(link, {
      version: hidden(proforma.body, 'version'),
      'case-kind': 'child',
      'case-name': 'Child A',
      genogram: 'Lives with mum and two brothers; grandmother nearby',
      background: 'First: late to school. Worst: disclosure in March. Last: absent.',
    })
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 3000))
    // The supervisor sees it.
    const hub = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
    assert.equal(hub.statusCode, 200)
    assert.match(hub.body, /Workload in Year 6/)
    assert.match(hub.body, /Child A/)
    const view = html(hub.body).querySelector('a[href*="/preparation/"]')?.getAttribute('href')
    assert.ok(view)
    const read = await s.supervisor.browser.get(view)
    assert.equal(read.statusCode, 200)
    assert.match(read.body, /Lives with mum and two brothers/)
    // Nobody else prepares for the supervisee.
    assert.equal((await s.supervisor.browser.get(`/records/sessions/${sessionId}/preparation`)).statusCode, 403)
  })

  test('X-05: the supervisor starts the record; it shows the preparation; a draft saves with format errors reported', async () => {
    const hub = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
    const choice = html(hub.body).querySelector('input[name=template]')?.getAttribute('value')
    assert.equal(choice, 'ca-supervision-record@1')
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: choice! },
      { formPage: `/records/sessions/${sessionId}` },
    )
    assert.equal(started.statusCode, 303)
    recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.equal(page.statusCode, 200, page.body.slice(0, 500))
    assert.match(page.body, /Workload in Year 6/, 'preparation on the record page')
    assert.equal(html(page.body).querySelector('#supervisee')?.getAttribute('value'), 'Priya Shah')
    const draft = await s.supervisor.browser.post(`/records/${recordId}`, {
      draftVersion: hidden(page.body, 'draftVersion'),
      supervisee: 'Priya Shah',
      supervisor: 'Dana Ellis',
      ...dateFields('date', addDays(today, -14)),
      summary: 'Discussed Child A and workload.',
      'caseManagement-0-case': 'Child A',
      'caseManagement-0-advice': 'Refer to early help',
      'caseManagement-0-agreedActions': '',
      'agreedFurtherActions-0-text': 'Make the early help referral',
      'agreedFurtherActions-0-owner': s.supervisee.id,
      ...dateFields('agreedFurtherActions-0-dueOn', addDays(today, -7)),
      'agreedFurtherActions-1-text': 'Book safeguarding refresher',
      'agreedFurtherActions-1-owner': 'other',
      'agreedFurtherActions-1-ownerName': 'Office manager',
      'agreedFurtherActions-2-text': 'Check attendance weekly',
      'agreedFurtherActions-2-owner': s.supervisor.id,
      'decisions-0-kind': 'child',
      'decisions-0-name': 'Child A',
      'decisions-0-reference': 'CP-1234',
      'decisions-0-decision': 'Early help referral to be made this week',
      'decisions-1-name': '',
      'agreedFurtherActions-3-dueOn-day': '31',
      'agreedFurtherActions-3-dueOn-month': '2',
      'agreedFurtherActions-3-dueOn-year': '2027',
      'agreedFurtherActions-3-text': 'A date that does not exist',
    })
    assert.equal(draft.statusCode, 400, 'saved, with a problem to fix')
    assert.match(draft.body, /Your draft has been saved/)
    assert.match(textOf(draft.body, '#agreedFurtherActions-3-dueOn-error'), /must be a real date/)
    const row = await s.database.db
      .selectFrom('supervision_record')
      .selectAll()
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'draft')
    assert.equal(row.draft_version, 2)
    const actions = await s.database.db
      .selectFrom('record_action')
      .selectAll()
      .where('record_id', '=', recordId)
      .orderBy('position')
      .execute()
    assert.deepEqual(
      actions.map((a) => [a.description, a.owner_kind, a.owner_name]),
      [
        ['Make the early help referral', 'supervisee', 'Priya Shah'],
        ['Book safeguarding refresher', 'other', 'Office manager'],
        ['Check attendance weekly', 'supervisor', 'Dana Ellis'],
        ['A date that does not exist', 'other', ''],
      ],
    )
  })

  test('X-05: completing needs every required answer; then the supervisee is told, and version 1 is kept', async () => {
    let page = await s.supervisor.browser.get(`/records/${recordId}`)
    const base = formValues(page.body)
    delete base['agreedFurtherActions-3-text']
    for (const k of Object.keys(base)) if (k.startsWith('agreedFurtherActions-3-')) base[k] = ''
    const incomplete = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      { ...base, summary: '' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(incomplete.statusCode, 400)
    assert.match(textOf(incomplete.body, '#summary-error'), /Enter a summary/)
    assert.match(textOf(incomplete.body, '#supervisionType-error'), /Select the type of supervision/)
    assert.match(textOf(incomplete.body, '#caseManagement-0-agreedActions-error'), /Enter the agreed actions in row 1/)
    page = await s.supervisor.browser.get(`/records/${recordId}`)
    const values = formValues(page.body)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      {
        ...values,
        summary: 'Discussed Child A and workload.',
        supervisionType: 'formal',
        progressOnTasks: 'First session: no earlier tasks.',
        'caseManagement-0-agreedActions': 'Referral this week',
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    const row = await s.database.db
      .selectFrom('supervision_record')
      .selectAll()
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'completed')
    assert.match(row.content_hash ?? '', /^[0-9a-f]{64}$/)
    const versions = await s.database.db
      .selectFrom('record_version')
      .selectAll()
      .where('record_id', '=', recordId)
      .execute()
    assert.deepEqual(
      versions.map((v) => [v.version, v.kind, v.content_hash]),
      [[1, 'completed', row.content_hash]],
    )
    const mail = await s.database.db
      .selectFrom('outbox_message')
      .selectAll()
      .where('to_address', '=', s.supervisee.email)
      .execute()
    assert.equal(mail.length, 1)
    assert.match(mail[0]!.subject, /ready for you to read and sign/)
    assert.ok(mail[0]!.text_body.includes(`/records/${recordId}`))
    assert.ok(!mail[0]!.text_body.includes('Child A'), 'no content in emails')
    // The record can no longer be edited as a draft.
    const late = await s.supervisor.browser.post(
      `/records/${recordId}`,
      { ...values, draftVersion: String(row.draft_version) },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(late.statusCode, 409)
  })

  test('AM-06, X-05: each signs with their password again; a wrong password signs nothing; both signed locks the record', async () => {
    const signPage = await s.supervisee.browser.get(`/records/${recordId}/sign`)
    assert.equal(signPage.statusCode, 200)
    const hash = hidden(signPage.body, 'contentHash')
    const wrong = await s.supervisee.browser.post(`/records/${recordId}/sign`, {
      contentHash: hash,
      password: 'not my password at all',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(textOf(wrong.body, '#password-error'), /not correct/)
    const blank = await s.supervisee.browser.post(`/records/${recordId}/sign`, { contentHash: hash, password: '' })
    assert.match(textOf(blank.body, '#password-error'), /Enter your password/)
    assert.equal((await s.database.db.selectFrom('record_signature').selectAll().execute()).length, 0)
    const signed = await s.supervisee.browser.post(`/records/${recordId}/sign`, {
      contentHash: hash,
      password: ADMIN_PASSWORD,
    })
    assert.equal(signed.statusCode, 303)
    assert.match(String(signed.headers.location), /signed=1/)
    const again = await s.supervisee.browser.get(`/records/${recordId}/sign`)
    assert.equal(again.statusCode, 303, 'nothing more to sign')
    const sup = await s.supervisor.browser.post(
      `/records/${recordId}/sign`,
      { contentHash: hash, password: ADMIN_PASSWORD },
      { formPage: `/records/${recordId}/sign` },
    )
    assert.equal(sup.statusCode, 303)
    assert.match(String(sup.headers.location), /locked=1/)
    const row = await s.database.db
      .selectFrom('supervision_record')
      .selectAll()
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'signed')
    assert.ok(row.locked_at)
    const signatures = await s.database.db
      .selectFrom('record_signature')
      .selectAll()
      .where('record_id', '=', recordId)
      .orderBy('signed_at')
      .execute()
    assert.deepEqual(
      signatures.map((x) => [x.person_id, x.role, x.method, x.content_hash]),
      [
        [s.supervisee.id, 'supervisee', 'password', row.content_hash],
        [s.supervisor.id, 'supervisor', 'password', row.content_hash],
      ],
    )
    const page = await s.supervisee.browser.get(`/records/${recordId}`)
    assert.match(page.body, /Signed and locked/)
    assert.ok(!html(page.body).querySelector('#record-form'), 'no form once locked')
    assert.ok(!html(page.body).querySelector('#record-altered'))
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select(['action'])
      .where('subject_id', '=', recordId)
      .execute()
    const actions = audit.map((a) => a.action)
    for (const a of ['record.create', 'record.save', 'record.complete', 'record.sign', 'record.open'])
      assert.ok(actions.includes(a), a)
  })

  test('X-06: once locked, changes are dated addenda, and every version is kept append-only', async () => {
    const form = await s.supervisee.browser.get(`/records/${recordId}/addendum`)
    assert.equal(form.statusCode, 200)
    const empty = await s.supervisee.browser.post(`/records/${recordId}/addendum`, { text: '' })
    assert.equal(empty.statusCode, 400)
    assert.match(textOf(empty.body, '#text-error'), /Enter the addendum/)
    const added = await s.supervisee.browser.post(`/records/${recordId}/addendum`, {
      text: 'The referral was made on Thursday, not Wednesday.',
    })
    assert.equal(added.statusCode, 303)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(page.body, /The referral was made on Thursday/)
    assert.match(page.body, /Addendum by Priya Shah/)
    const versions = await s.database.db
      .selectFrom('record_version')
      .select(['version', 'kind'])
      .where('record_id', '=', recordId)
      .orderBy('version')
      .execute()
    assert.deepEqual(
      versions.map((v) => v.kind),
      ['completed', 'locked', 'addendum'],
    )
    await assert.rejects(
      s.database.db
        .updateTable('record_version')
        .set({ content_hash: '0'.repeat(64) })
        .where('record_id', '=', recordId)
        .execute(),
      /append-only/,
    )
    await assert.rejects(
      s.database.db.deleteFrom('record_version').where('record_id', '=', recordId).execute(),
      /append-only/,
    )
  })

  test('X-06: the PDF has the sections, the signatures with their hashes, the dates and the addendum, as real text', async () => {
    const res = await s.supervisor.browser.get(`/records/${recordId}/record.pdf`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/pdf')
    const pdf = res.rawPayload
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    const raw = pdf.toString('latin1')
    assert.match(raw, /\/Lang \(en-GB\)/)
    assert.match(raw, /\/MarkInfo/)
    assert.match(raw, /\/StructTreeRoot/)
    assert.match(raw, /\/DisplayDocTitle true/)
    assert.match(pdfTitle(pdf) ?? '', /^The Cornerstone Academy Supervision Record, \d+ \w+ \d{4}$/)
    const text = pdfText(pdf)
    const row = await s.database.db
      .selectFrom('supervision_record')
      .select(['content_hash'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    for (const expected of [
      'The Cornerstone Academy Supervision Record',
      'Case management',
      'Discussed Child A and workload.',
      'Refer to early help',
      'Make the early help referral',
      'Priya Shah (supervisee) signed on',
      'Dana Ellis (supervisor) signed on',
      row.content_hash!,
      'The referral was made on Thursday, not Wednesday.',
      'Decisions for the child’s record',
      'Early help referral to be made this week',
    ]) {
      assert.ok(text.includes(expected), `PDF text has “${expected}”: ${text}`)
    }
  })

  test('X-07, CA-10: the old list of decisions leads to the DSL’s queue, and the record says where its decision goes', async () => {
    const list = await s.dsl.browser.get('/records/transfers')
    assert.equal(list.statusCode, 303)
    assert.equal(list.headers.location, '/children/decisions')
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(page.body, /Early help referral to be made this week/)
    assert.match(page.body, /the decision goes to the designated safeguarding lead’s queue for the child’s record/)
    assert.doesNotMatch(page.body, /Mark as recorded in the child’s file/)
  })

  test('CA-07, X-05: the next record opens with last time’s open actions; two carry-forwards running make one drift', async () => {
    const home = await s.supervisee.browser.get('/')
    assert.match(home.body, /Your actions/)
    assert.match(home.body, /Make the early help referral/)
    const overdueItem = html(home.body)
      .querySelectorAll('#your-actions li')
      .find((li) => li.textContent.includes('Make the early help referral'))
    assert.match(overdueItem?.textContent ?? '', /Overdue/)

    const next = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, -7),
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const second = await startRecordFor(next)
    const page = await s.supervisor.browser.get(`/records/${second}`)
    const reviews = html(page.body).querySelectorAll('input[type=radio][name^="reviews-"]')
    const names = [...new Set(reviews.map((r) => r.getAttribute('name')!))]
    assert.equal(names.length, 3, 'the three open actions from last time')
    const texts = ['Make the early help referral', 'Book safeguarding refresher', 'Check attendance weekly']
    for (const t of texts) assert.match(page.body, new RegExp(t))
    const byText = await actionIds()
    const values = formValues(page.body)
    const noReason = await s.supervisor.browser.post(
      `/records/${second}/complete`,
      {
        ...values,
        supervisionType: 'formal',
        progressOnTasks: 'Reviewed',
        summary: 'Second session',
        [`reviews-${byText['Make the early help referral']}`]: 'done',
        [`reviews-${byText['Book safeguarding refresher']}`]: 'carried-forward',
        [`reviews-${byText['Check attendance weekly']}`]: 'dropped',
      },
      { formPage: `/records/${second}` },
    )
    assert.equal(noReason.statusCode, 400)
    assert.match(
      textOf(noReason.body, `#reviews-${byText['Check attendance weekly']}-reason-error`),
      /Enter why earlier action 3 was dropped/,
    )
    const fixed = await s.supervisor.browser.post(
      `/records/${second}/complete`,
      {
        ...formValues(noReason.body),
        [`reviews-${byText['Check attendance weekly']}-reason`]: 'Attendance now tracked by the office',
      },
      { formPage: `/records/${second}` },
    )
    assert.equal(fixed.statusCode, 303, textOf(fixed.body, '.govuk-error-summary'))
    const statuses = await s.database.db
      .selectFrom('record_action')
      .select(['description', 'status', 'drop_reason'])
      .where('record_id', '=', recordId)
      .orderBy('position')
      .execute()
    assert.deepEqual(
      statuses.map((a) => [a.status, a.drop_reason]),
      [
        ['done', null],
        ['carried-forward', null],
        ['dropped', 'Attendance now tracked by the office'],
      ],
    )

    // A third session carries the refresher forward again: it drifts.
    const third = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const thirdRecord = await startRecordFor(third)
    const thirdPage = await s.supervisor.browser.get(`/records/${thirdRecord}`)
    assert.match(thirdPage.body, /Carried forward last time/)
    assert.doesNotMatch(thirdPage.body, /Make the early help referral/, 'done actions are not listed again')
    const saved = await s.supervisor.browser.post(
      `/records/${thirdRecord}`,
      {
        ...formValues(thirdPage.body),
        [`reviews-${byText['Book safeguarding refresher']}`]: 'carried-forward',
      },
      { formPage: `/records/${thirdRecord}` },
    )
    assert.equal(saved.statusCode, 303)
    const refresherHome = await s.database.db
      .updateTable('record_action')
      .set({ owner_person_id: s.supervisee.id })
      .where('id', '=', byText['Book safeguarding refresher']!)
      .execute()
    assert.ok(refresherHome)
    const actionsPage = await s.supervisee.browser.get('/actions')
    const item = html(actionsPage.body)
      .querySelectorAll('#your-actions li')
      .find((li) => li.textContent.includes('Book safeguarding refresher'))
    assert.match(item?.textContent ?? '', /Drifting/)
  })

  async function startRecordFor(session: string): Promise<string> {
    const res = await s.supervisor.browser.post(
      `/records/sessions/${session}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${session}` },
    )
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500))
    return recordIdFrom(res.headers.location)
  }

  async function actionIds(): Promise<Record<string, string>> {
    const rows = await s.database.db
      .selectFrom('record_action')
      .select(['id', 'description'])
      .where('record_id', '=', recordId)
      .execute()
    return Object.fromEntries(rows.map((r) => [r.description, r.id]))
  }
})
