/**
 * Supervision contracts in a real browser (issue 8; MW-02, MW-03): the DSL issues contracts to
 * everyone in scope, agrees a stricter frequency with one person (a new version), both parties
 * sign with their password, and the person's next due date moves. Every page is checked with axe.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { academicYearBounds, academicYearIdFor, parseAcademicYearId } from '../../src/domain/calendar/index.ts'
import { ADMIN_PASSWORD, insertOrganisation } from '../builders/organisation.ts'
import { addPerson, emailOf, today } from '../helpers/contracts.ts'
import { ADMIN_EMAIL, relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, type Journey, skipBrowser, startJourney, visible } from './browser.ts'

const year = academicYearIdFor(today)
const yearStart = academicYearBounds(parseAcademicYearId(year)!.startYear).start

async function signIn(j: Journey, email: string) {
  await j.signInAs(email)
  await j.page.goto('/')
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).first().click()
}

function summaryValue(page: Page, key: string) {
  return page
    .locator('.govuk-summary-list__row', { has: page.locator('dt', { hasText: key }) })
    .locator('dd')
    .first()
    .textContent()
    .then((text) => (text ?? '').replace(/\s+/g, ' ').trim())
}

describe('supervision contracts in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('MW-02, MW-03: issue to everyone in scope, agree a stricter frequency, both sign, the next due date moves', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const org = await insertOrganisation(j.database.db, { alsoDsl: true, packId: 'meanwood' })
    await relaxTwoStep(j.database.db, org.organisationId, org.personId)
    const at = { database: j.database, org }
    const head = await addPerson(at, { name: 'Hana Head', roles: ['headteacher'], jobTitle: 'Headteacher' })
    await addPerson(at, {
      name: 'Esme Ward',
      roles: ['eyfs-practitioner'],
      jobTitle: 'EYFS practitioner',
      lineManagerId: head,
    })
    await addPerson(at, { name: 'Sam Senco', roles: ['senco'], jobTitle: 'SENDCO', lineManagerId: head })

    // The DSL issues contracts to everyone in scope.
    await signIn(j, ADMIN_EMAIL)
    await page.getByRole('link', { name: 'Contracts', exact: true }).click()
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Supervision contracts')
    await j.checkA11y('contracts list (empty)')
    await page.getByRole('button', { name: `Issue contracts for ${year}` }).click()
    await j.checkA11y('issue contracts: preview')
    await visible(page.getByRole('heading', { name: '2 people get a contract' }))
    await page.getByRole('button', { name: 'Issue 2 contracts' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('issue contracts: with errors')
    await page
      .getByLabel('Named person for a dispute resolution meeting')
      .selectOption({ label: 'Hana Head (Headteacher)' })
    await page.getByRole('button', { name: 'Issue 2 contracts' }).click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /2 contracts issued/)
    await j.checkA11y('contracts waiting for signatures')

    // A stricter frequency for Esme: every four weeks from the start of the year (a new version).
    await page.getByRole('link', { name: 'Esme Ward' }).click()
    await j.checkA11y('a contract')
    const dueBefore = await summaryValue(page, 'Next supervision due')
    await page.getByRole('button', { name: 'Change the terms' }).click()
    await j.checkA11y('change the terms')
    await page.getByLabel('Every four weeks').check()
    const [y, m, d] = yearStart.split('-')
    await page
      .getByRole('group', { name: 'Supervision starts on' })
      .getByLabel('Day')
      .fill(String(Number(d)))
    await page
      .getByRole('group', { name: 'Supervision starts on' })
      .getByLabel('Month')
      .fill(String(Number(m)))
    await page.getByRole('group', { name: 'Supervision starts on' }).getByLabel('Year').fill(y!)
    await page.getByRole('button', { name: 'Issue the new version' }).click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /The contract has been issued/)
    assert.equal(await summaryValue(page, 'Next supervision due'), dueBefore, 'not until both have signed')
    const contractUrl = page.url()
    await signOut(page)

    // Esme signs with her password (a wrong one first).
    await signIn(j, emailOf('Esme Ward'))
    await page.getByRole('link', { name: 'Your contracts' }).click()
    await j.checkA11y('your contracts')
    await page.getByRole('link', { name: 'Your contract with Hana Head' }).first().click()
    await page.getByRole('button', { name: 'Sign the contract' }).click()
    await j.checkA11y('sign the contract')
    await page.getByLabel('Enter your password to confirm it is you').fill('not my password')
    await page.getByRole('button', { name: 'Sign the contract' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('sign the contract: wrong password')
    await page.getByLabel('Enter your password to confirm it is you').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign the contract' }).click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /You have signed the contract/)
    await j.checkA11y('signed by the supervisee')
    await signOut(page)

    // Hana signs as the supervisor: the contract is in force and Esme's next due date moves.
    await signIn(j, emailOf('Hana Head'))
    await page.goto(contractUrl)
    await page.getByRole('button', { name: 'Sign the contract' }).click()
    await page.getByLabel('Enter your password to confirm it is you').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign the contract' }).click()
    assert.match(
      (await page.locator('.govuk-notification-banner').textContent()) ?? '',
      /it is in force and has been returned/,
    )
    await j.checkA11y('signed by both')
    assert.equal(await summaryValue(page, 'Status'), 'Signed')
    const dueAfter = await summaryValue(page, 'Next supervision due')
    assert.notEqual(dueAfter, dueBefore)
    assert.match(dueAfter, /as agreed in the supervision contract/)
    await visible(page.getByRole('link', { name: 'Download the contract (PDF)' }))
    await signOut(page)

    // The DSL sees it signed and returned.
    await signIn(j, ADMIN_EMAIL)
    await page.goto('/contracts?status=signed')
    await j.checkA11y('signed contracts')
    await visible(page.getByRole('link', { name: 'Esme Ward' }))
  })
})
