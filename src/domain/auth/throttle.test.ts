import assert from 'node:assert/strict'
import { test } from 'node:test'
import { afterFailure, isBlocked, signInThrottle, type ThrottleState } from './throttle.ts'

test('after five failures the account is blocked, and each further failure doubles the delay', () => {
  let state: ThrottleState | undefined
  const now = new Date('2026-11-23T10:00:00Z')
  for (let i = 1; i <= 5; i++) {
    state = afterFailure(signInThrottle, state, now)
    assert.equal(isBlocked(state, now), false, `failure ${i}`)
  }
  state = afterFailure(signInThrottle, state, now)
  assert.equal(state.blockedUntil?.getTime(), now.getTime() + 60_000)
  state = afterFailure(signInThrottle, state, now)
  assert.equal(state.blockedUntil?.getTime(), now.getTime() + 120_000)
  for (let i = 0; i < 20; i++) state = afterFailure(signInThrottle, state, now)
  assert.equal(state.blockedUntil?.getTime(), now.getTime() + 3600_000, 'capped at an hour')
})

test('failures older than the window are forgotten', () => {
  const t0 = new Date('2026-11-23T10:00:00Z')
  let state: ThrottleState | undefined
  for (let i = 0; i < 4; i++) state = afterFailure(signInThrottle, state, t0)
  const later = new Date(t0.getTime() + 16 * 60_000)
  state = afterFailure(signInThrottle, state, later)
  assert.equal(state.failures, 1)
})
