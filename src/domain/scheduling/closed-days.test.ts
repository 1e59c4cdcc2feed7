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
