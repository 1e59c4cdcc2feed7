/**
 * A disagreement resolved in a real browser (MW-11; issue 17), with axe on every page: the
 * supervisee disagrees with a completed record, books a meeting with the third person their
 * contract names, is refused a date in the past, and records the outcome after the meeting.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { testNow, testToday } from '../helpers/clock.ts'
import { completedRecord, insertContractNamingThirdPerson, insertSession } from '../helpers/records.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('disputes between supervisor and supervisee in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('MW-11: the supervisee disagrees, books a meeting with the person named in the contract and records the outcome', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const today = testToday
    const org = await insertOrganisation(db, { packId: 'meanwood' })
    await relaxTwoStep(db, org.organisationId, org.personId)
    const add = (name: string, roles: string[]) =>
      insertPersonWithAccount(db, org, {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, '.')}@oakfield.example`,
        roles,
      })
    const supervisor = await add('Dana Ellis', ['pastoral-lead'])
    const supervisee = await add('Priya Shah', ['eyfs-practitioner'])
    const third = await add('Iris Moss', ['associate-headteacher'])
    await add('Grace Obi', ['dsl'])
    await insertContractNamingThirdPerson(db, {
      organisationId: org.organisationId,
      schoolId: org.schoolId,
      superviseeId: supervisee,
      supervisorId: supervisor,
      third: { id: third, name: 'Iris Moss' },
      at: testNow,
    })
    const sessionId = await insertSession(db, {
      schoolId: org.schoolId,
      typeId: 'one-to-one',
      date: today,
      supervisors: [supervisor],
      supervisees: [supervisee],
    })
    const { recordId } = await completedRecord(db, {
      sessionId,
      schoolId: org.schoolId,
      date: today,
      supervisor: { personId: supervisor, name: 'Dana Ellis', organisationId: org.organisationId },
      summary: 'Discussed two cases',
      mailer: { baseUrl: j.baseUrl },
    })

    await j.signInAs(supervisee)
    await page.goto(`/records/${recordId}`)
    await page.getByRole('link', { name: 'Say you disagree with the record' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Say you disagree with the record' }))
    await j.checkA11y('disagree')
    await page.getByLabel('What you disagree with and why').fill('The actions are not what we agreed.')
    await page.getByRole('button', { name: 'Record my disagreement' }).click()
    await visible(page.getByText('Your disagreement has been recorded'))

    await page.getByRole('link', { name: 'Book a meeting to resolve the disagreement' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Book a meeting to resolve the disagreement' }))
    await visible(page.getByText('A meeting with Iris Moss, named in the supervision contract'))
    await j.checkA11y('book a dispute meeting')
    const past = addDays(today, -7).split('-')
    await page.getByLabel('Day').fill(String(Number(past[2])))
    await page.getByLabel('Month').fill(String(Number(past[1])))
    await page.getByLabel('Year').fill(past[0]!)
    await page.getByRole('button', { name: 'Book the meeting' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('book a dispute meeting, with an error')
    const on = addDays(today, 7).split('-')
    await page.getByLabel('Day').fill(String(Number(on[2])))
    await page.getByLabel('Month').fill(String(Number(on[1])))
    await page.getByLabel('Year').fill(on[0]!)
    await page.getByLabel('Time (optional)').fill('15:30')
    await page.getByRole('button', { name: 'Book the meeting' }).click()
    await visible(page.getByText('The meeting has been booked'))
    await visible(page.getByRole('heading', { name: 'Meetings to resolve the disagreement' }))
    await j.checkA11y('record with a dispute meeting')

    await page.getByRole('link', { name: 'Record the outcome of the meeting' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Record the outcome of the meeting' }))
    await j.checkA11y('dispute outcome')
    await page.getByLabel('Yes, it was resolved').check()
    await page.getByLabel('What was agreed').fill('The actions will be corrected in an addendum.')
    await page.getByRole('button', { name: 'Save the outcome' }).click()
    await visible(page.getByText('The outcome of the meeting has been recorded'))
    await visible(page.getByText('Resolved: The actions will be corrected in an addendum.'))
    const told = await db.selectFrom('outbox_message').select('to_address').execute()
    assert.ok(told.some((m) => m.to_address === 'iris.moss@oakfield.example'))
  })
})
