/**
 * Issue 15, retention and subject access, on both databases. "A retention run that deletes only
 * what is due": the job lists the signed records whose time has passed under the policy (6 years
 * after the supervisee leaves; 25 years with child-protection content), a legal hold stops one,
 * the DSL must confirm, and a removed record keeps its content hash, in the record and in the
 * audit entry; nothing not due is touched. A subject access export is a ZIP of record PDFs and
 * JSON, with a redaction review file; only the DSL may produce it.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { inflateRawSync } from 'node:zlib'
import { sql } from 'kysely'
import { verifyAuditChain } from '../../src/services/audit.ts'
import { signRecord } from '../../src/services/records/records.ts'
import { listDueForRemoval } from '../../src/services/retention/retention.ts'
import { html, textOf } from '../helpers/html.ts'
import { completedRecord, insertSession, loadRecord, passStepUp, recordsTestApp } from '../helpers/records.ts'

const NOW = new Date('2033-09-01T09:00:00Z')
const SESSION_DATE = '2026-11-10'
const mailer = { baseUrl: 'http://localhost:3000' }

/** The files of a ZIP, read from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  assert.ok(eocd >= 0, 'a ZIP file')
  const count = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50)
    const method = buf.readUInt16LE(at + 10)
    const size = buf.readUInt32LE(at + 20)
    const nameLength = buf.readUInt16LE(at + 28)
    const extra = buf.readUInt16LE(at + 30)
    const comment = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + size)
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data))
    at += 46 + nameLength + extra + comment
  }
  return files
}

test('issue 15: a retention run that deletes only what is due; subject access', async (t) => {
  const s = await recordsTestApp(t, { pack: 'cornerstone', clock: () => NOW })
  const db = s.database.db
  const leo = await s.person('Leo Marsh')
  const sam = await s.person('Sam Okoro')
  // Priya and Leo left in January 2027; Sam is still in post.
  await db.updateTable('person').set({ end_date: '2027-01-31' }).where('id', 'in', [s.supervisee.id, leo.id]).execute()

  const actor = (p: { id: string; name: string }) => ({
    personId: p.id,
    name: p.name,
    organisationId: s.org.organisationId,
  })
  /** Completed through the services; signed by both with step-up (slow: argon2), or written as signed. */
  async function signedRecord(supervisee: { id: string; name: string }, summary: string, realSignatures = false) {
    const sessionId = await insertSession(db, {
      schoolId: s.org.schoolId,
      typeId: 'formal-planned',
      date: SESSION_DATE,
      supervisors: [s.supervisor.id],
      supervisees: [supervisee.id],
    })
    const { recordId, contentHash } = await completedRecord(db, {
      sessionId,
      schoolId: s.org.schoolId,
      date: SESSION_DATE,
      supervisor: actor(s.supervisor),
      summary,
      mailer,
    })
    if (realSignatures) {
      for (const who of [supervisee, s.supervisor]) {
        const proof = await passStepUp(db, actor(who), recordId)
        const signed = await signRecord(db, proof, { recordId, actor: actor(who), shownHash: contentHash, mailer })
        assert.ok(signed.ok, JSON.stringify(signed))
      }
    } else {
      await db
        .updateTable('supervision_record')
        .set({ status: 'signed', locked_at: NOW })
        .where('id', '=', recordId)
        .execute()
      for (const [who, role] of [
        [supervisee, 'supervisee'],
        [s.supervisor, 'supervisor'],
      ] as const)
        await db
          .insertInto('record_signature')
          .values({
            record_id: recordId,
            person_id: who.id,
            role,
            name: who.name,
            content_hash: contentHash,
            method: 'password',
          })
          .execute()
    }
    return { recordId, contentHash }
  }

  const due = await signedRecord(s.supervisee, 'We talked about Tom Reed and the timetable.', true)
  const heldLater = await signedRecord(s.supervisee, 'Workload and wellbeing.')
  const childProtection = await signedRecord(s.supervisee, 'A case about a child.')
  await db
    .insertInto('record_decision')
    .values({ id: crypto.randomUUID(), school_id: s.org.schoolId, record_id: childProtection.recordId })
    .execute()
  const heldPerson = await signedRecord(leo, 'Leo’s session.')
  const inPost = await signedRecord(sam, 'Sam’s session.')
  const dsl = s.dsl.browser

  await t.test('issue 15: the DSL places a legal hold on a person, with a reason; others cannot', async () => {
    const refused = await s.supervisor.browser.get('/retention')
    assert.equal(refused.statusCode, 403)
    const noReason = await dsl.post('/retention/holds', { on: 'person', personId: leo.id, reason: '' })
    assert.equal(noReason.statusCode, 400)
    assert.match(textOf(noReason.body, '.govuk-error-summary'), /Enter the reason for the hold/)
    const placed = await dsl.post('/retention/holds', {
      on: 'person',
      personId: leo.id,
      reason: 'An employment tribunal claim',
    })
    assert.equal(placed.statusCode, 303)
  })

  await t.test('issue 15: the job lists only what is due: not child protection, not held, not in post', async () => {
    const listed = await listDueForRemoval(db, NOW)
    assert.equal(listed.due, 2)
    const page = await dsl.get('/retention')
    assert.equal(page.statusCode, 200)
    const offered = html(page.body)
      .querySelectorAll('input[name=recordIds]')
      .map((i) => i.getAttribute('value'))
      .sort()
    assert.deepEqual(offered, [due.recordId, heldLater.recordId].sort())
    assert.match(textOf(page.body, '#holds'), /Leo Marsh.*An employment tribunal claim/s)
  })

  await t.test('issue 15: nothing is removed without the DSL confirming', async () => {
    const unconfirmed = await dsl.post('/retention/confirm', { recordIds: [due.recordId] }, { formPage: '/retention' })
    assert.equal(unconfirmed.statusCode, 400)
    assert.match(unconfirmed.body, /Confirm that you have checked the records and none must be kept/)
    assert.equal((await loadRecord(db, due.recordId))!.removedAt, null)
    const notListed = await dsl.post(
      '/retention/confirm',
      { recordIds: [childProtection.recordId], confirm: 'yes' },
      { formPage: '/retention' },
    )
    assert.equal(notListed.statusCode, 400)
    assert.equal((await loadRecord(db, childProtection.recordId))!.removedAt, null)
    const bySupervisor = await s.supervisor.browser.post(
      '/retention/confirm',
      { recordIds: [due.recordId], confirm: 'yes' },
      { csrf: await dsl.csrfToken('/retention') },
    )
    assert.ok([403].includes(bySupervisor.statusCode), String(bySupervisor.statusCode))
  })

  await t.test(
    'issue 15: a hold placed after the list was made is respected; the rest is removed, its hash kept',
    async () => {
      const hold = await dsl.post('/retention/holds', {
        on: 'record',
        recordId: heldLater.recordId,
        reason: 'A subject access request is open',
      })
      assert.equal(hold.statusCode, 303)
      const confirmed = await dsl.post(
        '/retention/confirm',
        { recordIds: [due.recordId, heldLater.recordId], confirm: 'yes' },
        { formPage: '/retention' },
      )
      assert.equal(confirmed.statusCode, 400, 'the held record is reported')
      assert.match(confirmed.body, /1 record was not removed/)

      const removed = (await loadRecord(db, due.recordId))!
      assert.ok(removed.removedAt)
      assert.equal(removed.status, 'signed')
      assert.equal(removed.contentHash, due.contentHash, 'the record keeps its content hash')
      assert.deepEqual(removed.document.values, {})
      assert.equal(removed.document.session?.date, SESSION_DATE)
      assert.deepEqual(removed.document.session?.supervisees, [])
      assert.ok(removed.signatures.every((sig) => sig.name === 'Removed' && sig.contentHash === due.contentHash))
      assert.ok(!JSON.stringify(removed.document).includes('Tom Reed'))
      const versions = await sql<{ content: unknown; content_hash: string }>`
      select content, content_hash from record_version where record_id = ${due.recordId}`.execute(db)
      assert.ok(versions.rows.length > 0)
      for (const v of versions.rows) assert.deepEqual(v.content, { removed: true })
      assert.ok(versions.rows.some((v) => v.content_hash === due.contentHash))
      // The versions stay append-only outside a removal.
      await assert.rejects(
        sql`update record_version set content = '{}'::jsonb where record_id = ${due.recordId}`.execute(db),
      )

      const audit = await db
        .selectFrom('audit_event')
        .select(['actor_id', 'detail'])
        .where('action', '=', 'retention.record-removed')
        .execute()
      assert.equal(audit.length, 1)
      assert.equal(audit[0]!.actor_id, s.dsl.id)
      assert.equal((audit[0]!.detail as { contentHash: string }).contentHash, due.contentHash)
      assert.deepEqual(await verifyAuditChain(db), { ok: true, count: (await verifyAuditChain(db)).count, brought: 0 })

      for (const kept of [heldLater, childProtection, heldPerson, inPost]) {
        const r = (await loadRecord(db, kept.recordId))!
        assert.equal(r.removedAt, null)
        assert.notDeepEqual(r.document.values, {})
      }
      // Priya has left and cannot sign in; the DSL, who reads every record, sees what is left of it.
      const page = await dsl.get(`/records/${due.recordId}`)
      assert.equal(page.statusCode, 410)
      assert.match(page.body, /This record has been removed/)
    },
  )

  await t.test('issue 15: released, the held record can be confirmed', async () => {
    const page = html((await dsl.get('/retention')).body)
    const release = page
      .querySelectorAll('#holds form')
      .find((f) => f.parentNode!.parentNode!.textContent.includes('The record of'))!
    const released = await dsl.post(release.getAttribute('action')!, {}, { formPage: '/retention' })
    assert.equal(released.statusCode, 303)
    const confirmed = await dsl.post(
      '/retention/confirm',
      { recordIds: [heldLater.recordId], confirm: 'yes' },
      { formPage: '/retention' },
    )
    assert.equal(confirmed.statusCode, 303)
    assert.ok((await loadRecord(db, heldLater.recordId))!.removedAt)
    assert.equal((await loadRecord(db, heldPerson.recordId))!.removedAt, null, 'the person hold still stands')
  })

  await t.test(
    'issue 15: a subject access export is a ZIP of PDFs and JSON, third parties marked; DSL only',
    async () => {
      assert.equal((await s.supervisor.browser.get('/retention/subject-access')).statusCode, 403)
      const none = await dsl.post('/retention/subject-access', { personId: '' })
      assert.equal(none.statusCode, 400)
      assert.match(none.body, /Select the person the export is for/)

      const res = await dsl.post('/retention/subject-access', { personId: s.supervisee.id })
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['content-type'], 'application/zip')
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="subject-access-2033-09-01-/)
      const files = unzip(res.rawPayload)
      for (const name of [
        'README.txt',
        'person.json',
        'sessions.json',
        'records.json',
        'contracts.json',
        'actions.json',
        'requests.json',
        'audit.json',
        'wellbeing.json',
        'redaction-review.json',
        'manifest.json',
      ])
        assert.ok(files.has(name), `${name} is in the export`)
      const person = JSON.parse(files.get('person.json')!.toString()) as { name: string; endDate: string }
      assert.equal(person.name, 'Priya Shah')
      assert.equal(person.endDate, '2027-01-31')
      const pdfs = [...files.keys()].filter((n) => n.startsWith('records/') && n.endsWith('.pdf'))
      assert.equal(pdfs.length, 1, 'the one record still held in full')
      assert.equal(files.get(pdfs[0]!)!.subarray(0, 5).toString(), '%PDF-')
      const records = JSON.parse(files.get('records.json')!.toString()) as {
        id: string
        removedUnderRetention?: string
        contentHash: string
      }[]
      assert.equal(records.length, 3)
      assert.equal(records.find((r) => r.id === due.recordId)!.contentHash, due.contentHash)
      assert.ok(records.find((r) => r.id === due.recordId)!.removedUnderRetention)
      const review = JSON.parse(files.get('redaction-review.json')!.toString()) as {
        files: { file: string; names: string[] }[]
      }
      const pdfNote = review.files.find((f) => f.file === pdfs[0])!
      assert.ok(pdfNote.names.includes('Dana Ellis'), 'the supervisor is a third party to review')
      const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {
        files: { file: string; sha256: string }[]
      }
      const personEntry = manifest.files.find((f) => f.file === 'person.json')!
      assert.equal(personEntry.sha256, createHash('sha256').update(files.get('person.json')!).digest('hex'))
      const audited = await db
        .selectFrom('audit_event')
        .select(['actor_id', 'subject_id'])
        .where('action', '=', 'subject-access.exported')
        .execute()
      assert.deepEqual(audited, [{ actor_id: s.dsl.id, subject_id: s.supervisee.id }])
    },
  )
})

test('issue 15, X-07, CA-10: a retention run that deletes only what is due, for contracts, stress risk assessments, Occupational Health referrals and decisions about children', async (t) => {
  const s = await recordsTestApp(t, { pack: 'cornerstone', clock: () => NOW })
  const db = s.database.db
  const at = { organisation_id: s.org.organisationId, school_id: s.org.schoolId }
  const leo = await s.person('Leo Marsh')
  const sam = await s.person('Sam Okoro')
  // Priya and Leo left in January 2027 (6 years: due from 31 January 2033); Sam is still in post.
  await db.updateTable('person').set({ end_date: '2027-01-31' }).where('id', 'in', [s.supervisee.id, leo.id]).execute()
  await s.dsl.browser.post('/retention/holds', { on: 'person', personId: leo.id, reason: 'A tribunal claim' })

  const contract = async (superviseeId: string, status: 'signed' | 'issued', hash: string) => {
    const row = await db
      .insertInto('contract')
      .values({
        ...at,
        supervisee_id: superviseeId,
        supervisor_id: s.supervisor.id,
        template_id: 'cornerstone-contract',
        template_version: 1,
        policy_version: 1,
        academic_year: '2026-27',
        status,
        content_hash: hash,
        issued_at: new Date('2026-09-01T09:00:00Z'),
        signed_at: status === 'signed' ? new Date('2026-09-03T09:00:00Z') : null,
        agreed: JSON.stringify({ requirementId: null, frequency: null, values: { venue: 'The quiet room' } }),
        rendered: JSON.stringify({
          title: 'Supervision contract',
          clauses: [{ heading: 'Venue', text: 'The quiet room', items: [] }],
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (status === 'signed')
      await db
        .insertInto('contract_signature')
        .values({
          contract_id: row.id,
          person_id: superviseeId,
          role: 'supervisee',
          name: 'Priya Shah',
          content_hash: hash,
          method: 'password',
        })
        .execute()
    return row.id
  }
  const contractDue = await contract(s.supervisee.id, 'signed', 'c'.repeat(64))
  const contractUnsigned = await contract(s.supervisee.id, 'issued', 'd'.repeat(64))
  const contractInPost = await contract(sam.id, 'signed', 'e'.repeat(64))
  const contractHeld = await contract(leo.id, 'signed', 'f'.repeat(64))

  const assessment = async (closedOn: string | null) =>
    (
      await db
        .insertInto('stress_risk_assessment')
        .values({
          ...at,
          person_id: s.supervisee.id,
          assessor_id: s.dsl.id,
          started_on: '2026-10-01',
          review_on: '2026-11-01',
          actions: 'Reduced duties and weekly check-ins',
          flag_before: JSON.stringify({ set: false, since: null, until: null }),
          closed_on: closedOn,
          closing_note: closedOn ? 'Back to full duties' : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const assessmentDue = await assessment('2026-12-01')
  const assessmentOpen = await assessment(null)

  const referral = async (followUpOn: string | null) =>
    (
      await db
        .insertInto('occupational_health_referral')
        .values({
          ...at,
          person_id: s.supervisee.id,
          referred_by: s.dsl.id,
          referred_on: '2026-10-05',
          reason: 'Back pain after the fall',
          outcome: 'Adjusted desk',
          follow_up_on: followUpOn,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const referralDue = await referral(null)
  const referralFollowUp = await referral('2034-01-15')

  const decision = async (decidedOn: string, status: 'entered' | 'ready') =>
    (
      await db
        .insertInto('child_decision')
        .values({
          ...at,
          source: 'unplanned',
          source_item_id: crypto.randomUUID(),
          about: 'pseudonym',
          about_name: 'Child A',
          decision: 'Refer to early help',
          actions: 'Call the family',
          agreed_by: 'Grace Obi',
          decided_on: decidedOn,
          status,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  // Decisions about children: 25 years from the day they were made, once entered in the child's record.
  const decisionDue = await decision('2008-01-10', 'entered')
  const decisionRecent = await decision('2026-11-10', 'entered')
  const decisionNotEntered = await decision('2008-01-10', 'ready')

  await t.test('issue 15: the job lists what is due of every kind, and nothing else', async () => {
    const listed = await listDueForRemoval(db, NOW)
    assert.equal(listed.due, 4)
    const due = await db.selectFrom('retention_due').select(['kind', 'subject_id', 'due_on']).orderBy('kind').execute()
    assert.deepEqual(
      due.map((d) => [d.kind, d.subject_id, d.due_on]),
      [
        ['contracts', contractDue, '2033-01-31'],
        ['decisionsAboutChildren', decisionDue, '2033-01-10'],
        ['referrals', referralDue, '2033-01-31'],
        ['stressRiskAssessments', assessmentDue, '2033-01-31'],
      ],
    )
    const page = await s.dsl.browser.get('/retention')
    const offered = html(page.body)
      .querySelectorAll('input[name=recordIds]')
      .map((i) => i.getAttribute('value'))
      .sort()
    assert.deepEqual(
      offered,
      [
        `contracts:${contractDue}`,
        `decisionsAboutChildren:${decisionDue}`,
        `referrals:${referralDue}`,
        `stressRiskAssessments:${assessmentDue}`,
      ].sort(),
    )
    const text = textOf(page.body, 'main')
    assert.match(text, /Supervision contract of 3 September 2026: Priya Shah/)
    assert.match(text, /Occupational Health referral of 5 October 2026: Priya Shah/)
    assert.match(text, /Stress risk assessments: 6 years after the person leaves/)
    assert.doesNotMatch(text, /contracts:[0-9a-f]|decisionsAboutChildren|2033-01-31/)
  })

  await t.test(
    'issue 15: confirmed by the DSL, each is removed with its hash audited; nothing not due is touched',
    async () => {
      const unconfirmed = await s.dsl.browser.post(
        '/retention/confirm',
        { recordIds: [`contracts:${contractDue}`] },
        { formPage: '/retention' },
      )
      assert.equal(unconfirmed.statusCode, 400)
      const notListed = await s.dsl.browser.post(
        '/retention/confirm',
        { recordIds: [`contracts:${contractInPost}`], confirm: 'yes' },
        { formPage: '/retention' },
      )
      assert.equal(notListed.statusCode, 400)

      const confirmed = await s.dsl.browser.post(
        '/retention/confirm',
        {
          recordIds: [
            `contracts:${contractDue}`,
            `stressRiskAssessments:${assessmentDue}`,
            `referrals:${referralDue}`,
            `decisionsAboutChildren:${decisionDue}`,
          ],
          confirm: 'yes',
        },
        { formPage: '/retention' },
      )
      assert.equal(confirmed.statusCode, 303)

      const c = await db.selectFrom('contract').selectAll().where('id', '=', contractDue).executeTakeFirstOrThrow()
      assert.ok(c.removed_at)
      assert.equal(c.removed_by, s.dsl.id)
      assert.equal(c.content_hash, 'c'.repeat(64), 'the contract keeps its content hash')
      assert.equal(c.status, 'signed')
      assert.ok(!JSON.stringify([c.agreed, c.rendered]).includes('quiet room'))
      const sig = await db
        .selectFrom('contract_signature')
        .select(['name', 'content_hash'])
        .where('contract_id', '=', contractDue)
        .execute()
      assert.deepEqual(sig, [{ name: 'Removed', content_hash: 'c'.repeat(64) }])
      const a = await db
        .selectFrom('stress_risk_assessment')
        .selectAll()
        .where('id', '=', assessmentDue)
        .executeTakeFirstOrThrow()
      assert.ok(a.removed_at)
      assert.doesNotMatch(`${a.actions} ${a.closing_note}`, /Reduced duties|full duties/)
      const r = await db
        .selectFrom('occupational_health_referral')
        .selectAll()
        .where('id', '=', referralDue)
        .executeTakeFirstOrThrow()
      assert.ok(r.removed_at)
      assert.doesNotMatch(`${r.reason} ${r.outcome}`, /Back pain|desk/)
      const d = await db
        .selectFrom('child_decision')
        .selectAll()
        .where('id', '=', decisionDue)
        .executeTakeFirstOrThrow()
      assert.ok(d.removed_at)
      assert.equal(d.about_name, '')
      assert.doesNotMatch(`${d.decision} ${d.actions} ${d.agreed_by}`, /early help|family|Grace/)
      assert.equal(d.decided_on, '2008-01-10', 'its date stays')

      const audit = await db
        .selectFrom('audit_event')
        .select(['subject_type', 'subject_id', 'actor_id', 'detail'])
        .where('action', '=', 'retention.record-removed')
        .orderBy('subject_type')
        .execute()
      assert.deepEqual(
        audit.map((e) => [e.subject_type, e.subject_id, e.actor_id]),
        [
          ['child-decision', decisionDue, s.dsl.id],
          ['contract', contractDue, s.dsl.id],
          ['occupational-health-referral', referralDue, s.dsl.id],
          ['stress-risk-assessment', assessmentDue, s.dsl.id],
        ],
      )
      for (const e of audit) assert.match((e.detail as { contentHash: string }).contentHash, /^[0-9a-f]{64}$/)
      assert.equal((audit[1]!.detail as { contentHash: string }).contentHash, 'c'.repeat(64))
      assert.equal((await verifyAuditChain(db)).ok, true)

      // Nothing that was not due is touched: unsigned, in post, held, open, awaiting follow-up, recent, not yet entered.
      for (const id of [contractUnsigned, contractInPost, contractHeld])
        assert.equal(
          (await db.selectFrom('contract').select('removed_at').where('id', '=', id).executeTakeFirstOrThrow())
            .removed_at,
          null,
        )
      assert.equal(
        (
          await db
            .selectFrom('stress_risk_assessment')
            .select('actions')
            .where('id', '=', assessmentOpen)
            .executeTakeFirstOrThrow()
        ).actions,
        'Reduced duties and weekly check-ins',
      )
      assert.equal(
        (
          await db
            .selectFrom('occupational_health_referral')
            .select('reason')
            .where('id', '=', referralFollowUp)
            .executeTakeFirstOrThrow()
        ).reason,
        'Back pain after the fall',
      )
      for (const id of [decisionRecent, decisionNotEntered])
        assert.equal(
          (await db.selectFrom('child_decision').select('decision').where('id', '=', id).executeTakeFirstOrThrow())
            .decision,
          'Refer to early help',
        )
      // An issued contract's content stays fixed outside a removal.
      await assert.rejects(
        db.updateTable('contract').set({ rendered: '{}' }).where('id', '=', contractHeld).execute(),
        /an issued contract cannot be changed/,
      )
      await assert.rejects(
        db.updateTable('contract_signature').set({ name: 'X' }).where('contract_id', '=', contractHeld).execute(),
      )
      assert.equal((await listDueForRemoval(db, NOW)).due, 0, 'nothing is listed twice')
    },
  )

  await t.test('issue 15: a hold on the person, once released, lets their contract be listed', async () => {
    await db.updateTable('retention_hold').set({ released_at: NOW }).execute()
    await listDueForRemoval(db, NOW)
    const due = await db.selectFrom('retention_due').select(['kind', 'subject_id']).execute()
    assert.deepEqual(due, [{ kind: 'contracts', subject_id: contractHeld }])
  })

  await t.test(
    'issue 15: a subject access export has a PDF of each signed contract, listed in the manifest',
    async () => {
      const leoZip = await s.dsl.browser.post('/retention/subject-access', { personId: leo.id })
      assert.equal(leoZip.statusCode, 200)
      const files = unzip(leoZip.rawPayload)
      const pdfs = [...files.keys()].filter((n) => n.startsWith('contracts/') && n.endsWith('.pdf'))
      assert.deepEqual(pdfs, [`contracts/2026-27-${contractHeld.slice(0, 8)}.pdf`])
      const pdf = files.get(pdfs[0]!)!
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
      const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {
        files: { file: string; sha256: string }[]
      }
      assert.equal(
        manifest.files.find((f) => f.file === pdfs[0])?.sha256,
        createHash('sha256').update(pdf).digest('hex'),
      )
      const listed = JSON.parse(files.get('contracts.json')!.toString()) as { id: string; file?: string }[]
      assert.equal(listed.find((c) => c.id === contractHeld)?.file, pdfs[0])
      const review = JSON.parse(files.get('redaction-review.json')!.toString()) as {
        files: { file: string; names: string[] }[]
      }
      assert.deepEqual(review.files.find((f) => f.file === pdfs[0])?.names, ['Dana Ellis'])

      // Priya's contracts: the removed one and the unsigned one are listed, with no PDF.
      const priya = unzip(
        (await s.dsl.browser.post('/retention/subject-access', { personId: s.supervisee.id })).rawPayload,
      )
      assert.deepEqual(
        [...priya.keys()].filter((n) => n.startsWith('contracts/')),
        [],
      )
      const hers = JSON.parse(priya.get('contracts.json')!.toString()) as {
        id: string
        removedUnderRetention: string | null
      }[]
      assert.ok(hers.find((c) => c.id === contractDue)?.removedUnderRetention)
      assert.equal(hers.find((c) => c.id === contractUnsigned)?.removedUnderRetention, null)
    },
  )
})
