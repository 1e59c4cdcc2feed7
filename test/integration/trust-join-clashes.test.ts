/**
 * Issue 14 (ADR 0050): a school joining a trust on the same installation when the school and the
 * trust have named things alike. Every row of the school's organisation moves to the trust, so a
 * name or an address unique in an organisation (a role's name, the id made from it, a person's
 * email address) could clash with the trust's: each is refused with a message naming it, and
 * nothing is written. Names unique only in a school (teams, record templates, session types) do
 * not clash: the school joins with them as they were.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { html } from '../helpers/html.ts'
import { allRowCounts } from '../helpers/row-counts.ts'
import { signedInClient } from '../helpers/sessions.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { joiningSchool, trustWithPolicy } from './joining-fixtures.ts'
import { addPerson } from './planner-fixtures.ts'

function words(body: string): string {
  return (html(body).querySelector('main')?.text ?? body).replace(/\s+/g, ' ').trim()
}

test('issue 14: a school joining a trust whose staff, or roles Haven holds apart, clash with its own is refused, naming the clash, with nothing written; its roles that are the trust’s become the trust’s; names of a school alone never clash', async (t) => {
  const now = new Date('2026-10-05T10:00:00Z')
  const built = await buildTestApp(t, {}, { clock: () => now })
  const db = built.database.db
  const { school } = await joiningSchool(db, { othersLooser: false, teacherAccount: true })
  const { trustId, academyId, trustAdminId } = await trustWithPolicy(db)
  const trustAdmin = await signedInClient(built.app, db, trustAdminId)
  const schoolAdmin = await signedInClient(built.app, db, school.personId)
  const invited = await trustAdmin.post('/trust/invite-a-school', {
    'effectiveFrom-day': '12',
    'effectiveFrom-month': '10',
    'effectiveFrom-year': '2026',
  })
  const code = /<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(invited.body)?.[1]
  assert.ok(code, words(invited.body))

  const role = (organisationId: string, schoolId: string | null, id: string, name: string) =>
    db.insertInto('custom_role').values({ organisation_id: organisationId, school_id: schoolId, id, name }).execute()
  const team = (organisationId: string, schoolId: string, leaderId: string) =>
    db
      .insertInto('supervision_team')
      .values({
        organisation_id: organisationId,
        school_id: schoolId,
        name: 'Wellbeing team',
        leader_id: leaderId,
        session_type_id: 'group',
      })
      .execute()
  const refused = async (message: RegExp) => {
    const before = await allRowCounts(db)
    for (const confirm of ['', 'yes']) {
      const res = await schoolAdmin.post('/admin/join-a-trust', { code, confirm })
      assert.equal(res.statusCode, 400, words(res.body))
      assert.match(words(res.body), message)
    }
    assert.deepEqual(await allRowCounts(db), before, 'nothing written')
  }
  const removeTrustRoles = () => db.deleteFrom('custom_role').where('organisation_id', '=', trustId).execute()

  // The same name on roles Haven holds apart (a policy's own role id): they cannot be made one.
  await role(school.organisationId, school.schoolId, 'sendco-lead', 'Inclusion lead')
  await role(trustId, null, 'inclusion-lead', 'Inclusion Lead')
  await refused(
    /The trust already has a role called Inclusion Lead, which Haven holds apart from the school’s role Inclusion lead: the school cannot join with two roles of one name/,
  )
  await removeTrustRoles()

  // Someone on the trust's staff with the email address of someone on the school's.
  const trustTom = await addPerson(
    db,
    { organisationId: trustId, schoolId: academyId, adminId: trustAdminId },
    {
      name: 'Tom Tate',
    },
  )
  await refused(
    /The trust already has someone with the email address tom\.tate@oakfield\.example \(Tom Tate\): change it for one of them before joining/,
  )
  await db.deleteFrom('person').where('id', '=', trustTom).execute()

  // Roles with the id of one of the trust's are that role: a name in another case, and one that
  // differs only in punctuation (the same id), the trust's second role one academy's only. The
  // school's staff keep them, as the trust's.
  await role(school.organisationId, school.schoolId, 'pastoral-lead', 'Pastoral Lead')
  await role(trustId, null, 'pastoral-lead', 'Pastoral lead')
  await role(school.organisationId, school.schoolId, 'head-of-maths-ks4', 'Head of Maths (KS4)')
  await role(trustId, academyId, 'head-of-maths-ks4', 'Head of Maths KS4')
  await db
    .updateTable('custom_role')
    .set({ description: 'Leads pastoral care in the school' })
    .where('organisation_id', '=', school.organisationId)
    .where('id', '=', 'pastoral-lead')
    .execute()
  await db
    .updateTable('person')
    .set({ roles: ['class-teacher', 'pastoral-lead', 'head-of-maths-ks4'] })
    .where('organisation_id', '=', school.organisationId)
    .where('email', '=', 'tom.tate@oakfield.example')
    .execute()

  // Names unique within a school only: the same team name in the school and in the trust's academy.
  await team(school.organisationId, school.schoolId, school.personId)
  await team(trustId, academyId, trustAdminId)

  const preview = await schoolAdmin.post('/admin/join-a-trust', { code, confirm: '' })
  assert.equal(preview.statusCode, 200, words(preview.body))
  assert.match(
    words(preview.body),
    /The school’s roles the trust has already .* Head of Maths \(KS4\): the trust has this role already, as Head of Maths KS4\s*Pastoral Lead: the trust has this role already, as Pastoral lead/,
  )
  const joined = await schoolAdmin.post('/admin/join-a-trust', { code, confirm: 'yes' })
  assert.equal(joined.statusCode, 303, words(joined.body))
  const teams = await db
    .selectFrom('supervision_team')
    .select(['school_id'])
    .where('organisation_id', '=', trustId)
    .where('name', '=', 'Wellbeing team')
    .orderBy('school_id')
    .execute()
  assert.deepEqual(teams.map((r) => r.school_id).sort(), [academyId, school.schoolId].sort())
  const roles = await db
    .selectFrom('custom_role')
    .select(['id', 'school_id', 'name', 'description'])
    .where('organisation_id', 'in', [trustId, school.organisationId])
    .where('id', 'in', ['head-of-maths-ks4', 'pastoral-lead', 'sendco-lead'])
    .orderBy('id')
    .execute()
  assert.deepEqual(roles, [
    { id: 'head-of-maths-ks4', school_id: null, name: 'Head of Maths KS4', description: '' },
    { id: 'pastoral-lead', school_id: null, name: 'Pastoral lead', description: 'Leads pastoral care in the school' },
    { id: 'sendco-lead', school_id: school.schoolId, name: 'Inclusion lead', description: '' },
  ])
  const tom = await db
    .selectFrom('person')
    .select(['organisation_id', 'roles'])
    .where('email', '=', 'tom.tate@oakfield.example')
    .executeTakeFirstOrThrow()
  assert.deepEqual(tom, { organisation_id: trustId, roles: ['class-teacher', 'pastoral-lead', 'head-of-maths-ks4'] })
  const audit = await db
    .selectFrom('audit_event')
    .select('detail')
    .where('action', '=', 'trust.school-joined')
    .executeTakeFirstOrThrow()
  const detail = (typeof audit.detail === 'string' ? JSON.parse(audit.detail) : audit.detail) as {
    rolesMadeTheTrusts: string[]
  }
  assert.deepEqual(detail.rolesMadeTheTrusts, ['head-of-maths-ks4', 'pastoral-lead'])
})
