import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { roleCatalogue } from '../people/roles.ts'
import { roleChangeProblem } from './role-changes.ts'
import { canSeeAdditionalSupport, canSeeAllAdditionalSupport } from './sensitive.ts'

const subject = { id: 'subject', lineManagerId: 'manager', supervisorIds: ['supervisor'] }

describe('who sees "needs additional support" (LH-03, sensitive)', () => {
  test('the DSL and the deputy DSL see it for anyone', () => {
    assert.equal(canSeeAdditionalSupport({ personId: 'dsl', roles: ['dsl'] }, subject), true)
    assert.equal(canSeeAdditionalSupport({ personId: 'd', roles: ['class-teacher', 'deputy-dsl'] }, subject), true)
    assert.equal(canSeeAllAdditionalSupport({ personId: 'd', roles: ['deputy-dsl'] }), true)
  })

  test('LH-05: the current line manager and the current supervisor see it for their people', () => {
    assert.equal(canSeeAdditionalSupport({ personId: 'manager', roles: ['class-teacher'] }, subject), true)
    assert.equal(canSeeAdditionalSupport({ personId: 'supervisor', roles: [] }, subject), true)
    assert.equal(canSeeAllAdditionalSupport({ personId: 'manager', roles: ['class-teacher'] }), false)
  })

  test('administrators, headteachers, other staff, the person themself and nobody signed in do not', () => {
    for (const roles of [['administrator'], ['headteacher'], ['associate-headteacher'], ['class-teacher'], []])
      assert.equal(canSeeAdditionalSupport({ personId: 'other', roles }, subject), false, roles.join())
    assert.equal(canSeeAdditionalSupport({ personId: 'subject', roles: ['class-teacher'] }, subject), false)
    assert.equal(canSeeAdditionalSupport(null, subject), false)
    assert.equal(canSeeAdditionalSupport(undefined, { ...subject, lineManagerId: null }), false)
  })

  test('a person with no line manager: a viewer with no id match never sees it', () => {
    const alone = { id: 's', lineManagerId: null, supervisorIds: [] }
    fc.assert(
      fc.property(
        fc.string(),
        fc.subarray(roleCatalogue.map((r) => r.id).filter((r) => r !== 'dsl' && r !== 'deputy-dsl')),
        (personId, roles) => !canSeeAdditionalSupport({ personId, roles }, alone),
      ),
    )
  })
})

describe('changing roles', () => {
  const admin = { personId: 'admin', roles: ['administrator'] }
  const dsl = { personId: 'dsl', roles: ['dsl'] }

  test('nobody changes their own roles', () => {
    assert.match(roleChangeProblem(admin, 'admin', ['administrator'], ['administrator', 'dsl'])!, /your own roles/)
    assert.match(roleChangeProblem(dsl, 'dsl', ['dsl'], [])!, /your own roles/)
    assert.equal(roleChangeProblem(dsl, 'dsl', ['dsl'], ['dsl']), null, 'unchanged is fine')
  })

  test('only administrators give or take away the administrator role', () => {
    assert.equal(roleChangeProblem(admin, 'x', [], ['administrator']), null)
    assert.equal(roleChangeProblem(admin, null, [], ['administrator']), null)
    assert.match(roleChangeProblem(dsl, 'x', [], ['administrator'])!, /Only an administrator/)
    assert.match(roleChangeProblem(dsl, 'x', ['administrator'], [])!, /Only an administrator/)
    assert.equal(roleChangeProblem(dsl, 'x', ['class-teacher'], ['class-teacher', 'year-head']), null)
  })
})
