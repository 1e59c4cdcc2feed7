import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { englandDefaultYear } from './academic-year.ts'
import { compareDates, fromDayNumber, toDayNumber } from './dates.ts'
import {
  addWorkingDays,
  closureOn,
  englandDefaultCalendar,
  halfTermOn,
  isCovered,
  isSchoolDay,
  isStaffWorkingDay,
  isTermTime,
  isWorkingDay,
  periodsFor,
  type SchoolCalendar,
  termOn,
  validateSchoolCalendar,
  workingDaysBetween,
  yearFor,
} from './school-calendar.ts'

/**
 * England and Wales, England default years 2026-27 (autumn 1 ends Friday 23 October, half term
 * 26 to 30 October, autumn 2 starts 2 November), with an INSET day and a closure added.
 */
function calendar2026(): SchoolCalendar {
  const year = englandDefaultYear(2026)
  year.closures = [
    { date: '2026-09-01', kind: 'inset', description: 'INSET: safeguarding update' },
    { date: '2026-11-04', kind: 'closure', description: 'Heating failure' },
  ]
  return { region: 'england-and-wales', years: [year] }
}

describe('X-02: school calendar', () => {
  test('X-02: finds the half term, term and year of a date', () => {
    const cal = calendar2026()
    assert.equal(halfTermOn(cal, '2026-10-23')?.halfTerm.id, 'autumn-1')
    assert.equal(halfTermOn(cal, '2026-10-28'), null, 'half-term holiday')
    assert.equal(termOn(cal, '2026-10-28')?.term.id, 'autumn', 'the holiday is inside the autumn term')
    assert.equal(termOn(cal, '2026-12-25'), null)
    assert.equal(termOn(cal, '2027-07-16')?.term.name, 'Summer')
    assert.equal(yearFor(cal, '2027-08-31')?.id, '2026-27')
    assert.equal(yearFor(cal, '2027-09-01'), null)
    assert.equal(isTermTime(cal, '2026-11-07'), true, 'a Saturday in term')
    assert.equal(isTermTime(cal, '2026-12-21'), false)
    assert.equal(isCovered(cal, '2026-09-01'), true)
    assert.equal(isCovered(cal, '2026-08-31'), false)
  })

  test('X-02: INSET days are staff working days but not school days; closures are neither', () => {
    const cal = calendar2026()
    assert.equal(closureOn(cal, '2026-09-01')?.kind, 'inset')
    assert.equal(isStaffWorkingDay(cal, '2026-09-01'), true)
    assert.equal(isWorkingDay(cal, '2026-09-01'), true)
    assert.equal(isSchoolDay(cal, '2026-09-01'), false)
    assert.equal(isStaffWorkingDay(cal, '2026-11-04'), false)
    assert.equal(isSchoolDay(cal, '2026-11-04'), false)
    assert.equal(isSchoolDay(cal, '2026-09-02'), true)
    assert.equal(isWorkingDay(cal, '2026-09-05'), false, 'Saturday')
    assert.equal(isWorkingDay(cal, '2026-10-27'), false, 'half-term holiday')
    assert.equal(isWorkingDay(cal, '2027-05-03'), false, 'Early May bank holiday in summer 1')
  })

  test('X-02: bank holidays follow the calendar’s region', () => {
    const england = englandDefaultCalendar('england-and-wales', 2026, 2026)
    const scotland = englandDefaultCalendar('scotland', 2026, 2026)
    assert.equal(isWorkingDay(england, '2026-11-30'), true)
    assert.equal(isWorkingDay(scotland, '2026-11-30'), false, 'St Andrew’s Day')
  })

  test('CA-03: a session cancelled on Friday 16 October 2026 is rebooked by Friday 23 October', () => {
    assert.equal(addWorkingDays(calendar2026(), '2026-10-16', 5), '2026-10-23')
  })

  test('CA-03: 5 working days from the Friday before half term are counted past the holiday', () => {
    const cal = calendar2026()
    // Half term 26 to 30 October; Wednesday 4 November is a closure day.
    assert.equal(addWorkingDays(cal, '2026-10-23', 1), '2026-11-02')
    assert.equal(addWorkingDays(cal, '2026-10-23', 5), '2026-11-09')
    assert.equal(addWorkingDays(englandDefaultCalendar('england-and-wales', 2026, 2026), '2026-10-23', 5), '2026-11-06')
  })

  test('CA-03: a bank holiday in the counted span is skipped', () => {
    // Monday 3 May 2027 is the Early May bank holiday.
    assert.equal(addWorkingDays(calendar2026(), '2027-04-30', 5), '2027-05-10')
    assert.equal(workingDaysBetween(calendar2026(), '2027-04-30', '2027-05-10'), 5)
  })

  test('CA-03: counting across Christmas and from a non-working day', () => {
    const cal = calendar2026()
    assert.equal(addWorkingDays(cal, '2026-12-18', 1), '2027-01-04')
    assert.equal(addWorkingDays(cal, '2026-12-25', 1), '2027-01-04')
    assert.equal(addWorkingDays(cal, '2026-10-24', 0), '2026-10-24')
    assert.equal(addWorkingDays(cal, '2027-01-04', -1), '2026-12-18')
    assert.throws(() => addWorkingDays(cal, '2027-01-04', 1.5), RangeError)
  })

  test('X-02: outside the calendar, working days fall back to weekdays that are not bank holidays', () => {
    const cal = calendar2026()
    assert.equal(halfTermOn(cal, '2025-12-19'), null)
    assert.equal(isTermTime(cal, '2025-12-19'), false)
    assert.equal(isWorkingDay(cal, '2025-12-24'), true)
    assert.equal(isSchoolDay(cal, '2025-12-24'), true)
    assert.equal(isWorkingDay(cal, '2025-12-25'), false)
    // Monday 22 ... Wednesday 24, then Christmas Day and Boxing Day, then Monday 29 and Tuesday 30.
    assert.equal(addWorkingDays(cal, '2025-12-19', 5), '2025-12-30')
    // From the end of 2026-27 into uncovered 2027-28.
    // Monday 30 August 2027 is a bank holiday and Tuesday 31 August is in the summer holiday.
    assert.equal(addWorkingDays(cal, '2027-08-27', 1), '2027-09-01')
  })

  test('X-02: workingDaysBetween counts after the first date up to and including the second', () => {
    const cal = calendar2026()
    assert.equal(workingDaysBetween(cal, '2026-10-23', '2026-10-23'), 0)
    assert.equal(workingDaysBetween(cal, '2026-10-23', '2026-11-02'), 1)
    assert.equal(workingDaysBetween(cal, '2026-10-23', '2026-11-01'), 0)
    assert.equal(workingDaysBetween(cal, '2026-11-02', '2026-10-23'), -1)
    // 74 weekdays in the autumn term, less the closure on 4 November and the uncounted first day.
    assert.equal(workingDaysBetween(cal, '2026-09-01', '2026-12-18'), 74 - 1 - 1)
    assert.equal(workingDaysBetween(cal, '2026-12-18', '2026-09-01'), -72)
  })

  test('MW-03, LH-03: periods that intersect a range', () => {
    const cal = englandDefaultCalendar('england-and-wales', 2025, 2026)
    assert.deepEqual(
      periodsFor(cal, 'half-term', '2026-07-01', '2026-11-02').map((period) => period.id),
      ['2025-26/summer-2', '2026-27/autumn-1', '2026-27/autumn-2'],
    )
    assert.deepEqual(periodsFor(cal, 'term', '2026-10-28', '2026-10-29'), [
      { id: '2026-27/autumn', academicYearId: '2026-27', name: 'Autumn', start: '2026-09-01', end: '2026-12-18' },
    ])
    assert.deepEqual(periodsFor(cal, 'half-term', '2026-10-26', '2026-10-30'), [], 'half-term holiday')
    assert.deepEqual(periodsFor(cal, 'term', '2026-07-20', '2026-08-31'), [], 'summer holiday')
    assert.equal(periodsFor(cal, 'term', '2020-01-01', '2030-01-01').length, 6, 'only the calendar’s years')
    assert.deepEqual(periodsFor(cal, 'half-term', '2026-07-17', '2026-07-17')[0], {
      id: '2025-26/summer-2',
      academicYearId: '2025-26',
      name: 'Summer 2',
      start: '2026-06-01',
      end: '2026-07-17',
    })
  })

  test('X-02: England default calendars are valid; repeated years are reported', () => {
    const cal = englandDefaultCalendar('northern-ireland', 2024, 2030)
    assert.equal(cal.region, 'northern-ireland')
    assert.deepEqual(
      cal.years.map((year) => year.id),
      ['2024-25', '2025-26', '2026-27', '2027-28', '2028-29', '2029-30', '2030-31'],
    )
    assert.deepEqual(validateSchoolCalendar(cal), [])
    const broken = calendar2026()
    broken.years.push(englandDefaultYear(2026))
    broken.years[0]!.halfTerms[0]!.end = '2026-08-30'
    assert.deepEqual(validateSchoolCalendar(broken), [
      { path: 'years.0.halfTerms.0.end', message: 'Autumn 1 must end after it starts' },
      { path: 'years.1.id', message: 'Academic year 2026-27 is entered twice' },
    ])
  })

  describe('X-02, CA-03: working-day properties', () => {
    const cal: SchoolCalendar = englandDefaultCalendar('england-and-wales', 2025, 2027)
    cal.years[1]!.closures = [
      { date: '2027-01-04', kind: 'inset', description: 'INSET' },
      { date: '2027-01-05', kind: 'closure', description: 'Snow' },
      { date: '2026-11-30', kind: 'closure', description: 'Polling day' },
    ]
    // From July 2025 to June 2029: covered years plus uncovered margins either side.
    const arbitraryDate = fc
      .integer({ min: toDayNumber('2025-07-01'), max: toDayNumber('2029-06-30') })
      .map(fromDayNumber)
    const arbitraryCount = fc.integer({ min: 1, max: 40 })

    test('X-02, CA-03: addWorkingDays gives a working day strictly after the start', () => {
      fc.assert(
        fc.property(arbitraryDate, arbitraryCount, (date, n) => {
          const result = addWorkingDays(cal, date, n)
          assert.equal(isWorkingDay(cal, result), true)
          assert.equal(compareDates(result, date), 1)
          const before = addWorkingDays(cal, date, -n)
          assert.equal(isWorkingDay(cal, before), true)
          assert.equal(compareDates(before, date), -1)
        }),
      )
    })

    test('X-02, CA-03: addWorkingDays is strictly increasing in n', () => {
      fc.assert(
        fc.property(arbitraryDate, arbitraryCount, (date, n) => {
          assert.equal(compareDates(addWorkingDays(cal, date, n), addWorkingDays(cal, date, n + 1)), -1)
        }),
      )
    })

    test('X-02, CA-03: workingDaysBetween undoes addWorkingDays', () => {
      fc.assert(
        fc.property(arbitraryDate, fc.integer({ min: 0, max: 40 }), (date, n) => {
          assert.equal(workingDaysBetween(cal, date, addWorkingDays(cal, date, n)), n)
          // Counting back from a working day lands n working days earlier.
          const workingDay = addWorkingDays(cal, date, 1)
          assert.equal(workingDaysBetween(cal, workingDay, addWorkingDays(cal, workingDay, -n)), 0 - n)
        }),
      )
    })

    test('X-02: workingDaysBetween is antisymmetric and additive', () => {
      fc.assert(
        fc.property(arbitraryDate, arbitraryDate, arbitraryDate, (a, b, c) => {
          assert.equal(workingDaysBetween(cal, a, b), -workingDaysBetween(cal, b, a) || 0)
          assert.equal(workingDaysBetween(cal, a, c), workingDaysBetween(cal, a, b) + workingDaysBetween(cal, b, c))
        }),
        { numRuns: 50 },
      )
    })

    test('X-02: a school day is always a staff working day', () => {
      fc.assert(
        fc.property(arbitraryDate, (date) => {
          if (isSchoolDay(cal, date)) assert.equal(isStaffWorkingDay(cal, date), true)
          if (isWorkingDay(cal, date) && isCovered(cal, date)) assert.equal(isTermTime(cal, date), true)
        }),
      )
    })
  })
})
