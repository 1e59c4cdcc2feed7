/**
 * The trust's pages in a real browser (issue 14): the trust's regional safeguarding lead edits the
 * trust policy with the editor's forms, sees what changes against the version in force, publishes
 * it from a date, and the academy's page shows the rule with where it comes from; the academy's own
 * policy summary says which rules are the trust's and which its own. Every new page is checked with axe.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { addDays } from '../../src/domain/calendar/index.ts'
import { publishTrustVersion, saveAdoption } from '../../src/services/policy/trust.ts'
import { insertOrganisation, insertTrustWithAcademy } from '../builders/organisation.ts'
import { testToday } from '../helpers/clock.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { trustPolicy } from '../integration/joining-fixtures.ts'
import { closeBrowser, skipBrowser, startJourney, visible } from './browser.ts'

describe('the trust policy in a real browser', { skip: skipBrowser }, () => {
  after(closeBrowser)

  test('issue 14: a trust lead edits the trust policy through the forms, publishes it, and the academy shows the rule and where it comes from', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const today = testToday
    const started = addDays(today, -30)
    const ids = await insertOrganisation(db, {
      organisationKind: 'trust',
      organisationName: 'Fenland Learning Trust',
      schoolName: 'Fen Edge Academy',
      schoolSlug: 'fen-edge',
      adminName: 'Dana Shah',
      adminEmail: 'dana.shah@fenland.example',
    })
    await relaxTwoStep(db, ids.organisationId, ids.personId)
    const lead = await db
      .insertInto('person')
      .values({
        organisation_id: ids.organisationId,
        school_id: null,
        name: 'Rhiannon Reed',
        email: 'rhiannon.reed@fenland.example',
        job_title: 'Regional safeguarding lead',
        roles: ['dsl', 'regional-safeguarding-lead'],
        start_date: '2020-09-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('account').values({ person_id: lead.id, password_hash: null }).execute()
    const published = await publishTrustVersion(db, {
      organisationId: ids.organisationId,
      document: trustPolicy,
      effectiveFrom: started,
      today,
      reason: 'The trust policy was agreed last month',
      actorId: lead.id,
    })
    assert.ok(published.ok, JSON.stringify(published))
    const adopted = await saveAdoption(db, {
      organisationId: ids.organisationId,
      schoolId: ids.schoolId,
      // The academy's own frequency for one of the trust's requirements: a rule that comes from it.
      change: (o) => ({
        ...o,
        frequencies: [
          {
            requirementId: 'fl-pastoral',
            frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: 'once a half term' },
          },
        ],
      }),
      effectiveFrom: started,
      today,
      reason: 'The academy joined the trust last month',
      actorId: lead.id,
      action: 'trust-policy.adopted',
    })
    assert.ok(adopted.ok, JSON.stringify(adopted))

    await j.signInAs(lead.id)
    await page.goto('/trust/policy')
    await page.getByRole('link', { name: 'Edit the trust policy' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Edit the policy' }))
    await j.checkA11y('the trust policy editor’s sections')

    await page.goto('/trust/policy/edit/requirements/items/0')
    await visible(page.getByRole('heading', { level: 1 }))
    await j.checkA11y('a trust requirement in the editor')
    await page.locator('[name="frequency.every"]').fill('4')
    await page.locator('#editor-form button[type=submit]').first().click()
    await page.waitForURL(/\/trust\/policy\/edit\/requirements\?saved=1$/)

    await page.goto('/trust/policy/edit/publish')
    await visible(page.getByRole('heading', { level: 2, name: 'What changes' }))
    await j.checkA11y('publishing the trust policy')
    const from = addDays(today, 7)
    await page.locator('[name="effectiveFrom-day"]').fill(String(Number(from.slice(8))))
    await page.locator('[name="effectiveFrom-month"]').fill(String(Number(from.slice(5, 7))))
    await page.locator('[name="effectiveFrom-year"]').fill(from.slice(0, 4))
    await page.locator('#publish-form button[type=submit]').first().click()
    await page.waitForURL(/\/trust\/policy\?published=2$/)
    await visible(page.getByText('Version 2 of the trust policy has been published'))

    await page.goto('/trust/policy/academies/fen-edge')
    const row = page.getByRole('row', { name: /Reflective supervision for the safeguarding leads/ })
    await visible(row)
    const text = (await row.textContent()) ?? ''
    assert.match(text.replace(/\s+/g, ' '), /every 4 weeks.*Fenland Learning Trust/)
    await j.checkA11y('the academy’s rules and where they come from')

    // The academy's own policy page, as its administrator reads it: each rule says whose it is.
    await j.signInAs(ids.personId)
    await page.goto('/policy')
    await visible(page.getByRole('heading', { level: 2, name: 'Where the rules come from' }))
    const main = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ')
    assert.match(main, /Fen Edge Academy follows Fenland Learning Trust's policy/)
    // The rules the academy set are listed as its own; the trust's are not.
    const own = page.getByRole('listitem').filter({ hasText: '(Fen Edge Academy)' })
    assert.equal(await own.count(), 1)
    assert.match((await own.textContent()) ?? '', /How often for reflective supervision for pastoral staff: /)
    assert.match(main, /This is Fenland Learning Trust's requirement\./)
    assert.match(main, /This is Fenland Learning Trust's requirement, with Fen Edge Academy's own frequency\./)
    await j.checkA11y('the academy’s own policy summary, with where its rules come from')
  })
  test('issue 14: a trust invites a single school on the same service, and the school’s administrator joins with the code', async (t) => {
    const j = await startJourney(t)
    const { page } = j
    const db = j.database.db
    const today = testToday
    const school = await insertOrganisation(db, {
      schoolName: 'Oakfield Primary School',
      schoolSlug: 'oakfield',
      alsoDsl: true,
    })
    await relaxTwoStep(db, school.organisationId, school.personId)
    // The trust, on the same installation.
    const { trustId, adminId: trustAdmin } = await insertTrustWithAcademy(db)
    const trust = { id: trustId }
    await relaxTwoStep(db, trust.id, trustAdmin)
    const published = await publishTrustVersion(db, {
      organisationId: trust.id,
      document: trustPolicy,
      effectiveFrom: addDays(today, -30),
      today,
      reason: 'The trust policy was agreed last month',
      actorId: trustAdmin,
    })
    assert.ok(published.ok, JSON.stringify(published))
    // A role both have (the same id, made from the name): the school is told it becomes the trust's.
    await db
      .insertInto('custom_role')
      .values([
        {
          organisation_id: school.organisationId,
          school_id: school.schoolId,
          id: 'pastoral-lead',
          name: 'Pastoral Lead',
        },
        { organisation_id: trust.id, school_id: null, id: 'pastoral-lead', name: 'Pastoral lead' },
      ])
      .execute()

    await j.signInAs(trustAdmin)
    await page.goto('/trust/policy')
    await page.getByRole('link', { name: 'Invite a school to join the trust' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Invite a school to join the trust' }))
    await j.checkA11y('inviting a school to join the trust')
    const from = addDays(today, 7)
    await page.locator('[name="effectiveFrom-day"]').fill(String(Number(from.slice(8))))
    await page.locator('[name="effectiveFrom-month"]').fill(String(Number(from.slice(5, 7))))
    await page.locator('[name="effectiveFrom-year"]').fill(from.slice(0, 4))
    await page.getByRole('button', { name: 'Make an invitation' }).click()
    await visible(page.getByRole('heading', { name: 'Invitation made' }))
    const code = ((await page.locator('.govuk-panel strong').textContent()) ?? '').trim()
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    await j.checkA11y('the invitation’s code, shown once')

    await j.signInAs(school.personId)
    await page.goto('/admin/join-a-trust')
    await page.getByLabel('Code from the trust').fill(code)
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { level: 1, name: 'Join Fenland Learning Trust' }))
    await visible(page.getByText('Pastoral Lead: the trust has this role already, as Pastoral lead'))
    await j.checkA11y('what joining the trust does')
    await page.getByRole('button', { name: 'Join Fenland Learning Trust' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page.goto('/policy')
    const main = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ')
    assert.match(main, /trust version 1, academy changes 1/, 'the trust’s policy is scheduled from the date')
  })
})
