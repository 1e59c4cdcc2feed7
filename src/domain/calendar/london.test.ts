import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { eachDay, fromDayNumber, toDayNumber, weekdayOnOrBefore } from './dates.ts'
import { isValidClockTime, londonDateOf, londonOffsetMinutes, londonTimeOf, londonToInstant } from './london.ts'

const at = (iso: string): Date => new Date(iso)
const minuteMs = 60_000
const clockTime = (minuteOfDay: number): string =>
  `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`

/**
 * True when the wall-clock time is skipped as the clocks go forward (01:00-01:59, last Sunday in
 * March). This is the rule since 1981; before it the UK changed at 02:00 GMT on other Sundays, so
 * property tests that rely on it draw dates from 1996 on (when the autumn rule was harmonised too).
 */
function isInSpringGap(date: string, time: string): boolean {
  return date === weekdayOnOrBefore(`${date.slice(0, 4)}-03-31`, 7) && time.startsWith('01:')
}

const modernRulesFrom = toDayNumber('1996-01-01')

describe('X-02: Europe/London time', () => {
  test('X-02: validates clock times', () => {
    assert.equal(isValidClockTime('00:00'), true)
    assert.equal(isValidClockTime('23:59'), true)
    for (const invalid of ['24:00', '9:30', '12:60', '12:3', '', 'noon']) assert.equal(isValidClockTime(invalid), false)
  })

  test('X-02: dates and times of instants in winter and summer', () => {
    assert.equal(londonDateOf(at('2026-01-15T23:30:00Z')), '2026-01-15')
    assert.equal(londonTimeOf(at('2026-01-15T23:30:59Z')), '23:30')
    // In summer London is an hour ahead, so 23:30 UTC is already tomorrow.
    assert.equal(londonDateOf(at('2026-06-30T23:30:00Z')), '2026-07-01')
    assert.equal(londonTimeOf(at('2026-06-30T23:30:00Z')), '00:30')
    assert.throws(() => londonDateOf(new Date(Number.NaN)), RangeError)
  })

  test('X-02: offsets change at 01:00 UTC on 29 March and 25 October 2026', () => {
    assert.equal(londonOffsetMinutes(at('2026-03-29T00:59:59Z')), 0)
    assert.equal(londonOffsetMinutes(at('2026-03-29T01:00:00Z')), 60)
    assert.equal(londonOffsetMinutes(at('2026-10-25T00:59:59.999Z')), 60)
    assert.equal(londonOffsetMinutes(at('2026-10-25T01:00:00Z')), 0)
    assert.equal(londonTimeOf(at('2026-03-29T00:59:00Z')), '00:59')
    assert.equal(londonTimeOf(at('2026-03-29T01:00:00Z')), '02:00')
    assert.equal(londonTimeOf(at('2026-10-25T00:59:00Z')), '01:59')
    assert.equal(londonTimeOf(at('2026-10-25T01:00:00Z')), '01:00')
  })

  test('X-02: local times around the spring change (29 March 2026)', () => {
    assert.equal(londonToInstant('2026-03-29', '00:30').toISOString(), '2026-03-29T00:30:00.000Z')
    assert.equal(londonToInstant('2026-03-29', '00:59').toISOString(), '2026-03-29T00:59:00.000Z')
    // 01:00 to 01:59 does not exist: moved forward an hour.
    assert.equal(londonToInstant('2026-03-29', '01:00').toISOString(), '2026-03-29T01:00:00.000Z')
    assert.equal(londonToInstant('2026-03-29', '01:30').toISOString(), '2026-03-29T01:30:00.000Z')
    assert.equal(londonTimeOf(londonToInstant('2026-03-29', '01:30')), '02:30')
    assert.equal(londonToInstant('2026-03-29', '02:30').toISOString(), '2026-03-29T01:30:00.000Z')
    assert.equal(londonToInstant('2026-03-29', '09:00').toISOString(), '2026-03-29T08:00:00.000Z')
    assert.equal(londonToInstant('2026-03-28', '09:00').toISOString(), '2026-03-28T09:00:00.000Z')
  })

  test('X-02: local times around the autumn change (25 October 2026)', () => {
    assert.equal(londonToInstant('2026-10-25', '00:30').toISOString(), '2026-10-24T23:30:00.000Z')
    // 01:00 to 01:59 happens twice: the first (BST) is taken.
    assert.equal(londonToInstant('2026-10-25', '01:00').toISOString(), '2026-10-25T00:00:00.000Z')
    assert.equal(londonToInstant('2026-10-25', '01:30').toISOString(), '2026-10-25T00:30:00.000Z')
    assert.equal(londonToInstant('2026-10-25', '02:00').toISOString(), '2026-10-25T02:00:00.000Z')
    assert.equal(londonToInstant('2026-10-26', '09:00').toISOString(), '2026-10-26T09:00:00.000Z')
    assert.equal(londonToInstant('2026-10-24', '09:00').toISOString(), '2026-10-24T08:00:00.000Z')
  })

  test('X-02: every minute of both 2026 change days converts back to itself, except the spring gap', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let minute = 0; minute < 1440; minute++) {
        const time = clockTime(minute)
        const instant = londonToInstant(date, time)
        if (isInSpringGap(date, time)) {
          assert.equal(londonTimeOf(instant), clockTime(minute + 60))
        } else {
          assert.equal(londonDateOf(instant), date)
          assert.equal(londonTimeOf(instant), time)
        }
      }
    }
  })

  test('X-02: noon on every day of 2026 has the expected offset (GMT, then BST, then GMT)', () => {
    for (const date of eachDay('2026-01-01', '2026-12-31')) {
      const noon = londonToInstant(date, '12:00')
      const expected = date >= '2026-03-29' && date < '2026-10-25' ? 60 : 0
      assert.equal(londonOffsetMinutes(noon), expected, date)
      assert.equal(noon.getTime() - Date.parse(`${date}T12:00:00Z`), 0 - expected * minuteMs)
    }
  })

  test('X-02: londonToInstant and londonDateOf round-trip for every valid local time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: modernRulesFrom, max: modernRulesFrom + 60_000 }),
        fc.integer({ min: 0, max: 1439 }),
        (dayNumber, minute) => {
          const date = fromDayNumber(dayNumber)
          const time = clockTime(minute)
          const instant = londonToInstant(date, time)
          if (isInSpringGap(date, time)) {
            assert.equal(londonDateOf(instant), date)
            assert.equal(londonTimeOf(instant), clockTime(minute + 60))
          } else {
            assert.equal(londonDateOf(instant), date)
            assert.equal(londonTimeOf(instant), time)
            // Nothing earlier shows the same wall-clock time: the first occurrence was chosen.
            const hourEarlier = new Date(instant.getTime() - 60 * minuteMs)
            assert.notEqual(`${londonDateOf(hourEarlier)} ${londonTimeOf(hourEarlier)}`, `${date} ${time}`)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  test('X-02: any instant maps back to itself, or to the first occurrence of a repeated time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (minutes) => {
        const instant = new Date(minutes * minuteMs)
        const back = londonToInstant(londonDateOf(instant), londonTimeOf(instant))
        const gap = instant.getTime() - back.getTime()
        assert.ok(gap === 0 || gap === 60 * minuteMs, `${instant.toISOString()} came back as ${back.toISOString()}`)
        if (gap !== 0) assert.equal(londonOffsetMinutes(instant), 0)
      }),
      { numRuns: 500 },
    )
    // The second 01:30 on 25 October 2026 (GMT) maps back to the first (BST).
    assert.equal(
      londonToInstant(londonDateOf(at('2026-10-25T01:30:00Z')), londonTimeOf(at('2026-10-25T01:30:00Z'))).toISOString(),
      '2026-10-25T00:30:00.000Z',
    )
  })

  test('X-02: rejects invalid dates and times', () => {
    assert.throws(() => londonToInstant('2026-02-30', '09:00'), RangeError)
    assert.throws(() => londonToInstant('2026-02-03', '9:00'), RangeError)
    assert.throws(() => londonToInstant('2026-02-03', '24:00'), RangeError)
  })
})
