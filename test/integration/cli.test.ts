import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { sql } from 'kysely'
import { runCli } from '../../src/cli.ts'
import { GENESIS_HASH, recordAudit } from '../../src/services/audit.ts'
import { checkToken } from '../../src/services/auth/accounts.ts'
import { insertOrganisation } from '../builders/organisation.ts'
import { adminUrl, runAdmin, withDatabase } from '../helpers/database.ts'
import { engineIndependent } from '../helpers/engines.ts'
import { namedDatabase } from '../helpers/named-database.ts'

function capture(env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err }
}

test('haven --help lists the commands and --version prints the version', engineIndependent(), async () => {
  const help = capture()
  assert.equal(await runCli(['--help'], help.io), 0)
  assert.match(help.out.join('\n'), /Usage: haven <command>/)
  assert.match(help.out.join('\n'), /migrate/)
  const version = capture()
  assert.equal(await runCli(['--version'], version.io), 0)
  assert.match(version.out[0]!, /^\d+\.\d+\.\d+$/)
})

test('an unknown command prints one line and exits non-zero', engineIndependent(), async () => {
  const c = capture()
  assert.equal(await runCli(['frobnicate'], c.io), 2)
  assert.equal(c.err.length, 1)
  assert.match(c.err[0]!, /unknown command "frobnicate"/)
})

test('a bad environment value is reported in one line naming the variable', engineIndependent(), async () => {
  const c = capture({ DATABASE_URL: 'mysql://nope' })
  assert.equal(await runCli(['migrate'], c.io), 1)
  assert.equal(c.err.length, 1)
  assert.match(c.err[0]!, /DATABASE_URL/)
  assert.doesNotMatch(c.err[0]!, /nope/)
})

test('haven migrate applies the migrations to the configured database', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-cli-'))
  // On PostgreSQL, a database of its own: never the one TEST_DATABASE_URL names.
  const name = `haven_cli_${process.pid}_${Date.now()}`
  const onPostgres = process.env.HAVEN_TEST_DB === 'postgres'
  if (onPostgres) await runAdmin(`create database ${name}`)
  const env = onPostgres ? { DATABASE_URL: withDatabase(adminUrl(), name) } : { DATA_DIR: dataDir }
  try {
    const c = capture({ ...env, LOG_LEVEL: 'silent' })
    assert.equal(await runCli(['migrate'], c.io), 0, c.err.join('\n'))
    assert.match(c.out.join('\n'), /up to date/)
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
    if (onPostgres) await runAdmin(`drop database if exists ${name} with (force)`)
  }
})

test(
  'haven create-admin sets up the organisation headlessly, reading the password from standard input',
  engineIndependent(),
  async (t) => {
    // A copy of the migrated template: migrating from nothing is haven migrate's test.
    const database = await namedDatabase(t)
    {
      const env = { ...database.env, LOG_LEVEL: 'silent' }
      const weak = capture(env)
      const args = [
        'create-admin',
        '--school',
        'Oakfield Primary',
        '--slug',
        'oakfield',
        '--name',
        'Amira Khan',
        '--email',
        'amira@oakfield.example',
      ]
      assert.equal(await runCli(args, { ...weak.io, stdin: async () => 'short\n' }), 2)
      assert.equal(weak.err.length, 1)
      assert.match(weak.err[0]!, /password: Password must be 12 characters or more/)
      const ok = capture(env)
      assert.equal(
        await runCli(args, { ...ok.io, stdin: async () => 'correct staple horse battery\n' }),
        0,
        ok.err.join('\n'),
      )
      assert.match(ok.out[0]!, /Set up Oakfield Primary \(oakfield\) with administrator amira@oakfield.example/)
      const again = capture(env)
      assert.equal(await runCli(args, { ...again.io, stdin: async () => 'correct staple horse battery\n' }), 1)
      assert.match(again.err[0]!, /already been set up/)
    }
  },
)

test('X-07: haven verify-audit --anchor prints the head; --expect detects newest entries deleted or the chain rewritten', async (t) => {
  const target = await namedDatabase(t)
  const env = { ...target.env, LOG_LEVEL: 'silent' }
  const write = async (n: number) => {
    const handle = await target.open()
    try {
      for (let i = 0; i < n; i++)
        await recordAudit(handle.db, { action: 'record.open', subjectType: 'record', subjectId: `r-${i}` })
    } finally {
      await handle.close()
    }
  }
  const tamper = async (statement: string) => {
    const handle = await target.open()
    try {
      await handle.db.transaction().execute(async (trx) => {
        await sql`alter table audit_event disable trigger audit_event_append_only`.execute(trx)
        await sql.raw(statement).execute(trx)
        await sql`alter table audit_event enable trigger audit_event_append_only`.execute(trx)
      })
    } finally {
      await handle.close()
    }
  }

  // An empty log has an anchor too: the start of the chain.
  const empty = capture(env)
  assert.equal(await runCli(['verify-audit', '--anchor'], empty.io), 0, empty.err.join('\n'))
  assert.deepEqual(empty.out, [`0:${GENESIS_HASH}`])

  await write(4)
  const head = capture(env)
  assert.equal(await runCli(['verify-audit', '--anchor'], head.io), 0, head.err.join('\n'))
  assert.equal(head.out.length, 1)
  const anchor = head.out[0]!
  assert.match(anchor, /^\d+:[0-9a-f]{64}$/)
  const [seq] = anchor.split(':')

  // Later entries do not disturb an older anchor.
  await write(2)
  const later = capture(env)
  assert.equal(await runCli(['verify-audit', '--expect', anchor], later.io), 0, later.err.join('\n'))
  assert.match(later.out.join('\n'), /Audit log intact: 6 entries, including entry \d+ as anchored/)

  // Deleting the newest entries leaves a valid but shorter chain: only the anchor notices.
  await tamper(`delete from audit_event where id >= ${seq}`)
  const plain = capture(env)
  assert.equal(await runCli(['verify-audit'], plain.io), 0)
  const cut = capture(env)
  assert.equal(await runCli(['verify-audit', '--expect', anchor], cut.io), 1)
  assert.deepEqual(cut.err, [
    `Audit log entry ${seq} in the anchor is missing: entries have been removed since the anchor was taken`,
  ])

  // Rewriting the chain (every hash recomputed) changes the anchored entry's hash.
  const rewritten = capture(env)
  const forged = `${Number(seq) - 1}:${'f'.repeat(64)}`
  assert.equal(await runCli(['verify-audit', '--expect', forged], rewritten.io), 1)
  assert.match(rewritten.err[0]!, /no longer has the hash in the anchor: the log has been rewritten/)

  // A malformed anchor is a usage error.
  const bad = capture(env)
  assert.equal(await runCli(['verify-audit', '--expect', 'yesterday'], bad.io), 2)
  assert.match(bad.err[0]!, /--expect takes the anchor printed by --anchor/)
  const help = capture()
  assert.equal(await runCli(['--help'], help.io), 0)
  assert.match(help.out.join('\n'), /verify-audit \[--anchor \| --expect <seq>:<hash>\]/)
})

test('haven invitation-link prints a working link for someone with no password, and refuses anyone else', async (t) => {
  const target = await namedDatabase(t)
  const env = { ...target.env, LOG_LEVEL: 'silent' }
  const handle = await target.open()
  try {
    const { organisationId, schoolId, input } = await insertOrganisation(handle.db)
    await handle.db
      .insertInto('person')
      .values({
        organisation_id: organisationId,
        school_id: schoolId,
        name: 'Cara Dunn',
        email: 'cara.dunn@oakfield.example',
        roles: ['class-teacher'],
      })
      .execute()
    await handle.db
      .insertInto('person')
      .values({
        organisation_id: organisationId,
        school_id: schoolId,
        name: 'Dev Left',
        email: 'dev.left@oakfield.example',
        roles: ['class-teacher'],
        end_date: '2020-08-31',
      })
      .execute()
    await handle.close()

    const ok = capture(env)
    assert.equal(
      await runCli(['invitation-link', '--email', 'Cara.Dunn@oakfield.example'], ok.io),
      0,
      ok.err.join('\n'),
    )
    assert.match(ok.out[0]!, /Invitation for Cara Dunn/)
    const token = /\/invitation\/([A-Za-z0-9_-]+)$/.exec(ok.out[1]!)?.[1]
    assert.ok(token, ok.out.join('\n'))

    const refusals: [string, RegExp][] = [
      [input.adminEmail, /already set a password/],
      ['dev.left@oakfield.example', /has left/],
      ['nobody@oakfield.example', /No one in Haven/],
    ]
    for (const [email, message] of refusals) {
      const refused = capture(env)
      assert.equal(await runCli(['invitation-link', '--email', email], refused.io), 1)
      assert.match(refused.err[0]!, message)
    }
    const usage = capture(env)
    assert.equal(await runCli(['invitation-link'], usage.io), 2)

    const again = await target.open()
    try {
      const check = await checkToken(again.db, 'invitation', token)
      assert.equal(check.ok, true)
      const audited = await again.db
        .selectFrom('audit_event')
        .select(['action', 'actor_id'])
        .where('action', '=', 'auth.invitation-sent')
        .execute()
      assert.deepEqual(audited, [{ action: 'auth.invitation-sent', actor_id: null }])
    } finally {
      await again.close()
    }
  } finally {
    await handle.close().catch(() => {})
  }
})
