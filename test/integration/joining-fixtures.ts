/**
 * The single school the joining tests move into the Fenland Learning Trust (issue 14): on the
 * same installation (trust-join.test.ts) and on another (school-bundle.test.ts). Oakfield, on a
 * policy of its own built from the trust's: the same kinds of supervision, a stricter frequency for
 * the leads and a requirement of its own (which it keeps on joining), and, when asked, a looser
 * frequency for everyone else (which the trust's replaces). Its administrator is also its DSL; a
 * teacher was supervised in a session held on 20 September 2026.
 */

import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../../src/db/database.ts'
import { parsePolicy } from '../../src/domain/policy/index.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { publishTrustVersion } from '../../src/services/policy/trust.ts'
import { insertOrganisation, insertTrustWithAcademy } from '../builders/organisation.ts'
import { relaxTwoStep } from '../helpers/staff.ts'
import { addPerson, addSession } from './planner-fixtures.ts'

/** The invented trust's policy (test/fixtures/policies). */
export const trustPolicy = parsePolicy(
  JSON.parse(
    fs.readFileSync(path.join(import.meta.dirname, '../fixtures/policies/fenland-learning-trust.json'), 'utf8'),
  ),
  'fenland-learning-trust.json',
)

export async function joiningSchool(db: Db, options: { othersLooser: boolean; teacherAccount: boolean }) {
  const requirements = trustPolicy.requirements.map((r) =>
    r.id === 'fl-leads'
      ? { ...r, frequency: { ...r.frequency!, every: 4 } }
      : options.othersLooser
        ? { ...r, frequency: { every: 2, unit: 'terms' as const, termTimeOnly: false, wording: null } }
        : r,
  )
  const ownPolicy = {
    ...trustPolicy,
    effectiveFrom: '2026-09-01',
    metadata: { ...trustPolicy.metadata, school: 'Oakfield Primary School' },
    requirements: [
      ...requirements,
      { ...requirements[0]!, id: 'oak-office', description: 'Reflective supervision for the office team' },
    ],
  }
  const school = await insertOrganisation(db, {
    policy: ownPolicy,
    schoolName: 'Oakfield Primary School',
    schoolSlug: 'oakfield',
    alsoDsl: true,
  })
  await relaxTwoStep(db, school.organisationId, school.personId)
  const org = { organisationId: school.organisationId, schoolId: school.schoolId, adminId: school.personId }
  const teacher = await addPerson(db, org, { name: 'Tom Tate', account: options.teacherAccount })
  const typeId = (await policyBook(db, school.schoolId)).on('2026-09-20')?.sessionTypes[0]?.id ?? 'one-to-one'
  const sessionId = await addSession(db, org, {
    typeId,
    date: '2026-09-20',
    status: 'held',
    supervisorId: school.personId,
    superviseeIds: [teacher],
  })
  return { school, org, teacher, typeId, sessionId }
}

/** The trust the school joins: its administrator, and its policy published from 1 September 2026. */
export async function trustWithPolicy(db: Db): Promise<{ trustId: string; academyId: string; trustAdminId: string }> {
  const { trustId, academyId, adminId: trustAdminId } = await insertTrustWithAcademy(db)
  await relaxTwoStep(db, trustId, trustAdminId)
  const published = await publishTrustVersion(db, {
    organisationId: trustId,
    document: trustPolicy,
    effectiveFrom: '2026-09-01',
    today: '2026-10-05',
    reason: 'The trust policy was agreed before term',
    actorId: trustAdminId,
  })
  assert.ok(published.ok, JSON.stringify(published))
  return { trustId, academyId, trustAdminId }
}
