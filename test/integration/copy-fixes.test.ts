/**
 * Defects people met in the pages (issue 18, point 6), each shown fixed: the case proforma's "Add
 * another row" stays on the proforma; "See the whole month" opens the month the week is in; the
 * Templates link shows only to those who may open the templates.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { testToday } from '../helpers/clock.ts'
import { html } from '../helpers/html.ts'
import { hidden, insertSession, type RecordsTestApp, recordsTestApp } from '../helpers/records.ts'

const today = testToday

describe('defects in the pages, fixed', () => {
  let s: RecordsTestApp
  const cleanup: (() => Promise<void>)[] = []
  after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  before(async () => {
    s = await recordsTestApp({ after: (fn) => void cleanup.push(fn) }, { pack: 'cornerstone' })
  })

  test('CA-06: "Add another row" on the case proforma saves it and comes back to the proforma with a new row', async () => {
    const sessionId = await insertSession(s.database.db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: addDays(today, 7),
      status: 'planned',
      supervisors: [s.supervisor.id],
      supervisees: [s.supervisee.id],
    })
    const preparation = `/records/sessions/${sessionId}/preparation`
    const page = await s.supervisee.browser.get(preparation)
    const saved = await s.supervisee.browser.post(preparation, {
      version: hidden(page.body, 'version'),
      'agenda-0-text': '',
      'cases-0-id': '',
      'cases-0-kind': 'child',
      'cases-0-name': 'Child A',
      'cases-0-reference': '',
      'cases-0-notes': '',
    })
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000))
    const link = html((await s.supervisee.browser.get(preparation)).body)
      .querySelector('a[href*="/proforma"]')
      ?.getAttribute('href')
    assert.ok(link)
    const proforma = await s.supervisee.browser.get(link)
    const rowsBefore = html(proforma.body).querySelectorAll('[name^="networkOfSupport-"]').length
    assert.ok(rowsBefore > 0, 'the proforma has the network of support table')
    const added = await s.supervisee.browser.post(link, {
      version: hidden(proforma.body, 'version'),
      'case-kind': 'child',
      'case-name': 'Child A',
      genogram: 'Lives with mum',
      add: 'networkOfSupport',
    })
    assert.equal(added.statusCode, 303)
    const location = String(added.headers.location)
    assert.ok(location.startsWith(`${link}?`), `back to the proforma, not ${location}`)
    const again = await s.supervisee.browser.get(location)
    assert.equal(again.statusCode, 200)
    assert.match(again.body, /Lives with mum/, 'what was typed is kept')
    assert.ok(html(again.body).querySelectorAll('[name^="networkOfSupport-"]').length > rowsBefore, 'a new row')
  })

  test('"See the whole month" from a week opens the month most of the week is in', async () => {
    // Monday 30 November to Sunday 6 December 2026: four of its days are in December.
    const week = await s.dsl.browser.get('/sessions/week?date=2026-11-30')
    assert.equal(week.statusCode, 200)
    const month = html(week.body)
      .querySelectorAll('main a')
      .find((a) => a.textContent.trim() === 'See the whole month')
    assert.equal(month?.getAttribute('href'), '/sessions/month?month=2026-12')
  })

  test('the Templates link shows only to those who may open the templates', async () => {
    const templatesLink = async (who: RecordsTestApp['dsl']) =>
      html((await who.browser.get('/records')).body).querySelector('main a[href="/templates"]') !== null
    assert.equal(await templatesLink(s.dsl), true)
    assert.equal((await s.supervisee.browser.get('/templates')).statusCode, 403)
    assert.equal(await templatesLink(s.supervisee), false)
  })
})
