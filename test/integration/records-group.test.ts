/**
 * Group records (LH-06) on Lode Heath's policy: one record for the whole group, clearly marked,
 * listing who was present, with the group's confidentiality boundary required; each attendee
 * signs, and someone marked absent does not. Then Meanwood's policy (MW-09, MW-11): the supervisee
 * may write the draft too, one decision record per child, a supervisor makes a completed record a
 * draft again (signatures so far no longer count), and a disagreement follows the dispute route.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateTotpSecret, totpCode } from '../../src/domain/auth/totp.ts'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { html, textOf } from '../helpers/html.ts'
import {
  formValues,
  hidden,
  insertSession,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
  sessionFor,
} from '../helpers/records.ts'

const today = testToday

function useApp(pack: 'lode-heath' | 'meanwood' | 'ashbury-meadow') {
  const state: { s?: RecordsTestApp } = {}
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    state.s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack })
  })
  return () => state.s!
}

async function sign(who: { browser: RecordsTestApp['supervisor']['browser'] }, recordId: string) {
  const page = await who.browser.get(`/records/${recordId}/sign`)
  assert.equal(page.statusCode, 200)
  return who.browser.post(`/records/${recordId}/sign`, {
    contentHash: hidden(page.body, 'contentHash'),
    password: ADMIN_PASSWORD,
  })
}

describe('LH-06: a group supervision record', () => {
  const app = useApp('lode-heath')

  test('LH-06: one record, marked as a group, lists who was present, needs the boundary, and each attendee signs', async () => {
    const s = app()
    const second = await s.person('Omar Hale', ['teaching-assistant'])
    const absent = await s.person('Rosa King', ['teaching-assistant'])
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'group',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id, second.id, absent.id],
      absent: [absent.id],
    })
    const hub = await s.supervisor.browser.get(`/records/sessions/${sessionId}`)
    assert.match(hub.body, /Group supervision/)
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'lh-management-oversight@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    const recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(page.body, /This is a group supervision record/)
    const summary = textOf(page.body, '.govuk-summary-list')
    assert.match(summary, /Present Omar Hale, Priya Shah/)
    assert.match(summary, /Absent Rosa King/)
    const values = {
      ...formValues(page.body),
      method: 'group',
      functions: 'voice-of-the-child',
      escalationNeeded: 'no',
      decisions: 'Share the plan with the class teacher',
    }
    const noBoundary = await s.supervisor.browser.post(`/records/${recordId}/complete`, values, {
      formPage: `/records/${recordId}`,
    })
    assert.equal(noBoundary.statusCode, 400)
    assert.match(textOf(noBoundary.body, '#boundary-error'), /Enter the confidentiality boundary the group agreed/)
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      { ...formValues(noBoundary.body), boundary: 'What is said stays in the room unless a child is at risk.' },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    const completed = await s.supervisee.browser.get(`/records/${recordId}`)
    assert.match(completed.body, /What is said stays in the room unless a child is at risk/)
    const signers = html(completed.body)
      .querySelectorAll('#signatures + dl .govuk-summary-list__key')
      .map((k) => k.textContent.trim())
    assert.deepEqual(signers, ['Dana Ellis (supervisor)', 'Omar Hale (supervisee)', 'Priya Shah (supervisee)'])
    assert.equal(
      (await absent.browser.get(`/records/${recordId}/sign`)).statusCode,
      303,
      'the absent member has nothing to sign',
    )
    const mail = await s.database.db
      .selectFrom('outbox_message')
      .select('to_address')
      .where('subject', 'like', '%ready for you to read and sign%')
      .execute()
    assert.deepEqual(mail.map((m) => m.to_address).sort(), [second.email, s.supervisee.email].sort())
    assert.match(String((await sign(s.supervisee, recordId)).headers.location), /signed=1/)
    assert.match(String((await sign(s.supervisor, recordId)).headers.location), /signed=1/)
    // Omar uses two-step verification: a fresh code from his app will do instead of his password.
    const secret = generateTotpSecret()
    await s.database.db
      .updateTable('account')
      .set({ totp_secret: secret, totp_enabled_at: new Date() })
      .where('person_id', '=', second.id)
      .execute()
    const omar = await sessionFor(s, second.id)
    const signPage = await omar.get(`/records/${recordId}/sign`)
    assert.equal(html(signPage.body).querySelector('#code')?.getAttribute('name'), 'code')
    const wrongCode = await omar.post(`/records/${recordId}/sign`, {
      contentHash: hidden(signPage.body, 'contentHash'),
      password: '',
      code: '000000',
    })
    assert.equal(wrongCode.statusCode, 400)
    assert.match(textOf(wrongCode.body, '#code-error'), /not correct/)
    const byCode = await omar.post(`/records/${recordId}/sign`, {
      contentHash: hidden(signPage.body, 'contentHash'),
      password: '',
      code: totpCode(secret, new Date()),
    })
    assert.match(String(byCode.headers.location), /locked=1/)
    const method = await s.database.db
      .selectFrom('record_signature')
      .select('method')
      .where('person_id', '=', second.id)
      .executeTakeFirstOrThrow()
    assert.equal(method.method, 'two-step')
    const row = await s.database.db
      .selectFrom('supervision_record')
      .select(['status', 'group_record'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'signed', group_record: true })
  })
})

describe('MW-09, MW-11: Meanwood decision records, reopening and disagreement', () => {
  const app = useApp('meanwood')

  test('MW-11: a disagreement shows the policy’s dispute route and tells the named third person, the DSL and both parties', async () => {
    const s = app()
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'one-to-one',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    // Meanwood records "by either": the supervisee may start and write the draft; only the supervisor completes it.
    const hub = await s.supervisee.browser.get(`/records/sessions/${sessionId}`)
    const choices = html(hub.body)
      .querySelectorAll('input[name=template]')
      .map((i) => i.getAttribute('value'))
    assert.deepEqual(choices, ['mw-decision-record@1', 'mw-eyfs-record@1'])
    const first = recordIdFrom(
      (
        await s.supervisee.browser.post(
          `/records/sessions/${sessionId}/start`,
          { template: 'mw-decision-record@1' },
          { formPage: `/records/sessions/${sessionId}` },
        )
      ).headers.location,
    )
    const second = recordIdFrom(
      (
        await s.supervisor.browser.post(
          `/records/sessions/${sessionId}/start`,
          { template: 'mw-decision-record@1' },
          { formPage: `/records/sessions/${sessionId}` },
        )
      ).headers.location,
    )
    assert.notEqual(first, second, 'one decision record per child or family')
    const draftPage = await s.supervisee.browser.get(`/records/${first}`)
    assert.ok(html(draftPage.body).querySelector('#record-form'))
    assert.ok(!html(draftPage.body).querySelector('#complete-record'), 'only the supervisor completes')
    const saved = await s.supervisee.browser.post(
      `/records/${first}`,
      {
        ...formValues(draftPage.body),
        'childOrFamily-kind': 'child',
        'childOrFamily-name': 'Child B',
        sinceLastSupervision: 'Two days of training',
        concerns: 'Attendance falling',
        casesRepresented: 'all',
        'actionsAgreed-0-text': 'Phone home',
        'actionsAgreed-0-owner': s.supervisee.id,
      },
      { formPage: `/records/${first}` },
    )
    assert.equal(saved.statusCode, 303)
    assert.equal(
      (
        await s.supervisee.browser.post(
          `/records/${first}/complete`,
          formValues((await s.supervisee.browser.get(`/records/${first}`)).body),
          { formPage: `/records/${first}` },
        )
      ).statusCode,
      403,
    )
    const supPage = await s.supervisor.browser.get(`/records/${first}`)
    const completed = await s.supervisor.browser.post(`/records/${first}/complete`, formValues(supPage.body), {
      formPage: `/records/${first}`,
    })
    assert.equal(completed.statusCode, 303, textOf(completed.body, '.govuk-error-summary'))

    // The supervisee signs, then the supervisor makes a change: the signature no longer counts.
    assert.equal((await sign(s.supervisee, first)).statusCode, 303)
    const reopened = await s.supervisor.browser.post(`/records/${first}/reopen`, {}, { formPage: `/records/${first}` })
    assert.equal(reopened.statusCode, 303)
    const sigs = await s.database.db
      .selectFrom('record_signature')
      .select(['superseded_at'])
      .where('record_id', '=', first)
      .execute()
    assert.equal(sigs.length, 1)
    assert.ok(sigs[0]!.superseded_at, 'kept, marked superseded')
    const again = await s.supervisor.browser.get(`/records/${first}`)
    assert.equal(
      (
        await s.supervisor.browser.post(
          `/records/${first}/complete`,
          { ...formValues(again.body), concerns: 'Attendance falling since October' },
          { formPage: `/records/${first}` },
        )
      ).statusCode,
      303,
    )
    const versions = await s.database.db
      .selectFrom('record_version')
      .select('kind')
      .where('record_id', '=', first)
      .orderBy('version')
      .execute()
    assert.deepEqual(
      versions.map((v) => v.kind),
      ['completed', 'reopened', 'completed'],
    )

    // The supervisee disagrees, naming a third person.
    const third = await s.person('Iris Moss', ['associate-headteacher'])
    const form = await s.supervisee.browser.get(`/records/${first}/disagree`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /meeting of both with a named third person/)
    const options = html(form.body)
      .querySelectorAll('#thirdPersonId option')
      .map((o) => o.textContent)
    assert.ok(options.some((o) => o.startsWith('Iris Moss')))
    assert.ok(!options.some((o) => o.startsWith('Dana Ellis')), 'not one of the parties')
    const empty = await s.supervisee.browser.post(`/records/${first}/disagree`, { text: '', thirdPersonId: third.id })
    assert.equal(empty.statusCode, 400)
    assert.match(textOf(empty.body, '#text-error'), /Enter what you disagree with and why/)
    const bogus = await s.supervisee.browser.post(`/records/${first}/disagree`, { text: 'x', thirdPersonId: 'nobody' })
    assert.equal(bogus.statusCode, 400)
    await s.database.db.deleteFrom('outbox_message').execute()
    const res = await s.supervisee.browser.post(`/records/${first}/disagree`, {
      text: 'The concerns were raised by me, not the class teacher.',
      thirdPersonId: third.id,
    })
    assert.equal(res.statusCode, 303)
    const told = await s.database.db
      .selectFrom('outbox_message')
      .select(['to_address', 'subject', 'text_body'])
      .execute()
    const to = told.map((m) => m.to_address).sort()
    assert.deepEqual(
      to,
      [third.email, s.dsl.email, s.supervisor.email].sort(),
      'third person, DSL, and the other party (both told in advance)',
    )
    assert.ok(
      told.every((m) => !m.text_body.includes('class teacher')),
      'no content in emails',
    )
    assert.match(told.find((m) => m.to_address === third.email)!.text_body, /named you as the third person/)
    const page = await s.supervisor.browser.get(`/records/${first}`)
    assert.match(page.body, /Disagreement recorded/)
    assert.match(page.body, /The concerns were raised by me, not the class teacher\./)
    assert.match(page.body, /Named to help resolve it: Iris Moss/)
    const comment = await s.supervisee.browser.post(`/records/${first}/comment`, { text: 'Otherwise accurate.' })
    assert.equal(comment.statusCode, 303)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', first)
      .execute()
    for (const a of ['record.reopen', 'record.disagree', 'record.comment'])
      assert.ok(
        audit.some((x) => x.action === a),
        a,
      )
  })
})

describe('CA-01, AM-04, AM-06: Ashbury Meadow: issues carried forward, Haven’s own action list, the DSL signs off decisions', () => {
  const app = useApp('ashbury-meadow')

  test('CA-01: issues raised in informal supervision appear on the next formal record; AM-04: decisions go to the DSL’s queue, not marked from the record', async () => {
    const s = app()
    const informal = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'informal',
      date: today,
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    await s.database.db
      .insertInto('carry_forward_item')
      .values({
        school_id: s.org.schoolId,
        person_id: s.supervisee.id,
        text: 'Upset after a difficult call with a parent',
        source_session_id: informal,
        created_by: s.supervisor.id,
      })
      .execute()
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'one-to-one',
      date: today,
      status: 'planned',
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'am-notes-actions@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    const recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    assert.match(textOf(page.body, '#carried-issues'), /Upset after a difficult call with a parent/)
    // The template has no actions field: Haven's own list is on the form.
    assert.ok(html(page.body).querySelector('#havenActions-0-text'))
    const done = await s.supervisor.browser.post(
      `/records/${recordId}/complete`,
      {
        ...formValues(page.body),
        'items-0-item': 'Case discussion',
        'items-0-notes': 'Child C',
        'items-0-agreedAction': 'Speak to the DSL',
        'items-0-childRecord': 'yes',
        'havenActions-0-text': 'Speak to the DSL about Child C',
        'havenActions-0-owner': s.supervisee.id,
        'decisions-0-kind': 'child',
        'decisions-0-name': 'Child C',
        'decisions-0-decision': 'Refer to children’s social care',
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(done.statusCode, 303, textOf(done.body, '.govuk-error-summary'))
    const row = await s.database.db
      .selectFrom('supervision_record')
      .select('document')
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    const doc = row.document as { carried: { text: string }[]; actions: { text: string }[] }
    assert.deepEqual(
      doc.carried.map((c) => c.text),
      ['Upset after a difficult call with a parent'],
      'kept in the signed content',
    )
    assert.deepEqual(
      doc.actions.map((a) => a.text),
      ['Speak to the DSL about Child C'],
    )
    const action = await s.database.db
      .selectFrom('record_action')
      .select(['owner_person_id'])
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow()
    assert.equal(action.owner_person_id, s.supervisee.id)

    // X-07, AM-04 (issue 15): the decision joins the DSL's queue once everyone has signed; until
    // then nothing is queued, and nobody marks it from the record.
    const queued = await s.database.db
      .selectFrom('child_decision')
      .select('id')
      .where('record_id', '=', recordId)
      .execute()
    assert.equal(queued.length, 0)
    const shown = (await s.supervisor.browser.get(`/records/${recordId}`)).body
    assert.match(shown, /goes to the designated safeguarding lead’s queue for the child’s record/)
    assert.doesNotMatch(shown, /Mark as recorded in the child’s file/)
    assert.equal((await s.supervisor.browser.get('/children/decisions')).statusCode, 403)
  })
})
