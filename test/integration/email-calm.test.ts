/**
 * Calmer email (issue 18 item 5), with a set clock: people never invited are not emailed, a person
 * who chose one email a day gets their non-urgent mail in one digest at 07:00 while urgent mail goes
 * at once, the choice is made on the account page, and every message has a plain-text part with a
 * link to the page it is about.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { emailDigestJob } from '../../src/jobs/email-digest.ts'
import { invitePerson, requestPasswordReset } from '../../src/services/auth/accounts.ts'
import { tellOldAddress } from '../../src/services/auth/email-changes.ts'
import {
  emailContractReturned,
  emailContractsToSign,
  emailContractToSign,
  emailReviewDue,
  emailUnsignedSummary,
} from '../../src/services/contracts/emails.ts'
import { enqueueEmail } from '../../src/services/mail/outbox.ts'
import { chooseEmail } from '../../src/services/mail/preferences.ts'
import {
  bookedEmail,
  cancelledEmail,
  requestBookedEmail,
  requestDeclinedEmail,
  requestEmail,
  sendToEach,
} from '../../src/services/sessions/notify.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const BASE = 'https://haven.example'
/** Monday 2 November 2026, 15:00 in London (GMT). */
const monday = new Date('2026-11-02T15:00:00Z')

async function school(t: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp(t, {}, { clock: () => monday })
  const db = built.database.db
  const org = await insertOrganisation(db)
  const at = { organisationId: org.organisationId, schoolId: org.schoolId }
  const ben = await insertPersonWithAccount(db, at, { name: 'Ben Carter', email: 'ben.carter@oakfield.example' })
  const newcomer = await db
    .insertInto('person')
    .values({
      ...{ organisation_id: at.organisationId, school_id: at.schoolId },
      name: 'Nia Newcomer',
      email: 'nia.newcomer@oakfield.example',
      roles: ['class-teacher'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { ...built, db, org, ben, nia: newcomer.id }
}

function aContractEmail(to: string, organisationId: string, n = 1) {
  return {
    kind: 'contract.to-sign' as const,
    to,
    organisationId,
    subject: `A supervision contract is ready for you to sign (${String(n)})`,
    text: `A supervision contract has been issued to you.\n\n${BASE}/contracts/00000000-0000-4000-8000-00000000000${String(n)}`,
  }
}

test('issue 18: someone never invited is not emailed until they are; the invitation itself reaches them', async (t) => {
  const s = await school(t)
  const skipped = await enqueueEmail(s.db, aContractEmail('nia.newcomer@oakfield.example', s.org.organisationId))
  assert.equal(skipped.created, false)
  assert.equal(skipped.delivery, 'skip')
  const sent = await enqueueEmail(s.db, aContractEmail('ben.carter@oakfield.example', s.org.organisationId))
  assert.equal(sent.created, true)

  await invitePerson(s.db, { personId: s.nia, invitedBy: s.org.personId, baseUrl: BASE }, monday)
  const after = await enqueueEmail(s.db, aContractEmail('nia.newcomer@oakfield.example', s.org.organisationId, 2))
  assert.equal(after.created, true, 'once invited, they are emailed')

  const mail = await s.db
    .selectFrom('outbox_message')
    .select(['to_address', 'kind', 'status'])
    .orderBy('created_at')
    .execute()
  assert.deepEqual(
    mail.map((m) => [m.to_address, m.kind, m.status]),
    [
      ['ben.carter@oakfield.example', 'contract.to-sign', 'pending'],
      ['nia.newcomer@oakfield.example', 'account.invitation', 'pending'],
      ['nia.newcomer@oakfield.example', 'contract.to-sign', 'pending'],
    ],
  )
})

test('issue 18: a daily digest holds what is not urgent and sends it as one email at 07:00; urgent email goes at once', async (t) => {
  const s = await school(t)
  await chooseEmail(s.db, { personId: s.ben, organisationId: s.org.organisationId, choice: 'daily', ip: null })
  const ben = 'ben.carter@oakfield.example'
  const held1 = await enqueueEmail(s.db, aContractEmail(ben, s.org.organisationId, 1))
  const held2 = await enqueueEmail(s.db, {
    kind: 'session.booked',
    to: ben,
    organisationId: s.org.organisationId,
    subject: 'Supervision booked for Wednesday 4 November 2026',
    text: `Dear Ben,\n\nWhen: Wednesday 4 November 2026\n\nSee it in Haven: ${BASE}/sessions/00000000-0000-4000-8000-000000000009`,
  })
  const urgent = await enqueueEmail(s.db, {
    kind: 'account.two-step-moved',
    to: ben,
    organisationId: s.org.organisationId,
    subject: 'Haven: two-step verification moved to a new app',
    text: `If this was not you, reset your password:\n${BASE}/password-reset`,
  })
  assert.equal(held1.delivery, 'hold')
  assert.equal(held2.delivery, 'hold')
  assert.equal(urgent.delivery, 'now')
  // Written on Monday afternoon (the outbox stamps the database's time; the test sets it).
  await s.db
    .updateTable('outbox_message')
    .set({ created_at: monday })
    .where('id', 'in', [held1.id, held2.id, urgent.id])
    .execute()

  const job = emailDigestJob()
  // Tuesday 06:30: too early, nothing is folded.
  await job.run(s.db, new Date('2026-11-03T06:30:00Z'))
  let mail = await s.db.selectFrom('outbox_message').selectAll().orderBy('created_at').execute()
  assert.equal(mail.filter((m) => m.kind === 'digest.daily').length, 0)

  // Tuesday 07:15: one digest with both, which goes at once; the held ones are marked as gone in it.
  await job.run(s.db, new Date('2026-11-03T07:15:00Z'))
  mail = await s.db.selectFrom('outbox_message').selectAll().execute()
  const digests = mail.filter((m) => m.kind === 'digest.daily')
  assert.equal(digests.length, 1)
  const digest = digests[0]!
  assert.equal(digest.to_address, ben)
  assert.equal(digest.status, 'pending')
  assert.equal(digest.subject, 'Haven: your daily summary for 3 November 2026 (2 messages)')
  assert.match(digest.text_body, /\/contracts\/00000000-0000-4000-8000-000000000001/)
  assert.match(digest.text_body, /\/sessions\/00000000-0000-4000-8000-000000000009/)
  assert.deepEqual(
    mail.filter((m) => m.id === held1.id || m.id === held2.id).map((m) => m.status),
    ['digested', 'digested'],
  )
  assert.equal(mail.find((m) => m.id === urgent.id)?.status, 'pending', 'urgent mail was never held')

  // Something held after 07:00 waits for Wednesday's digest: one digest a day, however often the job runs.
  const late = await enqueueEmail(s.db, aContractEmail(ben, s.org.organisationId, 3))
  await s.db
    .updateTable('outbox_message')
    .set({ created_at: new Date('2026-11-03T09:00:00Z') })
    .where('id', '=', late.id)
    .execute()
  await job.run(s.db, new Date('2026-11-03T16:00:00Z'))
  assert.equal(
    (await s.db.selectFrom('outbox_message').select('id').where('kind', '=', 'digest.daily').execute()).length,
    1,
  )
  await job.run(s.db, new Date('2026-11-04T07:05:00Z'))
  const wednesday = await s.db
    .selectFrom('outbox_message')
    .select(['subject'])
    .where('kind', '=', 'digest.daily')
    .orderBy('subject')
    .execute()
  assert.equal(wednesday.length, 2)
  assert.match(wednesday[1]!.subject, /4 November 2026 \(1 message\)/)
})

test('issue 18: a person chooses one email a day on their account page, and can go back', async (t) => {
  const s = await school(t)
  const client = await signedInClient(s.app, s.db, s.ben)
  const page = await client.get('/account')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Emails from Haven/)
  assert.match(page.body, /value="each" checked/)

  const wrong = await client.post('/account/email', { emails: 'hourly' }, { formPage: '/account' })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /Select how you want to get emails from Haven/)

  const saved = await client.post('/account/email', { emails: 'daily' }, { formPage: '/account' })
  assert.equal(saved.statusCode, 303)
  const after = await client.get(saved.headers.location as string)
  assert.match(after.body, /Your choice of emails has been saved/)
  assert.match(after.body, /value="daily" checked/)
  const row = await s.db
    .selectFrom('account')
    .select('email_digest')
    .where('person_id', '=', s.ben)
    .executeTakeFirstOrThrow()
  assert.equal(row.email_digest, true)
  const audit = await s.db
    .selectFrom('audit_event')
    .select('action')
    .where('action', '=', 'account.email-choice')
    .execute()
  assert.equal(audit.length, 1)

  await client.post('/account/email', { emails: 'each' }, { formPage: '/account' })
  const back = await s.db
    .selectFrom('account')
    .select('email_digest')
    .where('person_id', '=', s.ben)
    .executeTakeFirstOrThrow()
  assert.equal(back.email_digest, false)
})

test('issue 18: every email a walk of the templates writes has a plain-text part and a link to the exact page', async (t) => {
  const s = await school(t)
  const org = s.org.organisationId
  const ben = { id: s.ben, name: 'Ben Carter', email: 'ben.carter@oakfield.example' }
  const contractId = '00000000-0000-4000-8000-0000000000c1'
  const common = { to: ben.email, organisationId: org, baseUrl: BASE }
  await emailContractToSign(s.db, { ...common, contractId, party: 'supervisee', reminder: false })
  await emailContractsToSign(s.db, {
    ...common,
    reminder: true,
    contracts: [
      { contractId, party: 'supervisee' },
      { contractId: '00000000-0000-4000-8000-0000000000c2', party: 'supervisor' },
    ],
  })
  await emailUnsignedSummary(s.db, { ...common, count: 2, schoolSlug: 'oakfield' })
  await emailContractReturned(s.db, { ...common, contractId })
  await emailReviewDue(s.db, { ...common, contractId, reviewOn: '2027-07-01' })
  const session = {
    id: '00000000-0000-4000-8000-0000000000d1',
    typeName: 'Supervision',
    date: '2026-11-04',
    startTime: '15:30',
    durationMinutes: 60,
    venue: 'Room 4',
    onlineLink: null,
  }
  for (const email of [
    bookedEmail(session, 'Amira Khan', BASE),
    cancelledEmail(
      session,
      'cancelled',
      { byName: 'Amira Khan', reasonName: 'Illness', deadline: null, newSession: null },
      BASE,
    ),
    requestEmail('Ben Carter', 'a case', ['2026-11-05'], '00000000-0000-4000-8000-0000000000e1', BASE),
    requestBookedEmail(session, 'Amira Khan', BASE),
    requestDeclinedEmail('Amira Khan', '00000000-0000-4000-8000-0000000000e1', BASE),
  ]) {
    await sendToEach(s.db, org, [ben], email)
  }
  await invitePerson(s.db, { personId: s.nia, invitedBy: s.org.personId, baseUrl: BASE }, monday)
  await requestPasswordReset(s.db, { email: ben.email, ip: '198.51.100.7', baseUrl: BASE }, monday)
  // The old address, when an account's address changed: their account page, and what to do if it was not them.
  await tellOldAddress(
    s.db,
    { id: ben.id, name: ben.name, organisationId: org },
    { oldEmail: 'ben.c@oakfield.example', newEmail: ben.email, baseUrl: BASE },
  )

  const mail = await s.db.selectFrom('outbox_message').select(['kind', 'subject', 'text_body', 'html_body']).execute()
  assert.equal(mail.length, 13)
  const changed = mail.find((m) => m.kind === 'account.email-changed')
  assert.ok(changed, 'the old address is told')
  assert.match(changed.text_body, /\nhttps:\/\/haven\.example\/account\n/)
  assert.match(
    changed.text_body,
    /If you did not, tell your school’s designated safeguarding lead or headteacher at once/,
  )
  for (const m of mail) {
    assert.ok(m.kind, `${m.subject}: names its kind`)
    assert.ok(m.text_body.trim().length > 0, `${m.subject}: has a plain-text part`)
    assert.match(
      m.text_body,
      /https:\/\/haven\.example\/(contracts|sessions|invitation|password-reset|new-password|reset|account)[/?\n]?\S*/,
      `${m.subject}: links to its page`,
    )
  }
})
