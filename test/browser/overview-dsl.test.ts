/**
 * The DSL's overview in a real browser (issue 9): the DSL of a demonstration school signs in, sees
 * the overview's figures on the home page, opens the overview, follows the overdue figure to the
 * list of people behind it, and downloads it as CSV. Every page is checked with axe.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { after, describe, test } from 'node:test'
import { parse as parseCsv } from 'csv-parse/sync'
import { setTwoStepPolicy } from '../../src/services/auth/accounts.ts'
import { buildDemo } from '../../src/services/demo/build-demo.ts'
import { computeOverview } from '../../src/services/overview/overview.ts'
import { testToday } from '../helpers/clock.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('the DSL’s overview in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('LH-08, LH-02, MW-10: the DSL of a demonstration school finds who is overdue and downloads the list', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const today = testToday
    const demo = await buildDemo(db, { packId: 'lode-heath', today, baseUrl: j.baseUrl })
    const dsl = demo.signIn[0]!
    // The DSL would set up two-step verification at first sign-in: ask it of a role nobody holds.
    const org = await db.selectFrom('organisation').select('id').executeTakeFirstOrThrow()
    const dslRow = await db.selectFrom('person').select('id').where('email', '=', dsl.email).executeTakeFirstOrThrow()
    await setTwoStepPolicy(db, org.id, { mode: 'roles', roles: ['chair-of-governors'] }, dslRow.id)
    const school = await db
      .selectFrom('school')
      .select(['id', 'organisation_id', 'slug', 'name'])
      .executeTakeFirstOrThrow()
    const expected = await computeOverview(
      db,
      { id: school.id, organisationId: school.organisation_id, slug: school.slug, name: school.name },
      today,
    )
    const overdue = expected.lists.people.filter((p) => p.status === 'overdue')
    assert.ok(overdue.length > 0, 'the demonstration school has someone overdue')

    await j.signInAs(dsl.email)
    await page.goto('/')
    await visible(page.getByRole('heading', { name: `How ${school.name} stands today` }))
    // Issue 18: the DSL's next steps for the whole school, each a link to where the work is done.
    await visible(page.getByRole('heading', { name: 'For the whole school' }))
    await j.checkA11y('home page with the overview')

    await page.getByRole('link', { name: 'Overview', exact: true }).click()
    assert.match(page.url(), /\/overview$/)
    await visible(page.getByRole('heading', { level: 1, name: 'Overview' }))
    await visible(page.getByRole('img', { name: /People in scope by status/ }))
    await j.checkA11y('overview')

    const overdueLink = page.getByRole('link', { name: new RegExp(`^${overdue.length} (person|people) overdue$`) })
    await visible(overdueLink)
    await overdueLink.click()
    assert.match(page.url(), /\/overview\/overdue$/)
    await visible(page.getByRole('heading', { level: 1, name: 'Overdue' }))
    for (const person of overdue) {
      await visible(page.getByRole('link', { name: person.name, exact: true }), person.name)
    }
    await j.checkA11y('the overdue list')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this list (CSV)' }).click(),
    ])
    assert.match(download.suggestedFilename(), new RegExp(`^overdue-${school.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`))
    const csv = await fs.readFile((await download.path())!, 'utf8')
    const rows = parseCsv(csv.replace(/^\uFEFF/, '')) as string[][]
    assert.equal(rows[0]?.[0], 'Name')
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      overdue.map((p) => p.name),
    )

    // A list of supervisors, and the pages with charts of their own (the other lists share the
    // overdue list’s page).
    for (const [path, heading] of [
      ['/overview/supervisors-unsupervised', 'Supervisors not themselves supervised'],
      ['/overview/balance', 'Balance of functions'],
      ['/overview/balance?view=term', 'Balance of functions'],
      ['/overview/supervisor-load', 'Supervisor load'],
    ] as const) {
      await page.goto(path)
      await visible(page.getByRole('heading', { level: 1, name: heading }), path)
      await j.checkA11y(path)
    }
  })
})
