import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  addDays,
  addMonths,
  addWeeks,
  compareDates,
  diffDays,
  eachDay,
  easterSunday,
  formatIsoDate,
  formatLongDate,
  fromDayNumber,
  isoWeekday,
  isValidIsoDate,
  isWeekend,
  maxDate,
  minDate,
  parseIsoDate,
  toDayNumber,
  weekdayOnOrAfter,
  weekdayOnOrBefore,
} from './dates.ts'

/** Any date from 1900 to 2200. */
const arbitraryDate = fc.integer({ min: -25567, max: 84006 }).map(fromDayNumber)

describe('X-02: ISO date arithmetic', () => {
  test('X-02: validates ISO dates strictly', () => {
    for (const valid of ['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) {
      assert.equal(isValidIsoDate(valid), true, valid)
    }
    for (const invalid of [
      '2025-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-01',
      '26-01-01',
    ]) {
      assert.equal(isValidIsoDate(invalid), false, invalid)
    }
    assert.equal(isValidIsoDate(' 2026-01-01'), false)
    assert.equal(isValidIsoDate(20260101), false)
    assert.equal(isValidIsoDate(null), false)
  })

  test('X-02: parses and formats dates', () => {
    assert.deepEqual(parseIsoDate('2026-03-29'), { year: 2026, month: 3, day: 29 })
    assert.equal(formatIsoDate({ year: 26, month: 3, day: 9 }), '0026-03-09')
    assert.throws(() => parseIsoDate('2026-02-30'), RangeError)
    assert.throws(() => formatIsoDate({ year: 2026, month: 2, day: 30 }), RangeError)
    assert.equal(formatLongDate('2025-09-01'), '1 September 2025')
  })

  test('X-02: day numbers count from 1 January 1970', () => {
    assert.equal(toDayNumber('1970-01-01'), 0)
    assert.equal(toDayNumber('1969-12-31'), -1)
    assert.equal(toDayNumber('2000-03-01'), 11017)
    assert.equal(fromDayNumber(20_000), '2024-10-04')
    assert.throws(() => fromDayNumber(1.5), RangeError)
  })

  test('X-02: day numbers agree with UTC milliseconds for any date', () => {
    fc.assert(
      fc.property(arbitraryDate, (date) => {
        const { year, month, day } = parseIsoDate(date)
        assert.equal(toDayNumber(date), Date.UTC(year, month - 1, day) / 86_400_000)
        assert.equal(fromDayNumber(toDayNumber(date)), date)
      }),
    )
  })

  test('X-02: addDays and diffDays round-trip', () => {
    fc.assert(
      fc.property(arbitraryDate, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        const later = addDays(date, days)
        assert.equal(diffDays(date, later), days)
        assert.equal(addDays(later, -days), date)
      }),
    )
  })

  test('X-02: compareDates orders like the ISO strings do', () => {
    fc.assert(
      fc.property(arbitraryDate, arbitraryDate, (a, b) => {
        assert.equal(compareDates(a, b), a < b ? -1 : a > b ? 1 : 0)
      }),
    )
    assert.equal(minDate('2026-05-01', '2025-12-31', '2026-01-01'), '2025-12-31')
    assert.equal(maxDate('2026-05-01', '2025-12-31', '2026-01-01'), '2026-05-01')
    assert.equal(minDate('2026-05-01'), '2026-05-01')
  })

  test('X-02: ISO weekdays run Monday 1 to Sunday 7', () => {
    assert.equal(isoWeekday('2025-09-01'), 1)
    assert.equal(isoWeekday('2026-03-29'), 7)
    assert.equal(isoWeekday('1970-01-01'), 4)
    assert.equal(isoWeekday('1969-12-28'), 7)
    assert.equal(isWeekend('2026-10-24'), true)
    assert.equal(isWeekend('2026-10-23'), false)
    fc.assert(
      fc.property(arbitraryDate, (date) => {
        const { year, month, day } = parseIsoDate(date)
        const jsDay = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
        assert.equal(isoWeekday(date), jsDay === 0 ? 7 : jsDay)
      }),
    )
  })

  test('X-02: finds weekdays on or after and on or before a date', () => {
    assert.equal(weekdayOnOrAfter('2026-09-01', 1), '2026-09-07')
    assert.equal(weekdayOnOrAfter('2025-09-01', 1), '2025-09-01')
    assert.equal(weekdayOnOrBefore('2026-05-31', 1), '2026-05-25')
    assert.equal(weekdayOnOrBefore('2026-07-22', 5), '2026-07-17')
  })

  test('X-02: addWeeks adds seven days a week', () => {
    assert.equal(addWeeks('2026-10-23', 2), '2026-11-06')
    assert.equal(addWeeks('2026-01-05', -1), '2025-12-29')
  })

  test('X-02, LH-03: addMonths clamps to the end of a shorter month', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28')
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29')
    assert.equal(addMonths('2026-03-31', -1), '2026-02-28')
    assert.equal(addMonths('2025-11-30', 3), '2026-02-28')
    assert.equal(addMonths('2025-12-15', 1), '2026-01-15')
    assert.equal(addMonths('2026-01-15', -13), '2024-12-15')
    fc.assert(
      fc.property(arbitraryDate, fc.integer({ min: -600, max: 600 }), (date, months) => {
        const before = parseIsoDate(date)
        const after = parseIsoDate(addMonths(date, months))
        assert.equal(after.year * 12 + after.month - (before.year * 12 + before.month), months)
        assert.ok(after.day <= before.day)
        if (after.day < before.day) assert.equal(addDays(addMonths(date, months), 1).slice(8), '01')
      }),
    )
  })

  test('X-02: eachDay lists every day, both ends included', () => {
    assert.deepEqual(eachDay('2024-02-27', '2024-03-01'), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'])
    assert.deepEqual(eachDay('2026-01-01', '2026-01-01'), ['2026-01-01'])
    assert.deepEqual(eachDay('2026-01-02', '2026-01-01'), [])
  })

  test('X-02: Easter Sunday', () => {
    const known: Record<number, string> = {
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2029: '2029-04-01',
      2030: '2030-04-21',
      2038: '2038-04-25',
      2285: '2285-03-22',
      1954: '1954-04-18',
      1981: '1981-04-19',
    }
    for (const [year, date] of Object.entries(known)) assert.equal(easterSunday(Number(year)), date)
  })
})
