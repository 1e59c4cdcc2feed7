import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { generateTotpSecret, totpCode } from '../../src/domain/auth/totp.ts'
import { setTwoStepPolicy } from '../../src/services/auth/accounts.ts'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('accounts in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('set up a new organisation, turn on two-step verification, sign out, sign in again with a computed code', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    await page.goto('/')
    assert.match(page.url(), /\/setup$/)
    await j.checkA11y('setup')

    // A mistake first: the error summary, linked to the fields.
    await page.getByRole('button', { name: 'Set up Haven' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('setup with errors')
    await page.getByRole('link', { name: 'Enter the name of the school' }).click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'schoolName')

    await page.getByLabel('A single school').check()
    await page.getByLabel('Name of the school').fill('Oakfield Primary School')
    await page.getByLabel('Short name for the school').fill('oakfield')
    await page.getByLabel('England or Wales').check()
    await page.getByLabel('Start from the policy of Meanwood CE Primary School').check()
    await page.getByLabel('Full name').fill('Amira Khan')
    await page.getByLabel('Email address').fill('amira.khan@oakfield.example')
    await page.getByLabel('Create a password').fill('correct staple horse battery')
    await page.getByLabel('I am also the designated safeguarding lead (DSL)').check()
    await page.getByRole('button', { name: 'Set up Haven' }).click()

    assert.match(page.url(), /\/sign-in\?setup=done$/)
    await j.checkA11y('sign in')
    await page.getByLabel('Email address').fill('amira.khan@oakfield.example')
    await page.getByLabel('Password', { exact: true }).fill('correct staple horse battery')
    await page.getByRole('button', { name: 'Sign in' }).click()

    // Administrators must use two-step verification: set-up comes first.
    assert.match(page.url(), /\/account\/two-step\/set-up$/)
    await j.checkA11y('two-step set-up')
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '')
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, new Date()))
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click()
    await visible(page.getByRole('heading', { name: 'Two-step verification is on' }))
    assert.equal(await page.locator('#recovery-codes li').count(), 10)
    await j.checkA11y('recovery codes')
    await page.getByRole('link', { name: 'Continue' }).click()
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Welcome, Amira Khan')
    await j.checkA11y('home, signed in')

    await page.getByRole('link', { name: 'Your account' }).click()
    await j.checkA11y('your account')
    await page.getByRole('button', { name: 'Sign out' }).first().click()
    assert.match(page.url(), /\/signed-out$/)

    await page.goto('/sign-in')
    await page.getByLabel('Email address').fill('amira.khan@oakfield.example')
    await page.getByLabel('Password', { exact: true }).fill('correct staple horse battery')
    await page.getByRole('button', { name: 'Sign in' }).click()
    assert.match(page.url(), /\/sign-in\/two-step/)
    await j.checkA11y('two-step code')
    // The code typed at set-up used the current 30-second step; the next step's code is accepted
    // (one step either side of now) and has never been used.
    const at = new Date(Date.now() + 30_000)
    await page.getByLabel('Enter the code from your authenticator app').fill(totpCode(secret, at))
    await page.getByRole('button', { name: 'Continue' }).click()
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Welcome, Amira Khan')

    await page.goto('/admin/security')
    await j.checkA11y('security settings')
  })

  test('issue 12: move two-step verification to a new phone, and a DSL approves a role waiting for approval', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db)
    const secret = generateTotpSecret()
    await db
      .updateTable('account')
      .set({ totp_secret: secret, totp_enabled_at: new Date() })
      .where('person_id', '=', org.personId)
      .execute()
    // Signed in with the password and a code (the sign-in itself is the first journey's).
    await j.signInAs(org.personId)

    await page.goto('/account')
    await page.getByRole('button', { name: 'Move two-step verification to a new phone' }).click()
    assert.match(page.url(), /\/account\/two-step\/set-up$/)
    await j.checkA11y('move two-step verification')
    const newSecret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '')
    await page.getByRole('button', { name: 'Move two-step verification to this app' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('move two-step verification with errors')
    const later = new Date(Date.now() + 30_000)
    await page.getByLabel('Code from your new authenticator app').fill(totpCode(newSecret, later))
    await page.getByLabel('Your password').fill(ADMIN_PASSWORD)
    await page.getByLabel('Code from your current authenticator app, or a recovery code').fill(totpCode(secret, later))
    await page.getByRole('button', { name: 'Move two-step verification to this app' }).click()
    await visible(page.getByRole('heading', { name: 'Two-step verification moved to your new app' }))
    await j.checkA11y('two-step verification moved')

    // A DSL (two-step not required of them here) sees a role waiting for approval and approves it.
    await setTwoStepPolicy(db, org.organisationId, { mode: 'roles', roles: ['chair-of-governors'] }, org.personId)
    await insertPersonWithAccount(db, org, {
      name: 'Priya Shah',
      email: 'priya.shah@oakfield.example',
      roles: ['dsl'],
    })
    const eve = await insertPersonWithAccount(db, org, { name: 'Eve Friend', email: 'eve@oakfield.example' })
    await db
      .insertInto('access_change')
      .values({
        organisation_id: org.organisationId,
        school_id: org.schoolId,
        person_id: eve,
        role: 'deputy-dsl',
        requested_by: org.personId,
      })
      .execute()
    await page.goto('/account')
    await page.getByRole('button', { name: 'Sign out' }).first().click()
    await j.signInAs('priya.shah@oakfield.example')
    await page.goto('/account/two-step/set-up')
    await visible(page.getByRole('button', { name: 'Start setting up' }))
    await j.checkA11y('start setting up two-step verification')
    await page.goto('/staff')
    await j.checkA11y('staff list with a role waiting for approval')
    await page.getByRole('link', { name: 'Approve or refuse' }).click()
    await visible(page.getByRole('heading', { name: 'Roles waiting for approval' }))
    await j.checkA11y('roles waiting for approval')
    await page.getByRole('button', { name: 'Approve Deputy designated safeguarding lead for Eve Friend' }).click()
    await visible(page.getByText('The role has been given.'))
    await j.checkA11y('role approved')
    const roles = await db.selectFrom('person').select('roles').where('id', '=', eve).executeTakeFirstOrThrow()
    assert.deepEqual(roles.roles, ['class-teacher', 'deputy-dsl'])
  })

  test('issue 12: a new email address for an account holder waits; a DSL sees it; the person refuses it from the old address', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db)
    await setTwoStepPolicy(db, org.organisationId, { mode: 'roles', roles: ['chair-of-governors'] }, org.personId)
    await insertPersonWithAccount(db, org, { name: 'Priya Shah', email: 'priya.shah@oakfield.example', roles: ['dsl'] })
    const ben = await insertPersonWithAccount(db, org)
    await j.signInAs('amira.khan@oakfield.example')
    await page.goto(`/staff/${ben}/edit`)
    await page.getByLabel('Work email address').fill('amira.khan+ben@oakfield.example')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await visible(page.getByText('The new email address is waiting for approval').first())
    await visible(page.getByText('New email address waiting for approval'))
    await j.checkA11y('person with a new email address waiting')

    await page.goto('/account')
    await page.getByRole('button', { name: 'Sign out' }).first().click()
    await j.signInAs('priya.shah@oakfield.example')
    await page.goto('/staff')
    await page.getByRole('link', { name: 'Approve or refuse' }).click()
    await visible(page.getByRole('heading', { name: 'New email addresses waiting for approval' }))
    await j.checkA11y('new email addresses waiting for approval')

    const [mail] = await db
      .selectFrom('outbox_message')
      .select('text_body')
      .where('to_address', '=', 'ben.carter@oakfield.example')
      .execute()
    const path = /(\/email-change\/[A-Za-z0-9_-]+)/.exec(mail!.text_body)![1]!
    await page.goto(path)
    await visible(page.getByRole('heading', { name: 'Confirm your new email address' }))
    await j.checkA11y('confirm a new email address')
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('confirm a new email address with an error')
    await page.getByLabel('No, keep my current email address').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { name: 'Your email address has not changed' }))
    await j.checkA11y('new email address refused')
    const row = await db.selectFrom('person').select('email').where('id', '=', ben).executeTakeFirstOrThrow()
    assert.equal(row.email, 'ben.carter@oakfield.example')
  })

  test('sign-in works with JavaScript turned off', async (t) => {
    const j = await startJourney(t, { javaScript: false })
    await j.page.goto('/setup')
    await j.page.getByRole('button', { name: 'Set up Haven' }).click()
    await visible(j.page.getByRole('heading', { name: 'There is a problem' }))

    // The other journeys without JavaScript sign in by session row: the password is checked here.
    const org = await insertOrganisation(j.database.db)
    await relaxTwoStep(j.database.db, org.organisationId, org.personId)
    await j.page.goto('/sign-in')
    await j.page.getByLabel('Email address').fill('amira.khan@oakfield.example')
    await j.page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD)
    await j.page.getByRole('button', { name: 'Sign in' }).click()
    await visible(j.page.getByRole('heading', { level: 1, name: 'Welcome, Amira Khan', exact: true }))
  })
})
