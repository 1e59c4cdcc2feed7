/**
 * Issue 14 (ADR 0052): a single school joins a trust that runs on ANOTHER Haven installation,
 * keeping its history. Two apps on two databases: the school's installation makes its signed file
 * once its administrator has entered the trust's code; the trust's installation checks it and
 * imports it in one transaction. Checked on the data: the same ids, the school's people signing in
 * to the trust, compliance on the day unchanged, past days judged by the school's own versions
 * (X-01), its audit entries kept as a verifiable segment; a tampered file refused with nothing
 * written. The apps' clocks are set.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type TestContext, test } from 'node:test'
import { gunzipSync, gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { runCli } from '../../src/cli.ts'
import type { Db } from '../../src/db/database.ts'
import { insertAuditSegment } from '../../src/db/repositories/school-bundle.ts'
import { ApiScope } from '../../src/domain/api/tokens.ts'
import type { SourcedPolicy } from '../../src/domain/policy/adoption.ts'
import { paths } from '../../src/paths/index.ts'
import { createApiToken } from '../../src/services/api/tokens.ts'
import { auditEntriesFor, recordAudit, verifyAuditChain } from '../../src/services/audit.ts'
import { writeBackup } from '../../src/services/backup/file.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { enqueueEmail } from '../../src/services/mail/outbox.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { ADMIN_PASSWORD, insertTrustWithAcademy } from '../builders/organisation.ts'
import { client } from '../helpers/browser-like.ts'
import { html } from '../helpers/html.ts'
import { namedDatabase } from '../helpers/named-database.ts'
import { allRowCounts } from '../helpers/row-counts.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { postFile } from '../helpers/staff.ts'
import { testDatabaseKind } from '../helpers/templates.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { schoolTrail, sessionOpened, subjectAuditOf } from '../helpers/trail.ts'
import { joiningSchool, trustWithPolicy } from './joining-fixtures.ts'
import { emailOf } from './planner-fixtures.ts'

function words(body: string): string {
  return (html(body).querySelector('main')?.text ?? body).replace(/\s+/g, ' ').trim()
}

function dateFields(iso: string, name = 'effectiveFrom'): Record<string, string> {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y as string }
}

/** The file with one line changed, zipped again: what someone altering it on its way would send. */
function altered(file: Buffer, change: (lines: string[]) => void): Buffer {
  const lines = gunzipSync(file).toString('utf8').split('\n')
  change(lines)
  return gzipSync(Buffer.from(lines.join('\n'), 'utf8'))
}

/**
 * X-07, ADR 52: `haven verify-audit` checks the entries a school brought as at import, against the
 * trust's log entry that accepted them. The trust's database is backed up and restored with the
 * commands (the restore verifying the log, brought entries included) into a database of its own;
 * there an intact log says how many brought entries it checked, and one altered directly in the
 * database is named, with its school.
 */
async function broughtEntriesVerified(
  t: TestContext,
  db: Db,
  expected: { school: string; brought: number },
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-brought-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'trust.haven-backup')
  await writeBackup(db, file, { replace: false, source: testDatabaseKind() })
  const target = await namedDatabase(t)
  const haven = async (...args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(args, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ...target.env, LOG_LEVEL: 'silent' },
    })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const restored = await haven('restore', file)
  assert.equal(restored.code, 0, restored.err)
  const intact = await haven('verify-audit')
  assert.equal(intact.code, 0, intact.err)
  assert.match(
    intact.out,
    new RegExp(
      `^Audit log intact: \\d+ entries; ${expected.brought} entries brought by schools from their previous installations$`,
    ),
  )
  const handle = await target.open()
  let altered: string
  try {
    altered = await handle.db.transaction().execute(async (trx) => {
      await sql`alter table imported_audit_event disable trigger imported_audit_event_append_only`.execute(trx)
      const row = await sql<{ source_id: string }>`
        update imported_audit_event set entry = jsonb_set(entry, '{action}', '"record.print"')
         where source_id = (select min(source_id) from imported_audit_event) returning source_id`.execute(trx)
      await sql`alter table imported_audit_event enable trigger imported_audit_event_append_only`.execute(trx)
      return String(row.rows[0]!.source_id)
    })
  } finally {
    await handle.close()
  }
  const broken = await haven('verify-audit')
  assert.equal(broken.code, 1)
  assert.equal(
    broken.err,
    `Audit entries ${expected.school} brought from its previous installation have been altered: its entry ${altered}: its contents no longer match its hash`,
  )
}

test('issue 14, X-01: a school joins a trust on another installation with its signed file, keeping its history; a tampered file is refused with nothing written', async (t) => {
  const now = new Date('2026-10-05T10:00:00Z')
  const schoolSide = await buildTestApp(t, {}, { clock: () => now })
  const trustSide = await buildTestApp(t, {}, { clock: () => now })
  const sdb = schoolSide.database.db
  const tdb = trustSide.database.db

  // The school, on its own installation: its own policy (a stricter frequency for the leads, a
  // requirement of its own), its people, a held session, its figures and audit entries.
  const { school, teacher, sessionId } = await joiningSchool(sdb, {
    othersLooser: false,
    teacherAccount: true,
  })
  // the DSL saw the session's preparation before the school moved: its trail says so.
  await sessionOpened(sdb, { ...school, actorId: school.personId, sessionId })
  const trailBefore = await schoolTrail(sdb, school.organisationId, school.schoolId)
  assert.equal(trailBefore.total, 1)
  const bookBefore = await policyBook(sdb, school.schoolId)
  const complianceBefore = await schoolCompliance(sdb, school.schoolId, '2026-10-05')
  const schoolAdmin = await signedInClient(schoolSide.app, sdb, school.personId)
  // An audit entry of the school, written through the app before it moves.
  assert.equal((await schoolAdmin.get('/policy')).statusCode, 200)

  // The trust, on its own installation, with its policy; its administrator invites a school.
  const { trustId, trustAdminId } = await trustWithPolicy(tdb)
  // A role the school and the trust both have (the same id, made from the name): it becomes the trust's.
  await sdb
    .insertInto('custom_role')
    .values({
      organisation_id: school.organisationId,
      school_id: school.schoolId,
      id: 'pastoral-lead',
      name: 'Pastoral Lead',
    })
    .execute()
  await tdb
    .insertInto('custom_role')
    .values({ organisation_id: trustId, school_id: null, id: 'pastoral-lead', name: 'Pastoral lead' })
    .execute()
  const trustAdmin = await signedInClient(trustSide.app, tdb, trustAdminId)
  const invited = await trustAdmin.post('/trust/invite-a-school', dateFields('2026-10-12'))
  const code = /<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(invited.body)?.[1]
  assert.ok(code, words(invited.body))

  // The school's administrator enters the code on the school's installation, reads, confirms.
  const teacherClient = await signedInClient(schoolSide.app, sdb, teacher)
  assert.equal((await teacherClient.post('/admin/move-to-a-trust', { code, confirm: 'yes' })).statusCode, 403)
  const badCode = await schoolAdmin.post('/admin/move-to-a-trust', { code: 'not a code', confirm: 'yes' })
  assert.equal(badCode.statusCode, 400)
  assert.match(words(badCode.body), /Enter the code the trust gave you, as it was given/)
  const preview = await schoolAdmin.post('/admin/move-to-a-trust', { code, confirm: '' })
  assert.equal(preview.statusCode, 200, words(preview.body))
  assert.match(words(preview.body), /Move Oakfield Primary School to its trust’s Haven/)
  assert.equal(await sdb.selectFrom('school_bundle_export').select('school_id').executeTakeFirst(), undefined)
  const moved = await schoolAdmin.post('/admin/move-to-a-trust', { code, confirm: 'yes' })
  assert.equal(moved.statusCode, 303, words(moved.body))
  const page = words((await schoolAdmin.get('/admin/move-to-a-trust')).body)
  const fingerprint = /([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(page)?.[1]
  assert.ok(fingerprint, page)
  const download = await schoolAdmin.get('/admin/move-to-a-trust/school-file')
  assert.equal(download.statusCode, 200)
  assert.match(String(download.headers['content-disposition']), /attachment; filename="oakfield\.haven-school"/)
  const file = download.rawPayload
  assert.ok(file.length > 0)

  // The school is read-only on its own installation now, and gets no more mail.
  const change = await schoolAdmin.post('/admin/join-a-trust', { code, confirm: '' })
  assert.equal(change.statusCode, 409)
  assert.match(words(change.body), /The school has moved to its trust’s Haven/)
  const mail = await enqueueEmail(sdb, {
    kind: 'session.changed',
    to: emailOf('Tom Tate'),
    organisationId: school.organisationId,
    subject: 'A reminder',
    text: 'A reminder',
  })
  assert.equal(mail.created, false, 'no more mail for a school that moved')

  // A tampered file, a file that is not one, and a wrong fingerprint: refused, nothing written.
  const before = await allRowCounts(tdb)
  const upload = (content: Buffer, typed = fingerprint) =>
    postFile(
      trustSide.app,
      trustAdmin,
      '/trust/import-a-school',
      { filename: 'oakfield.haven-school', content, type: 'application/gzip' },
      { fields: { fingerprint: typed } },
    )
  const tampered = await upload(
    altered(file, (lines) => {
      const i = lines.findIndex((l) => l.includes('"Tom Tate"'))
      lines[i] = lines[i]!.replace('"Tom Tate"', '"Tim Tate"')
    }),
  )
  assert.equal(tampered.statusCode, 400, words(tampered.body))
  assert.match(words(tampered.body), /The school’s file has been changed since the school made it/)
  const notAFile = await upload(Buffer.from('name,email\nTom,tom@example.org\n'))
  assert.equal(notAFile.statusCode, 400)
  assert.match(words(notAFile.body), /The selected file must be a school’s file from Haven/)
  const wrongPrint = await upload(file, 'AAAA-BBBB-CCCC-DDDD-EEEE')
  assert.equal(wrongPrint.statusCode, 400)
  assert.match(words(wrongPrint.body), /The fingerprint does not match the school’s file/)
  const noFile = await postFile(
    trustSide.app,
    trustAdmin,
    '/trust/import-a-school',
    { filename: '', content: '' },
    { fields: { fingerprint: '' } },
  )
  assert.equal(noFile.statusCode, 400)
  assert.match(words(noFile.body), /Select the school’s file.*Enter the fingerprint/)
  assert.deepEqual(await allRowCounts(tdb), before, 'nothing written by a refused file')

  // The trust's administrator imports it with the fingerprint read out.
  const imported = await upload(file, fingerprint.toLowerCase().replace(/-/g, ' '))
  assert.equal(imported.statusCode, 200, words(imported.body))
  assert.match(words(imported.body), /Oakfield Primary School has joined the trust/)
  assert.match(words(imported.body), /From 12 October 2026, the school follows the trust policy/)
  assert.match(words(imported.body), /Pastoral Lead: the trust has this role already, as Pastoral lead/)
  assert.deepEqual(
    await tdb
      .selectFrom('custom_role')
      .select(['organisation_id', 'school_id', 'name'])
      .where('id', '=', 'pastoral-lead')
      .execute(),
    [{ organisation_id: trustId, school_id: null, name: 'Pastoral lead' }],
  )

  // The same rows, with the same ids, now the trust's.
  const schoolRow = await tdb
    .selectFrom('school')
    .select(['organisation_id', 'name'])
    .where('id', '=', school.schoolId)
    .executeTakeFirstOrThrow()
  assert.equal(schoolRow.organisation_id, trustId)
  const people = await tdb
    .selectFrom('person')
    .select(['id', 'organisation_id', 'roles'])
    .where('school_id', '=', school.schoolId)
    .execute()
  assert.deepEqual(new Set(people.map((p) => p.id)).has(teacher), true)
  assert.ok(people.every((p) => p.organisation_id === trustId))
  assert.deepEqual(people.find((p) => p.id === school.personId)?.roles, ['dsl'], 'the trust’s administrators manage it')
  const session = await tdb
    .selectFrom('supervision_session')
    .select(['id', 'school_id'])
    .where('id', '=', sessionId)
    .executeTakeFirst()
  assert.deepEqual(session, { id: sessionId, school_id: school.schoolId })
  // Every session, participant, policy version and account of the school came across, none lost.
  const ofSchool = async (db: Db) => ({
    sessions: await db
      .selectFrom('supervision_session')
      .select('id')
      .where('school_id', '=', school.schoolId)
      .orderBy('id')
      .execute(),
    participants: await db
      .selectFrom('session_participant as p')
      .innerJoin('supervision_session as s', 's.id', 'p.session_id')
      .select(['p.session_id', 'p.person_id'])
      .where('s.school_id', '=', school.schoolId)
      .orderBy('p.session_id')
      .orderBy('p.person_id')
      .execute(),
    versions: await db
      .selectFrom('policy_version')
      .select(['id', 'version'])
      .where('school_id', '=', school.schoolId)
      .orderBy('version')
      .execute(),
    accounts: await db
      .selectFrom('account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['a.person_id', 'a.password_hash'])
      .where('p.school_id', '=', school.schoolId)
      .orderBy('a.person_id')
      .execute(),
  })
  assert.deepEqual(await ofSchool(tdb), await ofSchool(sdb))

  // the school's own versions judge every day before the date; the trust's policy from it.
  const bookAfter = await policyBook(tdb, school.schoolId)
  assert.deepEqual(bookAfter.on('2026-09-20'), bookBefore.on('2026-09-20'))
  assert.deepEqual(bookAfter.on('2026-10-11'), bookBefore.on('2026-10-11'))
  const following = bookAfter.on('2026-10-12') as SourcedPolicy
  assert.equal(following.sources?.trust.name, 'Fenland Learning Trust')
  assert.deepEqual(following.sources?.academy, ['requirement:oak-office', 'requirement:fl-leads:frequency'])
  assert.deepEqual(
    await schoolCompliance(tdb, school.schoolId, '2026-10-05'),
    complianceBefore,
    'compliance on the day unchanged',
  )

  // the school's access trail reads the same on the trust's installation, from the entries
  // it brought.
  const trailAfter = await schoolTrail(tdb, trustId, school.schoolId)
  assert.equal(trailAfter.total, 1)
  assert.deepEqual(
    trailAfter.entries.map((e) => [e.actorName, e.what, e.sessionDate, e.occurredAt.toISOString()]),
    trailBefore.entries.map((e) => [e.actorName, e.what, e.sessionDate, e.occurredAt.toISOString()]),
  )
  assert.deepEqual(trailAfter.people, trailBefore.people)

  // The school's audit entries: kept beside the trust's chain, verifiable, their head recorded.
  const sourceAudit = await sdb
    .selectFrom('audit_event')
    .select(['id', 'hash'])
    .where((eb) => eb.or([eb('organisation_id', '=', school.organisationId), eb('school_id', '=', school.schoolId)]))
    .orderBy('id')
    .execute()
  const segment = await tdb.selectFrom('imported_audit_segment').selectAll().executeTakeFirstOrThrow()
  assert.equal(segment.entries, sourceAudit.length)
  assert.equal(segment.head_hash, sourceAudit.at(-1)?.hash)
  const importedEntry = await tdb
    .selectFrom('audit_event')
    .select(['detail', 'organisation_id'])
    .where('action', '=', 'trust.school-imported')
    .executeTakeFirstOrThrow()
  assert.equal(importedEntry.organisation_id, trustId)
  assert.equal(importedEntry.detail.auditHeadHash, sourceAudit.at(-1)?.hash)
  assert.equal(importedEntry.detail.fingerprint, fingerprint)
  assert.deepEqual(await verifyAuditChain(tdb), {
    ok: true,
    count: (await tdb.selectFrom('audit_event').select('id').execute()).length,
    brought: sourceAudit.length,
  })
  await assert.rejects(
    sql`update imported_audit_event set hash = 'x'`.execute(tdb),
    /append-only/,
    'the school’s audit entries are read-only',
  )
  await broughtEntriesVerified(t, tdb, { school: 'Oakfield Primary School', brought: sourceAudit.length })

  // The school's people sign in to the trust's installation with their own passwords.
  const browser = client(trustSide.app)
  const signIn = await browser.post('/sign-in', { email: emailOf('Tom Tate'), password: ADMIN_PASSWORD })
  assert.equal(signIn.statusCode, 302, words(signIn.body))
  assert.ok(!String(signIn.headers.location).startsWith('/sign-in?'), String(signIn.headers.location))
  const formerAdmin = await signedInClient(trustSide.app, tdb, school.personId)
  assert.equal((await formerAdmin.get('/policy')).statusCode, 200)

  // Her subject access export holds the audit entries about her or by her that the school
  // brought, marked, before the trust's own (issue 15, ADR 52).
  const hers = await sdb
    .selectFrom('audit_event')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('school_id', '=', school.schoolId),
        eb.and([eb('school_id', 'is', null), eb('organisation_id', '=', school.organisationId)]),
      ]),
    )
    .where((eb) => eb.or([eb('actor_id', '=', school.personId), eb('subject_id', '=', school.personId)]))
    .orderBy('id')
    .execute()
  assert.ok(hers.length >= 2, 'the session she opened and the policy she read, at least')
  await sessionOpened(tdb, { organisationId: trustId, schoolId: school.schoolId, actorId: school.personId, sessionId })
  const exported = await subjectAuditOf(formerAdmin, school.personId)
  assert.deepEqual(
    exported.filter((e) => e.broughtFromPreviousInstallation).map((e) => e.id),
    hers.map((e) => Number(e.id)),
  )
  assert.ok(exported.some((e) => e.action === 'record.open' && e.byThisPerson && e.broughtFromPreviousInstallation))
  assert.deepEqual(
    exported.slice(hers.length).map((e) => [e.action, e.byThisPerson, e.broughtFromPreviousInstallation]),
    [['record.open', true, false]],
    'the trust’s own entries after those brought',
  )

  // The same file again: its invitation is used, so it is refused with nothing written.
  const afterImport = await allRowCounts(tdb)
  const again = await upload(file)
  assert.equal(again.statusCode, 400)
  assert.match(words(again.body), /not made with the code of one of this trust’s invitations/)
  assert.deepEqual(await allRowCounts(tdb), afterImport)

  // The school stays after all, then makes a second file with a new invitation's code: every id
  // in it is already on the trust's installation, so it is refused with nothing written.
  assert.equal((await schoolAdmin.post('/admin/move-to-a-trust/cancel', {})).statusCode, 303)
  assert.equal(await sdb.selectFrom('school_bundle_export').select('school_id').executeTakeFirst(), undefined)
  const invitedAgain = await trustAdmin.post('/trust/invite-a-school', dateFields('2026-10-12'))
  const secondCode = /<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(invitedAgain.body)?.[1]
  assert.ok(secondCode)
  assert.equal((await schoolAdmin.post('/admin/move-to-a-trust', { code: secondCode, confirm: 'yes' })).statusCode, 303)
  const secondPrint = /([A-Z2-9]{4}(?:-[A-Z2-9]{4}){4})/.exec(
    words((await schoolAdmin.get('/admin/move-to-a-trust')).body),
  )?.[1]
  assert.ok(secondPrint && secondPrint !== fingerprint, 'a new key for the new file')
  const secondFile = (await schoolAdmin.get('/admin/move-to-a-trust/school-file')).rawPayload
  const beforeClash = await allRowCounts(tdb)
  const clash = await upload(secondFile, secondPrint)
  assert.equal(clash.statusCode, 400, words(clash.body))
  assert.match(
    words(clash.body),
    /Some of the school’s records are already on this installation, so nothing was imported/,
  )
  assert.deepEqual(await allRowCounts(tdb), beforeClash)

  // The school, moved again, is read-only to its integrations too: the API reads, and refuses
  // every change.
  const { token } = await createApiToken(sdb, {
    organisationId: school.organisationId,
    schoolId: school.schoolId,
    actorId: school.personId,
    name: 'CPOMS',
    scopes: [ApiScope.DecisionsRead, ApiScope.DecisionsAcknowledge],
    expiresOn: null,
    now,
  })
  const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const read = await schoolSide.app.inject({ method: 'GET', url: paths.api.decisions(), headers: bearer })
  assert.equal(read.statusCode, 200, read.body)
  const write = await schoolSide.app.inject({
    method: 'POST',
    url: paths.api.decisionEntered({ decisionId: crypto.randomUUID() }),
    headers: bearer,
    payload: JSON.stringify({ reference: 'CPOMS-1' }),
  })
  assert.equal(write.statusCode, 409, write.body)
  assert.match(String(write.headers['content-type']), /application\/problem\+json/)
  assert.match(write.json().title, /moved/)
})

test('X-06: a record’s audit entries brought from another installation count in its checks, before those written here', async (t) => {
  const { database } = await buildTestApp(t)
  const db = database.db
  const { trustId, academyId } = await insertTrustWithAcademy(db)
  const recordId = crypto.randomUUID()
  // Two entries as the school's file carries them (each a row of its audit log, as JSON).
  const carried = (id: number, action: string, at: string) =>
    JSON.stringify({
      id,
      action,
      occurred_at: at,
      organisation_id: crypto.randomUUID(),
      school_id: academyId,
      actor_id: null,
      subject_type: 'record',
      subject_id: recordId,
      detail: { contentHash: `hash-${id}` },
      ip: null,
      prev_hash: `prev-${id}`,
      hash: `entry-${id}`,
    })
  await insertAuditSegment(db, {
    organisationId: trustId,
    schoolId: academyId,
    sourceOrganisationId: crypto.randomUUID(),
    publicKey: 'a public key',
    head: { id: 8, hash: 'entry-8' },
    at: new Date('2026-10-12T09:00:00Z'),
    lines: [
      carried(7, 'record.sign', '2026-09-20T10:00:00.000Z'),
      carried(8, 'record.open', '2026-09-21T10:00:00.000Z'),
    ],
  })
  await recordAudit(db, {
    action: 'record.sign',
    subjectType: 'record',
    subjectId: recordId,
    organisationId: trustId,
    schoolId: academyId,
    detail: { contentHash: 'hash-here' },
  })
  const entries = await auditEntriesFor(db, { type: 'record', id: recordId }, ['record.sign'])
  assert.deepEqual(
    entries.map((e) => [e.action, (e.detail as { contentHash: string }).contentHash]),
    [
      ['record.sign', 'hash-7'],
      ['record.sign', 'hash-here'],
    ],
  )
  assert.equal(entries[0]!.occurredAt.toISOString(), '2026-09-20T10:00:00.000Z')
})
