import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { academicYearIdFor, parseAcademicYearId } from '../../src/domain/calendar/index.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('the school calendar in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('X-02: an administrator changes a year’s dates and adds an INSET day', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const org = await insertOrganisation(j.database.db)
    await relaxTwoStep(j.database.db, org.organisationId, org.personId)
    const startYear = parseAcademicYearId(academicYearIdFor(testToday))!.startYear
    const label = `${startYear} to ${startYear + 1}`

    await j.signInAs('amira.khan@oakfield.example')
    await page.goto('/')
    await page.getByRole('link', { name: 'Calendar', exact: true }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'School calendar' }))
    await visible(page.getByRole('cell', { name: 'Christmas Day' }).first())
    await j.checkA11y('calendar')

    await page.getByRole('link', { name: `Change the dates for ${label}` }).click()
    await j.checkA11y('change the dates')
    const autumn2End = page.getByRole('group', { name: 'Last day of Autumn 2' })
    await autumn2End.getByLabel('Day', { exact: true }).fill('19')
    const closure = page.getByRole('group', { name: 'Closure 1', exact: true })
    await closure.getByLabel('Day', { exact: true }).fill('2')
    await closure.getByLabel('Month', { exact: true }).fill('9')
    await closure.getByLabel('Year', { exact: true }).fill(String(startYear))
    await closure.getByLabel('Description of closure 1').fill('Staff training day')
    // Forgot to say what kind it is.
    await page.getByRole('button', { name: 'Save the dates' }).click()
    await visible(page.getByRole('link', { name: 'Select whether closure 1 is an INSET day or a closure' }))
    await j.checkA11y('change the dates with an error')
    await page.getByRole('group', { name: 'Kind of closure 1' }).getByLabel('INSET day').check()

    await page.getByRole('button', { name: 'Add another closure' }).click()
    await j.checkA11y('change the dates with two closure rows')
    const second = page.getByRole('group', { name: 'Closure 2', exact: true })
    await second.getByLabel('Day', { exact: true }).fill('5')
    await second.getByLabel('Month', { exact: true }).fill('11')
    await second.getByLabel('Year', { exact: true }).fill(String(startYear))
    await second.getByLabel('Closure', { exact: true }).check()
    await second.getByLabel('Description of closure 2').fill('Polling day')
    await page.getByRole('button', { name: 'Save the dates' }).click()

    assert.match(page.url(), /\/calendar\?saved=/)
    assert.match(
      (await page.locator('.govuk-notification-banner').textContent()) ?? '',
      new RegExp(`The dates for ${label} have been saved`),
    )
    await visible(page.getByRole('cell', { name: 'Staff training day' }))
    await visible(page.getByRole('cell', { name: 'Polling day' }))
    await visible(page.getByRole('cell', { name: `19 December ${startYear}` }))
    await j.checkA11y('calendar after saving')

    await page.getByRole('link', { name: `Change the dates for ${label}` }).click()
    await page.getByRole('link', { name: `Reset ${label} to the England default` }).click()
    await j.checkA11y('reset a year')
    await page.getByRole('button', { name: `Yes, reset ${label}` }).click()
    assert.match(
      (await page.locator('.govuk-notification-banner').textContent()) ?? '',
      /reset to the England default dates/,
    )
    assert.equal(await page.getByRole('cell', { name: 'Polling day' }).count(), 0)
    await j.checkA11y('calendar after the reset')
  })
})
