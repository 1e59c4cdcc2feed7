import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blankPolicy, loadPack } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { PolicyDocument } from './model.ts'
import { maySupervise } from './supervisors.ts'

const blank = blankPolicy({ school: 'Test School', effectiveFrom: '2025-09-01' })

describe('maySupervise', () => {
  test('the line manager rule: the line manager may, others may not, nobody supervises themselves', () => {
    const manager = aPerson({ id: 'm', name: 'Maya Manager' })
    const other = aPerson({ id: 'o', name: 'Omar Other' })
    const teacher = aPerson({ id: 't', name: 'Tia Teacher', lineManagerId: 'm' })
    const allowed = maySupervise(blank, manager, teacher)
    assert.ok(allowed.allowed)
    assert.equal(allowed.rule.ruleId, 'line-manager')
    assert.deepEqual(allowed.rule.via, { kind: 'line-manager' })
    const refused = maySupervise(blank, other, teacher)
    assert.equal(refused.allowed, false)
    assert.equal(
      !refused.allowed && refused.reason,
      'Omar Other cannot supervise Tia Teacher under the policy. Staff are supervised by their line manager (rule line-manager). Omar Other is none of these',
    )
    const self = maySupervise(blank, teacher, teacher)
    assert.equal(!self.allowed && self.reason, 'Tia Teacher cannot supervise themselves')
  })

  test('someone no rule covers cannot be booked, and the reason says how to fix it', () => {
    const policy: PolicyDocument = {
      ...blank,
      supervisors: {
        ...blank.supervisors,
        rules: [
          {
            ...(blank.supervisors.rules[0] as PolicyDocument['supervisors']['rules'][number]),
            supervisees: { everyone: false, roles: ['dsl'], flags: [], trainedSupervisors: false, conditions: [] },
          },
        ],
      },
    }
    const result = maySupervise(
      policy,
      aPerson({ name: 'Anyone' }),
      aPerson({ name: 'Cleo Cook', roles: ['teaching-assistant'] }),
    )
    assert.equal(result.allowed, false)
    assert.match(
      !result.allowed ? result.reason : '',
      /does not say who may supervise Cleo Cook: add a rule for their role/,
    )
  })

  test('a fallback rule applies only to supervisees no other rule covers', () => {
    const lodeHeath = loadPack('lode-heath')
    const manager = aPerson({ id: 'm', name: 'Line Manager', roles: ['year-head'] })
    // A trained deputy DSL is covered by the deputy DSL row, so their line manager (a year head) may not.
    const deputy = aPerson({
      name: 'Deputy',
      roles: ['deputy-dsl'],
      lineManagerId: 'm',
      supervisorTrainedOn: '2024-01-01',
    })
    assert.equal(maySupervise(lodeHeath, { ...manager, supervisorTrainedOn: '2024-01-01' }, deputy).allowed, false)
    // The Associate Headteacher, a trained supervisor in no row, may be supervised by their line manager.
    const associate = aPerson({
      name: 'Associate',
      roles: ['associate-headteacher'],
      lineManagerId: 'h',
      supervisorTrainedOn: '2024-01-01',
    })
    const head = aPerson({ id: 'h', name: 'Head', roles: ['headteacher'], supervisorTrainedOn: '2024-01-01' })
    const result = maySupervise(lodeHeath, head, associate)
    assert.ok(result.allowed)
    assert.equal(result.rule.ruleId, 'lh-who-other-supervisors')
  })

  test('someone who has left cannot supervise on a later date', () => {
    const manager = aPerson({ id: 'm', name: 'Maya Manager', endDate: '2025-07-31' })
    const teacher = aPerson({ name: 'Tia', lineManagerId: 'm' })
    assert.ok(maySupervise(blank, manager, teacher, { on: '2025-07-01' }).allowed)
    const later = maySupervise(blank, manager, teacher, { on: '2025-09-01' })
    assert.match(!later.allowed ? later.reason : '', /left on 31 July 2025/)
  })
})
