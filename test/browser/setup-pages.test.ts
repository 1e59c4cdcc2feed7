/**
 * Issue 18: the set-up pages a new school meets, in a real browser and checked with axe: the staff
 * import's mapping step for a file exported from a MIS (a column Haven does not recognise mapped
 * once and remembered, roles chosen from job titles, an ambiguous line manager chosen), and the
 * administrator's page for signing in with Microsoft or Google.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { insertOrganisation } from '../builders/organisation.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, type Journey, skipBrowser, startJourney, visible } from './browser.ts'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url))

async function signedInAdministrator(j: Journey) {
  const org = await insertOrganisation(j.database.db)
  await relaxTwoStep(j.database.db, org.organisationId, org.personId)
  await j.signInAs('amira.khan@oakfield.example')
  return org
}

describe('setting up a school in a real browser (issue 18)', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('a SIMS export: an unknown column mapped once and remembered, roles from job titles, a line manager chosen', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    await signedInAdministrator(j)

    await page.goto('/staff/import')
    await page.getByLabel('Upload a CSV file').setInputFiles(fixture('sims-mis-export.csv'))
    await page.getByRole('button', { name: 'Check the file' }).click()
    await visible(page.getByRole('heading', { level: 2, name: 'Match the file to Haven' }))
    await j.checkA11y('import preview with the mapping step')

    // A column Haven does not recognise is ignored until the school says what it is.
    const appointed = page.getByLabel('What is the column “Date of Appointment”?')
    assert.equal(await appointed.inputValue(), 'ignore')
    // Roles are suggested from job titles; a title with no suggestion gives no role.
    const teacher = page.getByLabel('Role for “Teacher, Year 4” (1 person)')
    assert.equal(await teacher.inputValue(), 'class-teacher')
    await visible(page.getByText('Suggested from the job title').first())
    const site = page.getByLabel('Role for “Site Manager” (1 person)')
    assert.equal(await site.inputValue(), 'none')
    await visible(page.getByText('1 line manager is not chosen yet'))

    await appointed.selectOption({ label: 'Start date' })
    await site.selectOption({ label: 'Line manager' })
    const patel = page.getByRole('group', { name: /^Who is “J Patel”, the line manager on rows 5, 6 and 7\?/ })
    await patel.getByLabel('Jasmine Patel').check()
    await page.getByRole('button', { name: 'Save choices and check again' }).click()
    await visible(page.getByText('You chose before. You can change it.'))
    assert.equal(await page.getByText('not chosen yet').count(), 0)
    await j.checkA11y('import preview after choosing')

    await page.getByRole('button', { name: 'Import 7 people' }).click()
    assert.match(page.url(), /\/staff\?imported=1/)
    await visible(page.getByRole('link', { name: 'Digby Featherstonehaugh', exact: true }))
    const roles = await j.database.db
      .selectFrom('person')
      .select(['email', 'roles', 'start_date'])
      .where('email', 'in', ['d.featherstonehaugh@brackenmoor.example.org', 'jas.patel@brackenmoor.example.org'])
      .orderBy('email')
      .execute()
    assert.deepEqual(
      roles.map((r) => [r.email, r.roles, r.start_date]),
      [
        ['d.featherstonehaugh@brackenmoor.example.org', ['line-manager'], '2010-09-01'],
        ['jas.patel@brackenmoor.example.org', ['class-teacher'], '2019-09-01'],
      ],
    )

    // The next export from the same MIS: the school's choices are remembered.
    await page.goto('/staff/import')
    await page.getByLabel('Upload a CSV file').setInputFiles(fixture('sims-mis-export.csv'))
    await page.getByRole('button', { name: 'Check the file' }).click()
    await visible(page.getByText('7 people already up to date'))
    assert.equal(await page.getByLabel('What is the column “Date of Appointment”?').inputValue(), 'startDate')
    await visible(page.getByText('There is nothing to import'))
    await j.checkA11y('import preview with remembered choices')
  })

  test('the administrator sets up signing in with Microsoft, is told what is wrong first, then with Google', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const org = await signedInAdministrator(j)

    await page.goto('/admin')
    await page.getByRole('link', { name: 'Sign in with Microsoft or Google' }).click()
    assert.match(page.url(), /\/admin\/sign-in-provider$/)
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in with Microsoft or Google' }))
    // The server has no client secret in this test: the page says so.
    await visible(page.getByText(/The client secret is not set on Haven’s server yet/))
    await visible(page.getByText(/\/sign-in\/provider\/callback$/))
    await j.checkA11y('sign-in provider')

    // Microsoft chosen and nothing else given: each missing field is named.
    await page.getByLabel('With Microsoft (Entra ID), or an email address and password').check()
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await visible(page.getByRole('link', { name: 'Enter the tenant ID', exact: true }))
    await j.checkA11y('sign-in provider with errors')

    await page.getByLabel('Tenant ID (Microsoft only)').fill('not a tenant')
    await page.getByLabel('Email domain').fill('oakfield.example')
    await page.getByLabel('Client ID').fill('3f0d9c1e-7a41-4c55-9d2e-0b6f3a8e2c71')
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByRole('link', { name: /Enter the tenant ID in the correct format/ }))
    assert.equal(await page.getByLabel('Email domain').inputValue(), 'oakfield.example', 'what was typed is kept')
    await j.checkA11y('sign-in provider with a wrong tenant')

    await page.getByLabel('With Google Workspace, or an email address and password').check()
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByText('Sign-in settings saved.'))
    await j.checkA11y('sign-in provider saved')
    const saved = await j.database.db
      .selectFrom('organisation')
      .select('settings')
      .where('id', '=', org.organisationId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(saved.settings.signInProvider, {
      kind: 'google',
      tenantId: null,
      domain: 'oakfield.example',
      issuer: 'https://accounts.google.com',
      clientId: '3f0d9c1e-7a41-4c55-9d2e-0b6f3a8e2c71',
    })
  })
})
