/**
 * Issue 18: "from nothing to a planned year in 15 minutes". A new DSL sets Haven up from nothing
 * as the home page's checklist leads them: first-run set-up starting from a policy pack, signing in
 * with two-step verification, the policy, the school calendar, the staff list exported from the
 * MIS (test/fixtures/csv/sims-export-with-dsl.csv: like every real export, it includes the DSL
 * importing it, whose row is imported but whose own roles stay as they are), who must be
 * supervised, the year planned and confirmed, and contracts issued. Every distinct page is checked
 * with axe.
 *
 * The walkthrough counts the pages seen (steps), the clicks and the fields typed, and turns them
 * into simulated user time with this model (seconds): reading a page 20, typing a field 10,
 * choosing a file to upload 20, a click (a button, a link, a radio, a box, a choice from a list) 3.
 * The total must stay under 15 minutes; the counts and time are printed.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Locator } from 'playwright-core'
import { totpCode } from '../../src/domain/auth/totp.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const seconds = { readPage: 20, typeField: 10, chooseFile: 20, click: 3 } as const
const limitMinutes = 15

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url))

describe('from nothing to a planned year', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('issue 18: a new DSL sets up Haven, imports the staff, plans the year and issues contracts in under 15 minutes', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const counts = { steps: 0, clicks: 0, fields: 0, files: 0 }
    const pages: string[] = []
    /** A page the DSL reads: counted, and checked with axe. */
    const step = async (label: string) => {
      counts.steps += 1
      pages.push(label)
      await j.checkA11y(label)
    }
    const click = async (locator: Locator) => {
      counts.clicks += 1
      await locator.click()
    }
    const choose = async (locator: Locator) => {
      counts.clicks += 1
      await locator.check()
    }
    const type = async (locator: Locator, value: string) => {
      counts.fields += 1
      await locator.fill(value)
    }
    const button = (name: string) => page.getByRole('button', { name, exact: true })

    // 1. First-run set-up, starting from a policy pack.
    await page.goto('/')
    assert.match(page.url(), /\/setup$/)
    await step('set up Haven')
    await choose(page.getByLabel('A single school'))
    await type(page.getByLabel('Name of the school'), 'Meadowbank Primary School')
    await type(page.getByLabel('Short name for the school'), 'meadowbank')
    await choose(page.getByLabel('England or Wales'))
    await choose(page.getByLabel('Start from the policy of Meanwood CE Primary School'))
    await type(page.getByLabel('Full name'), 'Amira Khan')
    await type(page.getByLabel('Email address'), 'amira.khan@meadowbank.example.org')
    await type(page.getByLabel('Create a password'), 'correct staple horse battery')
    await choose(page.getByLabel('I am also the designated safeguarding lead (DSL)'))
    await click(button('Set up Haven'))

    // 2. Signing in; an administrator turns on two-step verification first.
    assert.match(page.url(), /\/sign-in\?setup=done$/)
    await step('sign in')
    await type(page.getByLabel('Email address'), 'amira.khan@meadowbank.example.org')
    await type(page.getByLabel('Password', { exact: true }), 'correct staple horse battery')
    await click(button('Sign in'))
    assert.match(page.url(), /\/account\/two-step\/set-up$/)
    await step('two-step set-up')
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '')
    await type(page.getByLabel('Code from your authenticator app'), totpCode(secret, new Date()))
    await click(button('Turn on two-step verification'))
    await visible(page.getByRole('heading', { name: 'Two-step verification is on' }))
    await step('recovery codes')
    await click(page.getByRole('link', { name: 'Continue' }))

    // 3. The home page's checklist leads the way.
    await visible(page.getByRole('heading', { name: 'Set up your school' }))
    await step('home with the set-up checklist')
    const checklist = page.locator('#setup-steps')
    const fromChecklist = async (name: string | RegExp) => {
      // Back to the home page by its link: a click, and a page read again (checked with axe once).
      counts.clicks += 1
      await page.goto('/')
      await step('home, back to the checklist')
      await click(checklist.getByRole('link', { name }))
    }

    // 4. The policy, adopted from the pack at set-up: read it.
    await click(checklist.getByRole('link', { name: 'Adopt your supervision policy' }))
    await visible(page.getByRole('heading', { level: 1, name: /Meadowbank Primary School/ }))
    await step('the policy')

    // 5. The school calendar: check this year's dates and save them.
    await fromChecklist(/^Check the school calendar for /)
    await visible(page.getByRole('heading', { level: 1, name: 'School calendar' }))
    await step('school calendar')
    await click(page.getByRole('link', { name: /^Change the dates for / }).first())
    await step('the year’s dates')
    await click(button('Save the dates'))
    await visible(page.locator('.govuk-notification-banner'))

    // 6. The staff list exported from the MIS.
    await fromChecklist('Import your staff')
    await step('import staff')
    counts.files += 1
    await page.getByLabel('Upload a CSV file').setInputFiles(fixture('sims-export-with-dsl.csv'))
    await click(button('Check the file'))
    await visible(page.getByRole('heading', { name: 'Check the staff import' }))
    // The DSL is in the file: a notice on their row, not a refusal.
    await visible(page.getByRole('heading', { name: 'Your own roles stay as they are' }))
    await step('check the staff import')
    await click(page.getByRole('button', { name: /^Import \d+ (person|people)$/ }))
    assert.match(page.url(), /\/staff\?imported=1/)
    await step('staff list after the import')

    // 7. Who must be supervised.
    await page.goto('/overview')
    counts.clicks += 1
    await step('overview')
    await click(page.getByRole('link', { name: /people must be supervised|person must be supervised/ }).first())
    await visible(page.getByRole('heading', { level: 1, name: 'People in scope' }))
    await step('people in scope')
    const inScope = await page.locator('main tbody tr').count()
    assert.ok(inScope > 0, 'someone from the file must be supervised')

    // 8. Plan the year and confirm it.
    await fromChecklist(/^Plan the sessions for /)
    await step('planner')
    await click(page.getByRole('button', { name: /^Propose sessions for / }))
    await visible(page.getByRole('heading', { name: 'Proposed sessions' }))
    await step('planner with a proposal')
    await click(page.getByRole('button', { name: /^Confirm \d+ sessions?$/ }))
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /planned/)
    await step('planner after confirming')

    // 9. Issue contracts for the year.
    await fromChecklist(/^Issue supervision contracts for /)
    await step('issue contracts')
    await visible(page.getByRole('heading', { name: /^\d+ (person gets|people get) a contract$/ }))
    counts.clicks += 1
    await page
      .getByLabel('Named person for a dispute resolution meeting')
      .selectOption({ label: 'Maggie Threlkeld (Headteacher)' })
    await click(page.getByRole('button', { name: /^Issue \d+ contracts?$/ }))
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /contracts? issued/)
    await step('contracts waiting for signatures')

    // The simulated time, by the model at the top of this file.
    const total =
      counts.steps * seconds.readPage +
      counts.fields * seconds.typeField +
      counts.files * seconds.chooseFile +
      counts.clicks * seconds.click
    const minutes = Math.floor(total / 60)
    console.log(
      `From nothing to a planned year: ${counts.steps} steps (pages), ${counts.clicks} clicks, ${counts.fields} fields typed, ` +
        `${counts.files} file chosen: ${minutes} min ${total % 60} s of simulated user time\n  ${pages.join(' → ')}`,
    )
    assert.ok(
      total < limitMinutes * 60,
      `the walkthrough takes ${minutes} min ${total % 60} s, over ${limitMinutes} minutes`,
    )
  })
})
