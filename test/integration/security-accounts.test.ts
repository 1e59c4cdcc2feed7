/**
 * Issue 12, "Security and reliability": accounts. Each test here was written against the defect
 * first and watched fail before the fix.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import { personFromRow } from '../../src/db/repositories/staff/rows.ts'
import { hashToken } from '../../src/domain/auth/tokens.ts'
import { generateTotpSecret, totpCode } from '../../src/domain/auth/totp.ts'
import type { PersonFields } from '../../src/domain/people/person-rules.ts'
import { checkToken, invitePerson, requestPasswordReset } from '../../src/services/auth/accounts.ts'
import { createSession, loadSignInSession as loadSession } from '../../src/services/auth/sessions.ts'
import { createFeed, feedCalendar } from '../../src/services/calendar-feed/feeds.ts'
import { createPerson, updatePerson } from '../../src/services/staff/people.ts'
import { endEmployment } from '../../src/services/staff/supervision.ts'
import { ADMIN_PASSWORD, insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { type Client, client } from '../helpers/browser-like.ts'
import { testToday } from '../helpers/clock.ts'
import { textOf } from '../helpers/html.ts'
import { ADMIN_EMAIL, personSignedIn, postFile, relaxTwoStep, signIn, staffTestApp } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const TEACHER = 'ben.carter@oakfield.example'
const BASE_URL = 'http://localhost:3000'
const SETTINGS = { idleMinutes: 30, absoluteHours: 12 }

async function accountOf(db: Db, personId: string) {
  return db.selectFrom('account').selectAll().where('person_id', '=', personId).executeTakeFirstOrThrow()
}

async function mailTo(db: Db, to: string) {
  return db.selectFrom('outbox_message').selectAll().where('to_address', '=', to).orderBy('created_at').execute()
}

async function openSessions(db: Db, personId: string) {
  return db
    .selectFrom('user_session')
    .select('id_hash')
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .execute()
}

async function liveTokens(db: Db, personId: string) {
  return db
    .selectFrom('auth_token')
    .select('kind')
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .execute()
}

async function auditActions(db: Db) {
  return (await db.selectFrom('audit_event').select(['action', 'subject_id', 'detail']).orderBy('id').execute()).map(
    (a) => a,
  )
}

/** A browser signed in (both steps) as a person whose two-step verification is on. */
async function signedInWithTwoStep(app: Parameters<typeof client>[0], db: Db, personId: string) {
  const secret = generateTotpSecret()
  await db
    .updateTable('account')
    .set({ totp_secret: secret, totp_enabled_at: new Date('2026-09-01T09:00:00Z') })
    .where('person_id', '=', personId)
    .execute()
  const { token } = await createSession(db, {
    personId,
    secondStepDone: true,
    userAgent: 'test',
    now: new Date(),
    settings: SETTINGS,
  })
  const browser = client(app)
  browser.cookies.set('haven_session', token)
  return { browser, secret }
}

function fieldsOf(row: Parameters<typeof personFromRow>[0]): PersonFields {
  const { id: _id, schoolId: _school, ...fields } = personFromRow(row)
  return fields as unknown as PersonFields
}

/** Saves an edit of a person by the administrator, as the staff edit page does. */
async function editPerson(
  db: Db,
  org: { organisationId: string; personId: string },
  personId: string,
  changes: Partial<PersonFields>,
) {
  const row = await db.selectFrom('person').selectAll().where('id', '=', personId).executeTakeFirstOrThrow()
  return updatePerson(db, {
    organisationId: org.organisationId,
    personId,
    version: row.version,
    fields: { ...fieldsOf(row), ...changes },
    externalOrganisation: null,
    mayChangeAdditionalSupport: false,
    actor: { personId: org.personId, roles: ['administrator'] },
    baseUrl: BASE_URL,
  })
}

describe('issue 12: two-step verification is changed only by a deliberate, confirmed POST', () => {
  test('opening the set-up page (a GET) changes nothing for someone who has two-step verification on', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const org = await insertOrganisation(db)
    const { browser } = await signedInWithTwoStep(app, db, org.personId)
    const before = await accountOf(db, org.personId)
    const page = await browser.get('/account/two-step/set-up')
    assert.equal(page.statusCode, 200)
    const after = await accountOf(db, org.personId)
    assert.deepEqual(after, before, 'a GET never writes to the account')
    assert.equal((await browser.get('/admin')).statusCode, 200, 'still signed in with two-step on')
  })

  test('opening the set-up page writes nothing for someone setting it up for the first time either', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const org = await insertOrganisation(db)
    const browser = client(app)
    const signedIn = await browser.post('/sign-in', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    assert.equal(signedIn.headers.location, '/account/two-step/set-up')
    const before = await accountOf(db, org.personId)
    for (let i = 0; i < 3; i++) assert.equal((await browser.get('/account/two-step/set-up')).statusCode, 200)
    assert.deepEqual(await accountOf(db, org.personId), before)
  })

  test('replacing the authenticator needs the password and a code from the current one; it is audited and emailed', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const org = await insertOrganisation(db)
    const { browser, secret } = await signedInWithTwoStep(app, db, org.personId)

    // Without a CSRF token: refused, nothing changes.
    const forged = await browser.post('/account/two-step/new-authenticator', {}, { csrf: null })
    assert.equal(forged.statusCode, 403)
    assert.equal((await accountOf(db, org.personId)).totp_secret, secret)

    const started = await browser.post('/account/two-step/new-authenticator', {}, { formPage: '/account' })
    assert.equal(started.statusCode, 302)
    assert.equal(started.headers.location, '/account/two-step/set-up')
    const page = await browser.get('/account/two-step/set-up')
    assert.equal(page.statusCode, 200)
    const newSecret = textOf(page.body, '#totp-secret').replace(/\s/g, '')
    assert.notEqual(newSecret, secret)
    assert.equal((await accountOf(db, org.personId)).totp_secret, secret, 'the enrolled secret is untouched so far')

    const now = new Date()
    const missing = await browser.post('/account/two-step/set-up', { code: totpCode(newSecret, now) })
    assert.equal(missing.statusCode, 400)
    assert.match(textOf(missing.body, '#password-error'), /Enter your password/)
    assert.match(textOf(missing.body, '#currentCode-error'), /Enter the code/)

    const wrongPassword = await browser.post('/account/two-step/set-up', {
      password: 'not my password at all',
      currentCode: totpCode(secret, now),
      code: totpCode(newSecret, now),
    })
    assert.equal(wrongPassword.statusCode, 400)
    assert.match(textOf(wrongPassword.body, '#password-error'), /not correct/)
    assert.equal((await accountOf(db, org.personId)).totp_secret, secret)

    const replaced = await browser.post('/account/two-step/set-up', {
      password: ADMIN_PASSWORD,
      currentCode: totpCode(secret, now),
      code: totpCode(newSecret, now),
    })
    assert.equal(replaced.statusCode, 200)
    const account = await accountOf(db, org.personId)
    assert.equal(account.totp_secret, newSecret)
    assert.ok(account.totp_enabled_at)
    const actions = (await auditActions(db)).map((a) => a.action)
    assert.ok(actions.includes('auth.two-step-replaced'))
    const mail = await mailTo(db, ADMIN_EMAIL)
    assert.ok(mail.some((m) => /two-step verification/i.test(m.subject)))
  })

  test('a recovery code may stand in for the current authenticator when replacing it', async (t) => {
    const { app, database } = await buildTestApp(t)
    const db = database.db
    const org = await insertOrganisation(db)
    const { browser } = await signedInWithTwoStep(app, db, org.personId)
    await db
      .insertInto('recovery_code')
      .values({ person_id: org.personId, code_hash: hashToken('abcd-efgh-jkmn') })
      .execute()
    await browser.post('/account/two-step/new-authenticator', {}, { formPage: '/account' })
    const page = await browser.get('/account/two-step/set-up')
    const newSecret = textOf(page.body, '#totp-secret').replace(/\s/g, '')
    const replaced = await browser.post('/account/two-step/set-up', {
      password: ADMIN_PASSWORD,
      currentCode: 'ABCD-EFGH-JKMN',
      code: totpCode(newSecret, new Date()),
    })
    assert.equal(replaced.statusCode, 200)
    assert.equal((await accountOf(db, org.personId)).totp_secret, newSecret)
    const audit = (await auditActions(db)).find((a) => a.action === 'auth.two-step-replaced')
    assert.match(JSON.stringify(audit?.detail), /recovery-code/)
  })
})

describe('issue 12: the outbox never shows a live link', () => {
  test('an invitation in the outbox shows who it went to, but not its link', async (t) => {
    const s = await staffTestApp(t)
    const db = s.database.db
    const person = await db
      .insertInto('person')
      .values({
        organisation_id: s.org.organisationId,
        school_id: s.org.schoolId,
        name: 'Dana Lead',
        email: 'dana@oakfield.example',
        roles: ['class-teacher'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { token } = await invitePerson(db, { personId: person.id, invitedBy: s.org.personId, baseUrl: BASE_URL })
    const list = await s.admin.get('/admin/outbox')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /dana@oakfield\.example/)
    const [message] = await mailTo(db, 'dana@oakfield.example')
    const opened = await s.admin.get(`/admin/outbox/${message!.id}`)
    assert.equal(opened.statusCode, 200)
    assert.doesNotMatch(opened.body, new RegExp(token))
    assert.doesNotMatch(opened.body, /\/invitation\/[A-Za-z0-9_-]{8,}/)
    assert.match(textOf(opened.body, '.haven-mail-body'), /link removed/)
  })

  test('a password reset in the outbox does not show its link either', async (t) => {
    const s = await staffTestApp(t)
    const db = s.database.db
    await insertPersonWithAccount(db, s.org)
    await requestPasswordReset(db, { email: TEACHER, ip: '203.0.113.9', baseUrl: BASE_URL })
    const [message] = await mailTo(db, TEACHER)
    const token = /password-reset\/([A-Za-z0-9_-]+)/.exec(message!.text_body)![1]!
    const opened = await s.admin.get(`/admin/outbox/${message!.id}`)
    assert.equal(opened.statusCode, 200)
    assert.doesNotMatch(opened.body, new RegExp(token))
  })
})

describe('issue 12: changing someone’s email address', () => {
  test('once it takes effect: tells the old address, signs them out everywhere and cancels their links', async (t) => {
    const s = await staffTestApp(t)
    const db = s.database.db
    const teacher = await insertPersonWithAccount(db, s.org)
    const browser = await signIn(s.app, TEACHER)
    await requestPasswordReset(db, { email: TEACHER, ip: '203.0.113.9', baseUrl: BASE_URL })
    assert.equal((await liveTokens(db, teacher)).length, 1)
    const result = await editPerson(db, s.org, teacher, { email: 'amira.khan+mine@oakfield.example' })
    assert.equal(result.ok, true)
    // The change takes effect once confirmed (here by the person, from the old address).
    const link = (await mailTo(db, TEACHER)).find((m) => /\/email-change\//.test(m.text_body))!
    const path = /(\/email-change\/[A-Za-z0-9_-]+)/.exec(link.text_body)![1]!
    assert.equal((await client(s.app).post(path, { decision: 'confirm' })).statusCode, 200)
    assert.equal((await openSessions(db, teacher)).length, 0, 'every session ended')
    assert.equal((await browser.get('/account')).statusCode, 302, 'signed out')
    assert.equal((await liveTokens(db, teacher)).length, 0, 'the reset link no longer works')
    const old = await mailTo(db, TEACHER)
    assert.ok(
      old.some((m) => /email address/i.test(m.subject)),
      'the old address is told',
    )
  })
})

describe('issue 12: a leaver loses access at once', () => {
  async function leaverSetup(t: Parameters<typeof staffTestApp>[0]) {
    const s = await staffTestApp(t)
    const db = s.database.db
    const teacher = await insertPersonWithAccount(db, s.org)
    const browser = await signIn(s.app, TEACHER)
    await createFeed(db, { personId: teacher, organisationId: s.org.organisationId, schoolId: s.org.schoolId })
    return { s, db, teacher, browser }
  }

  test('ending employment today signs them out everywhere, turns off their calendar feed and cancels their links', async (t) => {
    const { s, db, teacher, browser } = await leaverSetup(t)
    const feed = await createFeed(db, {
      personId: teacher,
      organisationId: s.org.organisationId,
      schoolId: s.org.schoolId,
    })
    await requestPasswordReset(db, { email: TEACHER, ip: '203.0.113.9', baseUrl: BASE_URL })
    const reset = /password-reset\/([A-Za-z0-9_-]+)/.exec((await mailTo(db, TEACHER)).at(-1)!.text_body)![1]!
    const today = testToday
    const row = await db.selectFrom('person').selectAll().where('id', '=', teacher).executeTakeFirstOrThrow()
    const ended = await endEmployment(db, {
      organisationId: s.org.organisationId,
      personId: teacher,
      version: row.version,
      endDate: today,
      fromPersonId: teacher,
      toPersonId: null,
      note: '',
      actorId: s.org.personId,
      today,
    })
    assert.equal(ended.ok, true)
    assert.equal((await openSessions(db, teacher)).length, 0)
    assert.equal((await browser.get('/account')).statusCode, 302)
    assert.equal(await feedCalendar(db, feed.token, { baseUrl: BASE_URL }), null, 'the feed address stops working')
    assert.equal((await liveTokens(db, teacher)).length, 0)
    assert.deepEqual(await checkToken(db, 'password-reset', reset), { ok: false, reason: 'used' })
  })

  test('a leaver gets no password reset or invitation email, and an old link of theirs is refused', async (t) => {
    const { db, teacher } = await leaverSetup(t)
    const before = (await mailTo(db, TEACHER)).length
    // A link issued before the end date was recorded directly in the database (as an import might).
    const { token } = await invitePerson(db, { personId: teacher, invitedBy: teacher, baseUrl: BASE_URL })
    await db.updateTable('person').set({ end_date: '2026-01-31' }).where('id', '=', teacher).execute()
    assert.equal((await checkToken(db, 'invitation', token)).ok, false, 'checkToken refuses a leaver')
    const afterInvite = (await mailTo(db, TEACHER)).length
    await requestPasswordReset(db, { email: TEACHER, ip: '203.0.113.9', baseUrl: BASE_URL })
    assert.equal((await mailTo(db, TEACHER)).length, afterInvite, 'no reset email for a leaver')
    await assert.rejects(
      invitePerson(db, { personId: teacher, invitedBy: teacher, baseUrl: BASE_URL }),
      /left/,
      'no invitation for a leaver',
    )
    assert.equal((await mailTo(db, TEACHER)).length, afterInvite)
    assert.ok(afterInvite > before)
  })

  test('a staff import that gives someone an end date in the past signs them out and turns off their feed', async (t) => {
    const { s, db, teacher, browser } = await leaverSetup(t)
    const up = await postFile(s.app, s.admin, '/staff/import', {
      filename: 'staff.csv',
      content: 'Full name,Email,Roles,End date\nBen Carter,ben.carter@oakfield.example,class-teacher,2026-01-31\n',
    })
    assert.equal(up.statusCode, 303, up.body.slice(0, 500))
    const preview = await s.admin.get(up.headers.location as string)
    const digest = /name="digest" value="([^"]+)"/.exec(preview.body)![1]!
    assert.equal((await s.admin.post(up.headers.location as string, { digest })).statusCode, 303)
    assert.equal((await openSessions(db, teacher)).length, 0)
    assert.equal((await browser.get('/account')).statusCode, 302)
    const feeds = await db
      .selectFrom('calendar_feed')
      .select('id')
      .where('person_id', '=', teacher)
      .where('revoked_at', 'is', null)
      .execute()
    assert.equal(feeds.length, 0)
  })

  test('loadSession refuses the session of someone whose employment has ended, however it was recorded', async (t) => {
    const { db, teacher, browser } = await leaverSetup(t)
    await db.updateTable('person').set({ end_date: '2026-01-31' }).where('id', '=', teacher).execute()
    const [session] = await db.selectFrom('user_session').select('id_hash').where('person_id', '=', teacher).execute()
    assert.ok(session)
    assert.equal((await browser.get('/account')).statusCode, 302)
  })

  test('an edit that sets an end date in the past signs them out as well', async (t) => {
    const { s, db, teacher, browser } = await leaverSetup(t)
    const result = await editPerson(db, s.org, teacher, { endDate: '2026-01-31' })
    assert.equal(result.ok, true)
    assert.equal((await openSessions(db, teacher)).length, 0)
    assert.equal((await browser.get('/account')).statusCode, 302)
  })
})

describe('issue 12: sessions and password resets', () => {
  test('with a one-minute idle limit, someone active every 50 seconds stays signed in', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    const org = await insertOrganisation(db)
    const settings = { idleMinutes: 1, absoluteHours: 12 }
    const start = new Date('2026-11-02T09:00:00Z')
    const { token } = await createSession(db, {
      personId: org.personId,
      secondStepDone: true,
      userAgent: 'test',
      now: start,
      settings,
    })
    for (let i = 1; i <= 10; i++) {
      const at = new Date(start.getTime() + i * 50_000)
      assert.ok(await loadSession(db, token, at, settings), `signed in after ${i * 50} seconds`)
    }
    // Idle for more than a minute: signed out.
    assert.equal(await loadSession(db, token, new Date(start.getTime() + 10 * 50_000 + 61_000), settings), null)
  })

  test('a password reset does the same database work for a known and an unknown address', async (t) => {
    const { database } = await buildTestApp(t)
    const db = database.db
    const org = await insertOrganisation(db)
    await insertPersonWithAccount(db, org)
    await relaxTwoStep(db, org.organisationId, org.personId)
    const statements = async (email: string) => {
      const seen: string[] = []
      const counter: KyselyPlugin = {
        transformQuery(args: PluginTransformQueryArgs) {
          const node = args.node as { kind: string; table?: unknown; into?: unknown; from?: unknown }
          const target = JSON.stringify(node.into ?? node.table ?? node.from ?? null).replace(/"schema":[^,}]*,?/g, '')
          seen.push(`${node.kind} ${/"name":"([a-z_]+)"/.exec(target)?.[1] ?? ''}`)
          return args.node
        },
        async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<Record<string, unknown>>> {
          return args.result
        },
      }
      await requestPasswordReset(db.withPlugin(counter), { email, ip: `198.51.100.${seen.length}`, baseUrl: BASE_URL })
      return seen
    }
    const known = await statements(TEACHER)
    const unknown = await statements('nobody@oakfield.example')
    assert.ok(known.length > 3)
    assert.deepEqual(unknown, known)
    assert.equal((await mailTo(db, TEACHER)).length, 1, 'the known address still gets its email')
    assert.equal((await mailTo(db, 'nobody@oakfield.example')).length, 0)
  })
})

describe('issue 12: roles that read supervision records', () => {
  async function schoolWithDsl(t: Parameters<typeof staffTestApp>[0]) {
    const s = await staffTestApp(t)
    const db = s.database.db
    const dsl = await personSignedIn(s, { name: 'Priya Shah', email: 'priya.shah@oakfield.example', roles: ['dsl'] })
    const template = await db.selectFrom('person').selectAll().where('id', '=', dsl.id).executeTakeFirstOrThrow()
    return { s, db, dsl, template }
  }

  async function rolesOf(db: Db, email: string) {
    return (await db.selectFrom('person').select('roles').where('email', '=', email).executeTakeFirstOrThrow()).roles
  }

  test('an administrator adding a DSL: it waits for the school’s DSL, who is emailed; approved, it applies; all audited', async (t) => {
    const { s, db, dsl, template } = await schoolWithDsl(t)
    const created = await createPerson(db, {
      scope: { organisationId: s.org.organisationId, schoolId: s.org.schoolId },
      fields: { ...fieldsOf(template), name: 'Eve Friend', email: 'eve@oakfield.example', roles: ['dsl'] },
      externalOrganisation: null,
      actor: { personId: s.org.personId, roles: ['administrator'] },
      today: '2026-11-02',
    })
    assert.equal(created.ok, true)
    assert.deepEqual(await rolesOf(db, 'eve@oakfield.example'), [], 'not a DSL until approved')
    const requested = (await auditActions(db)).filter((a) => a.action === 'staff.record-access-role-requested')
    assert.equal(requested.length, 1)
    assert.match(JSON.stringify(requested[0]!.detail), /"role":"dsl"/)
    const toDsl = await mailTo(db, 'priya.shah@oakfield.example')
    assert.equal(toDsl.length, 1)
    assert.match(toDsl[0]!.text_body, /Eve Friend/)

    // The administrator cannot approve it; the DSL sees it on the staff list and approves it.
    assert.equal((await s.admin.get('/staff/role-grants')).statusCode, 403)
    const list = await dsl.browser.get('/staff')
    assert.match(textOf(list.body, '.govuk-notification-banner'), /1 role is waiting for your approval/)
    const page = await dsl.browser.get('/staff/role-grants')
    assert.equal(page.statusCode, 200)
    const action = /action="(\/staff\/role-grants\/[0-9a-f-]+\/approve)"/.exec(page.body)![1]!
    const approved = await dsl.browser.post(action, {}, { formPage: '/staff/role-grants' })
    assert.equal(approved.statusCode, 302)
    assert.deepEqual(await rolesOf(db, 'eve@oakfield.example'), ['dsl'])
    const granted = (await auditActions(db)).filter((a) => a.action === 'staff.record-access-role-granted')
    assert.equal(granted.length, 1)
    assert.equal((await dsl.browser.post(action, {}, { formPage: '/staff/role-grants' })).statusCode, 404)
    for (const bad of ['not-an-id', '00000000-0000-4000-8000-000000000000'])
      assert.equal(
        (await dsl.browser.post(`/staff/role-grants/${bad}/approve`, {}, { formPage: '/staff/role-grants' }))
          .statusCode,
        404,
      )
  })

  test('an administrator giving someone the deputy DSL role by editing them: it waits, and can be refused', async (t) => {
    const { s, db, dsl } = await schoolWithDsl(t)
    const teacher = await insertPersonWithAccount(db, s.org)
    const result = await editPerson(db, s.org, teacher, { roles: ['class-teacher', 'deputy-dsl'] })
    assert.equal(result.ok, true)
    assert.deepEqual(await rolesOf(db, TEACHER), ['class-teacher'])
    const personPage = await s.admin.get(`/staff/${teacher}`)
    assert.match(personPage.body, /Waiting for approval/)
    const page = await dsl.browser.get('/staff/role-grants')
    const action = /action="(\/staff\/role-grants\/[0-9a-f-]+\/refuse)"/.exec(page.body)![1]!
    await dsl.browser.post(action, {}, { formPage: '/staff/role-grants' })
    assert.deepEqual(await rolesOf(db, TEACHER), ['class-teacher'])
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.record-access-role-refused'))
  })

  test('a DSL giving the role applies it at once, audited, and the school’s other DSLs are told', async (t) => {
    const { s, db, dsl, template } = await schoolWithDsl(t)
    await insertPersonWithAccount(db, s.org, { name: 'Omar Deputy', email: 'omar@oakfield.example', roles: ['dsl'] })
    const created = await createPerson(db, {
      scope: { organisationId: s.org.organisationId, schoolId: s.org.schoolId },
      fields: { ...fieldsOf(template), name: 'Nia Lead', email: 'nia@oakfield.example', roles: ['deputy-dsl'] },
      externalOrganisation: null,
      actor: { personId: dsl.id, roles: ['dsl'] },
      today: '2026-11-02',
    })
    assert.equal(created.ok, true)
    assert.deepEqual(await rolesOf(db, 'nia@oakfield.example'), ['deputy-dsl'])
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.record-access-role-granted'))
    assert.equal((await mailTo(db, 'omar@oakfield.example')).length, 1)
    assert.equal((await mailTo(db, 'priya.shah@oakfield.example')).length, 0, 'not the DSL who gave it')
  })

  test('a staff import that makes someone a DSL follows the same rule', async (t) => {
    const { s, db } = await schoolWithDsl(t)
    const up = await postFile(s.app, s.admin, '/staff/import', {
      filename: 'staff.csv',
      content: 'Full name,Email,Roles\nEve Friend,eve@oakfield.example,dsl\n',
    })
    assert.equal(up.statusCode, 303)
    const preview = await s.admin.get(up.headers.location as string)
    const digest = /name="digest" value="([^"]+)"/.exec(preview.body)![1]!
    const done = await s.admin.post(up.headers.location as string, { digest })
    assert.equal(done.statusCode, 303)
    assert.deepEqual(await rolesOf(db, 'eve@oakfield.example'), [])
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.record-access-role-requested'))
    assert.equal((await mailTo(db, 'priya.shah@oakfield.example')).length, 1)
  })

  test('importing the same file again asks nothing twice: the role still waits, nothing changes, the DSL is not emailed again', async (t) => {
    const { s, db } = await schoolWithDsl(t)
    const content = 'Full name,Email,Roles\nEve Friend,eve@oakfield.example,dsl\n'
    const preview = async () => {
      const up = await postFile(s.app, s.admin, '/staff/import', { filename: 'staff.csv', content })
      assert.equal(up.statusCode, 303)
      return { url: up.headers.location as string, page: await s.admin.get(up.headers.location as string) }
    }
    const first = await preview()
    const digest = /name="digest" value="([^"]+)"/.exec(first.page.body)![1]!
    assert.equal((await s.admin.post(first.url, { digest })).statusCode, 303)
    const again = await preview()
    assert.match(
      again.page.body,
      /There is nothing to import: everyone in the file is already in Haven as the file says/,
    )
    assert.doesNotMatch(again.page.body, /name="digest"/)
    assert.deepEqual(await rolesOf(db, 'eve@oakfield.example'), [])
    const requested = (await auditActions(db)).filter((a) => a.action === 'staff.record-access-role-requested')
    assert.equal(requested.length, 1)
    assert.equal((await mailTo(db, 'priya.shah@oakfield.example')).length, 1)
  })

  test('in a school with no DSL yet, an administrator’s grant applies, audited', async (t) => {
    const s = await staffTestApp(t)
    const db = s.database.db
    const template = await db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', s.org.personId)
      .executeTakeFirstOrThrow()
    await createPerson(db, {
      scope: { organisationId: s.org.organisationId, schoolId: s.org.schoolId },
      fields: { ...fieldsOf(template), name: 'First Lead', email: 'first@oakfield.example', roles: ['dsl'] },
      externalOrganisation: null,
      actor: { personId: s.org.personId, roles: ['administrator'] },
      today: '2026-11-02',
    })
    assert.deepEqual(await rolesOf(db, 'first@oakfield.example'), ['dsl'])
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.record-access-role-granted'))
  })
})

describe('issue 12: an email change for an account holder waits for them or a DSL (no takeover by reset link)', () => {
  const MINE = 'amira.khan+ben@oakfield.example'

  async function schoolWithDsl(t: Parameters<typeof staffTestApp>[0]) {
    const s = await staffTestApp(t)
    const db = s.database.db
    const dsl = await personSignedIn(s, { name: 'Priya Shah', email: 'priya.shah@oakfield.example', roles: ['dsl'] })
    const teacher = await insertPersonWithAccount(db, s.org)
    return { s, db, dsl, teacher }
  }

  async function emailOf(db: Db, personId: string) {
    return (await db.selectFrom('person').select('email').where('id', '=', personId).executeTakeFirstOrThrow()).email
  }

  /** The confirmation link sent to the old address, as a path. */
  async function confirmationPath(db: Db, to: string) {
    const mail = (await mailTo(db, to)).filter((m) => /\/email-change\//.test(m.text_body))
    assert.equal(mail.length, 1, 'one confirmation email to the old address')
    return /(\/email-change\/[A-Za-z0-9_-]+)/.exec(mail[0]!.text_body)![1]!
  }

  test('an administrator changing a supervisee’s email to their own and asking for a reset receives no link; the old address still signs in', async (t) => {
    const { s, db, teacher } = await schoolWithDsl(t)
    const result = await editPerson(db, s.org, teacher, { email: MINE })
    assert.equal(result.ok, true)
    await requestPasswordReset(db, { email: MINE, ip: '203.0.113.9', baseUrl: BASE_URL })
    const toMe = await mailTo(db, MINE)
    assert.equal(
      toMe.filter((m) => /password-reset\/|invitation\/|email-change\//.test(m.text_body)).length,
      0,
      'no single-use link is addressed to the administrator',
    )
    assert.equal(await emailOf(db, teacher), TEACHER, 'the old address stays in force')
    const browser = await signIn(s.app, TEACHER)
    assert.equal((await browser.get('/account')).statusCode, 200, 'the supervisee still signs in with the old address')
    await requestPasswordReset(db, { email: TEACHER, ip: '203.0.113.10', baseUrl: BASE_URL })
    assert.ok(
      (await mailTo(db, TEACHER)).some((m) => /password-reset\//.test(m.text_body)),
      'a reset goes to the old address',
    )
    const page = await s.admin.get(`/staff/${teacher}`)
    assert.match(textOf(page.body, 'main'), /New email address waiting for approval/)
    const actions = (await auditActions(db)).map((a) => a.action)
    assert.ok(actions.includes('staff.email-change-requested'))
    assert.ok(!actions.includes('auth.access-revoked'), 'nothing is revoked until the change takes effect')
  })

  test('a DSL of the school approves it: the new address takes effect, the person is signed out and the old address told', async (t) => {
    const { s, db, dsl, teacher } = await schoolWithDsl(t)
    const browser = await signIn(s.app, TEACHER)
    assert.equal((await editPerson(db, s.org, teacher, { email: MINE })).ok, true)
    const toDsl = (await mailTo(db, 'priya.shah@oakfield.example')).filter((m) => /email address/i.test(m.subject))
    assert.equal(toDsl.length, 1, 'the DSL is asked')
    assert.match(toDsl[0]!.text_body, /Ben Carter/)
    assert.equal((await s.admin.get('/staff/role-grants')).statusCode, 403, 'an administrator cannot decide it')
    const list = await dsl.browser.get('/staff')
    assert.match(textOf(list.body, '.govuk-notification-banner'), /email address/i)
    const page = await dsl.browser.get('/staff/role-grants')
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body, 'main'), /amira\.khan\+ben@oakfield\.example/)
    const action = /action="(\/staff\/role-grants\/[0-9a-f-]+\/approve)"/.exec(page.body)![1]!
    const approved = await dsl.browser.post(action, {}, { formPage: '/staff/role-grants' })
    assert.equal(approved.statusCode, 302)
    assert.equal(await emailOf(db, teacher), MINE)
    assert.equal((await openSessions(db, teacher)).length, 0, 'signed out everywhere')
    assert.equal((await browser.get('/account')).statusCode, 302)
    assert.ok(
      (await mailTo(db, TEACHER)).some((m) => /has changed/i.test(m.subject)),
      'the old address is told',
    )
    const actions = (await auditActions(db)).map((a) => a.action)
    assert.ok(actions.includes('staff.email-change-requested'))
    assert.ok(actions.includes('staff.email-change-approved'))
    assert.ok(actions.includes('auth.access-revoked'))
    assert.equal((await dsl.browser.post(action, {}, { formPage: '/staff/role-grants' })).statusCode, 404)
    // The confirmation link to the old address no longer works once decided.
    const path = await confirmationPath(db, TEACHER)
    assert.equal((await client(s.app).get(path)).statusCode, 410)
  })

  test('a DSL refuses it: nothing changes, audited', async (t) => {
    const { s, db, dsl, teacher } = await schoolWithDsl(t)
    assert.equal((await editPerson(db, s.org, teacher, { email: MINE })).ok, true)
    const page = await dsl.browser.get('/staff/role-grants')
    const action = /action="(\/staff\/role-grants\/[0-9a-f-]+\/refuse)"/.exec(page.body)![1]!
    assert.equal((await dsl.browser.post(action, {}, { formPage: '/staff/role-grants' })).statusCode, 302)
    assert.equal(await emailOf(db, teacher), TEACHER)
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.email-change-refused'))
    assert.doesNotMatch(textOf((await s.admin.get(`/staff/${teacher}`)).body, 'main'), /waiting for approval/)
  })

  test('the person confirms it from their old address; the link is not shown in the outbox', async (t) => {
    const { s, db, teacher } = await schoolWithDsl(t)
    assert.equal((await editPerson(db, s.org, teacher, { email: MINE })).ok, true)
    const path = await confirmationPath(db, TEACHER)
    const [message] = (await mailTo(db, TEACHER)).filter((m) => /\/email-change\//.test(m.text_body))
    const opened = await s.admin.get(`/admin/outbox/${message!.id}`)
    assert.equal(opened.statusCode, 200)
    assert.doesNotMatch(opened.body, new RegExp(path.split('/').at(-1)!))
    const anyone = client(s.app)
    const page = await anyone.get(path)
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body, 'main'), /amira\.khan\+ben@oakfield\.example/)
    const done = await anyone.post(path, { decision: 'confirm' })
    assert.equal(done.statusCode, 200)
    assert.equal(await emailOf(db, teacher), MINE)
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.email-change-approved'))
    assert.equal((await anyone.get(path)).statusCode, 410, 'single use')
  })

  test('the person can say no from their old address', async (t) => {
    const { s, db, teacher } = await schoolWithDsl(t)
    assert.equal((await editPerson(db, s.org, teacher, { email: MINE })).ok, true)
    const path = await confirmationPath(db, TEACHER)
    const anyone = client(s.app)
    assert.equal((await anyone.post(path, { decision: 'refuse' })).statusCode, 200)
    assert.equal(await emailOf(db, teacher), TEACHER)
    assert.ok((await auditActions(db)).some((a) => a.action === 'staff.email-change-refused'))
    assert.equal((await anyone.get(path)).statusCode, 410)
    assert.equal((await anyone.get('/email-change/not-a-real-token')).statusCode, 404)
  })

  test('with no other DSL in the school, only the old address can confirm it', async (t) => {
    // The administrator is the school’s only DSL: they asked for the change, so they cannot approve it.
    const s = await staffTestApp(t, { alsoDsl: true })
    const db = s.database.db
    const teacher = await insertPersonWithAccount(db, s.org)
    assert.equal((await editPerson(db, s.org, teacher, { email: MINE })).ok, true)
    assert.equal(await emailOf(db, teacher), TEACHER)
    const page = await s.admin.get('/staff/role-grants')
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /\/approve"/, 'the requester is offered no approval')
    const [change] = await db.selectFrom('access_change').select('id').where('kind', '=', 'email').execute()
    const forced = await s.admin.post(
      `/staff/role-grants/${change!.id}/approve`,
      {},
      { formPage: '/staff/role-grants' },
    )
    assert.equal(forced.statusCode, 302)
    assert.equal(await emailOf(db, teacher), TEACHER, 'the requester cannot approve their own request')
    const path = await confirmationPath(db, TEACHER)
    assert.equal((await client(s.app).post(path, { decision: 'confirm' })).statusCode, 200)
    assert.equal(await emailOf(db, teacher), MINE)
  })

  test('a staff import cannot move an account holder to another address', async (t) => {
    const { s, db, teacher } = await schoolWithDsl(t)
    const up = await postFile(s.app, s.admin, '/staff/import', {
      filename: 'staff.csv',
      content: `Full name,Email,Roles\nBen Carter,${MINE},class-teacher\n`,
    })
    assert.equal(up.statusCode, 303)
    const preview = await s.admin.get(up.headers.location as string)
    const digest = /name="digest" value="([^"]+)"/.exec(preview.body)![1]!
    assert.equal((await s.admin.post(up.headers.location as string, { digest })).statusCode, 303)
    assert.equal(await emailOf(db, teacher), TEACHER, 'the account holder keeps their address')
    await requestPasswordReset(db, { email: MINE, ip: '203.0.113.9', baseUrl: BASE_URL })
    assert.equal(
      (await mailTo(db, MINE)).filter((m) => /password-reset\//.test(m.text_body)).length,
      0,
      'the new row has no account to reset',
    )
  })

  test('someone who takes part in supervision but never signed in: the change waits too', async (t) => {
    const { s, db } = await schoolWithDsl(t)
    const { id } = await db
      .insertInto('person')
      .values({
        organisation_id: s.org.organisationId,
        school_id: s.org.schoolId,
        name: 'Cara Quiet',
        email: 'cara@oakfield.example',
        roles: ['class-teacher'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const session = await db
      .insertInto('supervision_session')
      .values({ school_id: s.org.schoolId, type_id: 'one-to-one', date: '2026-10-01', status: 'held' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('session_participant')
      .values({ session_id: session.id, person_id: id, role: 'supervisee', attended: true })
      .execute()
    assert.equal((await editPerson(db, s.org, id, { email: MINE })).ok, true)
    assert.equal(await emailOf(db, id), 'cara@oakfield.example')
  })

  test('someone with no account yet is corrected at once, and an outstanding invitation goes to the new address', async (t) => {
    const s = await staffTestApp(t)
    const db = s.database.db
    const { id } = await db
      .insertInto('person')
      .values({
        organisation_id: s.org.organisationId,
        school_id: s.org.schoolId,
        name: 'Dana New',
        email: 'dana@oakfeild.example',
        roles: ['class-teacher'],
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { token } = await invitePerson(db, { personId: id, invitedBy: s.org.personId, baseUrl: BASE_URL })
    assert.equal((await editPerson(db, s.org, id, { email: 'dana@oakfield.example' })).ok, true)
    assert.equal(await emailOf(db, id), 'dana@oakfield.example')
    assert.deepEqual(await checkToken(db, 'invitation', token), { ok: false, reason: 'used' })
    const resent = (await mailTo(db, 'dana@oakfield.example')).filter((m) => /invitation\//.test(m.text_body))
    assert.equal(resent.length, 1, 'the invitation is sent again to the corrected address')
    assert.equal((await liveTokens(db, id)).length, 1)
  })
})

// Keeps the Client type in use for helpers above.
export type { Client }
