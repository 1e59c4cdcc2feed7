/**
 * Not a benchmark: the trust side the joining benchmarks share (trust-join.bench.ts on one
 * installation, school-bundle.bench.ts across two). The bench school built and its DSL found; a
 * trust with an administrator and a published policy (the invented Fenland Learning Trust's)
 * inviting a school to follow it from a week after the bench's day.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../src/db/database.ts'
import { addDays } from '../src/domain/calendar/index.ts'
import { parsePolicy } from '../src/domain/policy/index.ts'
import { publishTrustVersion } from '../src/services/policy/trust.ts'
import { inviteSchool } from '../src/services/policy/trust-join.ts'
import { generate, today } from './school.ts'

/** Builds the bench school (printing its size and time) and returns it with its DSL's id. */
export async function benchSchool(
  db: Db,
): Promise<{ school: { id: string; organisation_id: string }; adminId: string }> {
  const built = performance.now()
  const { counts } = await generate(db)
  console.log(`bench school built in ${((performance.now() - built) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`)
  const school = await db.selectFrom('school').select(['id', 'organisation_id']).executeTakeFirstOrThrow()
  const admin = await db
    .selectFrom('person')
    .select('id')
    .where('email', '=', 'dana.lead@bench.example')
    .executeTakeFirstOrThrow()
  return { school, adminId: admin.id }
}

/** A trust with its policy published from the bench's day, and an invitation's code for a school. */
export async function trustInvitingASchool(db: Db): Promise<{ trustId: string; trustAdminId: string; code: string }> {
  const trust = await db
    .insertInto('organisation')
    .values({ kind: 'trust', name: 'Bench Trust' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const trustAdmin = await db
    .insertInto('person')
    .values({
      organisation_id: trust.id,
      school_id: null,
      name: 'Tia Trust',
      email: 'tia@trust.example',
      roles: ['administrator'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const trustPolicy = parsePolicy(
    JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, '../test/fixtures/policies/fenland-learning-trust.json'), 'utf8'),
    ),
    'fenland-learning-trust.json',
  )
  const published = await publishTrustVersion(db, {
    organisationId: trust.id,
    document: trustPolicy,
    effectiveFrom: today,
    today,
    reason: null,
    actorId: trustAdmin.id,
  })
  assert.ok(published.ok, JSON.stringify(published))
  const invited = await inviteSchool(db, {
    organisationId: trust.id,
    effectiveFrom: addDays(today, 7),
    today,
    actorId: trustAdmin.id,
  })
  assert.ok(invited.ok)
  return { trustId: trust.id, trustAdminId: trustAdmin.id, code: invited.code }
}
