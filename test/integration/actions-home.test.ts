/**
 * Everyone sees their own open actions on their home page (X-05, CA-07): overdue ones stand out
 * with a red tag, actions carried forward at two sessions running are marked as drifting, and
 * nobody sees anyone else's.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { londonDateOf } from '../../src/domain/calendar/london.ts'
import { clockFrom, testNow } from '../helpers/clock.ts'
import { html } from '../helpers/html.ts'
import {
  dateFields,
  formValues,
  insertSession,
  type RecordsTestApp,
  recordIdFrom,
  recordsTestApp,
} from '../helpers/records.ts'

// The app's clock starts at the fixed test instant (helpers/clock.ts, ADR 0017): "today" here and in
// the app is the same term-time day whatever the real date (a run once failed at 23:59:56).
const now = testNow
const today = londonDateOf(now)

describe('your actions on the home page', () => {
  let s: RecordsTestApp
  let recordId: string
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone', clock: clockFrom(now) })
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, -21),
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const started = await s.supervisor.browser.post(
      `/records/sessions/${sessionId}/start`,
      { template: 'ca-supervision-record@1' },
      { formPage: `/records/sessions/${sessionId}` },
    )
    recordId = recordIdFrom(started.headers.location)
    const page = await s.supervisor.browser.get(`/records/${recordId}`)
    const saved = await s.supervisor.browser.post(
      `/records/${recordId}`,
      {
        ...formValues(page.body),
        'agreedFurtherActions-0-text': 'Finish the attendance report',
        'agreedFurtherActions-0-owner': s.supervisee.id,
        ...dateFields('agreedFurtherActions-0-dueOn', addDays(today, -1)),
        'agreedFurtherActions-1-text': 'Read the new procedures',
        'agreedFurtherActions-1-owner': s.supervisee.id,
        ...dateFields('agreedFurtherActions-1-dueOn', today),
        'agreedFurtherActions-2-text': 'Arrange cover for training',
        'agreedFurtherActions-2-owner': s.supervisor.id,
        ...dateFields('agreedFurtherActions-2-dueOn', addDays(today, -3)),
        'agreedFurtherActions-3-text': 'Think about next steps',
        'agreedFurtherActions-3-owner': s.supervisee.id,
      },
      { formPage: `/records/${recordId}` },
    )
    assert.equal(saved.statusCode, 303)
  })

  function items(body: string) {
    return html(body)
      .querySelectorAll('#your-actions li')
      .map((li) => li.textContent.replace(/\s+/g, ' ').trim())
  }

  test('X-05: the home page lists the person’s own open actions, soonest due first; overdue ones have a red tag', async () => {
    const home = await s.supervisee.browser.get('/')
    assert.equal(home.statusCode, 200)
    assert.match(home.body, /<h2 class="govuk-heading-m" id="your-actions-heading">Your actions<\/h2>/)
    const list = items(home.body)
    assert.equal(list.length, 3)
    assert.match(list[0]!, /^Overdue Open Finish the attendance report Due \d+ \w+ \d{4}/)
    assert.match(list[1]!, /^Open Read the new procedures Due/, 'due today is not overdue')
    assert.match(list[2]!, /Think about next steps No due date/)
    const red = html(home.body)
      .querySelectorAll('#your-actions .govuk-tag--red')
      .map((t) => t.textContent.trim())
    assert.deepEqual(red, ['Overdue'])
    assert.ok(!list.some((i) => i.includes('Arrange cover for training')), 'not someone else’s')
    const supervisorHome = items((await s.supervisor.browser.get('/')).body)
    assert.equal(supervisorHome.length, 1)
    assert.match(supervisorHome[0]!, /Overdue .*Arrange cover for training/)
    assert.match((await s.bystander.browser.get('/')).body, /You have no open actions/)
    const signedOut = await s.app.inject({ method: 'GET', url: '/' })
    assert.doesNotMatch(signedOut.body, /Your actions/)
  })

  test('CA-07: an action carried forward at two sessions running is marked as drifting; done ones leave the list', async () => {
    const action = await s.database.db
      .selectFrom('record_action')
      .select(['id'])
      .where('description', '=', 'Read the new procedures')
      .executeTakeFirstOrThrow()
    for (const days of [-14, -7]) {
      const session = await insertSession(s.database.db, {
        schoolId: s.org.schoolId,
        typeId: 'formal-planned',
        date: addDays(today, days),
        supervisors: [s.supervisor.id],
        supervisees: [s.supervisee.id],
      })
      const started = await s.supervisor.browser.post(
        `/records/sessions/${session}/start`,
        { template: 'ca-supervision-record@1' },
        { formPage: `/records/sessions/${session}` },
      )
      const id = recordIdFrom(started.headers.location)
      const page = await s.supervisor.browser.get(`/records/${id}`)
      const res = await s.supervisor.browser.post(
        `/records/${id}`,
        { ...formValues(page.body), [`reviews-${action.id}`]: 'carried-forward' },
        { formPage: `/records/${id}` },
      )
      assert.equal(res.statusCode, 303)
    }
    const actions = await s.supervisee.browser.get('/actions')
    assert.equal(actions.statusCode, 200)
    const read = items(actions.body).find((i) => i.includes('Read the new procedures'))
    assert.match(read ?? '', /Drifting Carried forward/)
    assert.match(read ?? '', /Carried forward at two sessions running/)
    // Issue 16: the actions page is a paged list with a count; each row says if it is overdue or drifting.
    assert.match(actions.body, /Showing 1 to 3 of 3 open actions/)
    assert.equal(items(actions.body).filter((i) => /Overdue/.test(i)).length, 1)
    assert.equal(items(actions.body).filter((i) => /Drifting/.test(i)).length, 1)
    await s.database.db
      .updateTable('record_action')
      .set({ status: 'done' })
      .where('description', '=', 'Finish the attendance report')
      .execute()
    assert.ok(
      !items((await s.supervisee.browser.get('/')).body).some((i) => i.includes('Finish the attendance report')),
    )
  })
})
