/**
 * Issue 12, tamper evidence beyond the content hash: a signature deleted in the
 * database, or content edited with every stored hash recomputed, is caught by cross-checking the
 * record against the hash-chained audit log, and shown as altered to everyone who can see it. And a
 * record is never started on a session that did not take place (cancelled, postponed, not attended).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { recordContentHash } from '../../src/domain/records/record.ts'
import { templateById } from '../../src/packs/templates.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { SessionNotRecordableError, startRecord } from '../../src/services/records/records.ts'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  formValues,
  hidden,
  insertSession,
  loadRecord,
  loadSession,
  pdfText,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

/** A Monday in the autumn term: the tests never depend on today's date. */
const SESSION_DATE = '2026-10-05'

describe('records: tamper evidence from the audit log, and sessions that cannot be recorded', () => {
  let s: RecordsTestApp
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone' })
  })

  async function newSession(status: 'planned' | 'held' = 'held'): Promise<string> {
    return insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: SESSION_DATE,
      status,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
  }

  /** A record started, completed and (unless `signers` is empty) signed, through the pages. */
  async function recordOf(sessionId: string, signers = [s.supervisee, s.supervisor]): Promise<string> {
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    assert.equal(started.statusCode, 303)
    const recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      {
        ...formValues(page.body),
        supervisionType: 'formal',
        progressOnTasks: 'None yet',
        summary: 'We discussed attendance and agreed a referral.',
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    for (const who of signers) {
      const sign = await who.browser.get(`/records/${recordId}/sign`)
      const res = await who.browser.post(`/records/${recordId}/sign`, {
        contentHash: hidden(sign.body, 'contentHash'),
        password: ADMIN_PASSWORD,
      })
      assert.equal(res.statusCode, 303, res.body.slice(0, 500))
    }
    return recordId
  }

  /** The banner everyone who can see the record gets, or null. */
  async function bannerFor(browser: RecordsTestApp['dsl']['browser'], recordId: string): Promise<string | null> {
    const page = await browser.get(`/records/${recordId}`)
    assert.equal(page.statusCode, 200)
    return html(page.body).querySelector('#record-altered') ? textOf(page.body, '#record-altered') : null
  }

  /**
   * As someone with database access would: rewrite the summary and recompute every stored hash
   * (the record's, each signature's and, with its append-only trigger switched off, the kept
   * versions'), so the content matches all of them again.
   */
  async function rewriteWithHashes(recordId: string, summary: string): Promise<void> {
    const record = (await loadRecord(s.database.db, recordId))!
    const document = { ...record.document, values: { ...record.document.values, summary } }
    const forged = recordContentHash(record.template, document)
    await s.database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('supervision_record')
        .set({ document: JSON.stringify(document), content_hash: forged })
        .where('id', '=', recordId)
        .execute()
      await trx
        .updateTable('record_signature')
        .set({ content_hash: forged })
        .where('record_id', '=', recordId)
        .execute()
      await sql`alter table record_version disable trigger record_version_append_only`.execute(trx)
      await sql`update record_version set content_hash = ${forged},
                  content = jsonb_set(content, '{values,summary}', to_jsonb(${summary}::text))
                where record_id = ${recordId}`.execute(trx)
      await sql`alter table record_version enable trigger record_version_append_only`.execute(trx)
    })
  }

  test('X-06: a signature deleted in the database is flagged: the record no longer reads as signed by everyone', async () => {
    const recordId = await recordOf(await newSession())
    for (const who of [s.supervisor, s.supervisee, s.dsl]) assert.equal(await bannerFor(who.browser, recordId), null)

    await s.database.db
      .deleteFrom('record_signature')
      .where('record_id', '=', recordId)
      .where('person_id', '=', s.supervisee.id)
      .execute()

    for (const who of [s.supervisor, s.supervisee, s.dsl]) {
      const banner = await bannerFor(who.browser, recordId)
      assert.ok(banner, `${who.name} is shown the record has been altered`)
      assert.match(banner, /This record has been altered since it was completed or signed/)
      assert.match(banner, /Priya Shah’s signature is missing/)
    }
    const pdf = await s.dsl.browser.get(`/records/${recordId}/record.pdf`)
    assert.match(pdfText(pdf.rawPayload), /Priya Shah’s signature is missing/)
  })

  test('X-06: a signed record edited with every stored hash recomputed is caught against the audit log', async () => {
    const recordId = await recordOf(await newSession())
    await rewriteWithHashes(recordId, 'Nothing of note was discussed.')

    for (const who of [s.supervisor, s.supervisee, s.dsl]) {
      const banner = await bannerFor(who.browser, recordId)
      assert.ok(banner, `${who.name} is shown the record has been altered`)
      assert.match(banner, /no longer matches the content recorded in the audit log when it was completed/)
      assert.match(banner, /no longer matches what was recorded in the audit log when it was signed/)
    }
    const pdf = await s.supervisee.browser.get(`/records/${recordId}/record.pdf`)
    assert.match(pdfText(pdf.rawPayload), /Warning: this record has been altered/)
    assert.match(pdfText(pdf.rawPayload), /recorded in the audit log when it was completed/)
  })

  test('X-06: a record waiting for signatures, edited with its hashes recomputed, is shown as altered and cannot be signed', async () => {
    const recordId = await recordOf(await newSession(), [])
    const sign = await s.supervisee.browser.get(`/records/${recordId}/sign`)
    assert.equal(sign.statusCode, 200)
    await rewriteWithHashes(recordId, 'The supervisee agreed to everything.')

    const banner = await bannerFor(s.supervisee.browser, recordId)
    assert.ok(banner)
    assert.match(banner, /recorded in the audit log when it was completed/)
    // Signing what is stored now (the forged content, matching every stored hash) is refused.
    const forged = (await loadRecord(s.database.db, recordId))!.contentHash!
    const refused = await s.supervisee.browser.post(
      `/records/${recordId}/sign`,
      { contentHash: forged, password: ADMIN_PASSWORD },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(refused.statusCode, 409)
    const signatures = await s.database.db
      .selectFrom('record_signature')
      .select('id')
      .where('record_id', '=', recordId)
      .execute()
    assert.equal(signatures.length, 0, 'nothing signed')
  })

  test('X-06: a signature added in the database, not made in Haven, is flagged', async () => {
    const recordId = await recordOf(await newSession(), [s.supervisor])
    const record = (await loadRecord(s.database.db, recordId))!
    await s.database.db
      .insertInto('record_signature')
      .values({
        record_id: recordId,
        person_id: s.supervisee.id,
        role: 'supervisee',
        name: s.supervisee.name,
        content_hash: record.contentHash!,
        method: 'password',
      })
      .execute()
    const banner = await bannerFor(s.dsl.browser, recordId)
    assert.ok(banner)
    assert.match(banner, /Priya Shah’s signature was not made in Haven/)
  })

  for (const [kind, status, detail] of [
    ['cancelled', 'cancelled', 'cancelled'],
    ['postponed', 'cancelled', 'postponed'],
    ['not attended', 'did-not-attend', 'did-not-attend'],
  ] as const) {
    test(`a record cannot be started on a session that was ${kind}: the page says why and nothing is saved`, async () => {
      const sessionId = await newSession()
      await s.database.db.updateTable('supervision_session').set({ status }).where('id', '=', sessionId).execute()
      await s.database.db
        .insertInto('session_cancellation')
        .values({ session_id: sessionId, school_id: s.org.schoolId, kind: detail, reason_id: 'illness' })
        .execute()

      const page = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
      assert.equal(page.statusCode, 200)
      assert.ok(!html(page.body).querySelector(`form[action="/records/sessions/${sessionId}/start"]`))
      assert.match(textOf(page.body, '#not-recordable'), /did not take place/)

      const token = await s.supervisor.browser.csrfToken(`/records/sessions/${sessionId}`)
      const res = await s.supervisor.browser.post(
        `/records/sessions/${sessionId}/start`,
        { template: 'ca-supervision-record@1' },
        { csrf: token },
      )
      assert.equal(res.statusCode, 409)
      assert.match(textOf(res.body, 'h1'), /A record cannot be started for this session/)
      assert.match(res.body, /did not take place/)

      // The service refuses too, whoever calls it.
      const session = (await loadSession(s.database.db, sessionId))!
      await assert.rejects(
        startRecord(s.database.db, {
          session: { ...session, status: 'held' },
          policy: (await policyBook(s.database.db, s.org.schoolId)).on(SESSION_DATE),
          template: templateById('ca-supervision-record')!,
          actor: { personId: s.supervisor.id, name: s.supervisor.name, organisationId: s.org.organisationId },
        }),
        SessionNotRecordableError,
      )
      const records = await s.database.db
        .selectFrom('supervision_record')
        .select('id')
        .where('session_id', '=', sessionId)
        .execute()
      assert.equal(records.length, 0)
    })
  }

  test('a record can still be started on a planned or held session', async () => {
    for (const status of ['planned', 'held'] as const) {
      const sessionId = await newSession(status)
      const page = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
      assert.ok(html(page.body).querySelector(`form[action="/records/sessions/${sessionId}/start"]`))
      const res = await s.supervisor.browser.post(
        `/records/sessions/${sessionId}/start`,
        { template: 'ca-supervision-record@1' },
        { formPage: `/records/sessions/${sessionId}` },
      )
      assert.equal(res.statusCode, 303)
    }
  })
})
