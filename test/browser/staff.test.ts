import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { insertOrganisation } from '../builders/organisation.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url))

describe('staff in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('X-03: an administrator imports the staff list from a CSV file and finds the people in the staff list', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const org = await insertOrganisation(j.database.db)
    await relaxTwoStep(j.database.db, org.organisationId, org.personId)

    await j.signInAs('amira.khan@oakfield.example')
    await page.goto('/')
    await page.getByRole('link', { name: 'Staff' }).first().click()
    assert.match(page.url(), /\/staff$/)
    await j.checkA11y('staff list, one person')

    await page.getByRole('link', { name: 'Import staff from a CSV file' }).click()
    await j.checkA11y('import page')
    // A mistake first: no file chosen.
    await page.getByRole('button', { name: 'Check the file' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('import page with an error')
    // A file with problems: every one listed by row and column.
    await page.getByLabel('Upload a CSV file').setInputFiles(fixture('unknown-role.csv'))
    await page.getByRole('button', { name: 'Check the file' }).click()
    await visible(page.getByRole('cell', { name: /"Head of Maths" is not in Haven/ }))
    await j.checkA11y('import page with problems in the file')

    await page.getByLabel('Upload a CSV file').setInputFiles(fixture('sims-export.csv'))
    await page.getByRole('button', { name: 'Check the file' }).click()
    assert.match(page.url(), /\/staff\/import\/[A-Za-z0-9_-]{43}$/)
    await visible(page.getByRole('heading', { name: 'Check the staff import' }))
    await j.checkA11y('import preview')
    await page.getByRole('button', { name: 'Import 5 people' }).click()

    assert.match(page.url(), /\/staff\?imported=1/)
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /5 added/)
    for (const name of [
      'Maggie Threlkeld',
      'Siân O’Brien'.replace('’', "'"),
      'Zoë Fairweather-Quill',
      'Idris Pennyfeather',
    ])
      await visible(page.locator('tbody tr td:first-child').getByRole('link', { name, exact: true }), name)
    await j.checkA11y('staff list after the import')

    await page.getByLabel('Name or email address').fill('zoë')
    await page.getByRole('button', { name: 'Search' }).click()
    assert.match((await page.locator('.govuk-table__caption').textContent()) ?? '', /1 to 1 of 1 matching/)
    await page.getByRole('link', { name: 'Zoë Fairweather-Quill' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Zoë Fairweather-Quill' }))
    await visible(page.getByText('Part time, Monday to Friday'))
    await j.checkA11y('a person’s page')

    await page.getByRole('button', { name: 'Change details' }).click()
    await j.checkA11y('change a person’s details')
    await page.getByLabel('Job title (optional)').fill('Reception class teacher')
    await page.getByRole('button', { name: 'Save changes' }).click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /details have been saved/)

    await page.getByRole('link', { name: 'Change line manager' }).click()
    await j.checkA11y('change line manager')
    await page.getByLabel('New line manager').selectOption({ label: 'Idris Pennyfeather (SENDCO)' })
    await page.getByLabel('Handover note').fill('Observation cycle half done; next one due after half term.')
    await page.getByRole('button', { name: 'Save the change' }).click()
    await visible(page.getByRole('cell', { name: /Observation cycle half done/ }))
    await j.checkA11y('a person’s page with history')

    // Who completes the records of her sessions with her line manager: the choice of someone else
    // reveals a list of people (a conditional reveal, which GOV.UK Frontend's script drives).
    const personPage = page.url()
    await page.getByRole('link', { name: 'Who completes the records of sessions with their line manager' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Who completes the records' }))
    await j.checkA11y('who completes the records')
    await page.getByLabel('Someone else').check()
    await visible(page.getByLabel('Person who completes the records'))
    await j.checkA11y('who completes the records, someone else chosen')
    await page.goto(personPage)

    // LH-08, PL-05: recording supervisor training on the person's page.
    await page.getByRole('link', { name: /Record supervisor training/ }).click()
    await j.checkA11y('record supervisor training')
    await page.getByRole('button', { name: 'Record the training' }).click()
    await j.checkA11y('record supervisor training with errors')
    await page.getByLabel('Name of the course').fill('Reflective supervision')
    await page.getByLabel('First course').check()
    await page.getByLabel('Day').fill('14')
    await page.getByLabel('Month').fill('3')
    await page.getByLabel('Year').fill('2025')
    await page.getByRole('button', { name: 'Record the training' }).click()
    await visible(page.getByRole('cell', { name: 'Reflective supervision' }))

    await page.goto('/staff/roles')
    await j.checkA11y('roles')
    await page.goto('/staff/new')
    await page.getByRole('button', { name: 'Add person' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('add a person with errors')
    await page.goto('/admin/schools')
    await j.checkA11y('schools')
  })

  test('the import works without JavaScript', async (t) => {
    const j = await startJourney(t, { javaScript: false })
    const { page } = j
    const org = await insertOrganisation(j.database.db)
    await relaxTwoStep(j.database.db, org.organisationId, org.personId)
    await j.signInAs('amira.khan@oakfield.example')
    await page.goto('/staff/import')
    await page.getByLabel('Upload a CSV file').setInputFiles(fixture('bromcom-export.csv'))
    await page.getByRole('button', { name: 'Check the file' }).click()
    await page.getByRole('button', { name: 'Import 4 people' }).click()
    await visible(page.getByRole('link', { name: 'Aoife Ní Bhraonáin' }))
  })
})
