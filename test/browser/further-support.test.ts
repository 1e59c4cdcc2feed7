/**
 * Issue 17 in a real browser. Item 1 (LH-04): the DSL starts a stress risk assessment from the
 * person's page and records a referral to Occupational Health; the person finds both from their
 * home page; the headteacher sees the figures only. Items 2 and 3 (PL-07, PL-06): a signed record's
 * learning needs on the development plan, linked back to the record, and the supervisee's
 * questionnaire answered, the DSL seeing figures only. Every page is checked with axe.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { signedRecord } from '../helpers/development-plan.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('further support in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('LH-04: the DSL starts a stress risk assessment and records a referral; the person reads them; the headteacher sees counts only', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db, { alsoDsl: true })
    await relaxTwoStep(db, org.organisationId, org.personId)
    const subject = await insertPersonWithAccount(db, org, {
      name: 'Priya Shah',
      email: 'priya.shah@oakfield.example',
      roles: ['pastoral-lead'],
    })
    await insertPersonWithAccount(db, org, {
      name: 'Hal Grant',
      email: 'hal.grant@oakfield.example',
      roles: ['headteacher'],
    })

    await j.signInAs('amira.khan@oakfield.example')
    await page.goto(`/staff/${subject}`)
    await page.getByRole('link', { name: 'View further support' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Further support' }))
    await j.checkA11y('further support, none yet')

    await page.getByRole('button', { name: 'Start a stress risk assessment' }).click()
    await j.checkA11y('start an assessment')
    await page.getByRole('button', { name: 'Start the assessment' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('start an assessment, with errors')
    const review = page.getByRole('group', { name: 'Review date' })
    await review.getByLabel('Day').fill('1')
    await review.getByLabel('Month').fill('9')
    await review.getByLabel('Year').fill('2099')
    await page.getByLabel('Actions agreed').fill('Weekly check-in on Fridays')
    await page.getByRole('button', { name: 'Start the assessment' }).click()
    await visible(page.getByText('The stress risk assessment has been started.'))
    await j.checkA11y('further support, one assessment')

    await page.getByRole('button', { name: 'Record a referral to Occupational Health' }).click()
    await j.checkA11y('record a referral')
    await page.getByLabel('Work-related stress').check()
    await page.getByRole('button', { name: 'Record the referral' }).click()
    await visible(page.getByText('The referral to Occupational Health has been recorded.'))

    await page.getByRole('link', { name: /View the referral/ }).click()
    await j.checkA11y('a referral')
    await page.getByLabel('Outcome').fill('Counselling offered')
    await page.getByRole('button', { name: 'Save the outcome' }).click()
    await visible(page.getByText('The outcome of the referral has been saved.'))

    // The person finds both from their home page, and reads the assessment.
    await j.signInAs('priya.shah@oakfield.example')
    await page.goto('/')
    await page.getByRole('link', { name: 'Your further support' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Your further support' }))
    await j.checkA11y('your further support')
    await page.getByRole('link', { name: /View the assessment/ }).click()
    await visible(page.getByText('Weekly check-in on Fridays'))
    await j.checkA11y('an assessment, read by the person')
    assert.equal(await page.getByRole('button', { name: 'Close the assessment' }).count(), 0)

    // The DSL closes it.
    await j.signInAs('amira.khan@oakfield.example')
    await page.goto(`/further-support/${subject}`)
    await page.getByRole('link', { name: /View the assessment/ }).click()
    await j.checkA11y('an assessment, for the DSL')
    await page.getByRole('button', { name: 'Close the assessment' }).click()
    await visible(page.getByText('The stress risk assessment has been closed.'))

    // The headteacher: the overview's link, counts only.
    await j.signInAs('hal.grant@oakfield.example')
    await page.goto('/further-support')
    await visible(page.getByRole('heading', { level: 1, name: 'Further support in figures' }))
    await j.checkA11y('further support in figures')
    assert.equal(await page.getByText('Priya Shah').count(), 0)
  })

  test('PL-07, PL-06: the learning needs of a signed record are on the supervisee’s development plan, linked to the record; the supervisee answers the questionnaire about it; the DSL sees the plan and the figures', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db, { packId: 'the-place', alsoDsl: true })
    await relaxTwoStep(db, org.organisationId, org.personId)
    const supervisor = {
      id: await insertPersonWithAccount(db, org, {
        name: 'Dana Ellis',
        email: 'dana.ellis@oakfield.example',
        roles: ['pastoral-lead'],
      }),
      name: 'Dana Ellis',
    }
    const supervisee = {
      id: await insertPersonWithAccount(db, org, {
        name: 'Priya Shah',
        email: 'priya.shah@oakfield.example',
        roles: ['class-teacher'],
      }),
      name: 'Priya Shah',
    }
    await signedRecord(db, {
      organisationId: org.organisationId,
      schoolId: org.schoolId,
      date: testToday,
      typeId: 'one-to-one',
      template: 'pl-supervision-record',
      supervisor,
      supervisee,
      values: {
        model: 'one-to-one',
        learningNeeds: [{ need: 'Restorative practice', activity: 'County course', byWhen: '' }],
      },
    })

    await j.signInAs('priya.shah@oakfield.example')
    await page.goto('/')
    await page.getByRole('link', { name: 'Your development plan' }).click()
    await visible(page.getByRole('heading', { level: 2, name: 'Restorative practice' }))
    await j.checkA11y('your development plan')
    await page.getByText('Change the status or due date').click()
    await page.getByLabel('Status', { exact: true }).selectOption('in-progress')
    const due = page.getByRole('group', { name: 'Due by (optional)' })
    await due.getByLabel('Day').fill('31')
    await due.getByLabel('Month').fill('2')
    await due.getByLabel('Year').fill('2099')
    await page.getByRole('button', { name: /^Save/ }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('your development plan, with an error')
    await due.getByLabel('Day').fill('1')
    await page.getByRole('button', { name: /^Save/ }).click()
    await visible(page.getByText('The item has been saved.'))
    await visible(page.locator('dd.govuk-summary-list__value').getByText('In progress', { exact: true }))
    // The item links back to the record it came from.
    await page.getByRole('link', { name: /^Supervision record of / }).click()
    await visible(page.getByText('Restorative practice').first())
    await j.checkA11y('the record a development need came from')

    // PL-06: signing the record asked the supervisee about their supervision, on their home page.
    await page.goto('/')
    await page.locator('#feedback-tasks').getByRole('link').first().click()
    await visible(page.getByRole('heading', { level: 1, name: 'Tell us about your supervision' }))
    await j.checkA11y('the supervision questionnaire')
    await page.getByRole('button', { name: 'Send your feedback' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('the supervision questionnaire, with errors')
    for (const statement of await page.locator('fieldset legend').allTextContents())
      await page.getByRole('group', { name: statement.trim() }).getByLabel('Agree', { exact: true }).check()
    await page.getByLabel('Anything else you want to say (optional)').fill('Protected time helps')
    await page.getByRole('button', { name: 'Send your feedback' }).click()
    await visible(page.getByText('Thank you for your feedback'))
    await j.checkA11y('the supervision questionnaire, answered')
    await page.goto('/')
    assert.equal(await page.locator('#feedback-tasks').count(), 0, 'no longer asked')

    await j.signInAs('amira.khan@oakfield.example')
    await page.goto(`/staff/${supervisee.id}`)
    await page.getByRole('link', { name: 'View development plan' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Development plan' }))
    await j.checkA11y('a development plan, for the DSL')

    // PL-06: the figures, from the overview: one answer is too few to show anything.
    await page.goto('/overview')
    await page.getByRole('link', { name: 'Supervision quality' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Supervision quality' }))
    await visible(page.getByText(/fewer than 5 answers, so no figures are shown/).first())
    assert.equal(await page.getByText('Protected time helps').count(), 0, 'no comment under 5 answers')
    await j.checkA11y('supervision quality, too few answers')
  })
})
