/**
 * How long a school takes to join a trust on the same installation (issue 14, ADR 50): the bench
 * school (bench/school.ts: 300 staff, 3 years of history) accepts a trust's invitation, on PGlite,
 * in process. Prints the rows moved, the time of the one transaction that moves them, and checks
 * that compliance judged before the join is unchanged. No target: the join runs once.
 *
 *   node bench/trust-join.bench.ts
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openPglite } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { schoolCompliance } from '../src/services/compliance/school-compliance.ts'
import { joinTrust } from '../src/services/policy/trust-join.ts'
import { today } from './school.ts'
import { benchSchool, trustInvitingASchool } from './trust.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-join-'))
const handle = await openPglite({ dataDir })
try {
  const db = handle.db
  await migrateToLatest(db)
  const { school, adminId } = await benchSchool(db)
  const { code } = await trustInvitingASchool(db)
  const before = await schoolCompliance(db, school.id, today)
  const started = performance.now()
  const joined = await joinTrust(db, {
    organisationId: school.organisation_id,
    code: code,
    today,
    actorId: adminId,
    at: new Date(),
    confirm: true,
  })
  const ms = performance.now() - started
  assert.ok(joined.ok && 'schoolId' in joined, JSON.stringify(joined))
  const audit = await db
    .selectFrom('audit_event')
    .select('detail')
    .where('action', '=', 'trust.school-joined')
    .executeTakeFirstOrThrow()
  const moved = (audit.detail as { moved: Record<string, number> }).moved
  const total = Object.values(moved).reduce((a, b) => a + b, 0)
  console.log(
    `joined in ${ms.toFixed(0)} ms (one transaction): ${total} rows moved in ${Object.keys(moved).length} tables`,
  )
  console.log(JSON.stringify(moved))
  assert.deepEqual(await schoolCompliance(db, school.id, today), before)
  console.log(`compliance of ${before.length} people on the day of joining: unchanged`)
} finally {
  await handle.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
}
