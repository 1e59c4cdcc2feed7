/**
 * The inspection evidence pack through the real app (issue 16, item 3), on the overview's small
 * school (overview-school.ts) on Monday 23 November 2026, for the autumn term so far (1 September
 * to 23 November 2026): the default pack's files, its manifest's hashes checked against the files
 * unzipped, no record content in it, refusals for anyone but the DSL and the headteacher (and for
 * content, anyone but the DSL), and record content only after a reason, a confirmation and the
 * audit entries.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { parse as parseCsv } from 'csv-parse/sync'
import { recordsBetween } from '../../src/db/repositories/evidence-pack.ts'
import type { Manifest } from '../../src/domain/evidence-pack/index.ts'
import { NoPolicyError } from '../../src/services/compliance/school-compliance.ts'
import { startEvidencePackApart } from '../../src/services/evidence-pack/apart.ts'
import { type PackRequest, startEvidencePack } from '../../src/services/evidence-pack/pack.ts'
import type { Client } from '../helpers/browser-like.ts'
import { testDatabaseKind } from '../helpers/database.ts'
import { html, textOf } from '../helpers/html.ts'
import { signedInClientByEmail } from '../helpers/sessions.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { buildTestApp, type TestApp } from '../helpers/test-app.ts'
import { readZip, type ZipEntry } from '../helpers/zip.ts'
import { buildOverviewSchool, driftingWording, type OverviewSchool, overdueWording } from './overview-school.ts'

const period = {
  'from-day': '1',
  'from-month': '9',
  'from-year': '2026',
  'to-day': '23',
  'to-month': '11',
  'to-year': '2026',
}
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

function manifestOf(entries: readonly ZipEntry[]): Manifest {
  const file = entries.find((e) => e.name === 'manifest.json')
  assert.ok(file, 'the pack has a manifest')
  return JSON.parse(file.data.toString('utf8')) as Manifest
}

/** Every file but the manifest is listed in it, with the size and the SHA-256 of what was unzipped. */
function assertManifestMatches(entries: readonly ZipEntry[]): Manifest {
  const manifest = manifestOf(entries)
  const files = entries.filter((e) => e.name !== 'manifest.json')
  assert.deepEqual(
    manifest.files.map((f) => f.path),
    files.map((e) => e.name),
  )
  for (const entry of files) {
    const listed = manifest.files.find((f) => f.path === entry.name)!
    assert.equal(listed.sha256, sha256(entry.data), `${entry.name}: hash`)
    assert.equal(listed.bytes, entry.data.length, `${entry.name}: size`)
  }
  return manifest
}

describe('the inspection evidence pack (issue 16)', () => {
  let t: TestApp
  let built: OverviewSchool
  let dsl: Client
  let head: Client
  let deputy: Client
  let teacher: Client
  const cleanups: (() => Promise<void>)[] = []
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  const audits = (action: string) =>
    t.database.db
      .selectFrom('audit_event')
      .select(['actor_id', 'subject_id', 'subject_type', 'detail'])
      .where('action', '=', action)
      .orderBy('id')
      .execute()

  before(async () => {
    t = await buildTestApp(
      { after: (fn) => void cleanups.push(fn as () => Promise<void>) },
      {},
      { clock: () => new Date('2026-11-23T12:00:00Z') },
    )
    const db = t.database.db
    built = await buildOverviewSchool(db)
    await relaxTwoStep(db, built.organisationId, built.adminId)
    ;[dsl, head, deputy, teacher] = await Promise.all([
      signedInClientByEmail(t.app, db, built.emails.dsl),
      signedInClientByEmail(t.app, db, built.emails.head),
      signedInClientByEmail(t.app, db, built.emails.deputy),
      signedInClientByEmail(t.app, db, built.emails.teacher),
    ])
  })

  test('X-01, X-04, X-05, LH-08, CA-03: the default pack holds the policy, scope, compliance, sessions, contracts, training and the governors’ report, and every hash in its manifest matches', async () => {
    const page = await dsl.get('/evidence-pack')
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body, 'h1'), /Inspection evidence pack/)
    assert.equal(html(page.body).querySelector('#from-day')?.getAttribute('value'), '1', 'the academic year by default')

    const res = await dsl.post('/evidence-pack', { ...period, holds: 'metadata' })
    assert.equal(res.statusCode, 200, res.body.slice(0, 500))
    assert.equal(res.headers['content-type'], 'application/zip')
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename="evidence-pack-[a-z0-9-]+-2026-09-01-to-2026-11-23\.zip"$/,
    )
    const entries = readZip(res.rawPayload)
    assert.deepEqual(
      entries.map((e) => e.name),
      [
        'README.txt',
        'policy/versions.csv',
        'policy/version-1.json',
        'policy/summary.pdf',
        'people/in-scope.csv',
        'people/compliance.csv',
        'sessions/sessions.csv',
        'sessions/cancellations.csv',
        'contracts/signed.csv',
        'training/supervisors.csv',
        'governors/report-2026-27-autumn.pdf',
        'governors/report-2026-27-autumn.csv',
        'manifest.json',
      ],
    )
    const manifest = assertManifestMatches(entries)
    assert.equal(manifest.recordContent, false)
    assert.equal(manifest.from, '2026-09-01')
    assert.equal(manifest.to, '2026-11-23')

    const sheet = (name: string) =>
      parseCsv(entries.find((e) => e.name === name)!.data.toString('utf8'), { bom: true }) as string[][]
    // the six people in scope, each with the rule that brings them in.
    const inScope = sheet('people/in-scope.csv')
    assert.deepEqual(inScope[0], ['Name', 'Job title', 'In scope from', 'Why'])
    assert.deepEqual(
      inScope.slice(1).map((r) => r[0]),
      ['Ada Brook', 'Bea Clarke', 'Cal Doyle', 'Daniel Okafor', 'Dev Evans', 'Priya Raman'],
    )
    assert.ok(
      inScope.slice(1).every((r) => r[3] !== ''),
      'each says why',
    )
    // CSV injection: a job title that looks like a formula is written as text.
    assert.ok(inScope.some((r) => r[1]!.startsWith("'=")))
    const compliance = sheet('people/compliance.csv')
    assert.equal(compliance.find((r) => r[0] === 'Cal Doyle')![1], 'Overdue')
    assert.equal(compliance.find((r) => r[0] === 'Dev Evans')![1], 'Never supervised')
    // CA-03: Cal's session of 5 October, never rebooked, missed its deadline of 12 October.
    const cancellations = sheet('sessions/cancellations.csv')
    const cal = cancellations.find((r) => r[0] === '2026-10-05')!
    assert.deepEqual([cal[3], cal[4], cal[6]], ['Cal Doyle', '2026-10-12', 'Missed'])
    // each held session with its record's state, never its content.
    const sessions = sheet('sessions/sessions.csv')
    const ada = sessions.find((r) => r[0] === '2026-11-02')!
    assert.deepEqual([ada[2], ada[4], ada[5]], ['Held', 'Ada Brook', 'Signed and locked'])
    // LH-08: Daniel's supervisor training.
    const training = sheet('training/supervisors.csv')
    assert.ok(training.some((r) => r[0] === 'Daniel Okafor' && /^2023-/.test(r[3]!)))
    // no record content anywhere: not the wording of an action agreed in a session.
    for (const entry of entries) {
      const text = entry.data.toString('latin1')
      assert.ok(
        !text.includes(driftingWording) && !text.includes(overdueWording),
        `${entry.name} holds no record content`,
      )
    }
    assert.ok(
      entries
        .find((e) => e.name === 'policy/summary.pdf')!
        .data.subarray(0, 5)
        .equals(Buffer.from('%PDF-')),
    )

    const [entry] = await audits('evidence-pack.export')
    assert.ok(entry, 'the download is audited')
    assert.equal(entry.actor_id, built.ids.daniel)
    assert.deepEqual(entry.detail, { from: '2026-09-01', to: '2026-11-23', recordContent: false, records: 0 })
    assert.equal((await audits('record.export')).length, 0)
  })

  test('issue 16: the pack reads the records a page at a time, and the pages together are every record in the range, oldest first', async () => {
    const db = t.database.db
    const collect = async (pageSize: number) => {
      const pages: number[] = []
      const ids: string[] = []
      for await (const page of recordsBetween(db, built.schoolId, '2023-09-01', '2026-11-23', pageSize)) {
        pages.push(page.length)
        ids.push(...page.map((r) => `${r.sessionDate} ${r.id}`))
      }
      return { pages, ids }
    }
    const whole = await collect(1000)
    assert.ok(whole.ids.length >= 3, 'the school has records')
    assert.deepEqual(whole.ids, whole.ids.toSorted(), 'oldest first')
    const paged = await collect(2)
    assert.deepEqual(paged.ids, whole.ids)
    assert.ok(
      paged.pages.every((n) => n <= 2),
      'no page is longer than asked',
    )
  })

  test('issue 16: the headteacher downloads the default pack; a deputy or a teacher is refused; a period that ends after today is refused with a message', async () => {
    const page = await head.get('/evidence-pack')
    assert.equal(page.statusCode, 200)
    assert.equal(html(page.body).querySelector('input[name=holds]'), null, 'no choice of record content')
    const res = await head.post('/evidence-pack', { ...period })
    assert.equal(res.statusCode, 200)
    assertManifestMatches(readZip(res.rawPayload))

    assert.equal((await deputy.get('/evidence-pack')).statusCode, 403)
    assert.equal((await teacher.get('/evidence-pack')).statusCode, 403)
    assert.equal((await teacher.post('/evidence-pack', { ...period }, { formPage: '/' })).statusCode, 403)

    const late = await dsl.post('/evidence-pack', { ...period, 'to-day': '24' })
    assert.equal(late.statusCode, 400)
    assert.match(textOf(late.body, '.govuk-error-summary'), /End date must be today or in the past/)
    const blank = await dsl.post('/evidence-pack', { ...period, 'from-day': '', 'from-month': '', 'from-year': '' })
    assert.equal(blank.statusCode, 400)
    assert.match(textOf(blank.body, '.govuk-error-summary'), /Enter the start date/)
  })

  test('X-06: record content only for the DSL, after a reason, a second confirmation and the audit entries', async () => {
    const before = (await audits('evidence-pack.export')).length
    // The headteacher may not have it, whichever way they ask.
    const asHead = await head.post('/evidence-pack', { ...period, holds: 'content', reason: 'Inspection' })
    assert.equal(asHead.statusCode, 403)
    const direct = await head.post(
      '/evidence-pack/content',
      { from: '2026-09-01', to: '2026-11-23', reason: 'Inspection', confirm: 'yes' },
      { formPage: '/evidence-pack' },
    )
    assert.equal(direct.statusCode, 403)

    // The DSL: a reason is needed.
    const noReason = await dsl.post('/evidence-pack', { ...period, holds: 'content', reason: ' ' })
    assert.equal(noReason.statusCode, 400)
    assert.match(textOf(noReason.body, '.govuk-error-summary'), /Enter why you need what was written in the records/)

    // The first step shows the confirmation, and sends nothing.
    const reason = 'The inspector asked to see the records of the autumn term'
    const confirm = await dsl.post('/evidence-pack', { ...period, holds: 'content', reason })
    assert.equal(confirm.statusCode, 200)
    assert.match(String(confirm.headers['content-type']), /^text\/html/)
    assert.match(textOf(confirm.body, 'h1'), /Confirm you need what was written in the records/)
    assert.ok(confirm.body.includes(reason))
    const fields = { from: '2026-09-01', to: '2026-11-23', reason }

    // The second step, not confirmed: asked again, nothing audited.
    const unconfirmed = await dsl.post('/evidence-pack/content', fields, { formPage: '/evidence-pack' })
    assert.equal(unconfirmed.statusCode, 400)
    assert.match(
      textOf(unconfirmed.body, '.govuk-error-summary'),
      /Confirm that you need what was written in the records/,
    )
    assert.equal((await audits('evidence-pack.export')).length, before)
    assert.equal((await audits('record.export')).length, 0)

    const res = await dsl.post('/evidence-pack/content', { ...fields, confirm: 'yes' }, { formPage: '/evidence-pack' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/zip')
    const entries = readZip(res.rawPayload)
    const manifest = assertManifestMatches(entries)
    assert.equal(manifest.recordContent, true)
    const records = entries.filter((e) => e.name.startsWith('records/'))
    // The records of the sessions of 1 and 15 September, 15 October and 2 November.
    assert.equal(records.length, 4)
    for (const r of records) assert.ok(r.data.subarray(0, 5).equals(Buffer.from('%PDF-')), r.name)

    const packs = await audits('evidence-pack.export')
    assert.equal(packs.length, before + 1)
    const last = packs.at(-1)!
    assert.deepEqual(last.detail, { from: '2026-09-01', to: '2026-11-23', recordContent: true, records: 4 })
    const exported = await audits('record.export')
    assert.deepEqual(
      exported.map((e) => e.subject_id).sort(),
      [built.ids.r1b, built.ids.r1, built.ids.r2, built.ids.r3].sort(),
    )
    assert.ok(exported.every((e) => (e.detail as { pack: string }).pack === last.subject_id))
    // The reason is kept with the pack, not in the audit log (ids and codes only).
    const row = await t.database.db
      .selectFrom('evidence_pack')
      .select(['reason', 'record_content', 'made_by'])
      .where('id', '=', last.subject_id!)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { reason, record_content: true, made_by: built.ids.daniel })
    // Each supervisee sees who exported their record (the access trail).
    const trail = await dsl.get(`/records/access-trail?record=${built.ids.r1}`)
    assert.match(textOf(trail.body, 'main'), /Exported the record/)
  })

  test('ADR 53: on PostgreSQL the pack made in its own process is the pack made in process, file for file; no policy is refused before anything is recorded; a process that cannot make it says so', {
    skip: testDatabaseKind() !== 'postgres' && 'PGlite makes the pack in process',
  }, async () => {
    const url = t.database.url
    assert.ok(url, 'a PostgreSQL handle knows its connection string')
    const request: PackRequest = {
      school: built.school,
      range: { from: '2026-09-01', to: '2026-11-23' },
      actorId: built.ids.daniel!,
      today: '2026-11-23',
      now: new Date('2026-11-23T12:00:00Z'),
      content: null,
    }
    const unzipped = async (stream: AsyncIterable<unknown>) => {
      const chunks: Buffer[] = []
      for await (const chunk of stream) chunks.push(chunk as Buffer)
      return readZip(Buffer.concat(chunks)).map((e) => [e.name, sha256(e.data)])
    }
    const here = await startEvidencePack(t.database.db, request)
    const hereFiles = await unzipped(here.stream)
    await here.done
    const apart = await startEvidencePackApart(url, request)
    assert.equal(apart.fileName, here.fileName)
    assert.deepEqual(await unzipped(apart.stream), hereFiles)
    await apart.done
    const usage = await apart.usage
    assert.ok(usage.maxRss > 0 && usage.cpuMs > 0, 'the process reports its peak resident set and CPU time')

    const packsBefore = (await audits('evidence-pack.export')).length
    const bare = await t.database.db
      .insertInto('school')
      .values({ organisation_id: built.organisationId, slug: 'elm', name: 'Elm Grove School' })
      .returning(['id', 'slug', 'name'])
      .executeTakeFirstOrThrow()
    await assert.rejects(
      startEvidencePackApart(url, { ...request, school: { ...bare, organisationId: built.organisationId } }),
      NoPolicyError,
    )
    assert.equal((await audits('evidence-pack.export')).length, packsBefore, 'nothing recorded')

    const nowhere = new URL(url)
    nowhere.pathname = '/haven_no_such_database'
    await assert.rejects(startEvidencePackApart(nowhere.toString(), request), (error: Error) => {
      assert.ok(!(error instanceof NoPolicyError))
      assert.match(error.message, /haven_no_such_database/)
      return true
    })
  })
})
