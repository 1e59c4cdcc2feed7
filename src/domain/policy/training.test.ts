import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import { checkBooking } from '../scheduling/booking.ts'
import type { PolicyDocument } from './model.ts'
import { supervisorEligibility } from './supervisors.ts'
import { TrainingState, trainingExpiry, trainingStatus, untrainedSupervisorCheck } from './training.ts'

function withTraining(base: PolicyDocument, over: Partial<PolicyDocument['supervisors']>): PolicyDocument {
  return { ...base, supervisors: { ...base.supervisors, trainingRequired: true, ...over } }
}

const lodeHeath = loadPack('lode-heath')
const threeYears = { amount: 3, unit: 'years' } as const

describe('supervisor training (LH-08, PL-05)', () => {
  test('LH-08: training runs out the policy’s refresh period after the latest course, and never without one', () => {
    assert.equal(trainingExpiry('2023-09-04', threeYears), '2026-09-04')
    assert.equal(trainingExpiry('2023-09-04', null), null)
    const policy = { trainingValidFor: threeYears }
    assert.equal(trainingStatus('2023-09-04', policy, '2026-01-05').state, TrainingState.Valid)
    assert.equal(trainingStatus('2023-09-04', policy, '2026-08-01').state, TrainingState.ExpiringSoon)
    assert.equal(trainingStatus('2023-09-04', policy, '2026-09-04').state, TrainingState.Expired)
    assert.equal(trainingStatus('2023-09-04', { trainingValidFor: null }, '2036-09-04').state, TrainingState.Valid)
    // Training completed after the day does not count on it.
    assert.equal(trainingStatus('2026-02-01', policy, '2026-01-05').state, TrainingState.None)
    assert.equal(trainingStatus(null, policy, '2026-01-05').state, TrainingState.None)
  })

  test('LH-08: an untrained or expired supervisor is refused or warned about as the policy says; in date is fine', () => {
    const refuse = withTraining(lodeHeath, { trainingValidFor: threeYears, onUntrained: 'refuse' })
    const warn = withTraining(lodeHeath, { trainingValidFor: threeYears, onUntrained: 'warn' })
    const never = aPerson({ name: 'Nia Never' })
    const expired = aPerson({ name: 'Eli Old', supervisorTrainedOn: '2022-01-10' })
    const current = aPerson({ name: 'Cara Current', supervisorTrainedOn: '2025-01-10' })
    assert.equal(untrainedSupervisorCheck(refuse, never, '2026-01-05')?.action, 'refuse')
    assert.equal(untrainedSupervisorCheck(warn, never, '2026-01-05')?.action, 'warn')
    assert.match(untrainedSupervisorCheck(refuse, expired, '2026-01-05')?.message ?? '', /ran out on 10 January 2025/)
    assert.equal(untrainedSupervisorCheck(refuse, current, '2026-01-05'), null)
    // A policy that says nothing refuses, as before the setting existed.
    assert.equal(
      untrainedSupervisorCheck(withTraining(lodeHeath, { onUntrained: null }), never, '2026-01-05')?.action,
      'refuse',
    )
    assert.equal(
      untrainedSupervisorCheck(
        { ...lodeHeath, supervisors: { ...lodeHeath.supervisors, trainingRequired: false } },
        never,
        '2026-01-05',
      ),
      null,
    )
  })

  test('PL-05: booking refuses an expired supervisor under "refuse", and warns (but allows) under "warn"', () => {
    const dsl = aPerson({ id: 'dsl', name: 'Dana Shah', roles: ['dsl'], supervisorTrainedOn: '2022-01-10' })
    const lead = aPerson({ id: 'pl', name: 'Priya Lal', roles: ['pastoral-lead'] })
    const people = new Map([dsl, lead].map((p) => [p.id, p]))
    const request = {
      typeId: 'one-to-one',
      supervisorIds: ['dsl'],
      superviseeIds: ['pl'],
      date: '2026-01-05',
      startTime: '10:00',
      durationMinutes: 60,
      venue: 'Room 1',
      onlineLink: '',
    }
    const context = (policy: PolicyDocument) => ({
      policy,
      today: '2026-01-02',
      people,
      existing: [],
      grid: { trustSchoolIds: ['school-1'], delegations: [] },
    })
    const type = lodeHeath.sessionTypes.find((t) => t.countsTowardEntitlement && !t.group)!
    const refused = checkBooking(
      { ...request, typeId: type.id },
      context(withTraining(lodeHeath, { trainingValidFor: threeYears, onUntrained: 'refuse' })),
    )
    assert.equal(refused.ok, false)
    assert.match(
      !refused.ok ? (refused.problems[0]?.message ?? '') : '',
      /Dana Shah cannot supervise: their supervisor training ran out/,
    )
    const warned = checkBooking(
      { ...request, typeId: type.id },
      context(withTraining(lodeHeath, { trainingValidFor: threeYears, onUntrained: 'warn' })),
    )
    assert.equal(warned.ok, true, JSON.stringify(warned))
    assert.match(warned.warnings[0]?.message ?? '', /Dana Shah’s supervisor training ran out on 10 January 2025/)
    // The planner's check is the same one: allowed under "warn", refused under "refuse".
    const on = { on: '2026-01-05', sessionTypeId: type.id, trustSchoolIds: ['school-1'] }
    assert.equal(
      supervisorEligibility(
        withTraining(lodeHeath, { trainingValidFor: threeYears, onUntrained: 'warn' }),
        dsl,
        lead,
        on,
      ).allowed,
      true,
    )
    assert.equal(
      supervisorEligibility(
        withTraining(lodeHeath, { trainingValidFor: threeYears, onUntrained: 'refuse' }),
        dsl,
        lead,
        on,
      ).allowed,
      false,
    )
  })
})
