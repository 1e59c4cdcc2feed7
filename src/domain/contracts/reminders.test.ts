import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { addDays, fromDayNumber, isoWeekday, toDayNumber } from '../calendar/dates.ts'
import { isoWeekId, reviewReminderDue, reviewReminderKey, unsignedDigestKey, unsignedReminderKey } from './reminders.ts'

test('isoWeekId follows ISO 8601, across year ends', () => {
  assert.equal(isoWeekId('2026-11-23'), '2026-W48')
  assert.equal(isoWeekId('2026-11-29'), '2026-W48')
  assert.equal(isoWeekId('2026-11-30'), '2026-W49')
  assert.equal(isoWeekId('2021-01-03'), '2020-W53')
  assert.equal(isoWeekId('2024-12-30'), '2025-W01')
  assert.equal(isoWeekId('2026-01-01'), '2026-W01')
})

test('MW-02: an unsigned contract is reminded about at most once a week: the key changes only on Mondays', () => {
  fc.assert(
    fc.property(fc.integer({ min: toDayNumber('2020-01-01'), max: toDayNumber('2035-12-31') }), (day) => {
      const date = fromDayNumber(day)
      const next = addDays(date, 1)
      const same = unsignedReminderKey('c1', 'supervisee', date) === unsignedReminderKey('c1', 'supervisee', next)
      assert.equal(same, isoWeekday(next) !== 1)
    }),
  )
  assert.notEqual(
    unsignedReminderKey('c1', 'supervisee', '2026-11-23'),
    unsignedReminderKey('c1', 'supervisor', '2026-11-23'),
  )
  assert.match(unsignedDigestKey('s1', 'p1', '2026-11-23'), /^reminder:contracts-unsigned:s1:p1:2026-W48$/)
})

test('MW-02: the review reminder is due from four weeks before the review date, once per review date', () => {
  assert.equal(reviewReminderDue('2027-09-01', '2027-08-03'), false)
  assert.equal(reviewReminderDue('2027-09-01', '2027-08-04'), true)
  assert.equal(reviewReminderDue('2027-09-01', '2027-09-20'), true)
  assert.equal(reviewReminderKey('c1', 'p1', '2027-09-01'), 'reminder:contract-review:c1:p1:2027-09-01')
})
