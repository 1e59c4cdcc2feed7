import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { totpCode } from '../../src/domain/auth/totp.ts'
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

  test('sign-in works with JavaScript turned off', async (t) => {
    const j = await startJourney(t, { javaScript: false })
    await j.page.goto('/setup')
    await j.page.getByRole('button', { name: 'Set up Haven' }).click()
    await visible(j.page.getByRole('heading', { name: 'There is a problem' }))
  })
})
