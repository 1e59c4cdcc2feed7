import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contractSigners } from './signers.ts'

const both = { supervisee: { maySign: true }, supervisor: { maySign: true } }

test('MW-02: both parties sign when the policy names no one', () => {
  assert.deepEqual(contractSigners(undefined, both), ['supervisee', 'supervisor'])
  assert.deepEqual(contractSigners(null, both), ['supervisee', 'supervisor'])
  assert.deepEqual(contractSigners([], both), ['supervisee', 'supervisor'])
})

test('MW-02: the parties the policy names sign, in its order', () => {
  assert.deepEqual(contractSigners(['supervisor', 'supervisee'], both), ['supervisor', 'supervisee'])
  assert.deepEqual(contractSigners(['supervisee'], both), ['supervisee'])
  assert.deepEqual(contractSigners(['supervisee', 'supervisee'], both), ['supervisee'])
})

test('X-05: a party who may not sign is not asked to sign a contract (issue 14)', () => {
  const chairMayNotSign = { supervisee: { maySign: true }, supervisor: { maySign: false } }
  assert.deepEqual(contractSigners(['supervisee', 'supervisor'], chairMayNotSign), ['supervisee'])
  assert.deepEqual(contractSigners(undefined, chairMayNotSign), ['supervisee'])
  assert.deepEqual(contractSigners(['supervisor'], chairMayNotSign), [])
  const volunteerMayNotSign = { supervisee: { maySign: false }, supervisor: { maySign: true } }
  assert.deepEqual(contractSigners(undefined, volunteerMayNotSign), ['supervisor'])
})
