import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import { testConfig } from '../../src/config.ts'
import type { Db } from '../../src/db/database.ts'
import { backgroundJobs } from '../../src/jobs/index.ts'
import { createSession } from '../../src/services/auth/sessions.ts'
import { enqueueEmail } from '../../src/services/mail/outbox.ts'
import { backoffMinutes, createTransport, deliverPending, MAX_ATTEMPTS } from '../../src/services/mail/sender.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { freshDatabase } from '../helpers/database.ts'
import { engineIndependent } from '../helpers/engines.ts'
import { html, textOf } from '../helpers/html.ts'
import { header, startSmtpServer } from '../helpers/smtp.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const MINUTE = 60_000

async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const handle = await freshDatabase()
  t.after(() => handle.close())
  return handle.db
}

function anEmail(n = 1) {
  return {
    kind: 'session.booked' as const,
    to: `person.${n}@school.example`,
    subject: `Your supervision is booked (${n})`,
    text: `Hello,\n\nYour supervision session ${n} is booked.\nhttps://haven.example/sessions/${n}`,
  }
}

async function row(db: Db, id: string) {
  return db.selectFrom('outbox_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

function recordingLog() {
  const lines: string[] = []
  const write = (obj: object, msg: string) => lines.push(JSON.stringify({ ...obj, msg }))
  return { lines, log: { info: write, warn: write, error: write, debug: write } }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

test('an email enqueued in a transaction that rolls back never reaches the outbox', async (t) => {
  const db = await fresh(t)
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await enqueueEmail(trx, anEmail())
      throw new Error('the change failed')
    }),
    /the change failed/,
  )
  assert.equal((await db.selectFrom('outbox_message').select('id').execute()).length, 0)

  await db.transaction().execute((trx) => enqueueEmail(trx, anEmail()))
  assert.equal((await db.selectFrom('outbox_message').select('id').execute()).length, 1)
})

test('a dedupe key makes a second enqueue a no-op, so a reminder goes at most once', async (t) => {
  const db = await fresh(t)
  const first = await enqueueEmail(db, { ...anEmail(), dedupeKey: 'reminder:overdue:p1:2026-11-02' })
  const second = await enqueueEmail(db, { ...anEmail(2), dedupeKey: 'reminder:overdue:p1:2026-11-02' })
  assert.equal(first.created, true)
  assert.deepEqual(second, { id: first.id, created: false })
  const rows = await db.selectFrom('outbox_message').selectAll().execute()
  assert.equal(rows.length, 1)
  assert.equal(rows[0]!.subject, anEmail().subject)
  assert.equal(rows[0]!.status, 'pending')
  assert.match(rows[0]!.message_id, /^<[0-9a-f-]{36}@haven\.localhost>$/)
  // Without a key, every enqueue is a new email.
  await enqueueEmail(db, anEmail(3))
  await enqueueEmail(db, anEmail(3))
  assert.equal((await db.selectFrom('outbox_message').select('id').execute()).length, 3)
})

test('delivery to a real SMTP server: each email arrives once, even with two deliveries at the same time', async (t) => {
  const db = await fresh(t)
  const smtp = await startSmtpServer(t)
  const attachment = {
    filename: 'record.pdf',
    contentType: 'application/pdf',
    contentBase64: Buffer.from('%PDF-1.7 test').toString('base64'),
  }
  const a = await enqueueEmail(db, {
    ...anEmail(1),
    attachments: [attachment],
    messageIdDomain: 'haven.school.example',
  })
  const b = await enqueueEmail(db, { ...anEmail(2), html: '<p>Your supervision session 2 is booked.</p>' })
  const c = await enqueueEmail(db, anEmail(3))
  const transport = createTransport(smtp.url, { from: 'Haven <haven@school.example>' })
  const { lines, log } = recordingLog()
  // A second after the emails were queued: the database stamps each with its own clock, to the
  // microsecond, so a delivery in the same millisecond as the last one queued (a Date has only
  // milliseconds) found it not yet due, and claimed two of the three.
  const now = new Date(Date.now() + 1000)

  const results = await Promise.all([
    deliverPending(db, transport, { now, batchSize: 10, log }),
    deliverPending(db, transport, { now, batchSize: 10, log }),
  ])
  assert.equal(results[0].claimed + results[1].claimed, 3)
  assert.equal(results[0].sent + results[1].sent, 3)
  assert.equal(smtp.received.length, 3)
  assert.deepEqual(smtp.received.map((m) => m.to[0]).sort(), [anEmail(1).to, anEmail(2).to, anEmail(3).to])

  for (const id of [a.id, b.id, c.id]) {
    const r = await row(db, id)
    assert.equal(r.status, 'sent')
    assert.equal(r.attempts, 1)
    assert.equal(r.sent_at?.getTime(), now.getTime())
    const mail = smtp.received.find((m) => m.to[0] === r.to_address)!
    assert.equal(header(mail.raw, 'Message-ID'), r.message_id)
    assert.equal(mail.from, 'haven@school.example')
  }
  const withAttachment = smtp.received.find((m) => m.to[0] === anEmail(1).to)!
  assert.match(withAttachment.raw, /filename=record\.pdf/)
  assert.match(header(withAttachment.raw, 'Message-ID')!, /@haven\.school\.example>$/)

  // Nothing is sent twice on a later run.
  const later = await deliverPending(db, transport, { now: new Date(now.getTime() + 60 * MINUTE), log })
  assert.equal(later.claimed, 0)
  assert.equal(smtp.received.length, 3)
  // Logs name messages by id only: no addresses, subjects or content.
  assert.ok(lines.length >= 3)
  for (const line of lines) assert.doesNotMatch(line, /@|supervision|Hello/)
})

test('a server that refuses an email gets it again after a back-off, with the same Message-ID', async (t) => {
  const db = await fresh(t)
  const smtp = await startSmtpServer(t)
  smtp.refuse = (n) => n === 1
  const { id } = await enqueueEmail(db, anEmail())
  const transport = createTransport(smtp.url)
  const now = new Date(Date.now() + 1000)

  const first = await deliverPending(db, transport, { now })
  assert.deepEqual(first, { claimed: 1, sent: 0, failed: 0, retrying: 1 })
  let r = await row(db, id)
  assert.equal(r.status, 'pending')
  assert.equal(r.attempts, 1)
  assert.equal(r.next_attempt_at.getTime(), now.getTime() + MINUTE)
  assert.match(r.last_error ?? '', /^[A-Z]+ 451$/)
  assert.equal(smtp.received.length, 0)

  // Not due yet.
  assert.equal((await deliverPending(db, transport, { now: new Date(now.getTime() + 30_000) })).claimed, 0)
  const second = await deliverPending(db, transport, { now: new Date(now.getTime() + MINUTE) })
  assert.equal(second.sent, 1)
  r = await row(db, id)
  assert.equal(r.status, 'sent')
  assert.equal(r.attempts, 2)
  assert.equal(r.last_error, null)
  assert.equal(smtp.offered, 2)
  assert.equal(smtp.received.length, 1)
  assert.equal(header(smtp.received[0]!.raw, 'Message-ID'), r.message_id)
})

test('back-off doubles from 1 minute to a 1-hour cap, and after 8 attempts the email is marked failed', async (t) => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMinutes(n)),
    [1, 2, 4, 8, 16, 32, 60, 60],
  )
  const db = await fresh(t)
  const smtp = await startSmtpServer(t)
  smtp.refuse = () => true
  const { id } = await enqueueEmail(db, anEmail())
  const transport = createTransport(smtp.url)
  let now = new Date(Date.now() + 1000)
  const waits: number[] = []
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const result = await deliverPending(db, transport, { now })
    assert.equal(result.claimed, 1, `attempt ${attempt}`)
    const r = await row(db, id)
    assert.equal(r.attempts, attempt)
    if (attempt < MAX_ATTEMPTS) {
      assert.equal(r.status, 'pending')
      waits.push((r.next_attempt_at.getTime() - now.getTime()) / MINUTE)
      now = r.next_attempt_at
    } else {
      assert.equal(result.failed, 1)
      assert.equal(r.status, 'failed')
    }
  }
  assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 60])
  assert.equal((await deliverPending(db, transport, { now: new Date(now.getTime() + 24 * 60 * MINUTE) })).claimed, 0)
  assert.equal(smtp.received.length, 0)
})

test('an unreachable mail server stops the run: one attempt is counted, the other emails wait untouched', async (t) => {
  const db = await fresh(t)
  const transport = createTransport(`smtp://127.0.0.1:${await freePort()}`)
  const a = await enqueueEmail(db, anEmail(1))
  const b = await enqueueEmail(db, anEmail(2))
  const before = await row(db, b.id)
  const now = new Date(Date.now() + MINUTE)
  const { lines, log } = recordingLog()
  const result = await deliverPending(db, transport, { now, log })
  assert.equal(result.claimed, 2)
  assert.equal(result.retrying, 1)
  const [first, second] = [await row(db, a.id), await row(db, b.id)]
  const tried = first.attempts === 1 ? first : second
  const untouched = tried === first ? second : first
  assert.equal(tried.attempts, 1)
  assert.match(tried.last_error ?? '', /^E[A-Z]+$/)
  assert.equal(untouched.attempts, 0)
  assert.equal(untouched.next_attempt_at.getTime(), before.next_attempt_at.getTime())
  for (const line of lines) assert.doesNotMatch(line, /@|supervision/)
})

test('the outbox delivery job runs only when SMTP_URL is set', engineIndependent(), () => {
  const log = { info() {}, warn() {} }
  // The jobs are listed here, never run: none of them is given a database.
  const unused = null as unknown as Db
  // Other jobs (reminders) always run: their mail waits in the outbox without SMTP.
  const names = (config: ReturnType<typeof testConfig>) => backgroundJobs(config, log, unused).map((j) => j.name)
  assert.equal(names(testConfig()).includes('outbox-delivery'), false)
  assert.equal(names(testConfig({ smtpUrl: 'smtp://127.0.0.1:2525' })).includes('outbox-delivery'), true)
})

// The administrators' pages -------------------------------------------------------------------

async function signedInAdmin(t: Parameters<typeof buildTestApp>[0], overrides = {}) {
  const built = await buildTestApp(t, overrides)
  const db = built.database.db
  const org = await insertOrganisation(db)
  const { token } = await createSession(db, {
    personId: org.personId,
    secondStepDone: true,
    userAgent: 'test',
    now: new Date(),
    settings: { idleMinutes: 30, absoluteHours: 12 },
  })
  const get = (url: string, cookie = `haven_session=${token}`) =>
    built.app.inject({ method: 'GET', url, headers: { cookie }, remoteAddress: '198.51.100.7' })
  return { ...built, db, org, get }
}

test('administrators see the outbox newest first, 50 to a page, with status tags', async (t) => {
  const { db, org, get } = await signedInAdmin(t)
  const base = Date.parse('2026-11-02T09:00:00Z')
  for (let i = 1; i <= 51; i++) {
    const { id } = await enqueueEmail(db, { ...anEmail(i), organisationId: org.organisationId })
    await db
      .updateTable('outbox_message')
      .set({ created_at: new Date(base + i * MINUTE), ...(i === 51 ? { status: 'sent' as const } : {}) })
      .where('id', '=', id)
      .execute()
  }
  // Another organisation's email is not listed.
  const other = await db
    .insertInto('organisation')
    .values({ kind: 'single-school', name: 'Elsewhere' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await enqueueEmail(db, { ...anEmail(99), organisationId: other.id })

  const first = await get('/admin/outbox')
  assert.equal(first.statusCode, 200)
  assert.equal(textOf(first.body, 'h1'), 'Outbox')
  const rows = html(first.body).querySelectorAll('tbody tr')
  assert.equal(rows.length, 50)
  assert.match(rows[0]!.textContent, /\(51\)/)
  assert.match(rows[0]!.querySelector('.govuk-tag')!.textContent, /Sent/)
  assert.match(rows[1]!.querySelector('.govuk-tag')!.textContent, /Waiting/)
  assert.match(rows[49]!.textContent, /\(2\)/)
  assert.doesNotMatch(first.body, /person\.99@/)
  assert.match(textOf(first.body, '.govuk-inset-text'), /not set up to send emails/)
  assert.ok(html(first.body).querySelector('.govuk-pagination a[rel=next]'))

  const second = await get('/admin/outbox?page=2')
  assert.equal(second.statusCode, 200)
  assert.equal(html(second.body).querySelectorAll('tbody tr').length, 1)
  assert.match(textOf(second.body, 'tbody'), /\(1\)/)
  assert.equal((await get('/admin/outbox?page=3')).statusCode, 404)
  assert.equal((await get('/admin/outbox?page=abc')).statusCode, 404)
})

test('opening an email shows its headers and text without its single-use link, and is audited as outbox.read', async (t) => {
  const { db, org, get } = await signedInAdmin(t)
  const { id } = await enqueueEmail(db, {
    ...anEmail(7),
    text: 'Dear Ben,\n\nUse this link to choose a password:\nhttps://haven.example/invitation/abc\n\n<script>alert(1)</script>',
    organisationId: org.organisationId,
    attachments: [{ filename: 'contract.pdf', contentType: 'application/pdf', contentBase64: 'AAAA' }],
  })
  const res = await get(`/admin/outbox/${id}`)
  assert.equal(res.statusCode, 200)
  assert.equal(textOf(res.body, 'h1'), anEmail(7).subject)
  assert.match(textOf(res.body, '.govuk-summary-list'), /person\.7@school\.example/)
  assert.match(textOf(res.body, '.govuk-summary-list'), /contract\.pdf \(application\/pdf, 3 bytes\)/)
  const body = html(res.body).querySelector('.haven-mail-body')!
  assert.equal(body.querySelectorAll('p').length, 3)
  // Issue 12: the single-use link is never shown, even to an administrator.
  assert.match(
    body.querySelectorAll('p')[1]!.innerHTML,
    /choose a password:<br>https:\/\/haven\.example\/invitation\/\[link removed\]/,
  )
  assert.doesNotMatch(res.body, /invitation\/abc/)
  assert.doesNotMatch(res.body, /<script>alert/)

  const audit = await db.selectFrom('audit_event').selectAll().where('action', '=', 'outbox.read').execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.subject_id, id)
  assert.equal(audit[0]!.actor_id, org.personId)
  assert.equal(audit[0]!.organisation_id, org.organisationId)
  assert.equal(audit[0]!.ip, '198.51.100.7')
})

test('an unknown, malformed or other organisation’s email is not found, and nothing is audited', async (t) => {
  const { db, get } = await signedInAdmin(t)
  const other = await db
    .insertInto('organisation')
    .values({ kind: 'single-school', name: 'Elsewhere' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const { id } = await enqueueEmail(db, { ...anEmail(), organisationId: other.id })
  assert.equal((await get(`/admin/outbox/${id}`)).statusCode, 404)
  assert.equal((await get('/admin/outbox/00000000-0000-4000-8000-000000000000')).statusCode, 404)
  assert.equal((await get('/admin/outbox/not-an-id')).statusCode, 404)
  assert.equal(
    (await db.selectFrom('audit_event').select('id').where('action', '=', 'outbox.read').execute()).length,
    0,
  )
})

test('the outbox is refused to someone without outbox.read and to someone signed out', async (t) => {
  const { app, db, org, get } = await signedInAdmin(t)
  const teacher = await insertPersonWithAccount(db, { organisationId: org.organisationId, schoolId: org.schoolId })
  const { token } = await createSession(db, {
    personId: teacher,
    secondStepDone: true,
    userAgent: 'test',
    now: new Date(),
    settings: { idleMinutes: 30, absoluteHours: 12 },
  })
  assert.equal((await get('/admin/outbox', `haven_session=${token}`)).statusCode, 403)
  const signedOut = await app.inject({ method: 'GET', url: '/admin/outbox' })
  assert.equal(signedOut.statusCode, 302)
  assert.match(signedOut.headers.location as string, /^\/sign-in/)
})
