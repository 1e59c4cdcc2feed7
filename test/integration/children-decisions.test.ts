/**
 * Issue 15: decisions about children reach the child's own record (X-07, CA-10, PL-04, AM-04,
 * LH-06, MW-12). An ad hoc decision reaches the DSL's queue, is signed off (AM-04), and goes to
 * the child's record by the school's signed webhook (a receiver in the test checks the HMAC) or
 * by the copy-ready entry, and is tracked to "entered by X on date, reference Y". The pupil
 * register is imported from the MIS with a preview, all or nothing; another school's children
 * are never visible.
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { insertDecisions, insertPupils } from '../../src/db/repositories/children.ts'
import { verifyDelivery } from '../../src/domain/children/decisions.ts'
import { deliverDueDecisions, remindWaitingDecisions } from '../../src/services/children/decisions.ts'
import { addSchool } from '../../src/services/staff/schools.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { html, textOf } from '../helpers/html.ts'
import { formValues, recordsTestApp, startedRecord } from '../helpers/records.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { postFile, relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { dateFields, now, type SessionsApp, sessionsApp, today } from './sessions-support.ts'

const pupilsCsv = [
  'Legal Surname,Legal Forename,UPN,Adno,DOB,NC Year,Tutor group',
  'Begum,Aisha,A123456789012,1001,14/03/2016,Year 4,4B',
  'Okafor,Tobi,B123456789012,1002,02/01/2015,Year 5,5K',
].join('\r\n')

async function importPupils(s: SessionsApp, csv: string) {
  const up = await postFile(s.app, s.dsl, '/children/import', { filename: 'pupils.csv', content: csv })
  return up
}

/** Ashbury Meadow's policy: the DSL signs decisions off (AM-04). */
async function school(t: Parameters<typeof sessionsApp>[0]) {
  const s = await sessionsApp(t, 'ashbury-meadow')
  const lead = await s.add('Uma Plan', { roles: ['education-lead'], trained: true })
  const cal = await s.add('Cal Forward', { supervisorId: lead, pastoral: true })
  return { s, lead, cal, uma: await s.as('Uma Plan') }
}

async function adHocDecision(uma: Awaited<ReturnType<typeof school>>['uma'], lead: string, cal: string, text: string) {
  const res = await uma.post('/sessions/unplanned', {
    typeId: 'informal',
    superviseeId: cal,
    supervisorId: lead,
    ...dateFields('date', today),
    startTime: '',
    durationMinutes: '10',
    issues: '',
    decisions: text,
  })
  assert.equal(res.statusCode, 303, res.body.slice(0, 3000))
}

function decisionLink(body: string, name: string): string {
  const link = html(body)
    .querySelectorAll('#waiting a')
    .find((a) => a.textContent.includes(name))
  assert.ok(link, `no decision for ${name}`)
  return link.getAttribute('href') as string
}

interface Received {
  body: string
  signature: string
  valid: boolean
}

/** A webhook receiver on this machine: refuses the first delivery (503), then answers with a reference. */
async function receiver(t: Parameters<typeof sessionsApp>[0], secret: () => string) {
  const received: Received[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const signature = String(req.headers['x-haven-signature'] ?? '')
      const valid = verifyDelivery(secret(), body, signature)
      received.push({ body, signature, valid })
      if (received.length === 1) {
        res.writeHead(503).end('busy')
        return
      }
      res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' })
      res.end(valid ? JSON.stringify({ reference: 'CPOMS-4471' }) : '{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/haven`, received }
}

test('X-07, LH-06, AM-04: an ad hoc decision reaches the queue, is signed off, is delivered by the signed webhook and marked entered', async (t) => {
  const { s, lead, cal, uma } = await school(t)
  const up = await importPupils(s, pupilsCsv)
  assert.equal(up.statusCode, 303, up.body.slice(0, 2000))
  const preview = await s.dsl.get(up.headers.location as string)
  const digest = html(preview.body).querySelector('input[name=digest]')?.getAttribute('value') as string
  assert.equal((await s.dsl.post(up.headers.location as string, { digest })).statusCode, 303)

  // The school's webhook: the secret is shown once.
  let secret = ''
  const hook = await receiver(t, () => secret)
  const saved = await s.dsl.post('/children/webhook', { action: 'save', url: hook.url })
  assert.equal(saved.statusCode, 200)
  secret = textOf(saved.body, '#secret')
  assert.match(secret, /^whsec_/)
  assert.doesNotMatch((await s.dsl.get('/children/webhook')).body, new RegExp(secret))

  await adHocDecision(uma, lead, cal, 'Referral to early help to be made today')
  const queue = await s.dsl.get('/children/decisions')
  assert.equal(queue.statusCode, 200)
  assert.match(textOf(queue.body, '#waiting'), /Unplanned supervision: Informal supervision.*Waiting for sign-off/)
  assert.match(
    textOf((await s.dsl.get('/overview')).body, '#decisions-pending'),
    /Decisions pending for children’s records: 1/,
  )
  const href = decisionLink(queue.body, 'Not yet named')

  // AM-04: approving needs the child; amending names them from the register.
  const page = await s.dsl.get(href)
  const version = html(page.body).querySelector('input[name=version]')?.getAttribute('value') as string
  const noChild = await s.dsl.post(`${href}/sign-off`, { version, choice: 'approve' }, { formPage: href })
  assert.equal(noChild.statusCode, 400)
  assert.match(textOf(noChild.body, '.govuk-error-summary'), /Select the child from the register/)
  const aisha = html(page.body)
    .querySelectorAll('#pupilId option')
    .find((o) => o.textContent.includes('Aisha Begum'))
    ?.getAttribute('value') as string
  const amended = await s.dsl.post(
    `${href}/sign-off`,
    {
      version,
      choice: 'amend',
      about: 'child',
      pupilId: aisha,
      category: 'Early help',
      decision: 'Referral to early help to be made today',
      actions: 'DSL to call the family',
    },
    { formPage: href },
  )
  assert.equal(amended.statusCode, 303, amended.body.slice(0, 3000))

  // Delivered by the job: refused once (tried again later), then accepted with a reference.
  const first = await deliverDueDecisions(s.database.db, { now: new Date(now.getTime() + 3_600_000) })
  assert.deepEqual(first, { delivered: 0, failed: 1 })
  const log = await s.dsl.get('/children/webhook/deliveries')
  assert.match(textOf(log.body, 'tbody'), /Waiting to be tried again.*1.*Answered 503/)
  const second = await deliverDueDecisions(s.database.db, { now: new Date(now.getTime() + 3_600_000 + 3 * 60_000) })
  assert.deepEqual(second, { delivered: 1, failed: 0 })
  assert.equal(hook.received.length, 2)
  assert.ok(
    hook.received.every((r) => r.valid),
    'every delivery carries a valid HMAC-SHA256 signature',
  )
  const payload = JSON.parse(hook.received[1]!.body)
  assert.equal(payload.decision.child.upn, 'A123456789012')
  assert.equal(payload.decision.child.name, 'Aisha Begum')
  assert.equal(payload.decision.actions, 'DSL to call the family')
  assert.match(textOf((await s.dsl.get('/children/webhook/deliveries')).body, 'tbody'), /Delivered.*2.*Answered 200/)

  const entered = await s.dsl.get(href)
  assert.match(
    textOf(entered.body, '#entered'),
    /Entered on the child’s record in CPOMS by The school’s integration on .* reference CPOMS-4471/,
  )
  assert.match(
    textOf((await s.dsl.get('/overview')).body, '#decisions-pending'),
    /No decisions about children are waiting/,
  )
  // Only the DSL runs the queue; the supervisor does not.
  assert.equal((await uma.get('/children/decisions')).statusCode, 403)
  assert.equal((await uma.get(href)).statusCode, 403)
})

test('X-07, CA-10, AM-04: the same decision through the copy route: returned with a comment, amended, copied and marked entered', async (t) => {
  const { s, lead, cal, uma } = await school(t)
  const up = await importPupils(s, pupilsCsv)
  const digest = html((await s.dsl.get(up.headers.location as string)).body)
    .querySelector('input[name=digest]')
    ?.getAttribute('value') as string
  await s.dsl.post(up.headers.location as string, { digest })
  await adHocDecision(uma, lead, cal, 'Tobi to see the school nurse weekly')
  const href = decisionLink((await s.dsl.get('/children/decisions')).body, 'Not yet named')
  const readVersion = async () =>
    html((await s.dsl.get(href)).body)
      .querySelector('input[name=version]')
      ?.getAttribute('value') as string

  const noComment = await s.dsl.post(
    `${href}/sign-off`,
    { version: await readVersion(), choice: 'return' },
    { formPage: href },
  )
  assert.equal(noComment.statusCode, 400)
  assert.match(textOf(noComment.body, '#comment-error'), /Enter a comment for the supervisor/)
  const returned = await s.dsl.post(
    `${href}/sign-off`,
    { version: await readVersion(), choice: 'return', comment: 'Which child is this?' },
    { formPage: href },
  )
  assert.equal(returned.statusCode, 303)
  assert.match(textOf((await s.dsl.get(href)).body, '.govuk-inset-text'), /Which child is this\?/)

  const page = await s.dsl.get(href)
  const tobi = html(page.body)
    .querySelectorAll('#pupilId option')
    .find((o) => o.textContent.includes('Tobi Okafor'))
    ?.getAttribute('value') as string
  const stale = await s.dsl.post(
    `${href}/sign-off`,
    { version: '1', choice: 'amend', about: 'child', pupilId: tobi, decision: 'x' },
    { formPage: href },
  )
  assert.equal(stale.statusCode, 409, 'an amendment made on an old version is refused')
  const ok = await s.dsl.post(
    `${href}/sign-off`,
    {
      version: await readVersion(),
      choice: 'amend',
      about: 'child',
      pupilId: tobi,
      decision: 'Tobi to see the school nurse weekly',
    },
    { formPage: href },
  )
  assert.equal(ok.statusCode, 303)

  // The copy-ready entry: plain selectable text with the incident's fields, without JavaScript.
  const ready = await s.dsl.get(href)
  const entry = textOf(ready.body, '#entry-text')
  assert.match(entry, /Child: Tobi Okafor \(Year 5\), UPN B123456789012, MIS id 1002/)
  assert.match(
    entry,
    /Date: .* Category: Safeguarding supervision decision Decision: Tobi to see the school nurse weekly/,
  )
  assert.match(entry, /Who agreed: Uma Plan and Cal Forward/)
  assert.ok(html(ready.body).querySelector('[data-copy-entry=entry-text]'))

  const pdf = await s.dsl.get(`/children/${tobi}/decisions.pdf`)
  assert.equal(pdf.statusCode, 200)
  assert.equal(pdf.headers['content-type'], 'application/pdf')

  const noRef = await s.dsl.post(
    `${href}/entered`,
    { version: await readVersion(), reference: '', system: 'CPOMS' },
    { formPage: href },
  )
  assert.equal(noRef.statusCode, 400)
  assert.match(textOf(noRef.body, '#reference-error'), /Enter the reference/)
  const done = await s.dsl.post(
    `${href}/entered`,
    { version: await readVersion(), reference: 'INC-2231', system: 'CPOMS' },
    { formPage: href },
  )
  assert.equal(done.statusCode, 303)
  assert.match(
    textOf((await s.dsl.get(href)).body, '#entered'),
    /Entered on the child’s record in CPOMS by Dana Shah on .*, reference INC-2231/,
  )
  const audit = await s.database.db
    .selectFrom('audit_event')
    .select('action')
    .where('subject_type', 'in', ['child-decision', 'pupil'])
    .execute()
  assert.ok(audit.some((a) => a.action === 'child-decision.return'))
  assert.ok(audit.some((a) => a.action === 'child-decision.amend'))
  assert.ok(audit.some((a) => a.action === 'child-decision.entered'))
  assert.ok(audit.some((a) => a.action === 'child-decision.read'))
})

test('X-07: a decision waiting longer than the policy allows is reminded about, once a day, without naming the child', async (t) => {
  const { s, lead, cal, uma } = await school(t)
  await s.database.db
    .updateTable('policy_version')
    .set((eb) => ({
      document: eb.fn('jsonb_set', [eb.ref('document'), eb.val('{childRecord,remindAfterDays}'), eb.val('2')]),
    }))
    .execute()
  await adHocDecision(uma, lead, cal, 'Referral to early help for Aisha Begum')
  const later = new Date(now.getTime() + 4 * 86_400_000)
  assert.equal(
    await remindWaitingDecisions(s.database.db, {
      now: new Date(now.getTime() + 86_400_000),
      baseUrl: 'https://haven.example',
    }),
    0,
  )
  assert.equal(await remindWaitingDecisions(s.database.db, { now: later, baseUrl: 'https://haven.example' }), 1)
  assert.equal(await remindWaitingDecisions(s.database.db, { now: later, baseUrl: 'https://haven.example' }), 0)
  const mail = await s.database.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('subject', '=', 'Decisions about children are waiting for their records')
    .execute()
  assert.equal(mail.length, 1)
  assert.equal(mail[0]!.to_address, 'dana.shah@oakfield.example')
  assert.doesNotMatch(mail[0]!.text_body, /Aisha|early help/i)
  assert.match(mail[0]!.text_body, /https:\/\/haven\.example\/children\/decisions/)
})

test('issue 15: the pupil register is previewed, then imported all or nothing; a file with a problem imports nobody', async (t) => {
  const s = await sessionsApp(t, 'cornerstone')
  const bad = await importPupils(s, `${pupilsCsv}\r\nNew,Nia,C123,1003,31/02/2016,Year 1`)
  assert.equal(bad.statusCode, 400)
  assert.match(textOf(bad.body, '.govuk-error-summary'), /The file has 2 problems. Nothing has been imported/)
  assert.match(textOf(bad.body, 'tbody'), /4\s*UPN\s*Enter a UPN.*4\s*DOB\s*Date of birth must be a real date/)
  const up = await importPupils(s, pupilsCsv)
  const preview = await s.dsl.get(up.headers.location as string)
  assert.match(textOf(preview.body, 'main'), /2 pupils to add/)
  assert.match(textOf(preview.body, 'main'), /Haven does not read these columns, so they are ignored: Tutor group/)
  assert.equal((await s.database.db.selectFrom('pupil').selectAll().execute()).length, 0, 'nothing before the import')
  const digest = html(preview.body).querySelector('input[name=digest]')?.getAttribute('value') as string
  // The register changed between the preview and the import: refused, nothing imported.
  await insertPupils(s.database.db, s.org, [
    { upn: 'A123456789012', misId: null, name: 'Aisha B', dateOfBirth: '2016-03-14', yearGroup: 'Year 3' },
  ])
  const changed = await s.dsl.post(up.headers.location as string, { digest })
  assert.equal(changed.statusCode, 409)
  assert.equal((await s.database.db.selectFrom('pupil').selectAll().execute()).length, 1)
  const fresh = html(changed.body).querySelector('input[name=digest]')?.getAttribute('value') as string
  const done = await s.dsl.post(up.headers.location as string, { digest: fresh })
  assert.equal(done.statusCode, 303)
  const list = await s.dsl.get(done.headers.location as string)
  assert.match(textOf(list.body, '.govuk-notification-banner'), /1 added and 1 updated/)
  assert.match(textOf(list.body, 'tbody'), /Aisha Begum\s*A123456789012\s*1001\s*14 March 2016\s*Year 4/)
})

test('issue 15: another school’s children and decisions are never visible', async (t) => {
  const built = await buildTestApp(t, {}, { clock: () => now })
  const db = built.database.db
  const org = await insertOrganisation(db, {
    organisationKind: 'trust',
    organisationName: 'Riverside Trust',
    alsoDsl: true,
  })
  await relaxTwoStep(db, org.organisationId, org.personId)
  const added = await addSchool(db, {
    organisationId: org.organisationId,
    name: 'Brookside Primary',
    slug: 'brookside',
    region: 'england-and-wales',
    actorId: org.personId,
  })
  assert.ok(added.ok)
  const otherSchoolId = (
    await db.selectFrom('school').select('id').where('slug', '=', 'brookside').executeTakeFirstOrThrow()
  ).id
  const otherDsl = await insertPersonWithAccount(
    db,
    { organisationId: org.organisationId, schoolId: otherSchoolId },
    {
      name: 'Olu Other',
      email: 'olu.other@brookside.example',
      roles: ['dsl'],
    },
  )
  await relaxTwoStep(db, org.organisationId, otherDsl)
  await insertPupils(db, org, [
    { upn: 'A123456789012', misId: null, name: 'Aisha Begum', dateOfBirth: '2016-03-14', yearGroup: 'Year 4' },
  ])
  const pupilId = (await db.selectFrom('pupil').select('id').executeTakeFirstOrThrow()).id
  await insertDecisions(db, org, [
    {
      source: 'unplanned',
      sourceItemId: '7d4c9a52-8f7e-4d83-9a3b-2f6c0e1d9b11',
      sessionId: null,
      recordId: null,
      sessionKind: 'Unplanned supervision',
      about: 'child',
      pupilId,
      aboutName: '',
      decision: 'SECRET-DECISION',
      actions: '',
      agreedBy: '',
      decidedOn: '2026-12-01',
      status: 'ready',
    },
  ])
  const decisionId = (await db.selectFrom('child_decision').select('id').executeTakeFirstOrThrow()).id
  const own = await signedInClient(built.app, db, org.personId)
  assert.match((await own.get(`/children/decisions/${decisionId}`)).body, /SECRET-DECISION/)

  const other = await signedInClient(built.app, db, otherDsl)
  assert.equal((await other.get(`/children/decisions/${decisionId}`)).statusCode, 404)
  assert.doesNotMatch((await other.get('/children/decisions')).body, /Aisha|SECRET-DECISION/)
  assert.equal((await other.get('/children/decisions?school=oakfield')).statusCode, 404)
  assert.equal((await other.get('/children?school=oakfield')).statusCode, 404)
  assert.doesNotMatch((await other.get('/children')).body, /Aisha/)
  assert.equal((await other.get(`/children/${pupilId}/decisions.pdf`)).statusCode, 404)
  const entered = await other.post(
    `/children/decisions/${decisionId}/entered`,
    { version: '1', reference: 'X', system: '' },
    { formPage: '/children/decisions' },
  )
  assert.equal(entered.statusCode, 404)
  assert.equal((await db.selectFrom('child_decision').select('status').executeTakeFirstOrThrow()).status, 'ready')
})

test('X-07, CA-10: in a big school the child is found in the register without script, the page stays small, and what was typed is kept', async (t) => {
  const s = await recordsTestApp(t, { pack: 'cornerstone' })
  const at = { organisationId: s.org.organisationId, schoolId: s.org.schoolId }
  await insertPupils(s.database.db, at, [
    ...Array.from({ length: 1499 }, (_, i) => ({
      upn: `B${String(i).padStart(12, '0')}`,
      misId: null,
      name: `Pupil ${String(i).padStart(4, '0')}`,
      dateOfBirth: '2014-05-01',
      yearGroup: 'Year 7',
    })),
    { upn: 'Z000000000001', misId: null, name: 'Zoë Quinn', dateOfBirth: '2013-03-02', yearGroup: 'Year 8' },
  ])
  const zoe = await s.database.db
    .selectFrom('pupil')
    .select('id')
    .where('upn', '=', 'Z000000000001')
    .executeTakeFirstOrThrow()
  const { recordId } = await startedRecord(s)
  const browser = s.supervisor.browser

  const page = await browser.get(`/records/${recordId}`)
  assert.equal(page.statusCode, 200)
  assert.ok(page.body.length < 150_000, `the record page is ${page.body.length} bytes with 1,500 pupils`)
  const doc = html(page.body)
  assert.equal(
    doc.querySelectorAll('select[name=decisions-0-pupil] option').length,
    1,
    'no pupil listed before a search',
  )
  assert.ok(doc.querySelector('input[name=decisions-0-find]'))
  assert.ok(doc.querySelector('button[name=find][value="0"]'))

  // The supervisor types a decision, then finds the child: the draft is kept, the list narrowed.
  const found = await browser.post(
    `/records/${recordId}`,
    {
      ...formValues(page.body),
      'decisions-0-kind': 'child',
      'decisions-0-decision': 'Early help referral this week',
      'decisions-0-find': 'zoe',
      find: '0',
    },
    { formPage: `/records/${recordId}` },
  )
  assert.equal(found.statusCode, 303)
  assert.match(String(found.headers.location), /find=0&pupil=zoe#decisions-0-pupil$/)
  const narrowed = await browser.get(String(found.headers.location).replace(/#.*$/, ''))
  const form = html(narrowed.body)
  assert.equal(
    form.querySelector('textarea[name=decisions-0-decision]')?.textContent.trim(),
    'Early help referral this week',
  )
  assert.equal(form.querySelector('input[name=decisions-0-find]')?.getAttribute('value'), 'zoe')
  assert.deepEqual(
    form.querySelectorAll('select[name=decisions-0-pupil] option').map((o) => o.text.trim()),
    ['Not on the register, or a family', 'Zoë Quinn, Year 8'],
  )
  assert.match(textOf(narrowed.body, '#decisions-0-find-found'), /1 pupil matches “zoe”/)

  // Chosen and saved: the decision names her from the register; the page still lists only her.
  const saved = await browser.post(
    `/records/${recordId}`,
    { ...formValues(narrowed.body), 'decisions-0-pupil': zoe.id },
    { formPage: `/records/${recordId}` },
  )
  assert.equal(saved.statusCode, 303)
  const after = await browser.get(`/records/${recordId}`)
  assert.deepEqual(
    html(after.body)
      .querySelectorAll('select[name=decisions-0-pupil] option[selected]')
      .map((o) => o.getAttribute('value')),
    [zoe.id],
  )
  const many = await browser.get(`/records/${recordId}?find=0&pupil=pupil`)
  assert.equal(html(many.body).querySelectorAll('select[name=decisions-0-pupil] option').length, 27)
  assert.match(textOf(many.body, '#decisions-0-find-found'), /1499 pupils match “pupil”: the first 25 are in the list/)
})
