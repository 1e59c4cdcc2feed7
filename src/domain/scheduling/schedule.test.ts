import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { addDays, isoWeekday } from '../calendar/index.ts'
import { monthPage, otherViewKey, schedulePage, weekPage } from './schedule.ts'
import { formatClockTime, formatSpan, parseClockTime, spansOverlap } from './times.ts'

describe('schedule pages', () => {
  test('the other view shows the same days: a week opens the month most of it falls in, or today’s', () => {
    // Monday 30 November to Sunday 6 December 2026: four of its days are in December.
    assert.equal(otherViewKey(weekPage('2026-11-30'), '2027-03-01'), '2026-12')
    // Monday 31 August to Sunday 6 September 2026, today in it: today's month.
    assert.equal(otherViewKey(weekPage('2026-09-01'), '2026-09-02'), '2026-09')
    assert.equal(otherViewKey(weekPage('2026-08-31'), '2026-08-31'), '2026-08')
    assert.equal(otherViewKey(monthPage('2026-12-01'), '2026-12-17'), '2026-12-14')
    assert.equal(otherViewKey(monthPage('2026-12-01'), '2027-03-01'), '2026-12-01')
  })

  test('a week runs Monday to Sunday, with the weeks either side', () => {
    const week = weekPage('2026-11-26')
    assert.equal(week.start, '2026-11-23')
    assert.equal(week.end, '2026-11-29')
    assert.equal(week.days.length, 7)
    assert.equal(week.title, 'Week beginning 23 November 2026')
    assert.equal(week.previousKey, '2026-11-16')
    assert.equal(week.nextKey, '2026-11-30')
  })

  test('a month, across the end of the year', () => {
    const december = monthPage('2026-12-15')
    assert.equal(december.start, '2026-12-01')
    assert.equal(december.end, '2026-12-31')
    assert.equal(december.title, 'December 2026')
    assert.equal(december.previousKey, '2026-11')
    assert.equal(december.nextKey, '2027-01')
    assert.equal(monthPage('2028-02-01').days.length, 29)
  })

  test('keys from addresses: today by default, nothing for nonsense', () => {
    assert.equal(schedulePage('week', undefined, '2026-11-25')?.start, '2026-11-23')
    assert.equal(schedulePage('month', '2027-01', '2026-11-25')?.start, '2027-01-01')
    assert.equal(schedulePage('week', '2026-02-30', '2026-11-25'), null)
    assert.equal(schedulePage('month', '2026-13', '2026-11-25'), null)
    assert.equal(schedulePage('month', 'x', '2026-11-25'), null)
  })

  test('every week page starts on a Monday and contains its date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), (n) => {
        const date = addDays('2000-01-03', n)
        const week = weekPage(date)
        return isoWeekday(week.start) === 1 && week.start <= date && date <= week.end
      }),
    )
  })
})

describe('times', () => {
  test('times as people type them', () => {
    assert.equal(parseClockTime('14:30'), '14:30')
    assert.equal(parseClockTime('9.05'), '09:05')
    assert.equal(parseClockTime('0930'), '09:30')
    assert.equal(parseClockTime('2:30pm'), '14:30')
    assert.equal(parseClockTime('2 PM'), '14:00')
    assert.equal(parseClockTime('12am'), '00:00')
    assert.equal(parseClockTime('12pm'), '12:00')
    for (const bad of ['', '25:00', '13pm', '10:60', 'noon', '1:5', '0am']) assert.equal(parseClockTime(bad), null, bad)
  })

  test('GOV.UK style times and spans', () => {
    assert.equal(formatClockTime('14:30'), '2:30pm')
    assert.equal(formatClockTime('09:00'), '9am')
    assert.equal(formatClockTime('12:00'), 'midday')
    assert.equal(formatSpan('15:30', 60), '3:30pm to 4:30pm')
    assert.equal(formatSpan('23:00', 60), '11pm to midnight')
    assert.equal(formatSpan(null, 60), 'Time not set')
  })

  test('overlap is symmetric and touching spans do not overlap (property)', () => {
    const span = fc.record({
      start: fc.integer({ min: 0, max: 1439 }),
      durationMinutes: fc.integer({ min: 1, max: 600 }),
    })
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    fc.assert(
      fc.property(span, span, (a, b) => {
        const x = { start: hhmm(a.start), durationMinutes: a.durationMinutes }
        const y = { start: hhmm(b.start), durationMinutes: b.durationMinutes }
        return spansOverlap(x, y) === spansOverlap(y, x)
      }),
    )
    assert.equal(spansOverlap({ start: '10:00', durationMinutes: 60 }, { start: '11:00', durationMinutes: 30 }), false)
  })
})
