/**
 * Signing contracts (issue 8; MW-02, MW-03, X-05, X-06): both parties sign by proving it is them
 * again (password or a fresh two-step code); each signature keeps who, when, how and the hash of
 * what was signed; a fully signed contract is returned to the DSL and its agreed frequency moves
 * the person's next due date (schoolCompliance). Also the PDF and the reminders.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import { totpCode } from '../../src/domain/auth/totp.ts'
import { academicYearBounds, academicYearIdFor, addDays, parseAcademicYearId } from '../../src/domain/calendar/index.ts'
import { backgroundJobs } from '../../src/jobs/index.ts'
import { runJob } from '../../src/jobs/scheduler.ts'
import { formatDate } from '../../src/presenters/format.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { sendContractReminders } from '../../src/services/contracts/reminders.ts'
import { ADMIN_PASSWORD } from '../builders/organisation.ts'
import type { Client } from '../helpers/browser-like.ts'
import {
  addPerson,
  type ContractsTestApp,
  contractIdFrom,
  contractsTestApp,
  emailOf,
  enableTwoStep,
  formValues,
  pdfText,
  sessionFor,
  signInAs,
  today,
} from '../helpers/contracts.ts'
import { html, textOf } from '../helpers/html.ts'

const year = academicYearIdFor(today)
const yearStart = academicYearBounds(parseAcademicYearId(year)!.startYear).start
const [startYear, startMonth, startDay] = yearStart.split('-')

describe('signing contracts', () => {
  let s: ContractsTestApp
  const ids: Record<string, string> = {}
  let esme: Client
  let hana: Client
  let hanaSecret: string
  let contractId: string
  const cleanup: ((...args: never[]) => unknown)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })

  async function contractRow(id = contractId) {
    return s.database.db.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  }

  async function esmeDue() {
    const all = await schoolCompliance(s.database.db, s.org.schoolId, today)
    return all.find((c) => c.personId === ids.esme)!
  }

  before(async () => {
    s = await contractsTestApp({ after: (fn) => void (fn && cleanup.push(fn)) })
    ids.head = await addPerson(s, { name: 'Hana Head', roles: ['headteacher'], jobTitle: 'Headteacher' })
    ids.esme = await addPerson(s, {
      name: 'Esme Ward',
      roles: ['eyfs-practitioner'],
      jobTitle: 'EYFS practitioner',
      lineManagerId: ids.head,
    })
    ids.tom = await addPerson(s, { name: 'Tom Teacher', roles: ['class-teacher'] })
    hanaSecret = await enableTwoStep(s, ids.head)
    esme = await signInAs(s, 'Esme Ward')
    hana = await sessionFor(s, ids.head)
    // MW-03: every four weeks, from the start of the year.
    const form = await s.dsl.get(`/contracts/new?person=${ids.esme}&year=${year}`)
    const res = await s.dsl.post(`/contracts/new?person=${ids.esme}&year=${year}`, {
      ...formValues(form.body),
      disputeThirdPerson: s.org.personId,
      frequency: 'option-1',
      'startDate-day': String(Number(startDay)),
      'startDate-month': String(Number(startMonth)),
      'startDate-year': startYear!,
    })
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000))
    contractId = contractIdFrom(res.headers.location)
  })

  test('signing: a wrong password is refused and nothing is signed; the right one signs, with the hash of what was signed', async () => {
    const page = await esme.get(`/contracts/${contractId}`)
    assert.match(page.body, /You have still to sign this contract, as the supervisee/)
    const signPage = await esme.get(`/contracts/${contractId}/sign`)
    assert.equal(signPage.statusCode, 200)
    const fields = formValues(signPage.body, `/contracts/${contractId}/sign`)
    assert.equal(fields.hash, (await contractRow()).content_hash)
    assert.equal(html(signPage.body).querySelector('#code'), null, 'no two-step form without two-step verification')

    const blank = await esme.post(`/contracts/${contractId}/sign`, { ...fields, password: '' })
    assert.equal(blank.statusCode, 400)
    assert.equal(textOf(blank.body, '#password-error'), 'Error: Enter your password')
    const wrong = await esme.post(`/contracts/${contractId}/sign`, { ...fields, password: 'not my password at all' })
    assert.equal(wrong.statusCode, 400)
    assert.equal(textOf(wrong.body, '#password-error'), 'Error: The password is not correct')
    assert.equal(await s.database.db.selectFrom('contract_signature').select('role').executeTakeFirst(), undefined)

    const ok = await esme.post(`/contracts/${contractId}/sign`, { ...fields, password: ADMIN_PASSWORD })
    assert.equal(ok.statusCode, 303)
    assert.equal(ok.headers.location, `/contracts/${contractId}?done=signed`)
    const signature = await s.database.db.selectFrom('contract_signature').selectAll().executeTakeFirstOrThrow()
    const row = await contractRow()
    assert.equal(signature.person_id, ids.esme)
    assert.equal(signature.role, 'supervisee')
    assert.equal(signature.method, 'password')
    assert.equal(signature.name, 'Esme Ward')
    assert.equal(signature.content_hash, row.content_hash)
    assert.ok(Date.now() - signature.signed_at.getTime() < 60_000)
    assert.equal(row.status, 'issued', 'the supervisor has still to sign')
    const after = await esme.get(ok.headers.location as string)
    assert.match(textOf(after.body, '.govuk-notification-banner'), /You have signed the contract/)
    assert.match(
      html(after.body).querySelector('.govuk-summary-list')!.textContent.replace(/\s+/g, ' '),
      /Still to sign Supervisor/,
    )
    // Once only.
    const again = await esme.get(`/contracts/${contractId}/sign`)
    assert.equal(again.statusCode, 303)
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select(['action', 'detail', 'actor_id'])
      .where('action', '=', 'contract.signed')
      .executeTakeFirstOrThrow()
    assert.deepEqual(audit.detail, {
      role: 'supervisee',
      method: 'password',
      contentHash: row.content_hash,
      complete: false,
    })
    assert.equal(audit.actor_id, ids.esme)
  })

  test('only the parties sign; a sign form for content that has changed is refused', async () => {
    const tom = await signInAs(s, 'Tom Teacher')
    assert.equal((await tom.get(`/contracts/${contractId}/sign`)).statusCode, 404)
    const byTom = await tom.post(
      `/contracts/${contractId}/sign`,
      { method: 'password', password: ADMIN_PASSWORD, hash: 'x' },
      { formPage: '/contracts/mine' },
    )
    assert.equal(byTom.statusCode, 404)
    // The DSL manages contracts but is not a party to this one.
    const byDsl = await s.dsl.post(
      `/contracts/${contractId}/sign`,
      { method: 'password', password: ADMIN_PASSWORD, hash: 'x' },
      { formPage: '/contracts' },
    )
    assert.equal(byDsl.statusCode, 403)
    const stale = await hana.post(
      `/contracts/${contractId}/sign`,
      { method: 'two-step', code: totpCode(hanaSecret, new Date()), hash: '0'.repeat(64) },
      { formPage: `/contracts/${contractId}/sign` },
    )
    assert.equal(stale.statusCode, 409)
    assert.equal((await s.database.db.selectFrom('contract_signature').select('role').execute()).length, 1)
  })

  test('MW-03: the supervisor signs with a fresh two-step code; the agreed frequency changes the next due date (schoolCompliance); MW-02: returned to the DSL', async () => {
    const beforeDue = await esmeDue()
    assert.equal(beforeDue.requirements[0]!.dueSource, 'policy')
    const signPage = await hana.get(`/contracts/${contractId}/sign`)
    assert.ok(html(signPage.body).querySelector('#code'), 'two-step form offered')
    const fields = formValues(signPage.body, `/contracts/${contractId}/sign`)
    const twoStep = { hash: fields.hash!, method: 'two-step' }
    const wrong = await hana.post(
      `/contracts/${contractId}/sign`,
      { ...twoStep, code: '000000' === totpCode(hanaSecret, new Date()) ? '111111' : '000000' },
      { formPage: `/contracts/${contractId}/sign` },
    )
    assert.equal(wrong.statusCode, 400)
    assert.equal(textOf(wrong.body, '#code-error'), 'Error: The code is not correct, or has been used already')
    const ok = await hana.post(
      `/contracts/${contractId}/sign`,
      { ...twoStep, code: totpCode(hanaSecret, new Date()) },
      { formPage: `/contracts/${contractId}/sign` },
    )
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 1000))
    assert.equal(ok.headers.location, `/contracts/${contractId}?done=in-force`)
    const row = await contractRow()
    assert.equal(row.status, 'signed')
    assert.ok(row.signed_at)
    const signatures = await s.database.db.selectFrom('contract_signature').selectAll().orderBy('signed_at').execute()
    assert.deepEqual(
      signatures.map((x) => [x.role, x.method]),
      [
        ['supervisee', 'password'],
        ['supervisor', 'two-step'],
      ],
    )
    assert.ok(signatures.every((x) => x.content_hash === row.content_hash))

    // The engine's override: every four weeks of term time, from the start of the year.
    const overrides = await s.database.db
      .selectFrom('person_override')
      .selectAll()
      .where('person_id', '=', ids.esme!)
      .execute()
    assert.equal(overrides.length, 1)
    assert.equal(overrides[0]!.source, 'contract')
    assert.deepEqual(overrides[0]!.override, {
      kind: 'frequency',
      personId: ids.esme,
      requirementId: 'mw-one-to-one',
      frequency: { every: 4, unit: 'weeks', termTimeOnly: true, wording: 'every four weeks' },
      reason: `Agreed in the supervision contract for ${year}`,
      from: yearStart,
      source: 'contract',
    })
    const afterDue = await esmeDue()
    assert.equal(afterDue.requirements[0]!.dueSource, 'agreed')
    assert.ok(afterDue.nextDue! < beforeDue.nextDue!, `${afterDue.nextDue} is earlier than ${beforeDue.nextDue}`)
    assert.match(afterDue.requirements[0]!.dueBecause, /as agreed in the supervision contract/)

    const page = await esme.get(ok.headers.location as string)
    const summary = html(page.body).querySelector('.govuk-summary-list')!.textContent.replace(/\s+/g, ' ')
    assert.match(summary, new RegExp(`Next supervision due ${formatDate(afterDue.nextDue!)}`))
    assert.match(summary, /How often every four weeks \(agreed in this contract\)/)
    assert.match(summary, /Status Signed/)
    const returned = await s.database.db
      .selectFrom('outbox_message')
      .select(['to_address'])
      .where('subject', '=', 'A supervision contract has been signed and returned to you')
      .execute()
    assert.deepEqual(
      returned.map((m) => m.to_address),
      ['amira.khan@oakfield.example'],
    )
    // The DSL's list of signed contracts has it.
    const list = await s.dsl.get('/contracts?status=signed')
    assert.match(list.body, /Esme Ward/)
  })

  test('the PDF is real text: the clauses, both signatures (name, role, date, hash) and the review date', async () => {
    const res = await esme.get(`/contracts/${contractId}/contract.pdf`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/pdf')
    assert.match(String(res.headers['content-disposition']), /attachment; filename="supervision-contract-/)
    const text = pdfText(res.rawPayload)
    const row = await contractRow()
    // Issue 14: headed with the school's own name, not the seed school's whose pack it started from.
    assert.match(text, /Supervision Contract – Oakfield Primary School/)
    assert.doesNotMatch(text, /Meanwood/)
    assert.match(text, /Supervision will take place every four weeks\./)
    assert.match(text, /both parties agree to meet together with Amira Khan/)
    assert.match(text, /Supervisee: Esme Ward Role: EYFS practitioner Signed on/)
    assert.match(text, /Supervisor: Hana Head Role: Headteacher Signed on .*two-step verification code/)
    assert.ok(text.includes(`SHA-256 of what was signed: ${row.content_hash}`))
    assert.ok(text.includes(`Review date: ${formatDate(row.review_on!)}`))
    const audit = await s.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'contract.downloaded')
      .execute()
    assert.equal(audit.length, 1)
  })

  test('a new version with changed terms: the signed one stays in force until both sign the new one, then is superseded', async () => {
    const edit = await s.dsl.get(`/contracts/${contractId}/edit`)
    const res = await s.dsl.post(`/contracts/${contractId}/edit`, { ...formValues(edit.body), frequency: 'option-2' })
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500))
    const newId = contractIdFrom(res.headers.location)
    assert.equal((await contractRow()).status, 'signed', 'still in force')
    assert.equal((await contractRow(newId)).status, 'issued')
    // While the new version waits, the old one cannot be changed again.
    const page = await s.dsl.get(`/contracts/${contractId}`)
    assert.doesNotMatch(page.body, /Change the terms/)

    for (const [who, browser] of [
      ['Esme', esme],
      ['Hana', hana],
    ] as const) {
      const form = await browser.get(`/contracts/${newId}/sign`)
      const fields = formValues(form.body, `/contracts/${newId}/sign`)
      const signed = await browser.post(
        `/contracts/${newId}/sign`,
        { hash: fields.hash!, method: 'password', password: ADMIN_PASSWORD },
        { formPage: `/contracts/${newId}/sign` },
      )
      assert.equal(signed.statusCode, 303, `${who}: ${signed.body.slice(0, 500)}`)
    }
    assert.equal((await contractRow()).status, 'superseded')
    assert.equal((await contractRow(newId)).status, 'signed')
    const overrides = await s.database.db
      .selectFrom('person_override')
      .selectAll()
      .where('person_id', '=', ids.esme!)
      .orderBy('set_at')
      .execute()
    assert.equal(overrides.length, 2)
    assert.ok(overrides[0]!.ended_at, 'the old agreement ended')
    assert.equal(overrides[1]!.ended_at, null)
    assert.deepEqual((overrides[1]!.override as { frequency: { unit: string } }).frequency.unit, 'half-terms')
    const history = await esme.get(`/contracts/${newId}`)
    assert.equal(html(history.body).querySelectorAll('table')[1]!.querySelectorAll('tbody tr').length, 2)
  })

  test('MW-02: reminders through the outbox: unsigned contracts at most once a week, a weekly summary to the DSL, the review date', async () => {
    // Tom gets a contract; nobody signs it.
    const form = await s.dsl.get(`/contracts/new?person=${ids.tom}&year=${year}`)
    const res = await s.dsl.post(`/contracts/new?person=${ids.tom}&year=${year}`, {
      ...formValues(form.body),
      supervisorId: ids.head!,
      disputeThirdPerson: s.org.personId,
    })
    const tomContract = contractIdFrom(res.headers.location)
    const baseUrl = 'http://haven.test'
    const reminderCount = async () =>
      (await s.database.db.selectFrom('outbox_message').select('id').where('subject', 'like', 'Reminder: %').execute())
        .length
    // This week's "ready to sign" emails already count as this week's reminder.
    const first = await sendContractReminders(s.database.db, { today, baseUrl })
    assert.equal(first.unsigned, 0)
    assert.equal(first.summaries, 1)
    const second = await sendContractReminders(s.database.db, { today, baseUrl })
    assert.deepEqual(second, { unsigned: 0, summaries: 0, reviews: 0 })
    const nextWeek = addDays(today, 7)
    const later = await sendContractReminders(s.database.db, { today: nextWeek, baseUrl })
    assert.equal(later.unsigned, 2, 'Tom and Hana')
    assert.equal(await reminderCount(), 2)
    const sameWeek = await sendContractReminders(s.database.db, { today: addDays(nextWeek, 1), baseUrl })
    assert.equal(sameWeek.unsigned, 0)
    const toTom = await s.database.db
      .selectFrom('outbox_message')
      .selectAll()
      .where('to_address', '=', emailOf('Tom Teacher'))
      .where('subject', 'like', 'Reminder: %')
      .executeTakeFirstOrThrow()
    assert.match(toTom.text_body, new RegExp(`${baseUrl}/contracts/${tomContract}`))
    assert.match(toTom.dedupe_key ?? '', /^reminder:contract-unsigned:.*:supervisee:\d{4}-W\d{2}$/)

    // Review: four weeks before the review date, both parties and the DSL, once.
    const signedRow = await s.database.db
      .selectFrom('contract')
      .select(['id', 'review_on'])
      .where('status', '=', 'signed')
      .executeTakeFirstOrThrow()
    const reviewDay = addDays(signedRow.review_on!, -7)
    const reviews = await sendContractReminders(s.database.db, { today: reviewDay, baseUrl })
    assert.equal(reviews.reviews, 3)
    assert.equal((await sendContractReminders(s.database.db, { today: addDays(reviewDay, 1), baseUrl })).reviews, 0)
    const reviewMail = await s.database.db
      .selectFrom('outbox_message')
      .select(['to_address', 'text_body'])
      .where('subject', '=', 'A supervision contract is due for review')
      .execute()
    assert.deepEqual(reviewMail.map((m) => m.to_address).sort(), [
      'amira.khan@oakfield.example',
      'esme.ward@oakfield.example',
      'hana.head@oakfield.example',
    ])
    assert.match(reviewMail[0]!.text_body, new RegExp(formatDate(signedRow.review_on!)))
  })

  test('the reminders job is registered and runs under the scheduler', async () => {
    const log = { info() {}, warn() {}, debug() {}, error() {} }
    const job = backgroundJobs(testConfig(), log, s.database.db).find((j) => j.name === 'contract-reminders')
    assert.ok(job)
    assert.equal(await runJob(s.database.db, job, new Date(), 30, log), 'ran')
  })
})
