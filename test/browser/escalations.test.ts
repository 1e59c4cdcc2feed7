/**
 * A case escalation in a real browser (LH-10; issue 17), with axe on every page: the supervisor
 * escalates a case from a record (an error first), and the DSL moves it to the next stage and
 * records its outcome.
 */
import { after, describe, test } from 'node:test'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { completedRecord, insertSession } from '../helpers/records.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('case escalation in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('LH-10: the supervisor escalates a case from a record; the DSL moves it on and records the outcome', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const today = testToday
    const org = await insertOrganisation(db, { packId: 'lode-heath' })
    await relaxTwoStep(db, org.organisationId, org.personId)
    const add = (name: string, roles: string[]) =>
      insertPersonWithAccount(db, org, {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, '.')}@oakfield.example`,
        roles,
      })
    const supervisor = await add('Dana Ellis', ['pastoral-lead'])
    const supervisee = await add('Priya Shah', ['class-teacher'])
    const dsl = await add('Grace Obi', ['dsl'])
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
      summary: 'Discussed a case that is stuck',
      mailer: { baseUrl: j.baseUrl },
    })

    await j.signInAs(supervisor)
    await page.goto(`/records/${recordId}`)
    await page.getByRole('link', { name: /Escalate a case discussed here/ }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Escalate a case' }))
    await j.checkA11y('escalate a case')
    await page.getByRole('button', { name: 'Escalate the case' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('escalate a case, with errors')
    await page.getByLabel('The case is not progressing').check()
    await page.getByLabel('The other agency').fill('Children’s social care')
    await page.getByLabel('Summary of the concern').fill('No strategy meeting after three referrals.')
    await page.getByRole('button', { name: 'Escalate the case' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Case escalation' }))
    await visible(page.getByText('Practitioner to practitioner').first())
    await j.checkA11y('the escalation, as the person who raised it')

    await j.signInAs(dsl)
    await page.goto('/overview')
    await page.getByRole('link', { name: '1 open case escalation' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Case escalations' }))
    await j.checkA11y('case escalations')
    await page.getByRole('table').getByRole('link').first().click()
    await page.getByRole('button', { name: 'Move to Manager to manager' }).click()
    await visible(page.getByText('Manager to manager').first())
    await page.getByRole('button', { name: 'Save the outcome' }).click()
    await visible(page.getByRole('heading', { name: 'There is a problem' }))
    await j.checkA11y('the escalation, with errors')
    await page.getByLabel('Resolved', { exact: true }).check()
    await page.getByLabel('What was agreed or decided').fill('Strategy meeting held.')
    await page.getByRole('button', { name: 'Save the outcome' }).click()
    await visible(page.getByText('Resolved,').first())
    await j.checkA11y('the escalation, closed')
  })
})
