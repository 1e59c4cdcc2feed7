/**
 * Who may open and change a record (X-06, CA-09), CSRF on every change, autosave with the CSRF
 * header, two people editing one draft (optimistic locking: one wins, the other is told and sees
 * what they typed), and tamper evidence: a signed record changed in the database is shown as altered.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  formValues,
  hidden,
  insertSession,
  pdfText,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

const today = testToday

describe('access to records, CSRF, simultaneous edits and tampering', () => {
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
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const res = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    assert.equal(res.statusCode, 303)
    recordId = recordIdFrom(res.headers.location)
  })

  test('X-06, CA-09: the supervisee, the supervisor and the DSL open a record; the headteacher, an administrator and other staff do not', async () => {
    for (const who of [s.supervisor, s.supervisee, s.dsl]) {
      assert.equal((await who.browser.get(`/records/${recordId}`)).statusCode, 200, who.name)
      assert.equal((await who.browser.get(`/records/sessions/${sessionId}`)).statusCode, 200, who.name)
      assert.equal((await who.browser.get(`/records/${recordId}/record.pdf`)).statusCode, 200, who.name)
    }
    for (const browser of [s.bystander.browser, s.headteacher.browser, s.admin]) {
      const page = await browser.get(`/records/${recordId}`)
      assert.equal(page.statusCode, 403)
      assert.doesNotMatch(page.body, /Supervision Record/)
      assert.equal((await browser.get(`/records/${recordId}/record.pdf`)).statusCode, 403)
      assert.equal((await browser.get(`/records/sessions/${sessionId}`)).statusCode, 403)
      const post = await browser.post(`/records/${recordId}`, { draftVersion: '1', summary: 'x' }, { formPage: '/' })
      assert.equal(post.statusCode, 403)
    }
    // The DSL reads but does not write; the supervisee does not write on this policy (recorded by the supervisor).
    assert.ok(!html((await s.dsl.browser.get(`/records/${recordId}`)).body).querySelector('#record-form'))
    assert.ok(!html((await s.supervisee.browser.get(`/records/${recordId}`)).body).querySelector('#record-form'))
    const seePost = await s.supervisee.browser.post(
      `/records/${recordId}`,
      { draftVersion: '1', summary: 'x' },
      { formPage: '/' },
    )
    assert.equal(seePost.statusCode, 403)
    assert.equal((await s.supervisor.browser.get('/records/00000000-0000-4000-8000-000000000000')).statusCode, 404)
    assert.equal((await s.supervisor.browser.get('/records/not-a-uuid')).statusCode, 404)
    const signedOut = await s.app.inject({ method: 'GET', url: `/records/${recordId}` })
    assert.equal(signedOut.statusCode, 302)
    assert.match(String(signedOut.headers.location), /^\/sign-in/)
  })

  test('X-06: every opening is in the audit log', async () => {
    const opens = await s.database.db
      .selectFrom('audit_event')
      .select(['actor_id', 'detail'])
      .where('action', '=', 'record.open')
      .where('subject_id', '=', recordId)
      .execute()
    const actors = new Set(opens.map((o) => o.actor_id))
    for (const who of [s.supervisor, s.supervisee, s.dsl]) assert.ok(actors.has(who.id), who.name)
    assert.ok(!actors.has(s.bystander.id), 'refused openings are not openings')
    assert.ok(opens.some((o) => (o.detail as { format?: string }).format === 'pdf'))
  })

  test('a change without the CSRF token is refused and saves nothing', async () => {
    const before = await s.database.db
      .selectFrom('supervision_record')
      .select(['draft_version', 'document'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    for (const url of [
      `/records/${recordId}`,
      `/records/${recordId}/complete`,
      `/records/sessions/${sessionId}/start`,
    ]) {
      const res = await s.supervisor.browser.post(
        url,
        { draftVersion: String(before.draft_version), summary: 'Sneaky' },
        { csrf: null },
      )
      assert.equal(res.statusCode, 403, url)
      const wrong = await s.supervisor.browser.post(
        url,
        { draftVersion: String(before.draft_version), summary: 'Sneaky' },
        { csrf: 'x'.repeat(43) },
      )
      assert.equal(wrong.statusCode, 403, url)
    }
    const afterRow = await s.database.db
      .selectFrom('supervision_record')
      .select(['draft_version', 'document'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(afterRow, before)
    assert.equal((await s.database.db.selectFrom('supervision_record').select('id').execute()).length, 1)
  })

  test('no lost work: autosave posts the form with the x-csrf-token header and gets the new draft version back', async () => {
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(page.body, /record-autosave\.js/)
    assert.match(page.body, /<script type="module" src="\/public\/build\/record-autosave\.js[^"]*" nonce="[^"]+">/)
    const token = hidden(page.body, '_csrf')
    const values = formValues(page.body)
    const body = new URLSearchParams({
      ...values,
      summary: 'Typed, not yet saved by hand',
      'agreedFurtherActions-0-text': 'Read the policy',
    })
    const cookie = [...s.supervisor.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await s.app.inject({
      method: 'POST',
      url: `/records/${recordId}`,
      headers: {
        cookie,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': token,
      },
      payload: body.toString(),
    })
    assert.equal(res.statusCode, 200, res.body.slice(0, 500))
    const answer = res.json() as { saved: boolean; draftVersion: number; ids: Record<string, string> }
    assert.equal(answer.saved, true)
    assert.equal(answer.draftVersion, Number(values['draftVersion']) + 1)
    assert.match(answer.ids['agreedFurtherActions-0-id'] ?? '', /^[0-9a-f-]{36}$/)
    const action = await s.database.db
      .selectFrom('record_action')
      .select(['id'])
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(action.id, answer.ids['agreedFurtherActions-0-id'])
    const noHeader = await s.app.inject({
      method: 'POST',
      url: `/records/${recordId}`,
      headers: { cookie, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...values, draftVersion: String(answer.draftVersion) }).toString(),
    })
    assert.equal(noHeader.statusCode, 403)
  })

  test('two people editing one draft: the first save wins, the second is told and shown their unsaved text; nothing is lost', async () => {
    // The same supervisor in two windows, or two supervisors: both load the same draft version.
    const second = await s.person('Sam Lee', ['year-head'])
    await s.database.db
      .insertInto('session_participant')
      .values({ session_id: sessionId, person_id: second.id, role: 'supervisor', attended: true })
      .execute()
    const a = await s.supervisor.browser.get(`/records/${recordId}`)
    const b = await second.browser.get(`/records/${recordId}`)
    assert.equal(hidden(a.body, 'draftVersion'), hidden(b.body, 'draftVersion'))
    const first = await s.supervisor.browser.post(
      `/records/${recordId}`,
      { ...formValues(a.body), summary: 'Dana’s summary of the session' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(first.statusCode, 303)
    const late = await second.browser.post(
      `/records/${recordId}`,
      {
        ...formValues(b.body),
        summary: 'Sam’s summary, typed at the same time',
        outstandingTasks: 'Sam’s outstanding tasks',
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(late.statusCode, 409)
    assert.match(textOf(late.body, '#conflict'), /Someone else saved this draft while you were editing it/)
    const unsaved = textOf(late.body, '#unsaved-changes')
    assert.match(unsaved, /Sam’s summary, typed at the same time/)
    assert.match(unsaved, /Sam’s outstanding tasks/)
    // The form now holds the winner's text and the current draft version, so saving again works.
    assert.equal(html(late.body).querySelector('#summary')?.textContent.trim(), 'Dana’s summary of the session')
    const row = await s.database.db
      .selectFrom('supervision_record')
      .select(['document', 'draft_version'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal((row.document as { values: { summary: string } }).values.summary, 'Dana’s summary of the session')
    assert.equal(hidden(late.body, 'draftVersion'), String(row.draft_version))
    const retry = await second.browser.post(
      `/records/${recordId}`,
      { ...formValues(late.body), outstandingTasks: 'Sam’s outstanding tasks' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(retry.statusCode, 303)
    const merged = await s.database.db
      .selectFrom('supervision_record')
      .select(['document'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    const values = (merged.document as { values: Record<string, unknown> }).values
    assert.equal(values['summary'], 'Dana’s summary of the session')
    assert.equal(values['outstandingTasks'], 'Sam’s outstanding tasks')
    // Autosave from a stale window: 409 as JSON, nothing saved.
    const stale = await s.app.inject({
      method: 'POST',
      url: `/records/${recordId}`,
      headers: {
        cookie: [...second.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': hidden(b.body, '_csrf'),
      },
      payload: new URLSearchParams({ ...formValues(b.body), summary: 'stale' }).toString(),
    })
    assert.equal(stale.statusCode, 409)
    assert.equal((stale.json() as { conflict: boolean }).conflict, true)
    await s.database.db.deleteFrom('session_participant').where('person_id', '=', second.id).execute()
  })

  test('X-06: a signed record changed directly in the database is shown as altered, on the page and in the PDF', async () => {
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      {
        ...formValues(page.body),
        supervisionType: 'formal',
        progressOnTasks: 'None yet',
        summary: 'Dana’s summary of the session',
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    for (const who of [s.supervisee, s.supervisor]) {
      const sign = await who.browser.get(`/records/${recordId}/sign`)
      const res = await who.browser.post(`/records/${recordId}/sign`, {
        contentHash: hidden(sign.body, 'contentHash'),
        password: ADMIN_PASSWORD,
      })
      assert.equal(res.statusCode, 303)
    }
    const clean = await s.dsl.browser.get(`/records/${recordId}`)
    assert.ok(!html(clean.body).querySelector('#record-altered'))

    // Someone with database access rewrites the summary.
    await s.database.db
      .updateTable('supervision_record')
      .set((eb) => ({
        document: eb.fn('jsonb_set', [
          eb.ref('document'),
          eb.val('{values,summary}'),
          eb.val(JSON.stringify('Nothing of note was discussed.')),
        ]) as never,
      }))
      .where('id', '=', recordId)
      .execute()
    const altered = await s.dsl.browser.get(`/records/${recordId}`)
    assert.equal(altered.statusCode, 200)
    const banner = textOf(altered.body, '#record-altered')
    assert.match(banner, /This record has been altered since it was completed or signed/)
    assert.match(banner, /no longer matches what 2 people signed/)
    const pdf = await s.dsl.browser.get(`/records/${recordId}/record.pdf`)
    assert.match(pdfText(pdf.rawPayload), /Warning: this record has been altered/)
  })
})
