import assert from 'node:assert/strict'
import { test } from 'node:test'
import { grantNeedsApproval, mayDecideGrant, opensRecords, recordRolesAdded } from './role-grants.ts'

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
