import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  countParam,
  groupByHalfTerm,
  groupByHalfTermName,
  halfTermAnchor,
  lastDayOfYear,
  ROWS_ON_ONE_PAGE,
  shownHalfTerm,
  yearAfter,
} from './half-terms.ts'

const row = (halfTermId: string, halfTermName: string, date: string) => ({ halfTermId, halfTermName, date })

describe('the planner groups sessions by half term', () => {
  test('groups keep the order their half terms first appear, rows shaped', () => {
    const groups = groupByHalfTerm(
      [
        row('2026-27/autumn-1', 'Autumn 1', '2026-09-07'),
        row('2026-27/autumn-1', 'Autumn 1', '2026-09-08'),
        row('2026-27/autumn-2', 'Autumn 2', '2026-11-02'),
        row('', 'Outside term', '2026-12-28'),
      ],
      (r) => r.date,
    )
    assert.deepEqual(groups, [
      { id: '2026-27/autumn-1', name: 'Autumn 1', anchor: 'half-term-autumn-1', rows: ['2026-09-07', '2026-09-08'] },
      { id: '2026-27/autumn-2', name: 'Autumn 2', anchor: 'half-term-autumn-2', rows: ['2026-11-02'] },
      { id: '', name: 'Outside term', anchor: 'half-term-other', rows: ['2026-12-28'] },
    ])
  })

  test('no rows, no groups', () => {
    assert.deepEqual(
      groupByHalfTerm([], (r) => r),
      [],
    )
    assert.deepEqual(
      groupByHalfTermName([], (r) => r),
      [],
    )
  })

  test('planned sessions group by half term name', () => {
    const groups = groupByHalfTermName(
      [
        { halfTermName: 'Spring 1', n: 1 },
        { halfTermName: 'Spring 2', n: 2 },
        { halfTermName: 'Spring 1', n: 3 },
      ],
      (r) => r.n,
    )
    assert.deepEqual(groups, [
      { name: 'Spring 1', sessions: [1, 3] },
      { name: 'Spring 2', sessions: [2] },
    ])
  })

  test('anchors', () => {
    assert.equal(halfTermAnchor('2026-27/summer-2'), 'half-term-summer-2')
    assert.equal(halfTermAnchor(''), 'half-term-other')
  })
})

describe('a long proposal shows one half term at a time', () => {
  const groups = [{ anchor: 'half-term-autumn-1' }, { anchor: 'half-term-autumn-2' }]

  test('a proposal that fits shows every half term', () => {
    assert.equal(shownHalfTerm(groups, ROWS_ON_ONE_PAGE, 'half-term-autumn-2'), null)
  })

  test('a long one shows the half term asked for, else the first', () => {
    assert.equal(shownHalfTerm(groups, ROWS_ON_ONE_PAGE + 1, 'half-term-autumn-2'), 'half-term-autumn-2')
    assert.equal(shownHalfTerm(groups, ROWS_ON_ONE_PAGE + 1, 'half-term-nope'), 'half-term-autumn-1')
    assert.equal(shownHalfTerm(groups, ROWS_ON_ONE_PAGE + 1, null), 'half-term-autumn-1')
    assert.equal(shownHalfTerm([], ROWS_ON_ONE_PAGE + 1, null), null)
  })
})

describe('years and counts', () => {
  test('the years around the one planned', () => {
    assert.equal(yearAfter('2026-27', 1), '2027-28')
    assert.equal(yearAfter('2026-27', -1), '2025-26')
    assert.equal(yearAfter('2026-27', 0), '2026-27')
  })

  test('the last day of a year is its latest half term end', () => {
    assert.equal(lastDayOfYear([{ end: '2027-07-21' }, { end: '2026-10-23' }]), '2027-07-21')
    assert.equal(lastDayOfYear([]), null)
    assert.equal(lastDayOfYear(undefined), null)
  })

  test('counts in the address are whole numbers of up to seven digits', () => {
    assert.equal(countParam('12'), 12)
    assert.equal(countParam('0'), 0)
    assert.equal(countParam('12a'), null)
    assert.equal(countParam('12345678'), null)
    assert.equal(countParam(undefined), null)
  })
})
