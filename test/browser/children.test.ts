/**
 * Issue 15 in a real browser, with axe on every page: the DSL imports the pupil register, then
 * signs off a decision from the queue (AM-04), copies its entry and marks it entered, and
 * makes an API token for the school's integration and revokes it.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { insertDecisions } from '../../src/db/repositories/children.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const pupils = Buffer.from(
  'Legal Surname,Legal Forename,UPN,DOB,NC Year\r\nBegum,Aisha,A123456789012,14/03/2016,Year 4\r\nOkafor,Tobi,B123456789012,02/01/2015,Year 5\r\n',
)

describe('children in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('X-07, AM-04: the DSL imports pupils, signs a decision off, copies its entry and marks it entered', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const org = await insertOrganisation(j.database.db, { alsoDsl: true })
    await relaxTwoStep(j.database.db, org.organisationId, org.personId)
    await insertDecisions(j.database.db, org, [
      {
        source: 'unplanned',
        sourceItemId: '0f8b3a52-9c1e-4f7a-8d2b-6e5c4a3b2d19',
        sessionId: null,
        recordId: null,
        sessionKind: 'Unplanned supervision: A corridor conversation',
        about: 'child',
        pupilId: null,
        aboutName: '',
        decision: 'Referral to early help to be made today',
        actions: '',
        agreedBy: 'Uma Plan and Cal Forward',
        decidedOn: '2026-11-30',
        status: 'awaiting-sign-off',
      },
    ])

    await j.signInAs('amira.khan@oakfield.example')
    await page.goto('/children')
    await j.checkA11y('pupil register, empty')
    await page.getByRole('button', { name: 'Import pupils from a CSV file' }).click()
    await j.checkA11y('pupil import')
    await page.getByRole('button', { name: 'Check the file' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('pupil import with an error')
    await page
      .getByLabel('Upload a CSV file')
      .setInputFiles({ name: 'pupils.csv', mimeType: 'text/csv', buffer: pupils })
    await page.getByRole('button', { name: 'Check the file' }).click()
    await visible(page.getByRole('heading', { name: 'Check the pupil import' }))
    await j.checkA11y('pupil import preview')
    await page.getByRole('button', { name: 'Import 2 pupils' }).click()
    await visible(page.getByRole('rowheader', { name: 'Aisha Begum' }))
    await j.checkA11y('pupil register')

    await page.goto('/children/decisions')
    await j.checkA11y('decision queue')
    await page.getByRole('link', { name: 'Not yet named' }).click()
    await j.checkA11y('a decision waiting for sign-off')
    await page.getByLabel('Amend it, then approve it').check()
    await page.getByLabel('Child', { exact: true }).selectOption({ label: 'Aisha Begum (Year 4, A123456789012)' })
    await page.getByLabel('Actions (optional)').fill('DSL to call the family')
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByText('The decision is signed off and ready to enter on the child’s record.'))
    await visible(page.getByRole('button', { name: 'Copy the entry' }))
    assert.match(
      (await page.locator('#entry-text').textContent()) ?? '',
      /Child: Aisha Begum \(Year 4\), UPN A123456789012/,
    )
    await j.checkA11y('a decision ready to copy')
    await page.getByLabel('Reference of the entry in the child’s record').fill('INC-2231')
    await page.getByRole('button', { name: 'Mark as entered on the child’s record' }).click()
    await visible(page.getByText(/Entered on the child’s record by Amira Khan on .*, reference INC-2231/))
    await j.checkA11y('a decision entered')

    await page.goto('/children/webhook')
    await j.checkA11y('webhook settings')
    await page.getByLabel('Your system’s address').fill('https://cpoms-bridge.example.org/haven')
    await page.getByRole('button', { name: 'Save and show a new secret' }).click()
    await visible(page.getByRole('heading', { name: 'Your signing secret' }))
    await j.checkA11y('webhook secret shown once')
    await page.getByRole('link', { name: 'See what has been sent' }).click()
    await j.checkA11y('delivery log')

    // Issue 15: retention and subject access, the DSL's pages.
    await page.goto('/retention')
    await visible(page.getByText('No records are due for removal.'))
    await j.checkA11y('records due for removal')
    await page.getByRole('button', { name: 'Place the hold' }).click()
    await visible(page.getByRole('link', { name: 'Select whether the hold is on a person or a record' }))
    await j.checkA11y('a legal hold with an error')
    await page.getByLabel('A person: every record about them').check()
    await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Amira Khan' })
    await page.getByLabel('Reason for the hold').fill('A complaint under investigation')
    await page.getByRole('button', { name: 'Place the hold' }).click()
    await visible(page.getByText('The legal hold is in place.'))
    await j.checkA11y('a legal hold placed')
    await page.getByRole('link', { name: 'Export everything held about a person (subject access)' }).click()
    await j.checkA11y('subject access export')
    // Issue 15 item 3 (ADR 0035): a token for the school's integration, shown once, then revoked.
    await page.goto('/api-tokens')
    await page.getByRole('button', { name: 'Make token' }).click()
    await visible(page.getByRole('link', { name: 'Enter a name for the token' }))
    await j.checkA11y('API tokens with an error')
    await page.getByLabel('Name').fill('CPOMS')
    await page.getByLabel('Mark decisions as entered in the child’s record').check()
    await page.getByLabel('Read decisions about children waiting for their records').check()
    await page.getByRole('button', { name: 'Make token' }).click()
    await visible(page.getByRole('heading', { name: 'Your new API token' }))
    assert.match((await page.locator('#token').textContent()) ?? '', /^haven_/)
    await j.checkA11y('API token shown once')
    await page.getByRole('button', { name: 'Revoke CPOMS' }).click()
    await visible(page.getByText('The token has been revoked'))
    await j.checkA11y('API tokens, one revoked')
  })
})
