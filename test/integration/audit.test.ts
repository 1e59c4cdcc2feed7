import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Kysely, sql } from 'kysely'
import { runCli } from '../../src/cli.ts'
import type { Db } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'
import { auditHash, GENESIS_HASH, recordAudit, verifyAuditChain } from '../../src/services/audit.ts'
import { freshDatabase } from '../helpers/database.ts'
import { namedDatabase } from '../helpers/named-database.ts'

const ORG = '6f1c2a4e-3b5d-4c7e-9f10-2a3b4c5d6e7f'
const ACTOR = '0b8e7d6c-5a4b-4392-8170-6e5d4c3b2a19'

async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const handle = await freshDatabase()
  t.after(() => handle.close())
  return handle.db
}

async function writeSome(db: Db, n: number) {
  for (let i = 0; i < n; i++) {
    await recordAudit(db, {
      action: 'record.open',
      subjectType: 'record',
      subjectId: `r-${i}`,
      actorId: ACTOR,
      organisationId: ORG,
      detail: { z: i, a: { y: [1, 2.5, 'x'], b: null }, m: true },
      ip: '192.0.2.1',
    })
  }
}

async function ids(db: Db): Promise<number[]> {
  return (await db.selectFrom('audit_event').select('id').orderBy('id').execute()).map((r) => r.id)
}

/** As an attacker with direct database access would: switch the append-only trigger off first. */
async function tamper(db: Kysely<Database>, statement: string) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(trx)
    await sql.raw(statement).execute(trx)
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(trx)
  })
}

function capture(env: Record<string, string>) {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err }
}

test('X-07: entries chain by hash and the chain verifies after a round trip through the database', async (t) => {
  const db = await fresh(t)
  assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 0, brought: 0 })
  await writeSome(db, 5)
  // Upper-case UUIDs are stored (and hashed) as the database returns them.
  await recordAudit(db, { action: 'auth.sign-in', subjectType: 'account', actorId: ACTOR.toUpperCase() })
  assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 6, brought: 0 })

  const rows = await db.selectFrom('audit_event').selectAll().orderBy('id').execute()
  assert.equal(rows[0]!.prev_hash, GENESIS_HASH)
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash)
  assert.deepEqual(rows[0]!.detail, { a: { b: null, y: [1, 2.5, 'x'] }, m: true, z: 0 })
  assert.equal(rows[0]!.occurred_at.getUTCMilliseconds() >= 0, true)
  assert.equal(rows[5]!.actor_id, ACTOR)
})

test('X-07: an entry written in a transaction that rolls back leaves no trace and no break', async (t) => {
  const db = await fresh(t)
  await writeSome(db, 2)
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await recordAudit(trx, { action: 'staff.import', subjectType: 'school' })
      throw new Error('the change failed')
    }),
    /the change failed/,
  )
  await writeSome(db, 1)
  assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 3, brought: 0 })
})

test('X-07: the log refuses UPDATE, DELETE and TRUNCATE through ordinary SQL', async (t) => {
  const db = await fresh(t)
  await writeSome(db, 2)
  await assert.rejects(sql`update audit_event set action = 'record.close'`.execute(db), /append-only/)
  await assert.rejects(sql`delete from audit_event`.execute(db), /append-only/)
  await assert.rejects(sql`truncate audit_event`.execute(db), /append-only/)
  assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 2, brought: 0 })
})

test('X-07: an entry altered directly in the database is named by verifyAuditChain', async (t) => {
  const db = await fresh(t)
  await writeSome(db, 5)
  const [, , third] = await ids(db)
  await tamper(db, `update audit_event set detail = '{"z": 99}' where id = ${third}`)
  const result = await verifyAuditChain(db)
  assert.equal(result.ok, false)
  assert.ok(!result.ok)
  assert.equal(result.brokenId, String(third))
  assert.match(result.reason, /no longer match its hash/)
  assert.equal(result.count, 2)
})

test('X-07: an entry altered with its own hash recomputed breaks the link from the next entry', async (t) => {
  const db = await fresh(t)
  await writeSome(db, 4)
  const [, second, third] = await ids(db)
  const row = await db.selectFrom('audit_event').selectAll().where('id', '=', second!).executeTakeFirstOrThrow()
  const forged = auditHash({
    id: String(row.id),
    occurredAt: row.occurred_at.toISOString(),
    organisationId: row.organisation_id,
    schoolId: row.school_id,
    actorId: row.actor_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: 'someone-else',
    detail: row.detail,
    ip: row.ip,
    prevHash: row.prev_hash,
  })
  await tamper(db, `update audit_event set subject_id = 'someone-else', hash = '${forged}' where id = ${second}`)
  const result = await verifyAuditChain(db)
  assert.ok(!result.ok)
  assert.equal(result.brokenId, String(third))
  assert.match(
    result.reason,
    new RegExp(`entry before it \\(${second}\\) is missing, out of order or has been altered`),
  )
})

test('X-07: a deleted entry is detected (session_replication_role = replica bypasses the trigger)', async (t) => {
  const db = await fresh(t)
  await writeSome(db, 5)
  const [first, second, third] = await ids(db)
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await sql`delete from audit_event where id = ${second}`.execute(trx)
  })
  const result = await verifyAuditChain(db)
  assert.ok(!result.ok)
  assert.equal(result.brokenId, String(third))
  assert.match(result.reason, new RegExp(`entry before it \\(${first}\\) is missing`))

  // Removing the very first entry is detected too.
  await tamper(db, `delete from audit_event where id = ${first}`)
  const again = await verifyAuditChain(db)
  assert.ok(!again.ok)
  assert.equal(again.brokenId, String(third))
  assert.match(again.reason, /does not start the log/)
})

test('X-07: concurrent writers (20 at once) still produce one valid chain', async (t) => {
  const db = await fresh(t)
  await writeSome(db, 1)
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? recordAudit(db, { action: 'record.open', subjectType: 'record', subjectId: `c-${i}`, actorId: ACTOR })
        : db.transaction().execute(async (trx) => {
            await recordAudit(trx, { action: 'record.open', subjectType: 'record', subjectId: `c-${i}` })
          }),
    ),
  )
  assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 21, brought: 0 })
})

test('X-07: detail is for ids and codes: an email address or a bad id is refused', async (t) => {
  const db = await fresh(t)
  await assert.rejects(
    recordAudit(db, {
      action: 'auth.sign-in-failed',
      subjectType: 'account',
      detail: { email: 'a.person@school.example' },
    }),
    /must not hold email addresses/,
  )
  await assert.rejects(recordAudit(db, { action: 'auth.sign-in', subjectType: 'account', actorId: 'nobody' }), /UUID/)
  await assert.rejects(recordAudit(db, { action: 'Not An Action', subjectType: 'account' }), /check constraint/)
  assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 0, brought: 0 })
})

test('X-07: recordAudit refuses a transaction whose snapshot could predate the audit lock', async (t) => {
  const db = await fresh(t)
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await sql`set transaction isolation level repeatable read`.execute(trx)
      await recordAudit(trx, { action: 'record.open', subjectType: 'record' })
    }),
    /READ COMMITTED/,
  )
})

test('X-07: haven verify-audit reports an intact log, and names an altered entry with exit code 1', async (t) => {
  const target = await namedDatabase(t)
  const env = { ...target.env, LOG_LEVEL: 'silent' }
  let handle = await target.open()
  try {
    await writeSome(handle.db, 3)
  } finally {
    await handle.close()
  }
  const intact = capture(env)
  assert.equal(await runCli(['verify-audit'], intact.io), 0, intact.err.join('\n'))
  assert.deepEqual(intact.out, ['Audit log intact: 3 entries'])

  handle = await target.open()
  let second: number
  try {
    second = (await ids(handle.db))[1]!
    await tamper(handle.db, `update audit_event set subject_id = 'someone-else' where id = ${second}`)
  } finally {
    await handle.close()
  }
  const broken = capture(env)
  assert.equal(await runCli(['verify-audit'], broken.io), 1)
  assert.deepEqual(broken.err, [`Audit log entry ${second} has been altered: its contents no longer match its hash`])
})
