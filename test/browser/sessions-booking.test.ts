import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { sql } from 'kysely'
import {
  addDays,
  addWorkingDays,
  englandDefaultCalendar,
  formatLongDate,
  isoWeekday,
} from '../../src/domain/calendar/index.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

function weekdayAfter(date: string, days: number): string {
  let d = addDays(date, days)
  while (isoWeekday(d) > 5) d = addDays(d, 1)
  return d
}

describe('sessions in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('CA-03, CA-01: the DSL books a session, cancels it, sees the rebooking deadline and rebooks it; a multi-agency session says how it is focused', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db, {
      packId: 'cornerstone',
      alsoDsl: true,
      adminName: 'Dana Shah',
      adminEmail: 'dana.shah@oakfield.example',
    })
    await relaxTwoStep(db, org.organisationId, org.personId)
    await sql`update policy_version set effective_from = '2020-09-01', document = jsonb_set(document, '{effectiveFrom}', '"2020-09-01"')`.execute(
      db,
    )
    const hana = await insertPersonWithAccount(db, org, { name: 'Hana Term', email: 'hana.term@oakfield.example' })
    await db.updateTable('person').set({ pastoral_responsibilities: true }).where('id', '=', hana).execute()

    const today = testToday
    const date = weekdayAfter(today, 7)
    const [y, m, d] = date.split('-')

    await j.signInAs('dana.shah@oakfield.example')
    await page.goto('/')
    await page.getByRole('link', { name: 'Sessions', exact: true }).first().click()
    assert.match(page.url(), /\/sessions$/)
    await j.checkA11y('your sessions, none yet')

    await page.getByRole('button', { name: 'Book a session' }).click()
    await j.checkA11y('booking form')
    // A mistake first: nobody chosen and no date.
    await page.getByRole('button', { name: 'Book the session' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('booking form with errors')
    await page.getByRole('link', { name: 'Select a supervisee' }).click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'superviseeIds')

    await page.getByLabel('Formal planned supervision', { exact: true }).check()
    await page.getByLabel('Hana Term').check()
    await page.locator('#date-day').fill(String(Number(d)))
    await page.locator('#date-month').fill(String(Number(m)))
    await page.locator('#date-year').fill(y as string)
    await page.getByLabel('Start time').fill('15:30')
    await page.getByLabel('Where').fill('Meeting room 2')
    await page.getByRole('button', { name: 'Book the session' }).click()
    assert.match(page.url(), /\/sessions\/[0-9a-f-]{36}\?saved=booked$/)
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /The session has been booked/)
    await j.checkA11y('session page')

    await page.getByRole('button', { name: 'Cancel the session' }).click()
    await j.checkA11y('cancel form')
    await page.getByRole('button', { name: 'Cancel the session' }).click()
    await visible(page.getByRole('link', { name: 'Select a reason for cancelling the session' }))
    await j.checkA11y('cancel form with an error')
    await page.getByLabel('Unavoidable circumstances').check()
    await page.getByRole('button', { name: 'Cancel the session' }).click()
    assert.match(page.url(), /\?saved=cancelled$/)
    const calendar = englandDefaultCalendar('england-and-wales', Number(y) - 1, Number(y) + 1)
    const deadline = formatLongDate(addWorkingDays(calendar, date, 5))
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      new RegExp(`Rebook for a date on or before ${deadline}`),
    )
    await j.checkA11y('cancelled session with its deadline')

    await page.getByRole('link', { name: 'Sessions', exact: true }).first().click()
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      new RegExp(`Hana Term: Rebook for a date on or before ${deadline}`),
    )
    await j.checkA11y('your sessions, with a rebooking warning')
    await page.getByRole('link', { name: /Formal planned supervision on .* with Hana Term/ }).click()

    await page.getByRole('button', { name: 'Rebook' }).click()
    assert.equal(await page.getByLabel('Hana Term').isChecked(), true)
    await j.checkA11y('rebooking form, prefilled')
    const next = weekdayAfter(date, 1)
    const [ny, nm, nd] = next.split('-')
    await page.locator('#date-day').fill(String(Number(nd)))
    await page.locator('#date-month').fill(String(Number(nm)))
    await page.locator('#date-year').fill(ny as string)
    await page.getByRole('button', { name: 'Rebook the session' }).click()
    assert.match(page.url(), /\?saved=rebooked$/)
    await j.checkA11y('the rebooked session')
    await page.getByRole('link', { name: /The session on/ }).click()
    assert.match((await page.locator('main').textContent()) ?? '', /Rebooked in time/)

    // CA-01: a multi-agency session must say how it is focused, and shows it.
    await page.getByRole('link', { name: 'Sessions', exact: true }).first().click()
    await page.getByRole('button', { name: 'Book a session' }).click()
    await page.getByLabel('Multi-agency supervision', { exact: true }).check()
    await page.getByLabel('Hana Term').check()
    const [my, mm, md] = weekdayAfter(date, 2).split('-')
    await page.locator('#date-day').fill(String(Number(md)))
    await page.locator('#date-month').fill(String(Number(mm)))
    await page.locator('#date-year').fill(my as string)
    await page.getByLabel('Start time').fill('11:00')
    await page.getByLabel('Where').fill('Meeting room 1')
    await page.getByRole('button', { name: 'Book the session' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await visible(page.locator('#focusId-error'))
    await j.checkA11y('booking form without a focus')
    await page.getByLabel('Case-centred').check()
    await page.getByRole('button', { name: 'Book the session' }).click()
    assert.match(page.url(), /\/sessions\/[0-9a-f-]{36}\?saved=booked$/)
    assert.match((await page.locator('.govuk-summary-list').first().textContent()) ?? '', /Focus\s*Case-centred/)
    await j.checkA11y('a multi-agency session with its focus')

    for (const [url, label] of [
      ['/sessions/week', 'week'],
      [`/sessions/week?date=${date}`, 'week with sessions'],
      ['/sessions/month', 'month'],
      ['/sessions/cancellations', 'cancellations'],
      ['/sessions/requests', 'requests'],
      ['/sessions/requests/new', 'request form'],
      ['/sessions/unplanned', 'unplanned form'],
    ] as const) {
      await page.goto(url)
      await j.checkA11y(label)
    }
    await page.getByRole('button', { name: 'Record the supervision' }).click()
    await j.checkA11y('unplanned form with errors')
    await page.goto('/sessions/requests/new')
    await page.getByRole('button', { name: 'Send the request' }).click()
    await j.checkA11y('request form with an error')
  })

  test('CA-04: a member of staff asks for a session, without JavaScript', async (t) => {
    const j = await startJourney(t, { javaScript: false })
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db, { packId: 'cornerstone', alsoDsl: true })
    await relaxTwoStep(db, org.organisationId, org.personId)
    await insertPersonWithAccount(db, org, { name: 'Ruth Quest', email: 'ruth.quest@oakfield.example' })
    await j.signInAs('ruth.quest@oakfield.example')
    await page.goto('/sessions')
    await page.getByRole('button', { name: 'Ask for a supervision session' }).click()
    await page.getByLabel('Wellbeing').check()
    await page.getByRole('button', { name: 'Send the request' }).click()
    assert.match(
      (await page.locator('.govuk-notification-banner').textContent()) ?? '',
      /Your request has been sent to the DSL/,
    )
    // axe needs JavaScript; these pages are checked with it in the journey above.
  })
})
