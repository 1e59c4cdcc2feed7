/**
 * What the overview page and the session lookup keep between requests (ADR 0054), through the real
 * app: the page is the one worked out for this request (its own CSP nonce and CSRF token), a write
 * that changes the figures shows at the next view, and signing out, ending a session elsewhere, a
 * disabled account or a change of roles takes effect at the next request. On PostgreSQL, a write
 * made by another instance is heard and takes effect too.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { openPostgres } from '../../src/db/database.ts'
import { computeOverview } from '../../src/services/overview/overview.ts'
import type { Client } from '../helpers/browser-like.ts'
import { clockFrom, testToday } from '../helpers/clock.ts'
import { ownPostgresDatabase } from '../helpers/database.ts'
import { postgresOnly } from '../helpers/engines.ts'
import { html, textOf } from '../helpers/html.ts'
import { untilReadsAreKept } from '../helpers/kept-reads.ts'
import { personIdByEmail, signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import { buildOverviewSchool, type OverviewSchool } from './overview-school.ts'

const figure = (body: string, href: string) =>
  html(body)
    .querySelectorAll('.govuk-summary-card__content a')
    .find((a) => a.getAttribute('href') === href)
    ?.querySelector('.haven-figure')?.textContent

describe('what the overview keeps between requests', () => {
  let t: TestApp
  let built: OverviewSchool
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })
  before(async () => {
    t = await buildTestApp({ after: (fn) => void cleanups.push(fn as () => Promise<void>) })
    built = await buildOverviewSchool(t.database.db)
    await relaxTwoStep(t.database.db, built.organisationId, built.adminId)
  })

  test('a page served again carries its own response’s CSP nonce and CSRF token, and the token works', async () => {
    const dsl = await signedInClientByEmail(t.app, t.database.db, built.emails.dsl)
    const pages = [await dsl.get('/overview'), await dsl.get('/overview')]
    const tokens: string[] = []
    for (const page of pages) {
      assert.equal(page.statusCode, 200)
      const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1]
      assert.ok(nonce)
      assert.equal(html(page.body).querySelector('script[type=module]')?.getAttribute('nonce'), nonce)
      assert.doesNotMatch(page.body, /haven-(nonce|csrf)-[0-9a-f]{24}/, 'no stand-in left in the page')
      tokens.push(html(page.body).querySelector('input[name=_csrf]')?.getAttribute('value') ?? '')
    }
    assert.notEqual(pages[0]!.headers['content-security-policy'], pages[1]!.headers['content-security-policy'])
    assert.notEqual(tokens[0], tokens[1])
    // The second page's sign-out form signs out.
    const out = await dsl.post('/sign-out', {}, { csrf: tokens[1]! })
    assert.equal(out.statusCode, 302)
    assert.equal((await dsl.get('/overview')).statusCode, 302)
  })

  test('a write that changes the figures, or the school’s name, shows at the next view', async () => {
    const dsl = await signedInClientByEmail(t.app, t.database.db, built.emails.dsl)
    const db = t.database.db
    const before = await dsl.get('/overview')
    assert.equal((await dsl.get('/overview')).body.length, before.body.length)
    const inScopeBefore = (await computeOverview(db, built.school, testToday)).summary.figures.inScope
    assert.equal(figure(before.body, '/overview/in-scope'), String(inScopeBefore))

    await db.updateTable('school').set({ name: 'Oakfield Juniors' }).where('id', '=', built.schoolId).execute()
    assert.match(textOf((await dsl.get('/overview')).body, '.govuk-caption-l'), /Oakfield Juniors/)

    // Someone in scope leaves: one fewer in scope, worked out again.
    await db.updateTable('person').set({ end_date: '2026-01-31' }).where('id', '=', built.ids.ada!).execute()
    const inScopeAfter = (await computeOverview(db, { ...built.school, name: 'Oakfield Juniors' }, testToday)).summary
      .figures.inScope
    assert.equal(inScopeAfter, inScopeBefore - 1)
    assert.equal(figure((await dsl.get('/overview')).body, '/overview/in-scope'), String(inScopeAfter))
  })

  test('signing out everywhere else, a disabled account and a change of roles take effect at the next request', async () => {
    const db = t.database.db
    const phone = await signedInClientByEmail(t.app, db, built.emails.dsl)
    const laptop = await signedInClientByEmail(t.app, db, built.emails.dsl)
    const head = await signedInClientByEmail(t.app, db, built.emails.head)
    const deputy = await signedInClientByEmail(t.app, db, built.emails.deputy)
    for (const c of [phone, laptop, head, deputy] as Client[]) {
      assert.equal((await c.get('/overview')).statusCode, 200)
      assert.equal((await c.get('/overview')).statusCode, 200)
    }

    const everywhere = await laptop.post('/account/sessions/sign-out-everywhere', {}, { formPage: '/account' })
    assert.equal(everywhere.statusCode, 302)
    assert.equal((await phone.get('/overview')).statusCode, 302, 'the other session is ended')
    assert.equal((await laptop.get('/overview')).statusCode, 200)

    await db
      .updateTable('account')
      .set({ disabled_at: new Date() })
      .where('person_id', '=', await personIdByEmail(db, built.emails.head))
      .execute()
    assert.equal((await head.get('/overview')).statusCode, 302, 'a disabled account is signed out')

    await db
      .updateTable('person')
      .set({ roles: ['class-teacher'] })
      .where('id', '=', await personIdByEmail(db, built.emails.deputy))
      .execute()
    assert.equal((await deputy.get('/overview')).statusCode, 403, 'roles are read afresh')
  })
})

test(
  'PostgreSQL: a session ended and a school renamed by another instance take effect at once there',
  postgresOnly('two instances need two connections to one database'),
  async (t) => {
    const own = await ownPostgresDatabase()
    const here = await openPostgres(own.url, { max: 4 })
    const elsewhere = await openPostgres(own.url, { max: 2, listen: false })
    t.after(async () => {
      await here.close()
      await elsewhere.close()
      await own.drop()
    })
    const app = await buildApp({ config: testConfig(), database: here, closeDatabase: false, clock: clockFrom() })
    await app.ready()
    t.after(() => app.close())
    const built = await buildOverviewSchool(here.db)
    await relaxTwoStep(here.db, built.organisationId, built.adminId)
    // Until this instance listens nothing is kept; wait for it, so the test tests something.
    await untilReadsAreKept(here.db)
    const dsl = await signedInClientByEmail(app, here.db, built.emails.dsl)
    const head = await signedInClientByEmail(app, here.db, built.emails.head)
    for (const c of [dsl, head]) {
      assert.equal((await c.get('/overview')).statusCode, 200)
      assert.equal((await c.get('/overview')).statusCode, 200)
    }

    // Heard within the time a notification takes to arrive: waited for, up to a second.
    const within = async (what: string, done: () => Promise<boolean>) => {
      const started = Date.now()
      while (!(await done())) {
        assert.ok(Date.now() - started < 1000, `${what} within a second`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    await sql`update user_session set ended_at = now() where person_id = ${await personIdByEmail(elsewhere.db, built.emails.head)}`.execute(
      elsewhere.db,
    )
    await within('the ended session refused', async () => (await head.get('/overview')).statusCode === 302)
    await elsewhere.db
      .updateTable('school')
      .set({ name: 'Oakfield Juniors' })
      .where('id', '=', built.schoolId)
      .execute()
    await within('the new name shown', async () =>
      /Oakfield Juniors/.test(textOf((await dsl.get('/overview')).body, '.govuk-caption-l')),
    )
  },
)
