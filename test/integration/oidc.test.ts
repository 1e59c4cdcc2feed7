/**
 * Signing in with Microsoft or Google (issue 18 item 2, ADR 0048), against a real OpenID provider
 * (oidc-provider, started on 127.0.0.1 at a random port by test/helpers/oidc-provider.ts):
 * discovery, PKCE, state and nonce, a wrong audience, a replayed state, an expired token, an
 * unknown domain, linking by subject, the provider's multifactor claim, leavers, throttling, and
 * the administrator's form.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Db } from '../../src/db/database.ts'
import { hashToken } from '../../src/domain/auth/tokens.ts'
import { saveSignInProvider } from '../../src/services/auth/provider-sign-in.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import { type Client, client } from '../helpers/browser-like.ts'
import { textOf } from '../helpers/html.ts'
import { type ProviderAccount, startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts'
import { SESSION_COOKIE, sessionToken } from '../helpers/sessions.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const TENANT = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
const DOMAIN = 'oakfield.example'
const REDIRECT_URI = 'http://localhost:3000/sign-in/provider/callback'
/** The app's clock (ADR 0017): the last day of access is read against it. */
const clock = () => new Date('2026-11-16T10:00:00Z')

let provider: TestProvider
before(async () => {
  provider = await startTestProvider({ redirectUri: REDIRECT_URI })
})
after(async () => {
  await provider.close()
})

const ben = (over: Partial<ProviderAccount> = {}): ProviderAccount => ({
  sub: 'entra-ben',
  claims: { email: `ben.carter@${DOMAIN}`, email_verified: true, tid: TENANT, name: 'Ben Carter' },
  ...over,
})

/** A school with an administrator (Amira, who must use two-step verification) and a teacher with no account yet (Ben). */
async function school(t: Parameters<typeof buildTestApp>[0], options: { secret?: boolean; configure?: boolean } = {}) {
  const built = await buildTestApp(t, options.secret === false ? {} : { oidcClientSecret: provider.clientSecret }, {
    clock,
  })
  const db = built.database.db
  const org = await insertOrganisation(db)
  const benRow = await db
    .insertInto('person')
    .values({
      organisation_id: org.organisationId,
      school_id: org.schoolId,
      name: 'Ben Carter',
      email: `ben.carter@${DOMAIN}`,
      roles: ['class-teacher'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (options.configure !== false)
    await saveSignInProvider(
      db,
      org.organisationId,
      { kind: 'microsoft', tenantId: TENANT, domain: DOMAIN, issuer: provider.issuer, clientId: provider.clientId },
      org.personId,
    )
  return { ...built, db, org, benId: benRow.id, adminId: org.personId }
}

/** Starts at Haven's button, signs in at the provider as `account`, and comes back to Haven. */
async function signInWithProvider(browser: Client, account: ProviderAccount) {
  provider.signInAs(account)
  const start = await browser.get('/sign-in/provider')
  assert.equal(start.statusCode, 302, start.body)
  const authorization = new URL(String(start.headers.location))
  const callback = await provider.authorize(authorization.href)
  const res = await browser.get(callback.pathname + callback.search)
  return { authorization, callback, res }
}

async function audits(db: Db, action: string) {
  return db.selectFrom('audit_event').select(['detail', 'subject_id']).where('action', '=', action).execute()
}

async function liveSessions(db: Db, personId: string) {
  return db
    .selectFrom('user_session')
    .selectAll()
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .execute()
}

describe('signing in with Microsoft or Google (issue 18)', () => {
  test('discovery, then the first sign-in links the account by email and later ones by subject, with no Haven password', async (t) => {
    const { app, db, benId } = await school(t)
    const browser = client(app)
    const page = await browser.get('/sign-in')
    assert.match(textOf(page.body, 'main'), /Sign in with Microsoft/)
    // An earlier session on this browser ends: a new session id at sign-in. (Ben was invited: an account, no password.)
    await db.insertInto('account').values({ person_id: benId }).execute()
    const earlier = await sessionToken(db, benId, { secondStepDone: false })
    browser.cookies.set(SESSION_COOKIE, earlier)

    const first = await signInWithProvider(browser, ben())
    const used = await db.selectFrom('provider_sign_in').select('used_at').executeTakeFirstOrThrow()
    assert.notEqual(used.used_at, null, 'the state is used once')
    assert.ok(provider.requests.includes('/.well-known/openid-configuration'), 'the provider’s metadata is discovered')
    assert.equal(first.authorization.origin, provider.issuer)
    assert.equal(first.res.statusCode, 302, first.res.body)
    assert.equal(first.res.headers.location, '/')
    assert.notEqual(browser.cookies.get(SESSION_COOKIE), earlier)
    const sessions = await liveSessions(db, benId)
    assert.equal(sessions.length, 1)
    assert.notEqual(sessions[0]!.id_hash, hashToken(earlier))
    assert.equal((await browser.get('/account')).statusCode, 200)

    const links = await db.selectFrom('provider_link').selectAll().execute()
    assert.deepEqual(
      links.map((l) => [l.person_id, l.issuer, l.subject]),
      [[benId, provider.issuer, 'entra-ben']],
    )
    const account = await db.selectFrom('account').selectAll().where('person_id', '=', benId).executeTakeFirstOrThrow()
    assert.equal(account.password_hash, null, 'no Haven password is needed or made')
    assert.equal((await audits(db, 'auth.provider-linked')).length, 1)

    // Later: the link, not the email, finds Ben.
    const later = await signInWithProvider(client(app), ben())
    assert.equal(later.res.statusCode, 302)
    assert.equal((await db.selectFrom('provider_link').selectAll().execute()).length, 1)
    const signIns = await audits(db, 'auth.sign-in')
    assert.equal(signIns.length, 2)
    assert.deepEqual(signIns[0]!.detail, { method: 'microsoft', mfaByProvider: false, secondStepPending: false })
    // No personal data in the audit trail: ids and reasons only.
    const all = await db.selectFrom('audit_event').select('detail').execute()
    assert.ok(!JSON.stringify(all).includes('@'), 'no email address in any audit detail')
    assert.ok(!JSON.stringify(all).includes('entra-ben'), 'no subject in any audit detail')
  })

  test('PKCE with S256, state and nonce are sent; a sign-in whose verifier does not match is refused', async (t) => {
    const { app, db, benId } = await school(t)
    const browser = client(app)
    provider.signInAs(ben())
    const start = await browser.get('/sign-in/provider')
    const authorization = new URL(String(start.headers.location))
    const q = authorization.searchParams
    assert.equal(q.get('code_challenge_method'), 'S256')
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.equal(q.get('code_verifier'), null, 'the verifier never leaves Haven')
    assert.ok((q.get('state') ?? '').length >= 32)
    assert.ok((q.get('nonce') ?? '').length >= 32)
    assert.equal(q.get('client_id'), provider.clientId)
    assert.equal(q.get('redirect_uri'), REDIRECT_URI)
    const stored = await db.selectFrom('provider_sign_in').selectAll().executeTakeFirstOrThrow()
    assert.equal(stored.state_hash, hashToken(q.get('state')!), 'only the hash of the state is kept')
    // Someone who intercepted the code without the verifier gets nothing.
    await db
      .updateTable('provider_sign_in')
      .set({ code_verifier: 'x'.repeat(64) })
      .execute()
    const callback = await provider.authorize(authorization.href)
    const res = await browser.get(callback.pathname + callback.search)
    assert.equal(res.statusCode, 400)
    assert.match(textOf(res.body, 'h1'), /Signing in with Microsoft did not work/)
    assert.equal((await liveSessions(db, benId)).length, 0)
    const [failed] = await audits(db, 'auth.sign-in-failed')
    assert.equal(failed!.detail.reason, 'token-invalid')
    assert.equal(failed!.detail.code, 'invalid_grant')
  })

  test('an ID token for another audience is refused', async (t) => {
    const { app, db, benId } = await school(t)
    provider.tamper((claims) => ({ ...claims, aud: 'another-application' }))
    t.after(() => provider.tamper(null))
    const { res } = await signInWithProvider(client(app), ben())
    assert.equal(res.statusCode, 400)
    assert.equal((await liveSessions(db, benId)).length, 0)
    assert.equal((await db.selectFrom('provider_link').selectAll().execute()).length, 0)
    assert.equal((await audits(db, 'auth.sign-in-failed'))[0]!.detail.reason, 'token-invalid')
  })

  test('an expired ID token is refused', async (t) => {
    const { app, db, benId } = await school(t)
    const now = Math.floor(Date.now() / 1000)
    provider.tamper((claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }))
    t.after(() => provider.tamper(null))
    const { res } = await signInWithProvider(client(app), ben())
    assert.equal(res.statusCode, 400)
    assert.equal((await liveSessions(db, benId)).length, 0)
  })

  test('a replayed state is refused, and so is a sign-in finished in another browser', async (t) => {
    const { app, db, benId } = await school(t)
    const browser = client(app)
    const { callback, res } = await signInWithProvider(browser, ben())
    assert.equal(res.statusCode, 302)
    const again = await browser.get(callback.pathname + callback.search)
    assert.equal(again.statusCode, 410)
    assert.match(textOf(again.body, 'h1'), /This sign-in has expired/)
    const elsewhere = await client(app).get(callback.pathname + callback.search)
    assert.equal(elsewhere.statusCode, 410)
    assert.equal((await liveSessions(db, benId)).length, 1, 'only the first use signed in')

    // Started in one browser, finished in another (a sign-in link sent to someone): refused.
    const other = client(app)
    provider.signInAs(ben())
    const start = await client(app).get('/sign-in/provider')
    const stolen = await provider.authorize(String(start.headers.location))
    assert.equal((await other.get(stolen.pathname + stolen.search)).statusCode, 410)
    const reasons = (await audits(db, 'auth.sign-in-failed')).map((a) => a.detail.reason)
    assert.deepEqual(reasons, ['state-used', 'state-used', 'other-browser'])
    // An unknown state is not found.
    assert.equal((await client(app).get('/sign-in/provider/callback?state=nothing&code=x')).statusCode, 404)
  })

  test('an unknown domain, another tenant or an unverified address cannot sign in', async (t) => {
    const { app, db } = await school(t)
    for (const account of [
      ben({ claims: { ...ben().claims, email: 'ben.carter@elsewhere.example' } }),
      ben({ claims: { ...ben().claims, tid: '00000000-0000-0000-0000-000000000000' } }),
      ben({ claims: { ...ben().claims, email_verified: false } }),
    ]) {
      const { res } = await signInWithProvider(client(app), account)
      assert.equal(res.statusCode, 403)
      assert.match(textOf(res.body, 'h1'), /You cannot sign in to Haven with this account/)
    }
    const reasons = (await audits(db, 'auth.sign-in-failed')).map((a) => a.detail.reason)
    assert.deepEqual(reasons, ['wrong-domain', 'wrong-tenant', 'email-unverified'])
    assert.equal((await db.selectFrom('provider_link').selectAll().execute()).length, 0)
  })

  test('accounts are linked by subject: an address changed at the provider does not take over another account', async (t) => {
    const { app, db, benId, adminId } = await school(t)
    assert.equal((await signInWithProvider(client(app), ben())).res.statusCode, 302)
    // Ben's Microsoft account now says it is Amira: it still opens Ben's account, not Amira's.
    const moved = await signInWithProvider(
      client(app),
      ben({ claims: { ...ben().claims, email: `amira.khan@${DOMAIN}` } }),
    )
    assert.equal(moved.res.statusCode, 302)
    assert.equal((await liveSessions(db, benId)).length, 2)
    assert.equal((await liveSessions(db, adminId)).length, 0)
    // Another Microsoft account with Ben's address: Ben is linked already, so it is refused.
    const other = await signInWithProvider(client(app), ben({ sub: 'entra-someone-else' }))
    assert.equal(other.res.statusCode, 403)
    assert.match(textOf(other.res.body, 'h1'), /There is no Haven account for you/)
    // Someone in the domain with no Haven account at all.
    const stranger = await signInWithProvider(
      client(app),
      ben({ sub: 'entra-stranger', claims: { ...ben().claims, email: `dan.ng@${DOMAIN}` } }),
    )
    assert.equal(stranger.res.statusCode, 403)
    const reasons = (await audits(db, 'auth.sign-in-failed')).map((a) => a.detail.reason)
    assert.deepEqual(reasons, ['linked-to-another', 'no-account'])
  })

  test('the two-step rule: the provider’s multifactor claim satisfies it, otherwise Haven asks', async (t) => {
    const { app, db, adminId } = await school(t)
    const amira = (amr?: string[]): ProviderAccount => ({
      sub: 'entra-amira',
      claims: { email: `amira.khan@${DOMAIN}`, email_verified: true, tid: TENANT },
      ...(amr ? { amr } : {}),
    })
    // The administrator must use two-step verification (the default policy).
    const withoutMfa = await signInWithProvider(client(app), amira(['pwd']))
    assert.equal(withoutMfa.res.statusCode, 302)
    assert.equal(withoutMfa.res.headers.location, '/account/two-step/set-up')
    const pending = await liveSessions(db, adminId)
    assert.deepEqual(
      pending.map((s) => s.second_step_done),
      [false],
    )

    const browser = client(app)
    const withMfa = await signInWithProvider(browser, amira(['pwd', 'mfa']))
    assert.equal(withMfa.res.statusCode, 302)
    assert.equal(withMfa.res.headers.location, '/')
    assert.equal((await browser.get('/admin')).statusCode, 200, 'the second step is done')
    const [, second] = await audits(db, 'auth.sign-in')
    assert.equal(second!.detail.mfaByProvider, true)
  })

  test('access end dates: someone whose access has ended cannot sign in with the provider', async (t) => {
    const { app, db, benId } = await school(t)
    await db.updateTable('person').set({ end_date: '2026-11-13' }).where('id', '=', benId).execute()
    const { res } = await signInWithProvider(client(app), ben())
    assert.equal(res.statusCode, 403)
    assert.equal((await liveSessions(db, benId)).length, 0)
    assert.equal((await audits(db, 'auth.sign-in-failed'))[0]!.detail.reason, 'inactive')
  })

  test('refused sign-ins count against the address like wrong passwords', async (t) => {
    const { app } = await school(t)
    const browser = client(app, { ip: '203.0.113.9' })
    let last = 0
    for (let i = 0; i < 21; i++) last = (await browser.get(`/sign-in/provider/callback?state=guess${i}`)).statusCode
    assert.equal(last, 404)
    assert.equal((await browser.get('/sign-in/provider/callback?state=one-more')).statusCode, 429)
  })

  test('without a provider, or without the server’s client secret, the sign-in page offers only a password', async (t) => {
    const noSecret = await school(t, { secret: false })
    assert.doesNotMatch(textOf((await client(noSecret.app).get('/sign-in')).body, 'main'), /Sign in with Microsoft/)
    assert.equal((await client(noSecret.app).get('/sign-in/provider')).statusCode, 404)
    const notConfigured = await school(t, { configure: false })
    assert.doesNotMatch(textOf((await client(notConfigured.app).get('/sign-in')).body, 'main'), /Sign in with/)
  })
})

describe('the administrator configures the provider (issue 18)', () => {
  test('the form names each field with a problem, keeps what was typed, and saves a valid provider', async (t) => {
    const { app, db, org } = await school(t, { configure: false })
    const { signedInClient } = await import('../helpers/sessions.ts')
    const admin = await signedInClient(app, db, org.personId)
    const page = await admin.get('/admin/sign-in-provider')
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body, 'main'), /localhost:3000\/sign-in\/provider\/callback/)

    const none = await admin.post('/admin/sign-in-provider', {})
    assert.equal(none.statusCode, 400)
    assert.equal(textOf(none.body, '#kind-error'), 'Error: Select how staff sign in')

    const blank = await admin.post('/admin/sign-in-provider', { kind: 'microsoft' })
    assert.equal(blank.statusCode, 400)
    assert.equal(textOf(blank.body, '#tenantId-error'), 'Error: Enter the tenant ID')
    assert.equal(textOf(blank.body, '#domain-error'), 'Error: Enter the email domain your staff sign in with')
    assert.equal(textOf(blank.body, '#clientId-error'), 'Error: Enter the client ID')

    const wrong = await admin.post('/admin/sign-in-provider', {
      kind: 'microsoft',
      tenantId: 'oakfield',
      domain: 'not a domain',
      issuer: 'http://login.example.com',
      clientId: 'x'.repeat(201),
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(textOf(wrong.body, '#tenantId-error'), /Enter the tenant ID in the correct format/)
    assert.match(
      textOf(wrong.body, '#domain-error'),
      /Enter the email domain in the correct format, like oakfield.sch.uk/,
    )
    assert.match(
      textOf(wrong.body, '#issuer-error'),
      /Enter the issuer URL in the correct format, starting with https:\/\//,
    )
    assert.equal(textOf(wrong.body, '#clientId-error'), 'Error: Client ID must be 200 characters or fewer')
    assert.match(textOf(wrong.body, '.govuk-error-summary'), /Enter the tenant ID in the correct format/)
    assert.match(wrong.body, /value="not a domain"/, 'what was typed is shown again')

    const google = await admin.post('/admin/sign-in-provider', {
      kind: 'google',
      domain: '@Oakfield.example',
      clientId: '1234.apps.googleusercontent.com',
    })
    assert.equal(google.statusCode, 302)
    const settings = await db.selectFrom('organisation').select('settings').executeTakeFirstOrThrow()
    assert.deepEqual(settings.settings.signInProvider, {
      kind: 'google',
      tenantId: null,
      domain: 'oakfield.example',
      issuer: 'https://accounts.google.com',
      clientId: '1234.apps.googleusercontent.com',
    })
    assert.match(textOf((await client(app).get('/sign-in')).body, 'main'), /Sign in with Google/)
    const audit = await audits(db, 'organisation.sign-in-provider')
    assert.deepEqual(
      audit.map((a) => a.detail),
      [{ kind: 'google' }],
    )

    assert.equal((await admin.post('/admin/sign-in-provider', { kind: 'none' })).statusCode, 302)
    assert.doesNotMatch(textOf((await client(app).get('/sign-in')).body, 'main'), /Sign in with/)
  })
})
