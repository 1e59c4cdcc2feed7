import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashToken } from '../../src/domain/auth/tokens.ts'
import { totpCode } from '../../src/domain/auth/totp.ts'
import { commonPasswordCount } from '../../src/services/auth/passwords.ts'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { client } from '../helpers/browser-like.ts'
import { textOf } from '../helpers/html.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const TEACHER = 'ben.carter@oakfield.example'

async function outbox(db: import('../../src/db/database.ts').Db, to: string) {
  return db.selectFrom('outbox_message').selectAll().where('to_address', '=', to).orderBy('created_at').execute()
}

test('first run: with no organisation, Haven leads to setup, which creates the organisation and its first administrator', async (t) => {
  const { app, database } = await buildTestApp(t)
  const browser = client(app)
  const home = await browser.get('/')
  assert.equal(home.statusCode, 302)
  assert.equal(home.headers.location, '/setup')

  const bad = await browser.post('/setup', {
    organisationKind: 'trust',
    organisationName: '',
    schoolName: '',
    schoolSlug: 'Not A Slug',
    region: 'england-and-wales',
    adminName: 'Amira Khan',
    adminEmail: 'not-an-email',
    password: 'password1234',
  })
  assert.equal(bad.statusCode, 400)
  assert.equal(textOf(bad.body, '.govuk-error-summary__title'), 'There is a problem')
  assert.match(textOf(bad.body, '#organisationName-error'), /Enter the name of the trust/)
  assert.match(textOf(bad.body, '#schoolName-error'), /Enter the name of the school/)
  assert.match(textOf(bad.body, '#schoolSlug-error'), /letters a to z/)
  assert.match(textOf(bad.body, '#adminEmail-error'), /correct format/)
  assert.match(textOf(bad.body, '#password-error'), /common passwords/)
  assert.match(textOf(bad.body, 'title'), /^Error: /)
  assert.equal(await database.db.selectFrom('organisation').select('id').executeTakeFirst(), undefined, 'nothing saved')

  const ok = await browser.post('/setup', {
    organisationKind: 'trust',
    organisationName: 'Riverside Learning Trust',
    schoolName: 'Oakfield Primary',
    schoolSlug: 'oakfield',
    region: 'england-and-wales',
    adminName: 'Amira Khan',
    adminEmail: 'Amira.Khan@Oakfield.example',
    password: ADMIN_PASSWORD,
    alsoDsl: 'yes',
    packId: 'meanwood',
  })
  assert.equal(ok.statusCode, 302)
  assert.equal(ok.headers.location, '/sign-in?setup=done')
  const person = await database.db.selectFrom('person').selectAll().executeTakeFirstOrThrow()
  assert.equal(person.email, 'amira.khan@oakfield.example')
  assert.deepEqual(person.roles, ['administrator', 'dsl'])
  const policy = await database.db.selectFrom('policy_version').selectAll().executeTakeFirstOrThrow()
  assert.equal(policy.pack_id, 'meanwood', 'the chosen pack becomes version 1 of the school’s policy')
  assert.equal(policy.version, 1)
  const account = await database.db.selectFrom('account').selectAll().executeTakeFirstOrThrow()
  assert.match(account.password_hash!, /^\$argon2id\$/)
  // Setup happens once.
  assert.equal((await browser.get('/setup')).statusCode, 404)
})

test('passwords: at least 12 characters and not on the shipped list of 10,000+ common passwords', async (t) => {
  assert.ok(commonPasswordCount() >= 10_000)
  const { app } = await buildTestApp(t)
  const browser = client(app)
  const short = await browser.post('/setup', {
    organisationKind: 'single-school',
    schoolName: 'Oakfield',
    schoolSlug: 'oakfield',
    region: 'england-and-wales',
    adminName: 'Amira Khan',
    adminEmail: 'amira@oakfield.example',
    password: 'tooshort',
  })
  assert.match(textOf(short.body, '#password-error'), /12 characters or more/)
  const common = await browser.post('/setup', {
    organisationKind: 'single-school',
    schoolName: 'Oakfield',
    schoolSlug: 'oakfield',
    region: 'england-and-wales',
    adminName: 'Amira Khan',
    adminEmail: 'amira@oakfield.example',
    password: 'iloveyou1234',
  })
  assert.match(textOf(common.body, '#password-error'), /common passwords/)
})

test('sign-in: unknown email and wrong password get the same message; a new session id at sign-in; cookie flags', async (t) => {
  const { app, database } = await buildTestApp(t)
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const browser = client(app)
  const unknown = await browser.post('/sign-in', { email: 'nobody@oakfield.example', password: ADMIN_PASSWORD })
  const wrong = await browser.post('/sign-in', { email: TEACHER, password: 'not the password at all' })
  assert.equal(unknown.statusCode, 400)
  assert.equal(wrong.statusCode, 400)
  assert.equal(textOf(unknown.body, '#email-error'), textOf(wrong.body, '#email-error'))

  const first = await browser.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  assert.equal(first.statusCode, 302)
  const cookie = (first.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find(
    (c) => c.name === 'haven_session',
  )!
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, 'Lax')
  const firstId = browser.cookies.get('haven_session')
  await browser.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD }, { formPage: '/account' })
  assert.notEqual(browser.cookies.get('haven_session'), firstId, 'a new session id each sign-in')
  const home = await browser.get('/')
  assert.match(textOf(home.body, 'h1'), /Welcome, Ben Carter/)
  assert.equal(home.headers['cache-control'], 'no-store')
  const stored = await database.db.selectFrom('user_session').select('id_hash').execute()
  assert.ok(
    stored.every((s) => s.id_hash !== firstId),
    'only hashes are stored',
  )
})

test('sign-in over HTTPS uses a __Host- cookie marked Secure', async (t) => {
  const { app, database } = await buildTestApp(t, { baseUrl: 'https://haven.example' })
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const browser = client(app)
  const res = await browser.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  const cookie = (res.cookies as { name: string; secure?: boolean }[]).find((c) => c.name === '__Host-haven_session')!
  assert.equal(cookie.secure, true)
})

test('repeated wrong passwords are throttled with growing delays, and the account holder is emailed', async (t) => {
  const { app, database } = await buildTestApp(t)
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const browser = client(app)
  for (let i = 0; i < 5; i++)
    assert.equal((await browser.post('/sign-in', { email: TEACHER, password: `wrong password ${i}` })).statusCode, 400)
  const sixth = await browser.post('/sign-in', { email: TEACHER, password: 'wrong password 6' })
  assert.equal(sixth.statusCode, 429)
  assert.match(textOf(sixth.body, 'h1'), /Too many attempts/)
  // Even the right password is refused while throttled.
  assert.equal((await browser.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })).statusCode, 429)
  const mail = await outbox(database.db, TEACHER)
  assert.equal(mail.length, 1)
  assert.match(mail[0]!.subject, /failed attempts/)
  const failures = await database.db
    .selectFrom('audit_event')
    .select('action')
    .where('action', '=', 'auth.sign-in-failed')
    .execute()
  assert.equal(failures.length, 6, 'six failures recorded; the attempt refused while throttled is not checked at all')
})

test('a POST without a CSRF token gets 403 and changes nothing', async (t) => {
  const { app, database } = await buildTestApp(t)
  const browser = client(app)
  await browser.get('/setup')
  const res = await browser.post(
    '/setup',
    {
      organisationKind: 'single-school',
      schoolName: 'Oakfield',
      schoolSlug: 'oakfield',
      region: 'england-and-wales',
      adminName: 'Amira Khan',
      adminEmail: 'amira@oakfield.example',
      password: ADMIN_PASSWORD,
      packId: 'blank',
    },
    { csrf: null },
  )
  assert.equal(res.statusCode, 403)
  assert.equal(await database.db.selectFrom('organisation').select('id').executeTakeFirst(), undefined)
  const forged = await browser.post(
    '/setup',
    {
      organisationKind: 'single-school',
      schoolName: 'Oakfield',
      schoolSlug: 'oakfield',
      region: 'england-and-wales',
      adminName: 'Amira Khan',
      adminEmail: 'amira@oakfield.example',
      password: ADMIN_PASSWORD,
      packId: 'blank',
    },
    { csrf: 'forged' },
  )
  assert.equal(forged.statusCode, 403)
  assert.equal(await database.db.selectFrom('organisation').select('id').executeTakeFirst(), undefined)
})

test('two-step verification is required by default for administrators, and works with a code or a single-use recovery code', async (t) => {
  const { app, database } = await buildTestApp(t)
  await insertOrganisation(database.db)
  const browser = client(app)
  const signIn = await browser.post('/sign-in', { email: 'amira.khan@oakfield.example', password: ADMIN_PASSWORD })
  assert.equal(signIn.headers.location, '/account/two-step/set-up')
  // Nothing else is reachable until it is set up.
  assert.equal((await browser.get('/admin')).headers.location, '/account/two-step/set-up')
  const page = await browser.get('/account/two-step/set-up')
  const secret = textOf(page.body, '#totp-secret').replace(/\s/g, '')
  assert.match(page.body, /<svg/)
  const wrong = await browser.post('/account/two-step/set-up', { code: '000000' })
  assert.equal(wrong.statusCode, 400)
  const enabled = await browser.post('/account/two-step/set-up', { code: totpCode(secret, new Date()) })
  assert.equal(enabled.statusCode, 200)
  const codes = [...enabled.body.matchAll(/<code class="haven-nowrap">([a-z0-9-]+)<\/code>/g)].map((m) => m[1]!)
  assert.equal(codes.length, 10)
  assert.equal((await browser.get('/admin')).statusCode, 200)

  // Sign out, sign in again: the second step is asked for.
  await browser.post('/sign-out', {}, { formPage: '/account' })
  const again = client(app)
  const second = await again.post('/sign-in', { email: 'amira.khan@oakfield.example', password: ADMIN_PASSWORD })
  assert.match(second.headers.location as string, /^\/sign-in\/two-step/)
  assert.equal((await again.get('/admin')).headers.location, '/sign-in/two-step')
  const recovery = await again.post('/sign-in/two-step', { code: codes[0]!.toUpperCase() })
  assert.equal(recovery.statusCode, 302)
  assert.equal((await again.get('/admin')).statusCode, 200)
  // A recovery code works once.
  const third = client(app)
  await third.post('/sign-in', { email: 'amira.khan@oakfield.example', password: ADMIN_PASSWORD })
  assert.equal((await third.post('/sign-in/two-step', { code: codes[0]! })).statusCode, 400)
})

test('sessions: idle and absolute timeouts, a list of sessions, and sign out everywhere', async (t) => {
  const { app, database } = await buildTestApp(t, { sessionIdleMinutes: 30, sessionAbsoluteHours: 12 })
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const laptop = client(app)
  const phone = client(app, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' })
  await laptop.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  await phone.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  const account = await laptop.get('/account')
  assert.equal(account.statusCode, 200)
  assert.match(account.body, /Safari on iOS/)
  const everywhere = await laptop.post('/account/sessions/sign-out-everywhere', {}, { formPage: '/account' })
  assert.equal(everywhere.headers.location, '/account?ended=1')
  assert.equal((await phone.get('/account')).statusCode, 302, 'the phone is signed out')
  assert.equal((await laptop.get('/account')).statusCode, 200, 'this device stays signed in')

  // Idle for 31 minutes: signed out.
  await database.db
    .updateTable('user_session')
    .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
    .execute()
  const idle = await laptop.get('/account')
  assert.equal(idle.statusCode, 302)
  assert.match(idle.headers.location as string, /^\/sign-in\?next=/)

  // Absolute timeout, however active.
  await laptop.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  await database.db
    .updateTable('user_session')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('ended_at', 'is', null)
    .execute()
  assert.equal((await laptop.get('/account')).statusCode, 302)
})

test('password reset: a single-use link by email, valid for an hour; an expired or reused link gets a clear message', async (t) => {
  const { app, database } = await buildTestApp(t)
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const browser = client(app)
  const unknown = await browser.post('/password-reset', { email: 'nobody@oakfield.example' })
  const known = await browser.post('/password-reset', { email: TEACHER })
  assert.equal(textOf(unknown.body, 'h1'), textOf(known.body, 'h1'), 'no account enumeration')
  const mail = await outbox(database.db, TEACHER)
  assert.equal(mail.length, 1)
  const token = /password-reset\/([A-Za-z0-9_-]+)/.exec(mail[0]!.text_body)![1]!
  const stored = await database.db.selectFrom('auth_token').selectAll().executeTakeFirstOrThrow()
  assert.equal(stored.token_hash, hashToken(token), 'only the hash is stored')
  assert.ok(stored.expires_at.getTime() - Date.now() <= 3600_000)

  const mismatch = await browser.post(`/password-reset/${token}`, {
    password: 'a new long passphrase',
    confirmPassword: 'something else',
  })
  assert.equal(mismatch.statusCode, 400)
  assert.match(textOf(mismatch.body, '#confirmPassword-error'), /Passwords must match/)
  const done = await browser.post(`/password-reset/${token}`, {
    password: 'a new long passphrase',
    confirmPassword: 'a new long passphrase',
  })
  assert.equal(done.headers.location, '/sign-in?reset=done')
  const reused = await browser.get(`/password-reset/${token}`)
  assert.equal(reused.statusCode, 410)
  assert.match(textOf(reused.body, 'h1'), /already been used/)
  assert.equal(
    (await client(app).post('/sign-in', { email: TEACHER, password: 'a new long passphrase' })).statusCode,
    302,
  )

  await browser.post('/password-reset', { email: TEACHER })
  const later = await outbox(database.db, TEACHER)
  const token2 = /password-reset\/([A-Za-z0-9_-]+)/.exec(later.at(-1)!.text_body)![1]!
  await database.db
    .updateTable('auth_token')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('token_hash', '=', hashToken(token2))
    .execute()
  const expired = await browser.get(`/password-reset/${token2}`)
  assert.equal(expired.statusCode, 410)
  assert.match(textOf(expired.body, 'h1'), /expired/)
})

test('invitations: a single-use link valid for 7 days lets the person choose a password', async (t) => {
  const { app, database } = await buildTestApp(t)
  const org = await insertOrganisation(database.db)
  const person = await database.db
    .insertInto('person')
    .values({
      organisation_id: org.organisationId,
      school_id: org.schoolId,
      name: 'Chloe Davies',
      email: 'chloe@oakfield.example',
      roles: ['teaching-assistant'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const { invitePerson } = await import('../../src/services/auth/accounts.ts')
  await invitePerson(database.db, { personId: person.id, invitedBy: org.personId, baseUrl: 'http://localhost:3000' })
  const mail = await outbox(database.db, 'chloe@oakfield.example')
  const token = /invitation\/([A-Za-z0-9_-]+)/.exec(mail[0]!.text_body)![1]!
  const row = await database.db.selectFrom('auth_token').selectAll().executeTakeFirstOrThrow()
  const days = (row.expires_at.getTime() - Date.now()) / 86400_000
  assert.ok(days > 6.9 && days <= 7)
  const browser = client(app)
  const set = await browser.post(`/invitation/${token}`, {
    password: 'walnut lantern ferry',
    confirmPassword: 'walnut lantern ferry',
  })
  assert.equal(set.statusCode, 302)
  assert.equal((await browser.get(`/invitation/${token}`)).statusCode, 410)
  assert.equal(
    (await client(app).post('/sign-in', { email: 'chloe@oakfield.example', password: 'walnut lantern ferry' }))
      .statusCode,
    302,
  )
  const actions = (await database.db.selectFrom('audit_event').select('action').execute()).map((a) => a.action)
  assert.ok(actions.includes('auth.invitation-sent') && actions.includes('auth.invitation-accepted'))
})

test('authorisation: deny by default; pages need sign-in; permissions are checked', async (t) => {
  const { app, database } = await buildTestApp(t)
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const anonymous = client(app)
  const res = await anonymous.get('/admin/security')
  assert.equal(res.statusCode, 302)
  assert.equal(res.headers.location, '/sign-in?next=%2Fadmin%2Fsecurity')
  const teacher = client(app)
  await teacher.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD })
  assert.equal((await teacher.get('/admin/security')).statusCode, 403)
  assert.equal((await teacher.get('/admin/outbox')).statusCode, 403)
  // Every route declares access, and none but the known public ones is public.
  const publicRoutes = app
    .registeredRoutes()
    .filter((r) => r.access === 'public' && !r.url.startsWith('/public/') && !r.url.startsWith('/assets/'))
    .map((r) => `${r.method} ${r.url}`)
    .sort()
  for (const route of publicRoutes)
    assert.match(
      route,
      /^(GET|HEAD|POST) \/(|healthz|setup|sign-in|sign-in\/provider|sign-in\/provider\/callback|sign-out|signed-out|password-reset.*|invitation\/:token|email-change\/:token|accessibility|privacy|__test\/slow|feeds\/:file|api\/v1\/openapi\.json)$/,
      route,
    )
})

test('no open redirect after sign-in', async (t) => {
  const { app, database } = await buildTestApp(t)
  const org = await insertOrganisation(database.db)
  await insertPersonWithAccount(database.db, org)
  const browser = client(app)
  const res = await browser.post('/sign-in', { email: TEACHER, password: ADMIN_PASSWORD, next: '//evil.example/path' })
  assert.equal(res.headers.location, '/')
})
