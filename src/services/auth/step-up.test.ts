import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type StepUpProof, spendStepUp, stepUpKey } from './step-up.ts'

const personId = '6f1c2a52-3c1e-4a5e-9d8e-0d6b7c1f2a11'

test('X-05: nothing but a proof the step-up made is taken for one, however closely it copies one', () => {
  const lookalikes: unknown[] = [
    { personId, method: 'password', at: new Date('2026-11-23T10:00:00Z') },
    Object.freeze({ personId, method: 'two-step', at: new Date('2026-11-23T10:00:00Z') }),
    null,
    undefined,
    personId,
  ]
  for (const value of lookalikes)
    assert.throws(() => spendStepUp(value as StepUpProof, personId), { name: 'StepUpRequiredError' }, String(value))
})

test('ASVS V2.2: one throttle key per person for every step-up, holding no id in clear', () => {
  assert.equal(stepUpKey(personId), stepUpKey(personId.toUpperCase()))
  assert.match(stepUpKey(personId), /^step-up:[0-9a-f]{32}$/)
  assert.notEqual(stepUpKey(personId), stepUpKey('0d0e3f0a-1b2c-4d5e-8f90-a1b2c3d4e5f6'))
})
