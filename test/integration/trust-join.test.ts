/**
 * Issue 14 (ADR 0050): a single school on the same installation joins a trust as a new school,
 * without losing its history. The trust's administrator invites (a one-time code and a date); the
 * school's administrator accepts. Checked on the data: every row moved to the trust, the school's
 * own policy still judging every day before the date (X-01: past compliance unchanged), the
 * trust's policy applying after it, the audit log intact and verifiable. The app's clock is set.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { theOrganisationId } from '../../src/db/repositories/auth/provider-links.ts'
import type { SourcedPolicy } from '../../src/domain/policy/adoption.ts'
import { verifyAuditChain } from '../../src/services/audit.ts'
import { schoolCompliance } from '../../src/services/compliance/school-compliance.ts'
import { policyBook } from '../../src/services/policy/on-date.ts'
import { html } from '../helpers/html.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { schoolTrail, sessionOpened, subjectAuditOf } from '../helpers/trail.ts'
import { joiningSchool, trustWithPolicy } from './joining-fixtures.ts'
import { addPerson } from './planner-fixtures.ts'

function words(body: string): string {
  return (html(body).querySelector('main')?.text ?? body).replace(/\s+/g, ' ').trim()
}

function dateFields(iso: string, name = 'effectiveFrom'): Record<string, string> {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y as string }
}

test('issue 14, X-01: a single school joins a trust on the same installation, keeping its history; the trust policy applies from the date', async (t) => {
  const now = new Date('2026-10-05T10:00:00Z')
  const built = await buildTestApp(t, {}, { clock: () => now })
  const db = built.database.db

  // The single school, with its own policy (a looser frequency for pastoral staff, which the
  // trust's replaces), people, a held session and its figures.
  const { school, org, sessionId } = await joiningSchool(db, { othersLooser: true, teacherAccount: false })
  // the DSL saw the session's preparation before the school joined: its trail says so.
  await sessionOpened(db, { ...school, actorId: school.personId, sessionId })
  const trailBefore = await schoolTrail(db, school.organisationId, school.schoolId)
  assert.equal(trailBefore.total, 1)
  const otherId = await addPerson(db, org, { name: 'Ola Other', account: true })
  const bookBefore = await policyBook(db, school.schoolId)
  const complianceBefore = await schoolCompliance(db, school.schoolId, '2026-10-05')
  const countOf = async (table: 'supervision_session' | 'session_participant' | 'person' | 'policy_version') =>
    (await db.selectFrom(table).select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n
  const sessionsBefore = await countOf('supervision_session')
  const participantsBefore = await countOf('session_participant')
  const auditBefore = await db
    .selectFrom('audit_event')
    .select(['id', 'hash'])
    .where('school_id', '=', school.schoolId)
    .orderBy('id')
    .execute()

  // The trust, on the same installation.
  const { trustId, trustAdminId } = await trustWithPolicy(db)
  const trust = { id: trustId }

  const trustAdmin = await signedInClient(built.app, db, trustAdminId)
  const schoolAdmin = await signedInClient(built.app, db, school.personId)

  // The trust's administrator invites: a date in the past is refused, then a code is shown once.
  const past = await trustAdmin.post('/trust/invite-a-school', dateFields('2026-10-01'))
  assert.equal(past.statusCode, 400)
  assert.match(words(past.body), /must be today or in the future/)
  const invited = await trustAdmin.post('/trust/invite-a-school', dateFields('2026-10-12'))
  assert.equal(invited.statusCode, 200, words(invited.body))
  const code = /<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(invited.body)?.[1]
  assert.ok(code, words(invited.body))
  const stored = await db.selectFrom('trust_join_invitation').select('code_hash').executeTakeFirstOrThrow()
  assert.ok(!stored.code_hash.includes(code.replace(/-/g, '')), 'only the code’s hash is kept')

  // Someone who does not manage the school cannot accept; a wrong code is refused with nothing moved.
  const teacherClient = await signedInClient(built.app, db, otherId)
  assert.equal((await teacherClient.post('/admin/join-a-trust', { code, confirm: 'yes' })).statusCode, 403)
  const wrong = await schoolAdmin.post('/admin/join-a-trust', { code: 'AAAA-BBBB-CCCC', confirm: 'yes' })
  assert.equal(wrong.statusCode, 400)
  assert.match(words(wrong.body), /Enter the code the trust gave you, as it was given/)
  const blank = await schoolAdmin.post('/admin/join-a-trust', { code: '', confirm: '' })
  assert.equal(blank.statusCode, 400)
  assert.match(words(blank.body), /Enter the code the trust gave you/)

  // The school's administrator reads what happens, then consents.
  const preview = await schoolAdmin.post('/admin/join-a-trust', { code: code.toLowerCase(), confirm: '' })
  assert.equal(preview.statusCode, 200, words(preview.body))
  assert.match(words(preview.body), /Join Fenland Learning Trust/)
  assert.match(
    words(preview.body),
    /The school’s own rules it keeps .* Reflective supervision for the safeguarding leads ?Reflective supervision for the office team The school’s own rules the trust policy replaces .* Reflective supervision for pastoral staff/,
  )
  assert.match(words(preview.body), /from 12 October 2026, the school follows the trust policy/)
  assert.equal(
    (
      await db
        .selectFrom('school')
        .select('organisation_id')
        .where('id', '=', school.schoolId)
        .executeTakeFirstOrThrow()
    ).organisation_id,
    school.organisationId,
    'nothing moved before consent',
  )
  const joined = await schoolAdmin.post('/admin/join-a-trust', { code, confirm: 'yes' })
  assert.equal(joined.statusCode, 303, words(joined.body))

  // Every row moved: the school, its people, its sessions; nothing lost.
  const moved = await db
    .selectFrom('school')
    .select('organisation_id')
    .where('id', '=', school.schoolId)
    .executeTakeFirstOrThrow()
  assert.equal(moved.organisation_id, trust.id)
  const people = await db
    .selectFrom('person')
    .select(['organisation_id', 'roles', 'school_id'])
    .where('school_id', '=', school.schoolId)
    .execute()
  assert.ok(people.length >= 3)
  assert.ok(people.every((p) => p.organisation_id === trust.id))
  const formerAdmin = await db
    .selectFrom('person')
    .select('roles')
    .where('id', '=', school.personId)
    .executeTakeFirstOrThrow()
  assert.deepEqual(
    formerAdmin.roles,
    ['dsl'],
    'the trust’s administrators manage the school; she keeps her other roles',
  )
  assert.equal(await countOf('supervision_session'), sessionsBefore)
  assert.equal(await countOf('session_participant'), participantsBefore)
  const left = await db
    .selectFrom('organisation')
    .select(['joined_organisation_id'])
    .where('id', '=', school.organisationId)
    .executeTakeFirstOrThrow()
  assert.equal(left.joined_organisation_id, trust.id)
  assert.equal(await theOrganisationId(db), trust.id, 'the installation’s organisation is now the trust it joined')

  // its own versions still govern every day before; the trust's policy from the date.
  const bookAfter = await policyBook(db, school.schoolId)
  assert.deepEqual(bookAfter.on('2026-09-20'), bookBefore.on('2026-09-20'))
  assert.deepEqual(bookAfter.on('2026-10-11'), bookBefore.on('2026-10-11'))
  const following = bookAfter.on('2026-10-12') as SourcedPolicy
  assert.equal(following.sources?.trust.name, 'Fenland Learning Trust')
  // Its own rules the trust's policy lets it keep are its changes: a stricter frequency, an extra requirement.
  assert.deepEqual(following.sources?.academy, ['requirement:oak-office', 'requirement:fl-leads:frequency'])
  assert.equal(following.requirements.find((r) => r.id === 'fl-leads')?.frequency?.every, 4)
  assert.equal(
    following.requirements.find((r) => r.id === 'fl-pastoral')?.frequency?.every,
    1,
    'the trust’s, not the looser own',
  )
  assert.deepEqual(
    await schoolCompliance(db, school.schoolId, '2026-10-05'),
    complianceBefore,
    'past compliance never changes',
  )

  // the school's access trail reads the same in the trust: who saw what before it joined.
  const trailAfter = await schoolTrail(db, trust.id, school.schoolId)
  assert.equal(trailAfter.total, 1)
  assert.deepEqual(
    trailAfter.entries.map((e) => [e.actorName, e.what, e.sessionDate]),
    trailBefore.entries.map((e) => [e.actorName, e.what, e.sessionDate]),
  )
  assert.deepEqual(trailAfter.people, trailBefore.people)

  // Her subject access export still holds what she did before the school joined (issue 15): those
  // entries stay under the school's old organisation.
  const exported = await subjectAuditOf(schoolAdmin, school.personId)
  assert.ok(
    exported.some(
      (e) =>
        e.action === 'record.open' && e.subjectId === sessionId && e.byThisPerson && !e.broughtFromPreviousInstallation,
    ),
    JSON.stringify(exported.map((e) => e.action)),
  )

  // The audit log: the school's entries untouched, the chain whole, the join recorded in both organisations.
  const auditAfter = await db
    .selectFrom('audit_event')
    .select(['id', 'hash'])
    .where('school_id', '=', school.schoolId)
    .where('id', '<=', auditBefore.at(-1)?.id ?? 0)
    .orderBy('id')
    .execute()
  assert.deepEqual(auditAfter, auditBefore)
  assert.deepEqual(await verifyAuditChain(db), {
    ok: true,
    count: (await db.selectFrom('audit_event').select('id').execute()).length,
    brought: 0,
  })
  const events = await db
    .selectFrom('audit_event')
    .select(['action', 'organisation_id'])
    .where('action', 'in', ['organisation.joined-trust', 'trust.school-joined', 'trust-policy.adopted'])
    .orderBy('id')
    .execute()
  assert.deepEqual(events, [
    { action: 'trust-policy.adopted', organisation_id: trust.id },
    { action: 'organisation.joined-trust', organisation_id: school.organisationId },
    { action: 'trust.school-joined', organisation_id: trust.id },
  ])

  // She no longer manages the organisation; the code is used once; the trust sees the school and the invitation as joined.
  assert.equal((await schoolAdmin.post('/admin/join-a-trust', { code, confirm: 'yes' })).statusCode, 403)
  const again = await trustAdmin.post('/admin/join-a-trust', { code, confirm: 'yes' })
  assert.equal(again.statusCode, 400)
  assert.match(words(again.body), /Oakfield|already a trust|as it was given/)
  const trustPage = words((await trustAdmin.get('/trust/policy')).body)
  assert.match(trustPage, /Oakfield Primary School/)
  assert.match(words((await trustAdmin.get('/trust/invite-a-school')).body), /Joined: Oakfield Primary School/)
  // The school's people keep working: its DSL reads its policy, now the trust's from the date.
  const policyPage = await schoolAdmin.get('/policy')
  assert.equal(policyPage.statusCode, 200)
})
