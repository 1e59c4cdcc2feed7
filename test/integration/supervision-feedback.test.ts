/**
 * Issue 17, items 2 and 7: supervisee feedback on supervision quality (PL-06), end to end on one
 * app and database: asked when a record is signed (a task on the home page, an email through the
 * outbox), answered on a form, aggregates hidden under 5 responses and shown at 5, the workload
 * flag at the policy's threshold, the annual evaluation as a page and as CSV. And the overview's
 * balance of functions (LH-02) not reset when a new policy version is published.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import { addDays } from '../../src/domain/calendar/index.ts'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { backgroundJobs } from '../../src/jobs/index.ts'
import { loadPack } from '../../src/packs/index.ts'
import { loadOverviewInputs } from '../../src/services/overview/facts.ts'
import { computeOverview, overviewSchoolFor } from '../../src/services/overview/overview.ts'
import { signedRecord } from '../helpers/development-plan.ts'
import { html, textOf } from '../helpers/html.ts'
import { type Person, type RecordsTestApp, recordsTestApp } from '../helpers/records.ts'

const today = '2026-11-20'
const clock = () => new Date(`${today}T10:00:00Z`)

describe('PL-06 and LH-02 (issue 17)', () => {
  let s: RecordsTestApp
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanups.push(fn) }, { pack: 'the-place', clock })
  })

  const sign = (supervisee: Person, date: string) =>
    signedRecord(s.database.db, {
      organisationId: s.org.organisationId,
      schoolId: s.org.schoolId,
      date,
      typeId: 'one-to-one',
      template: 'pl-supervision-record',
      supervisor: s.supervisor,
      supervisee,
      values: { model: 'one-to-one' },
    })

  /** The questionnaire on the person's home page, newest last. */
  async function questionnaireOf(person: Person): Promise<string[]> {
    const home = await person.browser.get('/')
    return html(home.body)
      .querySelectorAll('#feedback-tasks a')
      .map((a) => a.getAttribute('href')!)
  }

  const answers = (workload: number, comment = '') => ({
    'answer-listened-to': '5',
    'answer-time-protected': '4',
    'answer-actions-useful': '3',
    'answer-workload-manageable': String(workload),
    comment,
  })

  async function answer(person: Person, workload: number, comment = '') {
    const [href] = (await questionnaireOf(person)).slice(-1)
    assert.ok(href, `${person.name} is asked`)
    const res = await person.browser.post(href, answers(workload, comment))
    assert.equal(res.statusCode, 303, res.body)
  }

  test('PL-06: asked after signing, answered once on a form nobody else can open', async () => {
    const db = s.database.db
    await sign(s.supervisee, '2026-11-10')
    const requests = await db.selectFrom('feedback_request').selectAll().execute()
    assert.equal(requests.length, 1)
    assert.equal(requests[0]!.person_id, s.supervisee.id)
    assert.equal(requests[0]!.supervisor_id, s.supervisor.id)
    const mail = await db
      .selectFrom('outbox_message')
      .select(['to_address', 'text_body'])
      .where('subject', '=', 'Tell us about your supervision')
      .execute()
    assert.deepEqual(
      mail.map((m) => m.to_address),
      [s.supervisee.email],
    )
    assert.match(mail[0]!.text_body, new RegExp(`/supervision-feedback/${requests[0]!.id}`))

    const [href] = await questionnaireOf(s.supervisee)
    assert.equal(href, `/supervision-feedback/${requests[0]!.id}`)
    const page = await s.supervisee.browser.get(href!)
    assert.equal(page.statusCode, 200)
    assert.equal(html(page.body).querySelectorAll('input[type=radio][name="answer-listened-to"]').length, 5)
    // Nobody else opens it: not the supervisor, not the DSL.
    assert.equal((await s.supervisor.browser.get(href!)).statusCode, 404)
    assert.equal((await s.dsl.browser.get(href!)).statusCode, 404)

    // Every statement needs an answer: the error names it.
    const refused = await s.supervisee.browser.post(href!, { ...answers(4), 'answer-time-protected': '' })
    assert.equal(refused.statusCode, 400)
    assert.match(
      textOf(refused.body, '.govuk-error-summary'),
      /Select how much you agree with “The time for my supervision was protected”/,
    )
    assert.ok(html(refused.body).querySelector('input[name="answer-listened-to"][value="5"][checked]'), 'kept')

    const sent = await s.supervisee.browser.post(href!, answers(1, 'Time is often cut short'))
    assert.equal(sent.statusCode, 303)
    assert.match((await s.supervisee.browser.get(href!)).body, /Thank you for your feedback/)
    assert.deepEqual(await questionnaireOf(s.supervisee), [], 'no longer a task')
    // Answered once: a second answer changes nothing.
    await s.supervisee.browser.post(href!, answers(5), { formPage: '/' })
    assert.equal((await db.selectFrom('feedback_response').selectAll().execute()).length, 1)
    assert.equal(
      (await db.selectFrom('feedback_response').select('answers').executeTakeFirst())!.answers['workload-manageable'],
      1,
    )
  })

  test('PL-06: figures hidden under 5 responses, shown at 5; workload flagged at the policy’s threshold', async () => {
    const report = async () => {
      const res = await s.dsl.browser.get('/supervision-feedback')
      assert.equal(res.statusCode, 200)
      return res.body
    }
    assert.match(textOf(await report(), '#feedback-school'), /fewer than 5 answers, so no figures are shown/)
    assert.equal((await s.supervisor.browser.get('/supervision-feedback')).statusCode, 403, 'not the supervisor')

    const others = [
      await s.person('Ola Ade'),
      await s.person('Ben Cole'),
      await s.person('Cara Dunn'),
      await s.person('Dev Iyer'),
    ]
    for (const p of others.slice(0, 3)) await sign(p, '2026-11-12')
    await answer(others[0]!, 2)
    await answer(others[1]!, 4, 'Really helpful')
    await answer(others[2]!, 4)
    // Four responses: still hidden, per supervisor and for the school.
    const four = await report()
    assert.match(textOf(four, '#feedback-school'), /fewer than 5 answers/)
    assert.match(textOf(four, '#feedback-supervisor-1'), /Supervised by Dana Ellis: fewer than 5 answers/)
    assert.doesNotMatch(four, /Really helpful/)

    await sign(others[3]!, '2026-11-13')
    await answer(others[3]!, 5)
    const five = await report()
    const school = html(five)
      .querySelectorAll('#feedback-school tbody tr')
      .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
    assert.deepEqual(school, [
      'I felt listened to 5 5',
      'The time for my supervision was protected 4 5',
      'The actions we agreed are useful 3 0',
      'My workload is manageable 3.2 3',
    ])
    assert.match(textOf(five, '#feedback-supervisor-1'), /Supervised by Dana Ellis: 5 answers/)
    // Two say workload exceeds capacity: under the policy's 3, not flagged.
    assert.doesNotMatch(five, /govuk-warning-text/)
    assert.match(five, /more than they can manage: 2\./)
    assert.match(textOf(five, '#feedback-comments'), /Really helpful/)

    // A third supervisee, after their next session, says so too: flagged.
    await sign(others[2]!, '2026-11-18')
    await answer(others[2]!, 2)
    const flagged = await report()
    assert.match(textOf(flagged, '#feedback-school'), /3 supervisees say their workload is more than they can manage/)

    // The annual evaluation as CSV, for the year asked.
    const csv = await s.dsl.browser.get('/supervision-feedback.csv?year=2026-27')
    assert.equal(csv.statusCode, 200)
    assert.match(csv.headers['content-disposition'] as string, /supervision-quality-.*-2026-27\.csv/)
    assert.match(csv.body, /Whole school,6,5,4,3,3,3,Yes\r\nSupervised by Dana Ellis,6,5,4,3,3,3,Yes/)
    assert.doesNotMatch(csv.body, /Priya Shah|Ola Ade|Really helpful/, 'no respondent, no comment')
    const lastYear = await s.headteacher.browser.get('/supervision-feedback?year=2025-26')
    assert.equal(lastYear.statusCode, 200)
    assert.match(textOf(lastYear.body, '#feedback-school'), /fewer than 5 answers/)
    assert.equal((await s.dsl.browser.get('/supervision-feedback?year=1999-00')).statusCode, 404)
  })

  test('PL-06: a supervisee who has not answered is reminded once, the policy’s days after asking, with the link only', async () => {
    const db = s.database.db
    const eve = await s.person('Eve Ford')
    await sign(eve, '2026-11-16')
    const request = await db
      .selectFrom('feedback_request')
      .select(['id', 'asked_on'])
      .where('person_id', '=', eve.id)
      .executeTakeFirstOrThrow()
    const job = backgroundJobs(testConfig(), { info() {}, warn() {}, error() {} } as never, db).find(
      (j) => j.name === 'feedback-reminders',
    )
    assert.ok(job, 'the scheduler runs the feedback reminders')
    const reminders = async () =>
      db
        .selectFrom('outbox_message')
        .select(['to_address', 'text_body'])
        .where('subject', '=', 'Reminder: tell us about your supervision')
        .execute()
    const runOn = (date: string) => db.transaction().execute((trx) => job.run(trx, new Date(`${date}T09:00:00Z`)))
    // The policy says nothing: 7 days after asking.
    await runOn(addDays(request.asked_on, 6))
    assert.equal((await reminders()).length, 0, 'not before 7 days')
    await runOn(addDays(request.asked_on, 7))
    const sent = await reminders()
    assert.deepEqual(
      sent.map((m) => m.to_address),
      [eve.email],
      'only the one who has not answered',
    )
    assert.match(sent[0]!.text_body, new RegExp(`/supervision-feedback/${request.id}`))
    assert.doesNotMatch(sent[0]!.text_body, /Dana Ellis|2026-11-16|16 November/, 'nothing of the session')
    await runOn(addDays(request.asked_on, 8))
    await runOn(addDays(request.asked_on, 30))
    assert.equal((await reminders()).length, 1, 'once')
    const row = await db
      .selectFrom('feedback_request')
      .select('reminded_on')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.reminded_on, addDays(request.asked_on, 7))
  })

  test('LH-02: publishing a new policy version does not reset the "function not covered" flags', async () => {
    const db = s.database.db
    const found = (await overviewSchoolFor(
      db,
      { organisationId: s.org.organisationId, schoolId: s.org.schoolId },
      undefined,
    ))!
    // The school has had its policy for more than the 12 months looked back.
    const v1 = { ...loadPack('the-place'), effectiveFrom: '2025-09-01' }
    await db
      .updateTable('policy_version')
      .set({ effective_from: v1.effectiveFrom, document: JSON.stringify(v1) })
      .where('school_id', '=', s.org.schoolId)
      .where('version', '=', 1)
      .execute()
    const before = await computeOverview(db, found.school, today)
    assert.ok(before.summary.figures.frameworkGaps > 0, 'flags under the first version')
    const v2: PolicyDocument = {
      ...loadPack('the-place'),
      version: 2,
      effectiveFrom: '2026-11-01',
    }
    v2.frameworks = v2.frameworks.map((f) => ({ ...f, coverageLookback: { amount: 12, unit: 'months' } }))
    await db
      .insertInto('policy_version')
      .values({
        school_id: s.org.schoolId,
        version: 2,
        effective_from: v2.effectiveFrom,
        document: JSON.stringify(v2),
        pack_id: 'the-place',
      })
      .execute()
    const after = await computeOverview(db, found.school, today)
    assert.equal(after.summary.figures.frameworkGaps, before.summary.figures.frameworkGaps, 'the overview keeps them')
    // The compliance engine too: the supervisee's gaps span both versions.
    const { facts } = await loadOverviewInputs(db, found.school, today)
    const gaps = facts.compliance.find((c) => c.personId === s.supervisee.id)?.frameworkGaps ?? []
    assert.equal(gaps.length, 1, 'the engine keeps them')
  })
})
