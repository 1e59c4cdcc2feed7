/**
 * Template items shown by who the supervisor is (issue 14), on an invented template: a conduct
 * check asked only where the supervisor is not the supervisee's line manager. The record page shows
 * or hides it for the session, completing requires it only where it is shown, and a pack template
 * (without conditions) is unchanged.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { insertTemplateVersion } from '../../src/db/repositories/templates.ts'
import type { Template } from '../../src/domain/records/template.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  formValues,
  insertSession,
  pdfText,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
  startedRecord,
} from '../helpers/records.ts'

export const conductTemplate: Template = {
  id: 'invented-conduct-record',
  version: 1,
  name: 'Supervision with a conduct check',
  kind: 'record',
  description: 'An invented record with a conduct check.',
  sections: [
    {
      id: 'discussion',
      title: 'Discussion',
      fields: [{ id: 'summary', kind: 'long-text', label: 'Summary', required: true, errorName: 'a summary' }],
    },
    {
      id: 'conduct',
      title: 'Conduct',
      fields: [
        {
          id: 'conductCheck',
          kind: 'yes-no',
          label: 'Has anything changed that might affect your suitability to work with children?',
          errorName: 'whether anything has changed that might affect your suitability',
          required: true,
          showWhen: 'supervisor-is-not-line-manager',
          fileTo: 'staff-file',
        },
      ],
    },
  ],
}

describe('a conduct check shown only where the supervisor is not the line manager (issue 14)', () => {
  let s: RecordsTestApp
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone' })
    await insertTemplateVersion(s.database.db, s.org.schoolId, {
      templateId: conductTemplate.id,
      version: 1,
      document: conductTemplate,
      basedOn: null,
      createdBy: s.org.personId,
    })
  })

  let conductRecordId = ''

  async function start(template = 'invented-conduct-record@1'): Promise<string> {
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: '2026-11-02',
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template },
      { formPage: `/records/sessions/${sessionId}` },
    )
    assert.equal(started.statusCode, 303, started.body.slice(0, 1000))
    return recordIdFrom(started.headers.location)
  }

  async function setLineManager(managerId: string | null) {
    await s.database.db
      .updateTable('person')
      .set({ line_manager_id: managerId })
      .where('id', '=', s.supervisee.id)
      .execute()
  }

  test('not the line manager: the conduct check is asked and required, naming the question', async () => {
    await setLineManager(s.bystander.id)
    const recordId = await start()
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.equal(page.statusCode, 200)
    assert.ok(html(page.body).querySelector('input[name=conductCheck]'), 'the conduct check is on the form')
    const incomplete = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      { ...formValues(page.body), summary: 'Talked about workload' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(incomplete.statusCode, 400)
    assert.match(textOf(incomplete.body, '#conductCheck-error'), /suitability/)
    const again = await s.supervisor.browser.get(`/records/${recordId}`)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      { ...formValues(again.body), summary: 'Talked about workload', conductCheck: 'no' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    const shown = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(shown.body, /suitability to work with children/)
    conductRecordId = recordId
  })

  test('the answered conduct check waits on the list for the staff file until the DSL marks it filed', async () => {
    assert.equal((await s.bystander.browser.get('/records/staff-file')).statusCode, 403)
    assert.match((await s.dsl.browser.get('/records')).body, /Records for staff files/)
    assert.doesNotMatch((await s.bystander.browser.get('/records')).body, /Records for staff files/)
    assert.equal((await s.supervisor.browser.get('/records/staff-file')).statusCode, 403)
    const list = await s.dsl.browser.get('/records/staff-file')
    assert.equal(list.statusCode, 200)
    const row = textOf(list.body, `#staff-file-${conductRecordId}`)
    assert.match(row, /Priya Shah/)
    assert.match(row, /suitability to work with children/)
    assert.match(row, /2 November 2026/)
    const refused = await s.bystander.browser.post(
      `/records/${conductRecordId}/staff-file/filed`,
      {},
      { formPage: '/records' },
    )
    assert.equal(refused.statusCode, 403)
    const filed = await s.dsl.browser.post(
      `/records/${conductRecordId}/staff-file/filed`,
      {},
      { formPage: '/records/staff-file' },
    )
    assert.equal(filed.statusCode, 303)
    const after = await s.dsl.browser.get(String(filed.headers.location))
    assert.match(after.body, /marked as filed in the staff file/)
    assert.equal(html(after.body).querySelector(`#staff-file-${conductRecordId}`), null)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('subject_id')
      .where('action', '=', 'record.staff-filed')
      .execute()
    assert.deepEqual(
      audit.map((a) => a.subject_id),
      [conductRecordId],
    )
    // Marked twice (two people at once): filed once, one audit entry.
    const again = await s.dsl.browser.post(
      `/records/${conductRecordId}/staff-file/filed`,
      {},
      { formPage: '/records/staff-file' },
    )
    assert.equal(again.statusCode, 303)
    const entries = await s.database.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'record.staff-filed')
      .execute()
    assert.equal(entries.length, 1)
  })

  test('the line manager: the conduct check is neither shown nor required', async () => {
    await setLineManager(s.supervisor.id)
    const recordId = await start()
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.equal(page.statusCode, 200)
    assert.equal(html(page.body).querySelector('input[name=conductCheck]'), null, 'no conduct check')
    assert.doesNotMatch(page.body, /suitability to work with children/)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      // A hidden item sent anyway is not kept.
      { ...formValues(page.body), summary: 'Talked about workload', conductCheck: 'yes' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    const row = await s.database.db
      .selectFrom('supervision_record')
      .select(['status', 'document'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'completed')
    const doc = row.document as { values: Record<string, unknown>; session: { supervision?: unknown } }
    assert.equal(doc.values['conductCheck'], undefined)
    assert.deepEqual(doc.session.supervision, { supervisorIsLineManager: true, supervisorIsExternal: false })
    // The PDF leaves out the item the session did not show.
    const pdf = await s.supervisor.browser.get(`/records/${recordId}/record.pdf`)
    assert.equal(pdf.statusCode, 200)
    const text = pdfText(pdf.rawPayload)
    assert.match(text, /Talked about workload/)
    assert.doesNotMatch(text, /Conduct/)
    // The conduct check was not asked: nothing goes to the staff file.
    const waiting = await s.database.db
      .selectFrom('record_staff_filing')
      .select('record_id')
      .where('record_id', '=', recordId)
      .execute()
    assert.equal(waiting.length, 0)
  })

  test('a template filed as a whole to the staff file puts every completed record on the list', async () => {
    await insertTemplateVersion(s.database.db, s.org.schoolId, {
      templateId: conductTemplate.id,
      version: 2,
      document: { ...conductTemplate, version: 2, fileTo: 'staff-file' },
      basedOn: null,
      createdBy: s.org.personId,
    })
    const recordId = await start('invented-conduct-record@2')
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      { ...formValues(page.body), summary: 'Talked about workload' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    const list = await s.dsl.browser.get('/records/staff-file')
    assert.match(textOf(list.body, `#staff-file-${recordId}`), /File the whole record/)
  })

  test('a pack template without conditions shows every item whoever the supervisor is', async () => {
    await setLineManager(s.supervisor.id)
    const { recordId } = await startedRecord(s)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.equal(page.statusCode, 200)
    assert.ok(html(page.body).querySelector('[name=summary]'))
    assert.ok(html(page.body).querySelector('[name=supervisionType]'))
  })
})
