/**
 * The overview's balance of functions (LH-02; issue 17): it looks back as far as the policy's
 * framework says (not a fixed 12 months), a new policy version that keeps the framework does not
 * reset it (which used to hide every "not covered" flag), and it can be shown per term.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { PolicyDocument } from '../../src/domain/policy/index.ts'
import { computeOverview } from '../../src/services/overview/overview.ts'
import { html, textOf } from '../helpers/html.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import { buildOverviewSchool, fixedToday, type OverviewSchool, overviewPolicy } from './overview-school.ts'

describe('LH-02: the balance of functions on the overview', () => {
  let t: TestApp
  let built: OverviewSchool
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })
  before(async () => {
    t = await buildTestApp(
      { after: (fn) => void cleanups.push(fn as () => Promise<void>) },
      {},
      { clock: () => new Date(`${fixedToday}T10:00:00Z`) },
    )
    built = await buildOverviewSchool(t.database.db)
    await relaxTwoStep(t.database.db, built.organisationId, built.adminId)
  })

  async function publish(version: number, effectiveFrom: string, change: (p: PolicyDocument) => PolicyDocument) {
    const document = change({ ...overviewPolicy(), version, effectiveFrom })
    await t.database.db
      .insertInto('policy_version')
      .values({
        school_id: built.schoolId,
        version,
        effective_from: effectiveFrom,
        document: JSON.stringify(document),
        pack_id: 'lode-heath',
      })
      .execute()
  }

  const balanceOf = async () => (await computeOverview(t.database.db, built.school, fixedToday)).lists.balance

  test('LH-02: a new policy version that keeps the framework does not reset the "not covered" flags', async () => {
    const before = await computeOverview(t.database.db, built.school, fixedToday)
    assert.equal(before.summary.figures.frameworkGaps, 5)
    await publish(2, '2026-11-01', (p) => p)
    const after = await computeOverview(t.database.db, built.school, fixedToday)
    assert.equal(after.summary.figures.frameworkGaps, 5, 'still flagged under the new version')
    const ada = after.lists.balance.frameworks[0]!.rows.find((r) => r.name === 'Ada Brook')!
    assert.equal(ada.flagged, true)
  })

  test('LH-02: the window is the policy’s own look-back, and it can be shown per term', async () => {
    const twelve = (await balanceOf()).frameworks[0]!
    assert.equal(twelve.windowStart, '2025-11-23')
    assert.equal(twelve.rows.find((r) => r.name === 'Ada Brook')!.sessions, 3)
    await publish(3, '2026-11-10', (p) => ({
      ...p,
      frameworks: p.frameworks.map((f) => ({ ...f, coverageLookback: { amount: 2, unit: 'months' } })),
    }))
    const framework = (await balanceOf()).frameworks[0]!
    assert.equal(framework.windowStart, '2026-09-23')
    const ada = framework.rows.find((r) => r.name === 'Ada Brook')!
    assert.equal(ada.sessions, 1, 'only the session of 2 November is within 2 months')
    const four = ['management-oversight', 'professional-development', 'multi-agency-working', 'voice-of-the-child']
    assert.deepEqual(ada.covered, four, 'its tags and those ticked on its record')
    assert.equal(ada.flagged, true)
    assert.equal(framework.terms.length, 1)
    assert.deepEqual(ada.byTerm, [{ sessions: 1, covered: four }])

    const dsl = await signedInClientByEmail(t.app, t.database.db, built.emails.dsl)
    const whole = await dsl.get('/overview/balance')
    assert.equal(whole.statusCode, 200)
    assert.match(
      textOf(whole.body, '#balance-lh-five-functions-window'),
      /looks back 2 months: sessions since 23 September 2026/,
    )
    const perTerm = await dsl.get('/overview/balance?view=term')
    assert.equal(perTerm.statusCode, 200)
    const row = html(perTerm.body)
      .querySelectorAll('tr')
      .map((r) => r.textContent.replace(/\s+/g, ' ').trim())
      .find((r) => r.startsWith('Ada Brook'))
    assert.match(row ?? '', /4 of 5 \(1 session\)/)
    const head = await signedInClientByEmail(t.app, t.database.db, built.emails.head)
    const general = await head.get('/overview/balance?view=term')
    assert.equal(general.statusCode, 200)
    assert.doesNotMatch(general.body, /Voice of the child, /, 'the general view gives counts, not which functions')
  })
})
