/**
 * A school joining a trust on another Haven service, in a real browser (issue 14, ADR 52): the
 * school's administrator enters the trust's code, reads what happens, continues and sees the
 * fingerprint and the file to download; the trust's administrator's import page, and its message
 * for a file that is not a school's. Every page and state is checked with axe. (The whole move,
 * across two installations, is tested in test/integration/school-bundle.test.ts.)
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { publishTrustVersion } from '../../src/services/policy/trust.ts'
import { inviteSchool } from '../../src/services/policy/trust-join.ts'
import { insertOrganisation, insertTrustWithAcademy } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { trustPolicy } from '../integration/joining-fixtures.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('a school joining a trust on another Haven service, in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('issue 14: the school’s administrator moves the school and sees its fingerprint; the trust’s import page explains a wrong file', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const school = await insertOrganisation(db, { schoolName: 'Oakfield Primary School', schoolSlug: 'oakfield' })
    await relaxTwoStep(db, school.organisationId, school.personId)
    const { trustId, adminId: trustAdmin } = await insertTrustWithAcademy(db)
    await relaxTwoStep(db, trustId, trustAdmin)
    const published = await publishTrustVersion(db, {
      organisationId: trustId,
      document: trustPolicy,
      effectiveFrom: testToday,
      today: testToday,
      reason: null,
      actorId: trustAdmin,
    })
    assert.ok(published.ok, JSON.stringify(published))
    const invited = await inviteSchool(db, {
      organisationId: trustId,
      effectiveFrom: testToday,
      today: testToday,
      actorId: trustAdmin,
    })
    assert.ok(invited.ok)

    await j.signInAs(school.personId)
    await page.goto('/admin')
    await page.getByRole('link', { name: 'Join a trust on another Haven service' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Join a trust on another Haven service' }))
    await j.checkA11y('entering the trust’s code, for a trust on another service')
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('link', { name: 'Enter the code the trust gave you' }))
    await j.checkA11y('the code left blank')
    await page.getByLabel('Code from the trust').fill(invited.code)
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Move Oakfield Primary School to its trust’s Haven' }))
    await j.checkA11y('what moving the school does')
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'The school’s file' }))
    const fingerprint = ((await page.locator('.govuk-panel strong').textContent()) ?? '').trim()
    assert.match(fingerprint, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/)
    await visible(page.getByRole('link', { name: 'Download the school’s file' }))
    await j.checkA11y('the school’s file and its fingerprint')

    await j.signInAs(trustAdmin)
    await page.goto('/trust/import-a-school')
    await visible(page.getByRole('heading', { level: 1, name: 'Import a school from another Haven service' }))
    await j.checkA11y('importing a school from another service')
    await page.getByLabel('The school’s file').setInputFiles({
      name: 'oakfield.haven-school',
      mimeType: 'application/gzip',
      buffer: Buffer.from('not a school file'),
    })
    await page.getByLabel('Fingerprint').fill(fingerprint)
    await page.getByRole('button', { name: 'Import the school' }).click()
    await visible(page.getByRole('link', { name: 'The selected file must be a school’s file from Haven' }))
    await j.checkA11y('a file that is not a school’s')
  })
})
