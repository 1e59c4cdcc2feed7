import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  addWorkingDays,
  englandDefaultCalendar,
  fromDayNumber,
  isWorkingDay,
  toDayNumber,
  workingDaysBetween,
} from '../calendar/index.ts'
import { DayCalendar } from './day-calendar.ts'

const calendar = englandDefaultCalendar('england-and-wales', 2024, 2026)
const arbitraryDay = fc.integer({ min: toDayNumber('2023-01-01'), max: toDayNumber('2028-12-31') })

describe('X-02: the calendar indexed by day number', () => {
  test('X-02: working days agree with the school calendar, inside and outside its years', () => {
    // One index shared by every case (it grows as questions stray outside it), and a fresh one.
    const shared = new DayCalendar(calendar)
    fc.assert(
      fc.property(arbitraryDay, fc.integer({ min: -15, max: 40 }), (day, n) => {
        for (const dc of [shared, new DayCalendar(calendar)]) {
          const iso = fromDayNumber(day)
          assert.equal(dc.iso(dc.addWorkingDays(day, n)), addWorkingDays(calendar, iso, n))
          assert.equal(dc.isWorkingDay(day), isWorkingDay(calendar, iso))
          const later = fromDayNumber(day + Math.abs(n))
          assert.equal(dc.workingDaysBetween(day, day + Math.abs(n)), workingDaysBetween(calendar, iso, later))
        }
      }),
      { numRuns: 150 },
    )
  })

  test('X-02: weeks of term time skip the holidays between half terms', () => {
    const dc = new DayCalendar(calendar)
    const day = (iso: string) => dc.day(iso)
    // No holiday in the way: plain calendar days.
    assert.equal(dc.iso(dc.addTermDays(day('2025-09-10'), 42)), '2025-10-22')
    // Across the October half term (25 October to 2 November 2025).
    assert.equal(dc.iso(dc.addTermDays(day('2025-10-15'), 42)), '2025-12-05')
    // From inside a holiday, counting starts when term does.
    assert.equal(dc.iso(dc.addTermDays(day('2025-08-10'), 1)), '2025-09-01')
    // Across the summer holiday.
    assert.equal(dc.iso(dc.addTermDays(day('2025-07-10'), 42)), '2025-10-04')
  })

  test('X-02: the period after a day; a holiday belongs to the period before it', () => {
    const dc = new DayCalendar(calendar)
    const day = (iso: string) => dc.day(iso)
    assert.equal(dc.periodAfter('half-terms', day('2025-09-15'), 0).id, '2025-26/autumn-1')
    assert.equal(dc.periodAfter('half-terms', day('2025-09-15'), 1).id, '2025-26/autumn-2')
    assert.equal(dc.periodAfter('half-terms', day('2025-10-29'), 1).id, '2025-26/autumn-2')
    assert.equal(dc.periodAfter('half-terms', day('2025-08-15'), 1).id, '2025-26/autumn-1')
    assert.equal(dc.periodAfter('terms', day('2025-07-01'), 1).name, 'Autumn term 2025-26')
    assert.equal(dc.iso(dc.periodAfter('terms', day('2025-07-01'), 1).end), '2025-12-19')
  })

  test('X-02: years the calendar does not hold follow the England default pattern', () => {
    const dc = new DayCalendar(calendar)
    const period = dc.periodAfter('half-terms', dc.day('2030-09-10'), 1)
    assert.equal(period.id, '2030-31/autumn-2')
    const earlier = dc.periodAfter('half-terms', dc.day('2019-09-10'), 0)
    assert.equal(earlier.id, '2019-20/autumn-1')
    // Asking about far-off years first does not change earlier answers.
    assert.equal(dc.iso(dc.addTermDays(dc.day('2025-10-15'), 42)), '2025-12-05')
  })
})
