import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  grantNeedsApproval,
  mayDecideGrant,
  opensRecords,
  recordRolesAdded,
  withoutPendingRoleRequests,
} from './role-grants.ts'

test('the DSL and the deputy DSL open records; administrators, headteachers and teachers do not', () => {
  assert.equal(opensRecords('dsl'), true)
  assert.equal(opensRecords('deputy-dsl'), true)
  for (const role of ['administrator', 'headteacher', 'class-teacher', 'forest-school-lead'])
    assert.equal(opensRecords(role), false, role)
})

test('only record-opening roles newly given count as a grant', () => {
  assert.deepEqual(recordRolesAdded(['class-teacher'], ['class-teacher', 'dsl', 'senco']), ['dsl'])
  assert.deepEqual(recordRolesAdded(['dsl'], ['dsl', 'deputy-dsl']), ['deputy-dsl'])
  assert.deepEqual(recordRolesAdded(['dsl'], ['class-teacher']), [])
  assert.deepEqual(recordRolesAdded([], ['dsl', 'dsl']), ['dsl'])
})

test('a grant waits for a DSL unless a DSL of the school makes it, or the school has no DSL yet', () => {
  assert.equal(grantNeedsApproval({ actorId: 'admin', schoolDslIds: ['dsl-1'] }), true)
  assert.equal(grantNeedsApproval({ actorId: null, schoolDslIds: ['dsl-1'] }), true, 'the command line too')
  assert.equal(grantNeedsApproval({ actorId: 'dsl-1', schoolDslIds: ['dsl-1'] }), false)
  assert.equal(grantNeedsApproval({ actorId: 'admin', schoolDslIds: [] }), false, 'first set-up')
})

test('a DSL decides a grant, never their own nor one they asked for', () => {
  const grant = { personId: 'eve', requestedBy: 'admin' }
  assert.equal(mayDecideGrant('dsl-1', grant, ['dsl-1']), true)
  assert.equal(mayDecideGrant('admin', grant, ['dsl-1']), false)
  assert.equal(mayDecideGrant('eve', { personId: 'eve', requestedBy: 'admin' }, ['eve']), false)
  assert.equal(mayDecideGrant('dsl-1', { personId: 'eve', requestedBy: 'dsl-1' }, ['dsl-1']), false)
})

test('a staff file asking again for a role still waiting for approval changes nothing; anything else still does', () => {
  const update = (id: string, before: string[], after: string[], changedFields = ['roles']) => ({
    id,
    before: { id, roles: before },
    after: { roles: after },
    changedFields,
  })
  const plan = {
    updates: [
      update('asks-again', ['pastoral-lead'], ['pastoral-lead', 'deputy-dsl']),
      update('asks-for-more', ['pastoral-lead'], ['pastoral-lead', 'deputy-dsl', 'dsl']),
      update('drops-a-role', ['pastoral-lead', 'senco'], ['deputy-dsl']),
      update('renamed-too', ['pastoral-lead'], ['pastoral-lead', 'deputy-dsl'], ['name', 'roles']),
      update('nothing-waiting', ['pastoral-lead'], ['pastoral-lead', 'dsl']),
    ],
    unchanged: [] as { id: string; roles: string[] }[],
  }
  const waiting = new Set(['deputy-dsl'])
  const pending = new Map(['asks-again', 'asks-for-more', 'drops-a-role', 'renamed-too'].map((id) => [id, waiting]))
  const result = withoutPendingRoleRequests(plan, pending)
  assert.deepEqual(
    result.updates.map((u) => u.id),
    ['asks-for-more', 'drops-a-role', 'renamed-too', 'nothing-waiting'],
  )
  assert.deepEqual(result.unchanged, [{ id: 'asks-again', roles: ['pastoral-lead'] }])
  assert.equal(withoutPendingRoleRequests(plan, new Map()), plan)
})
