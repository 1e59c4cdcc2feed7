import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { insertOrganisation } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, type Journey, skipBrowser, startJourney, visible } from './browser.ts'

async function signInAsAdministrator(j: Journey) {
  const org = await insertOrganisation(j.database.db)
  await relaxTwoStep(j.database.db, org.organisationId, org.personId)
  await j.signInAs('amira.khan@oakfield.example')
  await j.page.goto('/')
}

describe('the policy editor in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('X-01, MW-03: the DSL reads the summary, changes a requirement’s frequency in the editor, publishes, and the summary shows it', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    await signInAsAdministrator(j)

    await page.getByRole('link', { name: 'Policy', exact: true }).click()
    assert.match(page.url(), /\/policy$/)
    await visible(page.getByText(/at least once a term, lasting about an hour/))
    await j.checkA11y('policy summary')

    await page.getByRole('link', { name: 'Edit the policy' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Edit the policy' }))
    await j.checkA11y('task list')
    await page.getByRole('link', { name: 'Requirements' }).click()
    await j.checkA11y('requirements')
    await page.getByRole('link', { name: 'Change One-to-one supervision' }).click()
    await j.checkA11y('a requirement')

    // A mistake first.
    await page.getByLabel('Every', { exact: true }).fill('six')
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('a requirement with an error')
    await page.getByRole('link', { name: 'Every must be a whole number, like 1' }).click()
    assert.equal(await page.getByLabel('Every', { exact: true }).evaluate((el) => el === document.activeElement), true)

    await page.getByLabel('Every', { exact: true }).fill('6')
    await page.getByLabel('Weeks', { exact: true }).check()
    await page.getByLabel('Count only term time').check()
    await page.getByRole('button', { name: 'Save' }).click()
    assert.match(
      (await page.locator('.govuk-notification-banner').textContent()) ?? '',
      /Your changes to the draft have been saved/,
    )
    await visible(page.getByText('At least every 6 weeks of term time'))
    await j.checkA11y('requirements after saving')

    await page.getByRole('link', { name: 'Back to the sections of the policy' }).click()
    await visible(page.getByText(/You are editing a draft copied from version 1/))
    await j.checkA11y('task list with a draft')
    await page.getByRole('button', { name: 'Publish the policy' }).click()
    await visible(page.getByRole('heading', { name: 'What changes' }))
    await visible(
      page.getByText('Frequency of one-to-one supervision: once a term → every 6 weeks of term time', { exact: true }),
    )
    await j.checkA11y('publish')
    const today = testToday
    await page.getByLabel('Day').fill(String(Number(today.slice(8))))
    await page.getByLabel('Month').fill(String(Number(today.slice(5, 7))))
    await page.getByLabel('Year').fill(today.slice(0, 4))
    await page.getByRole('button', { name: 'Publish version 2' }).click()

    assert.match(page.url(), /\/policy\?published=2$/)
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /Version 2 has been published/)
    await visible(page.getByText(/at least every 6 weeks of term time, lasting about an hour/))
    await visible(page.getByRole('cell', { name: 'In force' }))
    await j.checkA11y('policy summary after publishing')
  })

  test('every page of the editor passes the accessibility checks', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    await signInAsAdministrator(j)
    for (const url of [
      '/policy/edit/details',
      '/policy/edit/scope',
      '/policy/edit/session-types/items/0',
      '/policy/edit/supervisors/rules/0',
      '/policy/edit/cancellation',
      '/policy/edit/escalation/chains/0/steps/1',
      '/policy/edit/frameworks/frameworks/new',
      '/policy/edit/templates/records/new',
      '/policy/edit/contract',
      '/policy/edit/confidentiality',
      '/policy/edit/records',
      '/policy/edit/requests/groups/new',
      '/policy/edit/practice',
      '/policy/edit/publish',
      '/policy/edit/other',
      '/policy/edit/session-types/items/1/remove',
      '/policy/upload',
      '/policy/versions/1',
    ]) {
      const res = await page.goto(url)
      assert.equal(res?.status(), 200, url)
      await j.checkA11y(url)
    }
    // A section saved with a problem in a field, and the upload page with problems.
    await page.goto('/policy/edit/details')
    await page.getByLabel('Title of the policy').fill('')
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByRole('link', { name: 'Enter the policy title' }))
    await j.checkA11y('details with an error')
    await page.goto('/policy/upload')
    await page.getByRole('button', { name: 'Upload and check the file' }).click()
    await visible(page.getByRole('link', { name: 'Select a policy file' }))
    await j.checkA11y('upload with errors')
  })
})
