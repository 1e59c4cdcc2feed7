import assert from 'node:assert/strict'
import { test } from 'node:test'
import { requestActor } from './actor.ts'

const person = {
  id: 'p1',
  organisationId: 'o1',
  schoolId: 's1',
  name: 'Ada Lane',
  email: 'ada@example.test',
  roles: ['dsl'],
}

test('X-03: the request actor holds its roles in its own school and none in another', () => {
  const actor = requestActor(person)
  assert.deepEqual(actor.rolesIn('s1'), ['dsl'])
  assert.deepEqual(actor.rolesIn('s2'), [])
  assert.equal(actor.inReach('s2'), false)
  assert.deepEqual(actor.in('s2').roles, [])
  assert.deepEqual(actor.in('s1').roles, ['dsl'])
  assert.equal(actor.in('s2').personId, 'p1')
})

test('X-03: someone who belongs to the trust centrally reaches every school', () => {
  const actor = requestActor({ ...person, schoolId: null })
  assert.deepEqual(actor.rolesIn('s9'), ['dsl'])
  assert.equal(actor.inReach('s9'), true)
})
