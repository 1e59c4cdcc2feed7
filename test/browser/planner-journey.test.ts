import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { addPerson, emailOf, nextAcademicYear, orgOnPack } from '../integration/planner-fixtures.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const year = nextAcademicYear()

describe('the annual planner in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('CA-02: the DSL opens the planner, removes one proposed session, confirms the rest and sees the sessions', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await orgOnPack(db, 'cornerstone', year.currentStart)
    const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'] })
    await addPerson(db, org, { account: true, name: 'Ava Pastoral', lineManagerId: lead, pastoral: true })
    await addPerson(db, org, {
      name: 'Ben Parttime',
      lineManagerId: lead,
      pastoral: true,
      partTime: true,
      workingDays: [2, 3],
    })

    await j.signInAs('amira.khan@oakfield.example')
    await page.goto('/')
    // Issue 18: a school with no plan yet shows its setup checklist on the home page.
    await visible(page.getByRole('heading', { name: 'Set up your school' }))
    await j.checkA11y('home with the setup checklist')
    await page.getByRole('link', { name: 'Planner' }).first().click()
    assert.match(page.url(), /\/planner$/)
    await j.checkA11y('planner, this year')

    await page.goto(`/planner?year=${year.id}`)
    await j.checkA11y('planner, next year, nothing proposed')
    await page.getByRole('button', { name: `Propose sessions for ${year.id}` }).click()
    await visible(page.getByRole('heading', { name: 'Proposed sessions' }))
    assert.equal(await page.locator('table[id^="half-term-"] tbody tr').count(), 12)
    await j.checkA11y('planner with a proposal')

    await page
      .getByRole('button', { name: /^Remove Ava Pastoral’s session on / })
      .first()
      .click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /removed from the plan/)
    assert.equal(await page.locator('table[id^="half-term-"] tbody tr').count(), 11)
    await visible(page.getByText('some people would still miss a session'))
    await j.checkA11y('planner after removing a session')

    await page
      .getByRole('link', { name: /^Change date of Ben Parttime’s session on / })
      .first()
      .click()
    await j.checkA11y('change a date')
    await page.getByLabel('Day').fill('31')
    await page.getByLabel('Month').fill('2')
    await page.getByLabel('Year').fill(year.id.slice(0, 4))
    await page.getByRole('button', { name: 'Change the date' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('change a date, with an error')
    await page.getByRole('link', { name: 'Back to the plan' }).click()

    await page.getByRole('link', { name: 'Change the planner settings' }).click()
    await j.checkA11y('planner settings')
    await page.getByRole('link', { name: 'Back to the plan' }).click()

    await page.getByRole('button', { name: 'Confirm 11 sessions' }).click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /11 sessions planned/)
    await visible(page.getByRole('heading', { name: 'Planned sessions' }))
    assert.equal(await page.locator('tbody tr').count(), 11)
    assert.equal(await page.getByRole('cell', { name: 'Ben Parttime' }).count(), 6)
    await j.checkA11y('planner after confirming')
    const sessions = await db.selectFrom('supervision_session').select('id').execute()
    assert.equal(sessions.length, 11)
    assert.equal(
      (await db.selectFrom('outbox_message').select('id').where('to_address', '=', emailOf('Ava Pastoral')).execute())
        .length,
      1,
    )

    // The calendar feed page, from the person's account.
    await page.goto('/account/calendar-feed')
    await j.checkA11y('calendar feed, none yet')
    await page.getByRole('button', { name: 'Create my calendar feed' }).click()
    assert.match(await page.getByLabel('Calendar feed address').inputValue(), /\/feeds\/[A-Za-z0-9_-]{43}\.ics$/)
    await j.checkA11y('calendar feed, just made')
    await page.goto('/account/calendar-feed')
    await page.getByRole('button', { name: 'Turn off my calendar feed' }).click()
    await visible(page.getByText('Your calendar feed is off'))
    await j.checkA11y('calendar feed, turned off')
  })

  test('LH-08, CA-05: the DSL records a supervisor’s training, then adds a standing team led by them, changes it and ends it', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await orgOnPack(db, 'cornerstone', year.currentStart)
    const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'] })
    await addPerson(db, org, { name: 'Ava Send', lineManagerId: lead })
    await addPerson(db, org, { name: 'Ben Send', lineManagerId: lead })
    await j.signInAs('amira.khan@oakfield.example')

    // LH-08: a course of supervisor training, recorded on the person's page.
    await page.goto(`/staff/${lead}`)
    await page.getByRole('link', { name: 'Record supervisor training for Lena Lead' }).click()
    await j.checkA11y('record supervisor training')
    await page.getByRole('button', { name: 'Record the training' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('record supervisor training, with errors')
    await page.getByLabel('Name of the course').fill('Reflective supervision')
    await page.getByLabel('First course').check()
    const completed = page.getByRole('group', { name: 'Date completed' })
    await completed.getByLabel('Day').fill('14')
    await completed.getByLabel('Month').fill('3')
    await completed.getByLabel('Year').fill('2025')
    await page.getByRole('button', { name: 'Record the training' }).click()
    await visible(page.getByRole('cell', { name: 'Reflective supervision' }))
    await j.checkA11y('a person with supervisor training')

    // CA-05: the standing team, from the planner.
    await page.goto('/planner')
    await page.getByRole('link', { name: 'Standing teams' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Standing teams' }))
    await j.checkA11y('standing teams, none yet')
    await page.getByRole('button', { name: 'Add a standing team' }).click()
    await j.checkA11y('add a standing team')
    await page.getByRole('button', { name: 'Save the team' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('add a standing team, with errors')
    await page.getByLabel('Name of the team').fill('SEND Team')
    await page.getByLabel('Who leads the team').selectOption({ label: 'Lena Lead' })
    await page.getByLabel('Ava Send').check()
    await page.getByLabel('Ben Send').check()
    await page.getByLabel('Group the policy names (optional)').selectOption({ label: 'SEND Team' })
    await page.getByLabel('How often the team meets, in weeks (optional)').fill('6')
    await page.getByRole('button', { name: 'Save the team' }).click()
    await visible(page.getByText('SEND Team has been saved.'))
    await visible(page.getByRole('cell', { name: 'Ava Send, Ben Send' }))
    await j.checkA11y('standing teams, one team')

    await page.getByRole('link', { name: 'Change SEND Team' }).click()
    await j.checkA11y('change a standing team')
    await page.getByLabel('Ben Send').uncheck()
    await page.getByRole('button', { name: 'Save the team' }).click()
    await visible(page.getByRole('cell', { name: 'Ava Send', exact: true }))

    await page.getByRole('link', { name: 'Change SEND Team' }).click()
    await page.getByRole('button', { name: 'End SEND Team' }).click()
    await visible(page.getByText('SEND Team has been ended.'))
    await visible(page.getByRole('table', { name: 'Teams that have ended' }))
    await j.checkA11y('standing teams, one ended')
  })

  test('the planner works without JavaScript', async (t) => {
    const j = await startJourney(t, { javaScript: false })
    const { page } = j
    const db = j.database.db
    const org = await orgOnPack(db, 'cornerstone', year.currentStart)
    const lead = await addPerson(db, org, { name: 'Lena Lead', roles: ['education-lead'] })
    await addPerson(db, org, { account: true, name: 'Ava Pastoral', lineManagerId: lead, pastoral: true })
    await j.signInAs('amira.khan@oakfield.example')
    await page.goto(`/planner?year=${year.id}`)
    await page.getByRole('button', { name: `Propose sessions for ${year.id}` }).click()
    await page
      .getByRole('button', { name: /^Remove Ava Pastoral’s session on / })
      .first()
      .click()
    await page.getByRole('button', { name: 'Confirm 5 sessions' }).click()
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /5 sessions planned/)
  })
})
