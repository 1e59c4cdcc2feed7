import assert from 'node:assert/strict'
import { test } from 'node:test'
import { employmentEnded, touchIntervalMs } from './accounts.ts'

test('employment has ended from the end date on, not before; no end date means still employed', () => {
  assert.equal(employmentEnded(null, '2026-11-02'), false)
  assert.equal(employmentEnded('2026-11-03', '2026-11-02'), false)
  assert.equal(employmentEnded('2026-11-02', '2026-11-02'), true)
  assert.equal(employmentEnded('2026-10-31', '2026-11-02'), true)
})

test('last activity is written often enough for any idle limit: a twentieth of it, at most a minute', () => {
  assert.equal(touchIntervalMs(30), 60_000)
  assert.equal(touchIntervalMs(20), 60_000)
  assert.equal(touchIntervalMs(2), 6_000)
  assert.equal(touchIntervalMs(1), 3_000)
  for (const idle of [1, 2, 5, 15, 30, 60, 600]) assert.ok(touchIntervalMs(idle) <= (idle * 60_000) / 20)
})
