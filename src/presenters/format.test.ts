/**
 * One set of formatters for people (issue 13, point 6): every place that turns a date, time or number
 * into words gives the same GOV.UK wording, in Europe/London.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatClockTime as calendarClockTime, formatLongDate } from '../domain/calendar/index.ts'
import { formatDate as contractDate, formatTime as contractTime } from '../domain/records/contract.ts'
import { formatClockTime as schedulingClockTime } from '../domain/scheduling/index.ts'
import { clockText, longDayDate } from '../services/planning/wording.ts'
import { formatCount, formatDate, formatDateTime, formatDateWithWeekday, formatNumber, formatTime } from './format.ts'

describe('one set of formatters (issue 13)', () => {
  // 1 September 2026 at 14:00 in London (BST, UTC+1).
  const twoPm = new Date('2026-09-01T13:00:00Z')

  it('formats the same time the same way everywhere: 2pm, not 2:00pm', () => {
    const words = [formatTime(twoPm), clockText('14:00'), contractTime('14:00'), schedulingClockTime('14:00')]
    assert.deepEqual(words, ['2pm', '2pm', '2pm', '2pm'])
    assert.equal(calendarClockTime('14:00'), '2pm')
  })

  it('writes minutes only when there are some, and midday and midnight as words', () => {
    assert.equal(formatTime(new Date('2026-09-01T13:30:00Z')), '2:30pm')
    assert.equal(formatTime(new Date('2026-09-01T11:00:00Z')), 'midday')
    assert.equal(formatTime(new Date('2026-12-03T00:00:00Z')), 'midnight')
    assert.equal(clockText('09:05'), '9:05am')
    assert.equal(clockText('12:00'), 'midday')
    assert.equal(clockText('00:00'), 'midnight')
    assert.equal(contractTime('00:30'), '12:30am')
  })

  it('formats a date the same way from an instant, an ISO date and the domain', () => {
    assert.equal(formatDate(twoPm), '1 September 2026')
    assert.equal(formatDate('2026-09-01'), '1 September 2026')
    assert.equal(contractDate('2026-09-01'), '1 September 2026')
    assert.equal(formatLongDate('2026-09-01'), '1 September 2026')
    assert.equal(formatDateTime(twoPm), '1 September 2026 at 2pm')
  })

  it('uses the London date and time near midnight, in summer and in winter', () => {
    // 23:30 UTC on 31 August is 00:30 on 1 September in London.
    assert.equal(formatDateTime(new Date('2026-08-31T23:30:00Z')), '1 September 2026 at 12:30am')
    assert.equal(formatDateTime(new Date('2026-12-03T23:59:56Z')), '3 December 2026 at 11:59pm')
  })

  it('writes the weekday with the date: Tuesday 1 September 2026', () => {
    assert.equal(formatDateWithWeekday('2026-09-01'), 'Tuesday 1 September 2026')
    assert.equal(formatDateWithWeekday(twoPm), 'Tuesday 1 September 2026')
    assert.equal(longDayDate('2026-09-01'), 'Tuesday 1 September 2026')
  })

  it('writes numbers with thousands separators', () => {
    assert.equal(formatNumber(1234567), '1,234,567')
    assert.equal(formatNumber(999), '999')
  })

  it('says how many with the singular for exactly one: 1 person, 2 people', () => {
    assert.equal(formatCount(1, 'person', 'people'), '1 person')
    assert.equal(formatCount(0, 'person', 'people'), '0 people')
    assert.equal(formatCount(12345, 'person', 'people'), '12,345 people')
  })

  it('gives nothing for something that is not a date', () => {
    assert.equal(formatDate('not a date'), '')
    assert.equal(formatTime(null), '')
    assert.equal(contractDate('2026-13-01'), '2026-13-01')
    assert.equal(contractTime('25:00'), '25:00')
  })
})
