import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blankPolicy, loadPack } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { PersonOverride, PolicyDocument } from './model.ts'
import { decideScope, selectorMatches } from './scope.ts'

const meanwood = loadPack('meanwood')

describe('X-04: who must be supervised', () => {
  test('X-04: a selector matches on any of its roles, flags or supervisor training', () => {
    const selector = {
      everyone: false,
      roles: ['senco'],
      flags: ['works-in-eyfs' as const],
      trainedSupervisors: true,
      conditions: [],
    }
    assert.ok(selectorMatches(selector, aPerson({ roles: ['senco'] }), '2025-09-01'))
    assert.ok(selectorMatches(selector, aPerson({ flags: { worksInEyfs: true } }), '2025-09-01'))
    assert.ok(selectorMatches(selector, aPerson({ supervisorTrainedOn: '2025-01-01' }), '2025-09-01'))
    assert.equal(selectorMatches(selector, aPerson({ supervisorTrainedOn: '2025-10-01' }), '2025-09-01'), false)
    assert.equal(selectorMatches(selector, aPerson({ roles: ['class-teacher'] }), '2025-09-01'), false)
  })

  test('X-04: the reason names every rule the person meets, in the policy’s words (mw-dsl, mw-sendco)', () => {
    const person = aPerson({ roles: ['dsl', 'senco'] })
    const decision = decideScope(meanwood, person, '2025-09-01')
    assert.ok(decision.required)
    assert.deepEqual(decision.ruleIds, ['mw-dsl', 'mw-sendco'])
    assert.equal(decision.reason, 'Required: all trained DSLs and the SENDCO')
    assert.deepEqual(decision.requirementIds, ['mw-one-to-one'])
  })

  test('X-04: a manual override needs a reason and beats the rules, in either direction, while it lasts', () => {
    const teacher = aPerson({ id: 't', roles: ['class-teacher'] })
    const include: PersonOverride = {
      kind: 'scope',
      personId: 't',
      required: true,
      reason: 'Holds child protection casework',
      from: '2025-09-01',
      until: null,
      requirementIds: null,
    }
    assert.equal(decideScope(meanwood, teacher, '2025-08-31', [include]).required, false)
    const included = decideScope(meanwood, teacher, '2025-09-01', [include])
    assert.ok(included.required)
    assert.equal(included.reason, 'Required: Holds child protection casework (manual override)')
    assert.equal(included.inScopeFrom, '2025-09-01')
    // When two overrides are active, the later-starting one decides.
    const exclude: PersonOverride = { ...include, required: false, reason: 'Casework handed over', from: '2026-01-05' }
    assert.equal(decideScope(meanwood, teacher, '2026-02-01', [exclude, include]).required, false)
    assert.equal(decideScope(meanwood, teacher, '2026-02-01', [include, exclude]).required, false)
  })

  test('X-04: excluded employment types are never in scope by rule', () => {
    const policy: PolicyDocument = {
      ...blankPolicy({ school: 'Test', effectiveFrom: '2025-09-01' }),
    }
    policy.scope = { ...policy.scope, excludedEmploymentTypes: ['volunteer'] }
    const decision = decideScope(policy, aPerson({ employmentType: 'volunteer' }), '2025-09-01')
    assert.equal(decision.required, false)
    assert.match(decision.reason, /does not cover volunteer staff/)
  })
})
