/**
 * The governors' report in a real browser (issue 16): a governor of a demonstration school signs
 * in, lands on the report, sees the figures with small numbers hidden, downloads the PDF, is
 * refused another page, and has only the report and their account in the navigation. The DSL
 * sends the report's link to the governors, downloads an inspection evidence pack and reads its
 * manifest, and is asked to confirm before record content is added. Then the organisation is a
 * trust, and its central safeguarding lead reads the trust rollup, sorts it, sets its threshold
 * and drills into the academy's overview. Every page is checked with axe.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import { after, describe, test } from 'node:test'
import type { Manifest } from '../../src/domain/evidence-pack/index.ts'
import { setTwoStepPolicy } from '../../src/services/auth/accounts.ts'
import { buildDemo } from '../../src/services/demo/build-demo.ts'
import { testToday } from '../helpers/clock.ts'
import { readZip } from '../helpers/zip.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('the governors’ report in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('issue 16: a governor sees the report and is refused everything else; the DSL sends it to the governors; a trust lead drills into an academy', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const today = testToday
    const demo = await buildDemo(db, { packId: 'lode-heath', today, baseUrl: j.baseUrl })
    const dsl = demo.signIn[0]!
    const org = await db.selectFrom('organisation').select('id').executeTakeFirstOrThrow()
    const school = await db.selectFrom('school').select(['id', 'name']).executeTakeFirstOrThrow()
    const dslRow = await db.selectFrom('person').select('id').where('email', '=', dsl.email).executeTakeFirstOrThrow()
    // Two-step verification is asked of a role nobody here holds (the journey is about the report).
    await setTwoStepPolicy(db, org.id, { mode: 'roles', roles: ['administrator'] }, dslRow.id)
    const governor = await db
      .insertInto('person')
      .values({
        organisation_id: org.id,
        school_id: school.id,
        name: 'Gill Moss',
        email: 'gill.moss@governors.example',
        job_title: 'Safeguarding governor',
        roles: ['safeguarding-governor'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('account').values({ person_id: governor.id, password_hash: null }).execute()

    await j.signInAs(governor.id)
    await page.goto('/')
    assert.match(page.url(), /\/governors\/report$/)
    await visible(page.getByRole('heading', { level: 1, name: /^Governors’ report: .+ term \d{4}$/ }))
    await visible(page.getByRole('heading', { level: 2, name: 'Who must be supervised, by role' }))
    await visible(page.getByRole('heading', { level: 2, name: 'Trend' }))
    await visible(page.getByText(/a figure about fewer than 5 people/).first())
    const nav = await page.locator('.govuk-service-navigation__link').allTextContents()
    assert.deepEqual(
      nav.map((n) => n.trim()),
      ['Governors’ report', 'Your account', 'Sign out'],
    )
    await j.checkA11y('the governors’ report')

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this report as a PDF' }).click(),
    ])
    assert.match(pdf.suggestedFilename(), /^governors-report-.+\.pdf$/)

    // Another term, chosen from the list.
    const options = await page.getByLabel('Term or year').locator('option').allTextContents()
    assert.ok(options.length > 1)
    await page.getByLabel('Term or year').selectOption({ label: options[1]! })
    await page.getByRole('button', { name: 'Show this report' }).click()
    await visible(page.getByRole('heading', { level: 1, name: `Governors’ report: ${options[1]}` }))
    await j.checkA11y('the governors’ report for another period')

    // Anything else is refused.
    const refused = await page.goto('/sessions')
    assert.equal(refused?.status(), 403)
    await visible(page.getByRole('heading', { name: 'You do not have permission to see this page' }))
    await j.checkA11y('refused')
    await page.context().clearCookies()

    // The DSL sends it.
    await j.signInAs(dsl.email)
    await page.goto('/governors/report')
    await page.getByRole('button', { name: 'Send the link to governors' }).click()
    await visible(page.getByText('The link to this report has been sent to 1 governor.'))
    await j.checkA11y('the report, sent')
    const mail = await db
      .selectFrom('outbox_message')
      .select('text_body')
      .where('to_address', '=', 'gill.moss@governors.example')
      .executeTakeFirstOrThrow()
    assert.match(mail.text_body, /\/governors\/report\?period=/)

    // Issue 16: the DSL downloads an inspection evidence pack for the year so far and reads its manifest.
    await page.getByRole('link', { name: 'Download an inspection evidence pack' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Inspection evidence pack' }))
    await j.checkA11y('the evidence pack')
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Continue' }).click(),
    ])
    assert.match(zip.suggestedFilename(), /^evidence-pack-.+\.zip$/)
    const entries = readZip(await fs.readFile(await zip.path()))
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString('utf8')) as Manifest
    assert.equal(manifest.recordContent, false)
    assert.ok(manifest.files.some((f) => f.path === 'people/in-scope.csv'))
    for (const entry of entries.filter((e) => e.name !== 'manifest.json'))
      assert.equal(
        manifest.files.find((f) => f.path === entry.name)?.sha256,
        createHash('sha256').update(entry.data).digest('hex'),
        entry.name,
      )
    // Record content asks for a reason, then a second confirmation.
    await page.getByLabel('Also what was written in the records').check()
    await page.getByLabel('Why do you need what was written in the records?').fill('The inspector asked for a sample')
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Confirm you need what was written in the records' }))
    await j.checkA11y('the evidence pack: confirming record content')
    await page.context().clearCookies()

    // Issue 16, the trust rollup: the school's organisation is a trust, and its central
    // safeguarding lead sees the academy in the rollup, sorts it, sets the threshold and drills
    // into the academy's overview.
    await db.updateTable('organisation').set({ kind: 'trust' }).where('id', '=', org.id).execute()
    const lead = await db
      .insertInto('person')
      .values({
        organisation_id: org.id,
        school_id: null,
        name: 'Rhiannon Reed',
        email: 'rhiannon.reed@trust.example',
        job_title: 'Trust safeguarding lead',
        roles: ['dsl'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('account').values({ person_id: lead.id, password_hash: null }).execute()
    await j.signInAs(lead.id)
    await page.goto('/')
    await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Academies' }).click()
    await visible(page.getByRole('heading', { level: 1, name: /^Academies side by side: .+ term \d{4}$/ }))
    await visible(page.getByRole('row', { name: new RegExp(school.name) }))
    await j.checkA11y('the trust rollup')
    await page.getByRole('link', { name: /^Academy/ }).click()
    assert.equal(await page.getByRole('columnheader', { name: /^Academy/ }).getAttribute('aria-sort'), 'ascending')

    await page.getByRole('link', { name: 'Change when an academy is flagged' }).click()
    await page.getByLabel('When to flag an academy').fill('eighty')
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByRole('link', { name: 'The percentage must be a whole number, like 80' }))
    await j.checkA11y('the trust rollup’s threshold, refused')
    await page.getByLabel('When to flag an academy').fill('70')
    await page.getByRole('button', { name: 'Save' }).click()
    await visible(page.getByText('Academies are now flagged below 70%.'))

    await page
      .locator('#academies tbody')
      .getByRole('link', { name: new RegExp(school.name) })
      .click()
    assert.match(page.url(), /\/overview\?school=/)
    await visible(page.getByText(school.name).first())
  })
})
