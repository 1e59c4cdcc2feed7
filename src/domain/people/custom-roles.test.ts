import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { checkCustomRole, customRoleIdFor } from './custom-roles.ts'

describe('X-03: a school adds its own roles', () => {
  test('the id is a slug of the name', () => {
    assert.equal(customRoleIdFor('Head of Maths (KS4)'), 'head-of-maths-ks4')
    assert.equal(customRoleIdFor('  Médiatrice  scolaire '), 'mediatrice-scolaire')
    assert.equal(customRoleIdFor('!!!'), '')
    const long = customRoleIdFor('word '.repeat(40))
    assert.ok(long.length <= 60 && !long.endsWith('-'))
  })

  test('ids are always valid slugs', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (name) => {
        const id = customRoleIdFor(name)
        return id === '' || (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) && id.length <= 60)
      }),
    )
  })

  test('a new role is tidied and gets its id', () => {
    const result = checkCustomRole({ name: '  Head of  Maths ', description: ' Leads maths. ' }, [])
    assert.deepEqual(result, {
      ok: true,
      role: { id: 'head-of-maths', name: 'Head of Maths', description: 'Leads maths.' },
    })
  })

  test('duplicates of the catalogue or of the school’s own roles are refused', () => {
    const own = [{ id: 'head-of-maths', name: 'Head of Maths' }]
    for (const name of ['Class teacher', 'class-teacher', 'SENDCO', 'DSL', 'HEAD OF MATHS', 'Head-of-maths']) {
      const result = checkCustomRole({ name, description: '' }, own)
      assert.equal(result.ok, false, name)
      if (!result.ok) assert.match(result.errors[0]![1], /already exists/)
    }
  })

  test('blank, too long and punctuation-only names are refused with clear messages', () => {
    const check = (name: string, description = '') => {
      const r = checkCustomRole({ name, description }, [])
      return r.ok ? [] : r.errors.map((e) => e[1])
    }
    assert.deepEqual(check(''), ['Enter a name for the role'])
    assert.deepEqual(check('x'.repeat(101)), ['Role name must be 100 characters or fewer'])
    assert.deepEqual(check('***'), ['Role name must include letters or numbers'])
    assert.deepEqual(check('Chaplain', 'y'.repeat(501)), ['Description must be 500 characters or fewer'])
  })
})
