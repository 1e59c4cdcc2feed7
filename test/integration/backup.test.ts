/**
 * Issue 12: `haven backup` and `haven restore` round-trip a school with signed records, an
 * addendum and the audit chain, on whichever database the suite runs on (PGlite, or PostgreSQL with
 * HAVEN_TEST_DB=postgres): afterwards every table holds what it held, `verify-audit` passes and
 * still holds the backup's anchor, and every record's hashes and signatures still check. A
 * non-empty database is refused without --force; a damaged file restores nothing.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import zlib from 'node:zlib'
import { sql } from 'kysely'
import { runCli } from '../../src/cli.ts'
import type { Db } from '../../src/db/database.ts'
import { recordIntegrity } from '../../src/services/records/integrity.ts'
import { addAddendum, signRecord } from '../../src/services/records/records.ts'
import { insertOrganisation, insertPersonWithAccount } from '../builders/organisation.ts'
import { type NamedDatabase, namedDatabase } from '../helpers/named-database.ts'
import { completedRecord, insertSession, loadRecord, passStepUp } from '../helpers/records.ts'

const SESSION_DATE = '2026-10-05'
const mailer = { baseUrl: 'http://localhost:3000' }

function capture(env: Record<string, string>) {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err }
}

async function withDb<T>(target: NamedDatabase, fn: (db: Db) => Promise<T>): Promise<T> {
  const handle = await target.open()
  try {
    return await fn(handle.db)
  } finally {
    await handle.close()
  }
}

/** A school on The Cornerstone Academy's policy with two records signed by both parties, one with an addendum. */
async function school(db: Db): Promise<string[]> {
  const org = await insertOrganisation(db, { packId: 'cornerstone' })
  const at = { organisationId: org.organisationId, schoolId: org.schoolId }
  const supervisor = await insertPersonWithAccount(db, at, {
    name: 'Dana Ellis',
    email: 'dana.ellis@oakfield.example',
    roles: ['pastoral-lead'],
  })
  const supervisee = await insertPersonWithAccount(db, at, {
    name: 'Priya Shah',
    email: 'priya.shah@oakfield.example',
  })
  const actor = (personId: string, name: string) => ({ personId, name, organisationId: org.organisationId })
  const ids: string[] = []
  for (const summary of ['We discussed attendance.', 'We agreed a referral: “early help”, £0 cost, 10% more time.']) {
    const sessionId = await insertSession(db, {
      schoolId: org.schoolId,
      typeId: 'formal-planned',
      date: SESSION_DATE,
      supervisors: [supervisor],
      supervisees: [supervisee],
    })
    const { recordId, contentHash } = await completedRecord(db, {
      sessionId,
      schoolId: org.schoolId,
      date: SESSION_DATE,
      supervisor: actor(supervisor, 'Dana Ellis'),
      summary,
      mailer,
    })
    for (const [id, name] of [
      [supervisee, 'Priya Shah'],
      [supervisor, 'Dana Ellis'],
    ] as const) {
      const proof = await passStepUp(db, actor(id, name), recordId)
      const signed = await signRecord(db, proof, { recordId, actor: actor(id, name), shownHash: contentHash, mailer })
      assert.ok(signed.ok, JSON.stringify(signed))
    }
    ids.push(recordId)
  }
  const added = await addAddendum(db, {
    recordId: ids[0]!,
    actor: actor(supervisee, 'Priya Shah'),
    text: 'The referral went on Thursday.',
    mailer,
  })
  assert.ok(added.ok)
  return ids
}

/** Every table's rows as PostgreSQL writes them, in key order (the audit log apart). */
async function contents(db: Db): Promise<Map<string, string[]>> {
  const tables = (
    await sql<{ name: string }>`select tablename as name from pg_tables
      where schemaname = current_schema() and tablename not like 'haven_migration%' order by 1`.execute(db)
  ).rows.map((r) => r.name)
  const out = new Map<string, string[]>()
  for (const table of tables) {
    const rows = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(table)} t`.execute(db)
    out.set(table, rows.rows.map((r) => r.row).sort())
  }
  return out
}

async function recordsIntact(db: Db, ids: readonly string[]) {
  for (const id of ids) {
    const record = (await loadRecord(db, id))!
    assert.equal(record.status, 'signed')
    assert.equal(record.signatures.filter((s) => !s.superseded).length, 2)
    assert.deepEqual(await recordIntegrity(db, record), { altered: false, reasons: [] })
  }
}

test('haven backup and haven restore round-trip a school with signed records and the audit chain', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-backup-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'oakfield.haven-backup')
  const source = await namedDatabase(t)
  const target = await namedDatabase(t)
  const env = (db: NamedDatabase) => ({ ...db.env, LOG_LEVEL: 'silent' })

  const ids = await withDb(source, school)
  const backup = capture(env(source))
  assert.equal(await runCli(['backup', file], backup.io), 0, backup.err.join('\n'))
  assert.match(backup.out[0]!, /^Backed up \d+ rows from \d+ tables to /)
  const anchor = /anchor at the backup: (\d+:[0-9a-f]{64})$/.exec(backup.out[1] ?? '')?.[1]
  assert.ok(anchor, backup.out.join('\n'))
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'only its owner may read a backup')
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.includes('partial')),
    [],
  )
  const again = capture(env(source))
  assert.equal(await runCli(['backup', file], again.io), 1)
  assert.match(again.err[0]!, /already exists: choose another name, or add --force/)
  const before = await withDb(source, contents)

  const restore = capture(env(target))
  assert.equal(await runCli(['restore', file], restore.io), 0, restore.err.join('\n'))
  assert.match(restore.out.join('\n'), /Restored \d+ rows in \d+ tables/)
  assert.match(restore.out.join('\n'), /Audit log intact/)

  await withDb(target, async (db) => {
    const after = await contents(db)
    for (const [table, rows] of before) {
      if (table === 'audit_event') continue
      assert.deepEqual(after.get(table), rows, table)
    }
    // The log as it was at the backup (whose own entry came after it), then the restore, recorded.
    const log = after.get('audit_event')!
    const anchoredId = Number(anchor.split(':')[0])
    const kept = before.get('audit_event')!.filter((row) => (JSON.parse(row) as { id: number }).id <= anchoredId)
    assert.ok(kept.length > 5)
    for (const row of kept) assert.ok(log.includes(row), row)
    assert.equal(log.length, kept.length + 1)
    const actions = await db.selectFrom('audit_event').select('action').orderBy('id', 'desc').limit(1).execute()
    assert.equal(actions[0]!.action, 'backup.restore')
    await recordsIntact(db, ids)
    // Sequences carry on where they were: the next audit entry follows the restored ones.
    const ids_ = (await db.selectFrom('audit_event').select('id').orderBy('id').execute()).map((r) => r.id)
    assert.deepEqual(
      ids_,
      [...ids_].sort((a, b) => a - b),
    )
  })
  for (const args of [['verify-audit'], ['verify-audit', '--expect', anchor]]) {
    const verify = capture(env(target))
    assert.equal(await runCli(args, verify.io), 0, verify.err.join('\n'))
  }

  // A database that holds anything is not overwritten without --force.
  const refused = capture(env(target))
  assert.equal(await runCli(['restore', file], refused.io), 1)
  assert.match(refused.err[0]!, /nothing restored: the database is not empty .* add --force to replace everything/)

  // With --force it is replaced, all of it: a change since is gone.
  await withDb(target, (db) =>
    db
      .updateTable('person')
      .set({ name: 'Someone Else' })
      .execute()
      .then(() => undefined),
  )
  const forced = capture(env(target))
  assert.equal(await runCli(['restore', file, '--force'], forced.io), 0, forced.err.join('\n'))
  await withDb(target, async (db) => {
    const after = await contents(db)
    assert.deepEqual(after.get('person'), before.get('person'))
    await recordsIntact(db, ids)
  })
  const verified = capture(env(target))
  assert.equal(await runCli(['verify-audit', '--expect', anchor], verified.io), 0, verified.err.join('\n'))
})

test('a damaged backup restores nothing, in one transaction', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-backup-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const source = await namedDatabase(t)
  const target = await namedDatabase(t)
  const env = (db: NamedDatabase) => ({ ...db.env, LOG_LEVEL: 'silent' })
  await withDb(source, school)
  const file = path.join(dir, 'good')
  assert.equal(await runCli(['backup', file], capture(env(source)).io), 0)
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')

  const damaged = {
    // A name changed in a row: the checksum no longer matches (found at the very end).
    changed: zlib.gzipSync(text.replace('Priya Shah', 'Priya Shaw')),
    // The last lines lost.
    'cut short': zlib.gzipSync(text.split('\n').slice(0, -6).join('\n')),
    // Not gzip at all.
    'not a backup': Buffer.from('hello'),
  }
  const expected = {
    changed: /checksum does not match/,
    'cut short': /incomplete/,
    'not a backup': /not a Haven backup/,
  }
  for (const [name, bytes] of Object.entries(damaged)) {
    const bad = path.join(dir, name)
    fs.writeFileSync(bad, bytes)
    const c = capture(env(target))
    assert.equal(await runCli(['restore', bad], c.io), 1, name)
    assert.match(c.err[0]!, /^haven: nothing restored: /, name)
    assert.match(c.err[0]!, expected[name as keyof typeof expected], name)
    const people = await withDb(target, (db) => db.selectFrom('person').select('id').execute())
    assert.equal(people.length, 0, `${name}: nothing half-restored`)
  }
  const missing = capture(env(target))
  assert.equal(await runCli(['restore', path.join(dir, 'nowhere')], missing.io), 1)
  assert.match(missing.err[0]!, /no such file/)
  const usage = capture(env(target))
  assert.equal(await runCli(['restore'], usage.io), 2)
  assert.match(usage.err[0]!, /usage: haven restore <file> \[--force\]/)
})
