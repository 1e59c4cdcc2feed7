/**
 * The planner and "at least N times each term / academic year" (issue 14, X-02): N sessions
 * spread over each period, on working days. An invented policy, since no pack counts this way.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { englandDefaultCalendar, isWorkingDay, type SchoolCalendar, termOn } from '../calendar/index.ts'
import { anInventedPolicy, aPerson } from '../compliance/builders.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { planGaps } from './check.ts'
import { spreadOverPeriod } from './counts.ts'
import { defaultPlanLimits, type PlanInput } from './model.ts'
import { planYear } from './plan.ts'

const calendar: SchoolCalendar = englandDefaultCalendar('england-and-wales', 2024, 2028)
const head = aPerson({ id: 'head', name: 'Hana Head' })
const staff = [1, 2, 3].map((i) => aPerson({ id: `s${i}`, name: `Staff ${i}`, lineManagerId: 'head' }))

function plan(policy: PolicyDocument, over: Partial<PlanInput> = {}) {
  const input: PlanInput = {
    policy: { ...policy, effectiveFrom: '2026-09-01' },
    calendar,
    people: [head, ...staff],
    supervisorsOf: (person) => (person.lineManagerId ? [person.lineManagerId] : []),
    existingSessions: [],
    yearId: '2026-27',
    limits: defaultPlanLimits,
    schoolId: 'school-1',
    ...over,
  }
  return { input, result: planYear(input) }
}

describe('planning counts per period (issue 14)', () => {
  test('X-02: N dates spread evenly over a period, each on a working day', () => {
    // Autumn term 2026-27: 1 September to 18 December, 74 working days.
    const dates = spreadOverPeriod(calendar, '2026-09-01', '2026-12-18', 3)
    // Slices of 25, 25 and 24 working days; the middle working day of each.
    assert.deepEqual(dates, ['2026-09-17', '2026-10-22', '2026-12-02'])
    assert.ok(dates.every((date) => isWorkingDay(calendar, date)))
    assert.deepEqual(spreadOverPeriod(calendar, '2026-09-01', '2026-12-18', 1), ['2026-10-21'])
    assert.deepEqual(spreadOverPeriod(calendar, '2026-07-20', '2026-08-28', 2), [], 'no working day in the holiday')
  })

  test('X-02: at least 3 times each term: three sessions planned in every term, one in each third of it', () => {
    const { input, result } = plan(anInventedPolicy({ frequency: { every: 1, unit: 'terms', times: 3 } }))
    assert.deepEqual(
      result.unplaceable.filter((u) => u.personId !== 'head'),
      [],
    )
    for (const person of staff) {
      const mine = result.proposals.filter((p) => p.superviseeId === person.id).map((p) => p.date)
      assert.deepEqual(
        mine.map((date) => termOn(calendar, date)?.term.id),
        ['autumn', 'autumn', 'autumn', 'spring', 'spring', 'spring', 'summer', 'summer', 'summer'],
        `${person.id}: ${mine.join(', ')}`,
      )
      assert.ok(mine.every((date) => isWorkingDay(calendar, date)))
      // One in each third of the autumn term (74 working days: the 25th is 5 October, the 50th 16 November).
      const autumn = mine.slice(0, 3)
      assert.ok(autumn[0] !== undefined && autumn[0] <= '2026-10-05', autumn.join(', '))
      assert.ok(autumn[1] !== undefined && autumn[1] > '2026-10-05' && autumn[1] <= '2026-11-16', autumn.join(', '))
      assert.ok(autumn[2] !== undefined && autumn[2] > '2026-11-16' && autumn[2] <= '2026-12-18', autumn.join(', '))
    }
    assert.deepEqual(
      planGaps(input, result, result.proposals).filter((gap) => gap.personId !== 'head'),
      [],
      'the plan meets the rule for everyone with a supervisor',
    )
  })

  test('X-02: at least twice each academic year: two sessions in the year, one in each half of it', () => {
    const { result } = plan(anInventedPolicy({ frequency: { every: 1, unit: 'academic-years', times: 2 } }))
    for (const person of staff) {
      const mine = result.proposals.filter((p) => p.superviseeId === person.id).map((p) => p.date)
      assert.equal(mine.length, 2, mine.join(', '))
      assert.ok((mine[0] ?? '') < '2027-02-01' && (mine[1] ?? '') > '2027-02-01', mine.join(', '))
    }
  })
})
