import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  type AcademicYear,
  academicYearBounds,
  academicYearIdFor,
  englandDefaultYear,
  halfTermNames,
  parseAcademicYearId,
  termsOf,
  validateAcademicYear,
} from './academic-year.ts'
import { isBankHoliday } from './bank-holidays.ts'
import {
  addDays,
  compareDates,
  diffDays,
  eachDay,
  easterSunday,
  fromDayNumber,
  isoWeekday,
  isWeekend,
} from './dates.ts'

const spans = (year: AcademicYear): string[] =>
  year.halfTerms.map((halfTerm) => `${halfTerm.id} ${halfTerm.start} ${halfTerm.end}`)

const weekdaysInTerm = (year: AcademicYear): string[] =>
  year.halfTerms.flatMap((halfTerm) => eachDay(halfTerm.start, halfTerm.end).filter((date) => !isWeekend(date)))

describe('X-02: academic years', () => {
  test('X-02: academic year ids run 1 September to 31 August', () => {
    assert.equal(academicYearIdFor('2025-09-01'), '2025-26')
    assert.equal(academicYearIdFor('2026-08-31'), '2025-26')
    assert.equal(academicYearIdFor('2026-09-01'), '2026-27')
    assert.equal(academicYearIdFor('2000-01-15'), '1999-00')
    assert.deepEqual(parseAcademicYearId('2025-26'), {
      id: '2025-26',
      startYear: 2025,
      start: '2025-09-01',
      end: '2026-08-31',
    })
    assert.equal(parseAcademicYearId('1999-00')?.end, '2000-08-31')
    for (const invalid of ['2025-27', '2025-2026', '25-26', '2025/26', '', '9999-00']) {
      assert.equal(parseAcademicYearId(invalid), null, invalid)
    }
    assert.throws(() => academicYearBounds(2025.5), RangeError)
  })

  test('X-02: academic year id round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25567, max: 84006 }).map(fromDayNumber), (date) => {
        const bounds = parseAcademicYearId(academicYearIdFor(date))
        assert.ok(bounds)
        assert.ok(compareDates(bounds.start, date) <= 0 && compareDates(date, bounds.end) <= 0)
        assert.equal(academicYearIdFor(bounds.start), bounds.id)
        assert.equal(academicYearIdFor(bounds.end), bounds.id)
      }),
    )
  })

  test('X-02: England default for 2025-26', () => {
    assert.deepEqual(spans(englandDefaultYear(2025)), [
      'autumn-1 2025-09-01 2025-10-24',
      'autumn-2 2025-11-03 2025-12-19',
      'spring-1 2026-01-05 2026-02-13',
      'spring-2 2026-02-23 2026-03-27',
      'summer-1 2026-04-13 2026-05-22',
      'summer-2 2026-06-01 2026-07-17',
    ])
    const year = englandDefaultYear(2025)
    assert.equal(year.id, '2025-26')
    assert.deepEqual(year.closures, [])
    assert.deepEqual(
      year.halfTerms.map((halfTerm) => halfTerm.name),
      ['Autumn 1', 'Autumn 2', 'Spring 1', 'Spring 2', 'Summer 1', 'Summer 2'],
    )
  })

  test('X-02: England default for 2026-27 has October half term 26 to 30 October', () => {
    assert.deepEqual(spans(englandDefaultYear(2026)), [
      'autumn-1 2026-09-01 2026-10-23',
      'autumn-2 2026-11-02 2026-12-18',
      'spring-1 2027-01-04 2027-02-12',
      'spring-2 2027-02-22 2027-03-19',
      'summer-1 2027-04-05 2027-05-28',
      'summer-2 2027-06-07 2027-07-16',
    ])
  })

  test('X-02: England defaults are valid, plausible years with about 195 days in term', () => {
    for (let startYear = 2000; startYear <= 2100; startYear++) {
      const year = englandDefaultYear(startYear)
      assert.deepEqual(validateAcademicYear(year), [], year.id)
      const [a1, a2, s1, s2, u1, u2] = year.halfTerms
      assert.ok(a1 && a2 && s1 && s2 && u1 && u2)
      assert.ok(isoWeekday(a1.start) <= 4, `${year.id} starts on a weekday`)
      for (const halfTerm of [a2, s1, s2, u1, u2]) assert.equal(isoWeekday(halfTerm.start), 1, halfTerm.start)
      for (const halfTerm of year.halfTerms) assert.equal(isoWeekday(halfTerm.end), 5, halfTerm.end)
      // One-week half terms; two weeks or more at Christmas and Easter.
      for (const [before, after] of [
        [a1, a2],
        [s1, s2],
        [u1, u2],
      ] as const) {
        assert.equal(diffDays(before.end, after.start), 10, `${year.id} ${before.id}`)
      }
      assert.ok(diffDays(a2.end, s1.start) >= 17 && diffDays(a2.end, s1.start) <= 24, `${year.id} Christmas`)
      assert.equal(diffDays(s2.end, u1.start), 17, `${year.id} Easter`)
      const easter = easterSunday(startYear + 1)
      assert.ok(
        s2.end < addDays(easter, -2) && u1.start > addDays(easter, 1),
        `${year.id} Good Friday to Easter Monday`,
      )
      const days = weekdaysInTerm(year).length
      assert.ok(days >= 192 && days <= 200, `${year.id} has ${days} weekdays in term`)
    }
  })

  test('X-02: covered England defaults have 190 to 197 working days once bank holidays are removed', () => {
    for (let startYear = 2024; startYear <= 2029; startYear++) {
      const year = englandDefaultYear(startYear)
      const days = weekdaysInTerm(year).filter((date) => !isBankHoliday('england-and-wales', date)).length
      assert.ok(days >= 190 && days <= 197, `${year.id} has ${days} working days`)
    }
  })

  test('X-02: terms span their two half terms and the holiday between', () => {
    assert.deepEqual(termsOf(englandDefaultYear(2026)), [
      { id: 'autumn', name: 'Autumn', start: '2026-09-01', end: '2026-12-18' },
      { id: 'spring', name: 'Spring', start: '2027-01-04', end: '2027-03-19' },
      { id: 'summer', name: 'Summer', start: '2027-04-05', end: '2027-07-16' },
    ])
  })

  describe('X-02: validation', () => {
    const base = (): AcademicYear => structuredClone(englandDefaultYear(2025))

    test('X-02: a half term that ends before it starts', () => {
      const year = base()
      year.halfTerms[0]!.end = '2025-08-30'
      assert.deepEqual(validateAcademicYear(year), [
        { path: 'halfTerms.0.end', message: 'Autumn 1 must end after it starts' },
      ])
    })

    test('X-02: overlapping half terms and dates outside the year', () => {
      const year = base()
      year.halfTerms[0]!.start = '2025-08-27'
      year.halfTerms[2]!.start = '2025-12-19'
      year.halfTerms[5]!.end = '2026-09-02'
      assert.deepEqual(validateAcademicYear(year), [
        { path: 'halfTerms.0.start', message: 'Autumn 1 must start on or after 1 September 2025' },
        { path: 'halfTerms.2.start', message: 'Spring 1 must start after Autumn 2 ends' },
        { path: 'halfTerms.5.end', message: 'Summer 2 must end on or before 31 August 2026' },
      ])
    })

    test('X-02: invalid dates, names, order and count', () => {
      const year = base()
      year.halfTerms[1]!.start = '2025-11-31'
      year.halfTerms[1]!.name = ' '
      const [spring1, spring2] = [year.halfTerms[2]!, year.halfTerms[3]!]
      year.halfTerms[2] = spring2
      year.halfTerms[3] = spring1
      year.halfTerms.pop()
      year.id = '2025-2026'
      assert.deepEqual(validateAcademicYear(year), [
        { path: 'id', message: 'Academic year must be written as 2 years, like 2025-26' },
        { path: 'halfTerms', message: 'An academic year must have 6 half terms' },
        { path: 'halfTerms.1.name', message: 'Enter a name for Autumn 2' },
        { path: 'halfTerms.1.start', message: 'Autumn 2 start date must be a real date' },
        { path: 'halfTerms.2.id', message: 'Half term 3 must be Spring 1' },
        { path: 'halfTerms.3.id', message: 'Half term 4 must be Spring 2' },
        { path: 'halfTerms.3.start', message: 'Spring 1 must start after Spring 2 ends' },
      ])
    })

    test('X-02: closures must be real, inside the year, described and not repeated', () => {
      const year = base()
      year.closures = [
        { date: '2025-09-01', kind: 'inset', description: 'INSET: safeguarding training' },
        { date: '2026-09-01', kind: 'closure', description: 'Polling day' },
        { date: '2025-09-01', kind: 'inset', description: 'Duplicate' },
        { date: '2026-02-30', kind: 'holiday' as never, description: '' },
      ]
      assert.deepEqual(validateAcademicYear(year), [
        {
          path: 'closures.1.date',
          message: 'Date of closure 2 must be between 1 September 2025 and 31 August 2026',
        },
        { path: 'closures.2.date', message: 'Closure 3 is on the same date as closure 1' },
        { path: 'closures.3.date', message: 'Date of closure 4 must be a real date' },
        { path: 'closures.3.kind', message: 'Select whether closure 4 is an INSET day or a closure' },
        { path: 'closures.3.description', message: 'Enter a description for closure 4' },
      ])
    })

    test('X-02: half term names are the six in order', () => {
      assert.deepEqual(halfTermNames, ['autumn-1', 'autumn-2', 'spring-1', 'spring-2', 'summer-1', 'summer-2'])
    })
  })
})
