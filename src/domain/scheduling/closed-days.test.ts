import assert from 'node:assert/strict'
import { test } from 'node:test'
import { englandDefaultCalendar, type SchoolCalendar } from '../calendar/index.ts'
import { closedDayWarning } from './closed-days.ts'

const base = englandDefaultCalendar('england-and-wales', 2025, 2027)
const calendar: SchoolCalendar = {
  ...base,
  years: base.years.map((y) =>
    y.id === '2026-27'
      ? {
          ...y,
          closures: [
            { date: '2026-12-09', kind: 'closure', description: 'Polling station' },
            { date: '2026-12-10', kind: 'inset', description: 'Training day' },
          ],
        }
      : y,
  ),
}

test('issue 18: a Saturday or Sunday booking is warned about', () => {
  assert.equal(closedDayWarning(calendar, '2026-12-05'), 'Saturday 5 December 2026 is a weekend: the school is closed')
  assert.match(closedDayWarning(calendar, '2026-12-06') ?? '', /^Sunday 6 December 2026 is a weekend/)
})

test('issue 18: a closure day the calendar marks is warned about; a working or INSET day is not', () => {
  assert.equal(
    closedDayWarning(calendar, '2026-12-09'),
    'The school is closed on Wednesday 9 December 2026 (Polling station)',
  )
  assert.equal(closedDayWarning(calendar, '2026-12-10'), null)
  assert.equal(closedDayWarning(calendar, '2026-12-07'), null)
})

test('issue 18: a bank holiday of the school’s region is warned about, named as GOV.UK names it', () => {
  assert.equal(
    closedDayWarning(calendar, '2026-05-04'),
    'Monday 4 May 2026 is a bank holiday (Early May bank holiday): the school is closed',
  )
  assert.match(
    closedDayWarning(calendar, '2026-12-25') ?? '',
    /^Friday 25 December 2026 is a bank holiday \(Christmas Day\)/,
  )
  // The first Monday in August is a bank holiday in Scotland only.
  const scottish: SchoolCalendar = { ...calendar, region: 'scotland' }
  assert.match(closedDayWarning(scottish, '2027-08-02') ?? '', /bank holiday/)
  assert.doesNotMatch(closedDayWarning(calendar, '2027-08-02') ?? '', /bank holiday/)
})

test('issue 18: a weekday of the school holidays (between half terms) is warned about', () => {
  assert.equal(closedDayWarning(calendar, '2026-10-28'), 'Wednesday 28 October 2026 is in the school holidays')
  assert.equal(closedDayWarning(calendar, '2026-12-23'), 'Wednesday 23 December 2026 is in the school holidays')
  assert.equal(closedDayWarning(calendar, '2027-08-11'), 'Wednesday 11 August 2027 is in the school holidays')
  // The last day of a half term and the first of the next are working days.
  assert.equal(closedDayWarning(calendar, '2026-10-23'), null)
  assert.equal(closedDayWarning(calendar, '2026-11-02'), null)
})

test('issue 18: a date the calendar does not hold is judged by weekends and bank holidays only', () => {
  assert.equal(closedDayWarning(calendar, '2031-08-13'), null)
  assert.match(closedDayWarning(calendar, '2031-08-16') ?? '', /weekend/)
})
