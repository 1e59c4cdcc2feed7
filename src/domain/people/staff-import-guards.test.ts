import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { noFlags, type Person } from './person.ts'
import { planStaffImport } from './staff-csv/index.ts'
import { aPerson as aStaffPerson } from './staff-csv/test-support.ts'
import { guardStaffImportPlan, type ReadyStaffImportPlan, staffImportPlanDigest } from './staff-import-guards.ts'

const school = 'school-1'
const admin = { personId: 'admin', roles: ['administrator'] }
const dsl = { personId: 'dsl', roles: ['dsl'] }

const aPerson = (over: Partial<Person> & Pick<Person, 'id' | 'email'>): Person =>
  aStaffPerson({ schoolId: school, ...over })

function plan(csv: string, existing: Person[] = []): ReadyStaffImportPlan {
  const result = planStaffImport({ buffer: Buffer.from(csv), existing, schoolId: school })
  assert.ok(result.ok, JSON.stringify(result))
  return result
}

const none = new Set<string>()

describe('guarding an import for the person importing', () => {
  test('LH-03: "Additional support" is ignored for someone who may not see it, kept for someone who may', () => {
    const existing = [
      aPerson({ id: 'p1', email: 'a@example.org', name: 'Ann A', flags: { ...noFlags, additionalSupport: true } }),
    ]
    const csv = 'Full name,Email,Additional support\nAnn A,a@example.org,No\nBo B,b@example.org,Yes\n'
    const ready = plan(csv, existing)
    assert.equal(ready.updates.length, 1)
    const guarded = guardStaffImportPlan(ready, { actor: admin, canSetAdditionalSupport: false, emailsElsewhere: none })
    assert.ok(guarded.ok)
    assert.equal(guarded.additionalSupportIgnored, true)
    assert.equal(guarded.creates[0]!.flags.additionalSupport, false)
    assert.equal(guarded.updates.length, 0, 'the only change was the sensitive flag')
    assert.deepEqual(
      guarded.unchanged.map((p) => p.id),
      ['p1'],
    )
    const allowed = guardStaffImportPlan(ready, { actor: dsl, canSetAdditionalSupport: true, emailsElsewhere: none })
    assert.ok(allowed.ok)
    assert.equal(allowed.additionalSupportIgnored, false)
    assert.equal(allowed.creates[0]!.flags.additionalSupport, true)
    assert.deepEqual(allowed.updates[0]!.changedFields, ['flags.additionalSupport'])
  })

  test('other changes to the same person survive when only the sensitive flag is dropped', () => {
    const existing = [aPerson({ id: 'p1', email: 'a@example.org', name: 'Ann A' })]
    const ready = plan('Full name,Email,Job title,Additional support\nAnn A,a@example.org,Teacher,Yes\n', existing)
    const guarded = guardStaffImportPlan(ready, { actor: admin, canSetAdditionalSupport: false, emailsElsewhere: none })
    assert.ok(guarded.ok)
    assert.deepEqual(guarded.updates[0]!.changedFields, ['jobTitle'])
    assert.equal(guarded.updates[0]!.after.flags.additionalSupport, false)
  })

  test('the importer’s own row is imported, but their own roles stay as they are, with a notice (issue 18)', () => {
    const existing = [aPerson({ id: 'dsl', email: 'dsl@example.org', name: 'Dee S', roles: ['dsl'] })]
    const own = guardStaffImportPlan(
      plan('Full name,Email,Job title,Roles\nDee Smith,dsl@example.org,Deputy head,class-teacher\n', existing),
      { actor: dsl, canSetAdditionalSupport: true, emailsElsewhere: none },
    )
    assert.ok(own.ok, JSON.stringify(own))
    assert.deepEqual(own.updates[0]!.changedFields, ['name', 'jobTitle'])
    assert.deepEqual(own.updates[0]!.after.roles, ['dsl'])
    assert.equal(own.updates[0]!.after.name, 'Dee Smith')
    assert.deepEqual(own.ownRolesKept, {
      name: 'Dee S',
      email: 'dsl@example.org',
      kept: ['dsl'],
      inFile: ['class-teacher'],
    })
    const onlyRoles = guardStaffImportPlan(
      plan('Full name,Email,Roles\nDee S,dsl@example.org,class-teacher\n', existing),
      {
        actor: dsl,
        canSetAdditionalSupport: true,
        emailsElsewhere: none,
      },
    )
    assert.ok(onlyRoles.ok)
    assert.equal(onlyRoles.updates.length, 0, 'roles were the only change, and they are kept')
    assert.deepEqual(
      onlyRoles.unchanged.map((p) => p.id),
      ['dsl'],
    )
    assert.deepEqual(onlyRoles.ownRolesKept?.inFile, ['class-teacher'])
    const same = guardStaffImportPlan(plan('Full name,Email,Roles\nDee S,dsl@example.org,dsl\n', existing), {
      actor: dsl,
      canSetAdditionalSupport: true,
      emailsElsewhere: none,
    })
    assert.ok(same.ok)
    assert.equal(same.ownRolesKept, null, 'no notice when the file gives the same roles')
  })

  test('role changes: the administrator role only by an administrator', () => {
    const existing = [aPerson({ id: 'dsl', email: 'dsl@example.org', name: 'Dee S', roles: ['dsl'] })]
    const grant = guardStaffImportPlan(plan('Full name,Email,Roles\nNew Admin,new@example.org,administrator\n'), {
      actor: dsl,
      canSetAdditionalSupport: true,
      emailsElsewhere: none,
    })
    assert.equal(grant.ok, false)
    const byAdmin = guardStaffImportPlan(plan('Full name,Email,Roles\nNew Admin,new@example.org,administrator\n'), {
      actor: admin,
      canSetAdditionalSupport: false,
      emailsElsewhere: none,
    })
    assert.equal(byAdmin.ok, true)
    const cli = guardStaffImportPlan(plan('Full name,Email,Roles\nDee S,dsl@example.org,class-teacher\n', existing), {
      actor: null,
      canSetAdditionalSupport: true,
      emailsElsewhere: none,
    })
    assert.equal(cli.ok, true, 'the command line has no actor to guard')
    if (cli.ok) {
      assert.deepEqual(cli.updates[0]!.after.roles, ['class-teacher'], 'the command line changes anyone’s roles')
      assert.equal(cli.ownRolesKept, null)
    }
  })

  test('an email used elsewhere in the organisation is refused', () => {
    const guarded = guardStaffImportPlan(plan('Full name,Email\nAnn A,Ann@Example.org\n'), {
      actor: admin,
      canSetAdditionalSupport: false,
      emailsElsewhere: new Set(['ann@example.org']),
    })
    assert.equal(guarded.ok, false)
    if (!guarded.ok) assert.deepEqual([guarded.errors[0]!.row, guarded.errors[0]!.column], [null, 'Email'])
  })

  test('the digest is the same for the same plan and changes with what would be written', () => {
    const csv = 'Full name,Email,Job title\nAnn A,a@example.org,Teacher\n'
    const existing = [aPerson({ id: 'p1', email: 'a@example.org', name: 'Ann A', jobTitle: 'TA' })]
    const one = staffImportPlanDigest(plan(csv, existing))
    assert.equal(staffImportPlanDigest(plan(csv, existing)), one)
    assert.notEqual(staffImportPlanDigest(plan(csv, [{ ...existing[0]!, jobTitle: 'Head' }])), one)
    assert.notEqual(staffImportPlanDigest(plan(csv)), one)
  })
})
