/**
 * The access trail in a real browser (X-06, issue 16), with axe on every page: a supervisee goes from
 * their record to who opened it and sees the DSL who printed it; the DSL filters the school's trail
 * by who opened, and pages the records list.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/dates.ts'
import { templateById } from '../../src/packs/templates.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { recordOpened, startRecord } from '../../src/services/records/records.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { insertSession, loadSession } from '../helpers/records.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

const today = testToday

describe('the access trail in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('X-06: a supervisee reads who opened their record; the DSL filters the trail', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const org = await insertOrganisation(db, { packId: 'cornerstone' })
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
      typeId: 'formal-planned',
      date: addDays(today, -7),
      supervisors: [supervisor],
      supervisees: [supervisee],
    })
    const session = (await loadSession(db, sessionId))!
    const recordId = await startRecord(db, {
      session,
      policy: (await policyBook(db, org.schoolId)).on(session.date),
      template: templateById('ca-supervision-record')!,
      actor: { personId: supervisor, name: 'Dana Ellis', organisationId: org.organisationId },
    })
    // The DSL printed it; the supervisor opened it.
    const opened = (personId: string, name: string, format: 'pdf' | 'page') =>
      recordOpened(db, {
        recordId,
        schoolId: org.schoolId,
        actor: { personId, name, organisationId: org.organisationId },
        format,
      })
    await opened(dsl, 'Grace Obi', 'pdf')
    await opened(supervisor, 'Dana Ellis', 'page')

    // The supervisee, from their record.
    await j.signInAs(supervisee)
    await page.goto(`${j.baseUrl}/records/${recordId}`)
    await j.checkA11y('the record, for its supervisee')
    await page.getByRole('link', { name: 'See who has opened this record' }).click()
    await visible(page.getByRole('heading', { name: 'Who opened your records' }))
    await j.checkA11y('who opened your records')
    const row = page.locator('tbody tr', { hasText: 'Grace Obi' })
    await visible(row)
    assert.match((await row.textContent()) ?? '', /Printed or downloaded the record/)
    await visible(page.locator('tbody tr', { hasText: 'Dana Ellis' }))

    // The DSL filters the school's trail to the supervisor's openings.
    await j.context.clearCookies()
    await j.signInAs(dsl)
    await page.goto(`${j.baseUrl}/records`)
    await j.checkA11y('the records list, for the DSL')
    await page.getByRole('link', { name: 'Who opened records' }).click()
    await visible(page.getByRole('heading', { name: 'Who opened records' }))
    await j.checkA11y('the access trail')
    await page.getByLabel('Opened by').selectOption({ label: 'Dana Ellis' })
    await page.getByRole('button', { name: 'Apply' }).click()
    await visible(page.getByText('Clear search and filters'))
    await j.checkA11y('the access trail, filtered')
    const names = await page.locator('tbody tr td:nth-child(2)').allTextContents()
    assert.ok(names.length > 0)
    assert.ok(
      names.every((n) => n.trim() === 'Dana Ellis'),
      names.join(', '),
    )
    // Sorted by who, from the column header, without JavaScript.
    await page.getByRole('link', { name: /^Who/ }).click()
    await visible(page.locator('th[aria-sort="ascending"]'))
  })
})
