import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  carriedForwardRun,
  checkReviews,
  isDrifting,
  isOpenStatus,
  isOverdue,
  type ReviewHistoryEntry,
  reviewStatuses,
} from './actions.ts'

describe('actions agreed in supervision', () => {
  test('X-05: an action carried forward at two sessions running is drifting', () => {
    assert.equal(isDrifting([]), false)
    assert.equal(isDrifting([{ sessionDate: '2026-10-01', status: 'carried-forward' }]), false)
    assert.equal(
      isDrifting([
        { sessionDate: '2026-10-01', status: 'carried-forward' },
        { sessionDate: '2026-11-05', status: 'carried-forward' },
      ]),
      true,
    )
    assert.equal(
      isDrifting([
        { sessionDate: '2026-10-01', status: 'carried-forward' },
        { sessionDate: '2026-11-05', status: 'in-progress' },
      ]),
      false,
      'moved on at the latest session',
    )
    assert.equal(
      isDrifting([
        { sessionDate: '2026-10-01', status: 'carried-forward' },
        { sessionDate: '2026-11-05', status: 'in-progress' },
        { sessionDate: '2026-12-03', status: 'carried-forward' },
      ]),
      false,
      'not running: in progress in between',
    )
    assert.equal(
      isDrifting([
        { sessionDate: '2026-12-03', status: 'carried-forward' },
        { sessionDate: '2026-09-01', status: 'done' },
        { sessionDate: '2026-11-05', status: 'carried-forward' },
      ]),
      true,
      'history in any order is read in session order',
    )
  })

  test('X-05: drifting means exactly: the latest two reviews both carried it forward (property)', () => {
    const entry = fc.record({
      sessionDate: fc
        .integer({ min: 0, max: 3000 })
        .map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10)),
      status: fc.constantFrom(...reviewStatuses),
    })
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.sessionDate, maxLength: 8 }),
        (history: ReviewHistoryEntry[]) => {
          const sorted = [...history].sort((a, b) => (a.sessionDate < b.sessionDate ? -1 : 1))
          const expected =
            sorted.length >= 2 &&
            sorted[sorted.length - 1]!.status === 'carried-forward' &&
            sorted[sorted.length - 2]!.status === 'carried-forward'
          assert.equal(isDrifting(history), expected)
          assert.equal(isDrifting(history), carriedForwardRun(history) >= 2)
        },
      ),
    )
  })

  test('CA-07: an open action past its due date is overdue; due today is not; done ones never are', () => {
    assert.equal(isOverdue({ status: 'open', dueOn: '2026-10-01' }, '2026-10-02'), true)
    assert.equal(isOverdue({ status: 'carried-forward', dueOn: '2026-10-01' }, '2026-10-02'), true)
    assert.equal(isOverdue({ status: 'open', dueOn: '2026-10-02' }, '2026-10-02'), false)
    assert.equal(isOverdue({ status: 'done', dueOn: '2026-10-01' }, '2026-10-02'), false)
    assert.equal(isOverdue({ status: 'dropped', dueOn: '2026-10-01' }, '2026-10-02'), false)
    assert.equal(isOverdue({ status: 'open', dueOn: '' }, '2026-10-02'), false)
    assert.equal(isOverdue({ status: 'open', dueOn: null }, '2026-10-02'), false)
    assert.deepEqual((['open', 'in-progress', 'carried-forward', 'done', 'dropped'] as const).map(isOpenStatus), [
      true,
      true,
      true,
      false,
      false,
    ])
  })

  test('X-05: completing a record needs a status for each of last time’s actions, and a reason to drop one', () => {
    const actions = [
      { id: 'a1', text: 'Chase the referral' },
      { id: 'a2', text: 'Book training' },
      { id: 'a3', text: 'Speak to the family' },
    ]
    const reviews = [
      { actionId: 'a1', status: 'done' as const, reason: '' },
      { actionId: 'a2', status: 'dropped' as const, reason: '' },
    ]
    assert.deepEqual(checkReviews(actions, reviews, { complete: false }), {}, 'a draft may leave them')
    assert.deepEqual(checkReviews(actions, reviews, { complete: true }), {
      'reviews-a2-reason': 'Enter why earlier action 2 was dropped',
      'reviews-a3': 'Select what happened to earlier action 3',
    })
    assert.deepEqual(
      checkReviews(actions, [{ actionId: 'a1', status: 'lost' as never, reason: '' }], { complete: false }),
      { 'reviews-a1': 'Select what happened to earlier action 1' },
    )
  })

  test('X-05: a policy that does not review actions at the next session lets a record leave them, but still asks why one was dropped', () => {
    const actions = [
      { id: 'a1', text: 'Chase the referral' },
      { id: 'a2', text: 'Book training' },
    ]
    const reviews = [{ actionId: 'a1', status: 'dropped' as const, reason: '' }]
    assert.deepEqual(checkReviews(actions, reviews, { complete: true, required: false }), {
      'reviews-a1-reason': 'Enter why earlier action 1 was dropped',
    })
  })
})
