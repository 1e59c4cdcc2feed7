import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { chooseSchool, inReach, readsTrustRollup, rolesIn, schoolsInReach } from './schools.ts'

const north = { id: 'a', slug: 'north' }
const south = { id: 'b', slug: 'south' }
const trust = [north, south]
const at = (schoolId: string | null, roles: string[] = ['dsl']) => ({ schoolId, roles })

describe('X-03: which schools a person reaches', () => {
  test('X-03: someone at a school reaches that school only; the trust centrally reaches every school', () => {
    assert.deepEqual(schoolsInReach(at('a'), trust), [north])
    assert.deepEqual(schoolsInReach(at(null), trust), trust)
    assert.deepEqual(schoolsInReach(at('gone'), trust), [])
  })

  test('X-03: another school named in the address is refused, never shown', () => {
    assert.equal(chooseSchool(at('a'), trust, 'south'), null)
    assert.deepEqual(chooseSchool(at('a'), trust, 'north'), { school: north, schools: [north] })
    assert.deepEqual(chooseSchool(at('a'), trust, undefined), { school: north, schools: [north] })
    assert.equal(chooseSchool(at('a'), trust, 'nowhere'), null)
  })

  test('X-03: the trust centrally chooses among the schools, the first by default', () => {
    assert.deepEqual(chooseSchool(at(null), trust, 'south'), { school: south, schools: trust })
    assert.deepEqual(chooseSchool(at(null), trust, ''), { school: north, schools: trust })
    assert.deepEqual(chooseSchool(at(null), trust, ['south']), { school: north, schools: trust })
    assert.equal(chooseSchool(at(null), [], undefined), null)
  })

  test('X-03: a person at a school may open pages about their school and the trust’s central people', () => {
    assert.equal(inReach(at('a'), 'a'), true)
    assert.equal(inReach(at('a'), null), true)
    assert.equal(inReach(at('a'), 'b'), false)
    assert.equal(inReach(at(null), 'b'), true)
  })

  test('X-03: roles count within reach only; beyond it a person is only a party', () => {
    assert.deepEqual(rolesIn(at('a'), 'a'), ['dsl'])
    assert.deepEqual(rolesIn(at('a'), 'b'), [])
    assert.deepEqual(rolesIn(at(null), 'b'), ['dsl'])
  })

  test('X-03: the trust’s administrators reach every school, wherever they are based', () => {
    assert.deepEqual(schoolsInReach(at('a', ['administrator']), trust), trust)
    assert.deepEqual(chooseSchool(at('a', ['administrator']), trust, 'south'), { school: south, schools: trust })
    assert.equal(inReach(at('a', ['administrator']), 'b'), true)
    assert.equal(inReach(at('a', ['headteacher', 'dsl']), 'b'), false)
  })
})

test('X-03: only the trust’s central safeguarding lead reads the trust rollup (issue 16)', () => {
  assert.equal(readsTrustRollup(at(null, ['dsl'])), true)
  assert.equal(readsTrustRollup(at(null, ['deputy-dsl', 'regional-safeguarding-lead'])), true)
  assert.equal(readsTrustRollup(at('a', ['dsl'])), false, 'an academy’s DSL')
  assert.equal(readsTrustRollup(at(null, ['administrator'])), false, 'an administrator of the trust')
  assert.equal(readsTrustRollup(at(null, ['headteacher'])), false)
})
