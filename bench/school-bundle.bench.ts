/**
 * How long a school takes to join a trust on ANOTHER installation (issue 14, ADR 52): the bench
 * school (bench/school.ts: 300 staff, 3 years of history) on one PGlite instance makes its signed
 * file; the trust on a second instance imports it in one transaction. Prints the file's size, the
 * time to write it (streamed from one snapshot) and to import it, and checks that compliance on the
 * day is unchanged. No target: a move runs once.
 *
 *   node bench/school-bundle.bench.ts
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openPglite } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { schoolCompliance } from '../src/services/compliance/school-compliance.ts'
import { importSchoolFile, moveToTrustElsewhere, schoolFile } from '../src/services/trust/school-bundle.ts'
import { today } from './school.ts'
import { benchSchool, trustInvitingASchool } from './trust.ts'

const schoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-bundle-school-'))
const trustDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-bundle-trust-'))
const schoolSide = await openPglite({ dataDir: schoolDir })
const trustSide = await openPglite({ dataDir: trustDir })
try {
  const sdb = schoolSide.db
  const tdb = trustSide.db
  await migrateToLatest(sdb)
  await migrateToLatest(tdb)
  const { school, adminId } = await benchSchool(sdb)
  const { trustId, trustAdminId, code } = await trustInvitingASchool(tdb)
  const before = await schoolCompliance(sdb, school.id, today)

  const moved = await moveToTrustElsewhere(sdb, {
    organisationId: school.organisation_id,
    code: code,
    actorId: adminId,
    at: new Date(),
    confirm: true,
  })
  assert.ok(moved.ok && !moved.preview, JSON.stringify(moved))
  const writing = performance.now()
  const file = await schoolFile(sdb, { organisationId: school.organisation_id, actorId: adminId, at: new Date() })
  assert.ok(file)
  const chunks: Buffer[] = []
  for await (const chunk of file.stream) chunks.push(chunk as Buffer)
  const bytes = Buffer.concat(chunks)
  const writeMs = performance.now() - writing
  console.log(
    `school's file written in ${writeMs.toFixed(0)} ms: ${(bytes.length / 1024 / 1024).toFixed(1)} MB gzipped`,
  )

  const importing = performance.now()
  const imported = await importSchoolFile(tdb, {
    organisationId: trustId,
    file: bytes,
    fingerprint: moved.fingerprint,
    today,
    actorId: trustAdminId,
    at: new Date(),
  })
  const importMs = performance.now() - importing
  assert.ok(imported.ok, JSON.stringify(imported))
  console.log(
    `imported in ${importMs.toFixed(0)} ms (checks and one transaction): ${imported.rows} rows, ${imported.auditEntries} audit entries`,
  )
  assert.deepEqual(await schoolCompliance(tdb, school.id, today), before)
  console.log(`compliance of ${before.length} people on the day of joining: unchanged`)
} finally {
  await schoolSide.close()
  await trustSide.close()
  fs.rmSync(schoolDir, { recursive: true, force: true })
  fs.rmSync(trustDir, { recursive: true, force: true })
}
