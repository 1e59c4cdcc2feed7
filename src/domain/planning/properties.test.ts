import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { blankPolicy } from '../../packs/index.ts'
import { toDayNumber } from '../calendar/dates.ts'
import {
  addDays,
  type Closure,
  closureOn,
  englandDefaultCalendar,
  isoWeekday,
  isTermTime,
  isWorkingDay,
  type SchoolCalendar,
} from '../calendar/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { Person, Weekday } from '../people/person.ts'
import type { Frequency, PolicyDocument } from '../policy/index.ts'
import { planGaps } from './check.ts'
import { type ExistingSession, type PlanInput, workingDaysOf } from './model.ts'
import { minutesOfTime, planYear, weekOfDay } from './plan.ts'

const YEAR = '2026-27'

const frequencyArb: fc.Arbitrary<{ frequency: Frequency; gapMonths: number | null }> = fc.oneof(
  fc.record({
    frequency: fc.constantFrom<Frequency>(
      { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
      { every: 1, unit: 'terms', termTimeOnly: false, wording: null },
      { every: 2, unit: 'half-terms', termTimeOnly: false, wording: null },
    ),
    gapMonths: fc.option(fc.integer({ min: 2, max: 4 }), { nil: null }),
  }),
  fc.record({
    frequency: fc
      .record({ every: fc.integer({ min: 3, max: 12 }), termTimeOnly: fc.boolean() })
      .map((f): Frequency => ({ ...f, unit: 'weeks', wording: null })),
    gapMonths: fc.constant(null),
  }),
  fc.record({
    frequency: fc
      .integer({ min: 1, max: 3 })
      .map((every): Frequency => ({ every, unit: 'months', termTimeOnly: false, wording: null })),
    gapMonths: fc.constant(null),
  }),
)

const weekdaysArb = fc
  .subarray([1, 2, 3, 4, 5] as Weekday[], { minLength: 1 })
  .map((days) => [...days].sort((a, b) => a - b) as Weekday[])

const scenarioArb = fc.record({
  rule: frequencyArb,
  supervisors: fc.array(weekdaysArb, { minLength: 1, maxLength: 4 }),
  supervisees: fc.array(fc.record({ days: weekdaysArb, supervisor: fc.nat(), partTime: fc.boolean() }), {
    minLength: 1,
    maxLength: 25,
  }),
  maxPerDay: fc.integer({ min: 1, max: 4 }),
  maxPerWeek: fc.integer({ min: 1, max: 12 }),
  dayStartsAt: fc.constantFrom('08:30', '09:00', '13:00', '15:30'),
  closures: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
  fromOffset: fc.integer({ min: 0, max: 40 }),
  held: fc.array(fc.record({ who: fc.nat(), daysBefore: fc.integer({ min: 1, max: 120 }) }), { maxLength: 8 }),
  planned: fc.array(fc.record({ who: fc.nat(), supervisor: fc.nat(), dayOffset: fc.integer({ min: 0, max: 300 }) }), {
    maxLength: 8,
  }),
})

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

function buildInput(s: Scenario): PlanInput {
  const base = englandDefaultCalendar('england-and-wales', 2024, 2028)
  const year = base.years.find((y) => y.id === YEAR)!
  const first = year.halfTerms[0]!.start
  const closures: Closure[] = [...new Set(s.closures.map((offset) => addDays(first, offset)))]
    .sort()
    .map((date, i) => ({ date, kind: i % 2 === 0 ? 'inset' : 'closure', description: 'Closed' }))
  const calendar: SchoolCalendar = {
    region: base.region,
    years: base.years.map((y) => (y.id === YEAR ? { ...y, closures } : y)),
  }
  const policy: PolicyDocument = blankPolicy({ school: 'Test', effectiveFrom: '2026-09-01' })
  policy.requirements[0]!.frequency = s.rule.frequency
  policy.requirements[0]!.maximumGap = s.rule.gapMonths === null ? null : { amount: s.rule.gapMonths, unit: 'months' }
  const supervisors = s.supervisors.map((days, i) =>
    aPerson({ id: `sup-${i}`, name: `Supervisor ${i}`, workingDays: days, partTime: days.length < 5 }),
  )
  const supervisees = s.supervisees.map((p, i) =>
    aPerson({
      id: `staff-${String(i).padStart(2, '0')}`,
      name: `Staff ${String(i).padStart(2, '0')}`,
      workingDays: p.days,
      partTime: p.partTime,
      lineManagerId: supervisors[p.supervisor % supervisors.length]!.id,
    }),
  )
  const from = addDays(first, s.fromOffset)
  const existing: ExistingSession[] = []
  s.held.forEach((h, i) => {
    const who = supervisees[h.who % supervisees.length]!
    existing.push({
      id: `held-${i}`,
      typeId: 'one-to-one',
      date: addDays(from, -h.daysBefore),
      startTime: null,
      durationMinutes: 60,
      status: 'held',
      supervisorIds: [who.lineManagerId!],
      superviseeIds: [who.id],
    })
  })
  s.planned.forEach((p, i) => {
    const who = supervisees[p.who % supervisees.length]!
    existing.push({
      id: `planned-${i}`,
      typeId: 'one-to-one',
      date: addDays(from, p.dayOffset),
      startTime: '12:00',
      durationMinutes: 45,
      status: 'planned',
      supervisorIds: [supervisors[p.supervisor % supervisors.length]!.id],
      superviseeIds: [who.id],
    })
  })
  return {
    policy,
    calendar,
    people: [...supervisors, ...supervisees],
    supervisorsOf: (person: Person) => (person.lineManagerId ? [person.lineManagerId] : []),
    existingSessions: existing,
    yearId: YEAR,
    limits: { maxPerDay: s.maxPerDay, maxPerWeek: s.maxPerWeek, dayStartsAt: s.dayStartsAt, dayEndsAt: '17:30' },
    schoolId: 'school-1',
    from,
  }
}

describe('the annual planner, for any school (fast-check)', () => {
  test('CA-02, MW-01, MW-04: every proposal is a working day in term, on both people’s working days, within the limits, and everyone planned meets the frequency', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = buildInput(s)
        const result = planYear(input)
        const byId = new Map(input.people.map((p) => [p.id, p]))
        const counts = new Map<string, number>()
        const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1)
        const fromDay = toDayNumber(result.from)
        for (const session of input.existingSessions) {
          if (session.status !== 'planned') continue
          const day = toDayNumber(session.date)
          if (day < fromDay - 7) continue
          for (const id of session.supervisorIds) {
            bump(`${id}|d${day}`)
            bump(`${id}|w${weekOfDay(day)}`)
          }
        }
        const busy = new Map<string, [number, number][]>()
        for (const session of input.existingSessions) {
          if (session.status !== 'planned' || session.startTime === null) continue
          for (const id of [...session.supervisorIds, ...session.superviseeIds]) {
            const start = minutesOfTime(session.startTime)
            busy.set(`${id}|${session.date}`, [...(busy.get(`${id}|${session.date}`) ?? []), [start, start + 45]])
          }
        }
        for (const p of result.proposals) {
          assert.ok(p.date >= result.from && p.date <= result.until, `${p.date} is inside the plan`)
          assert.ok(isTermTime(input.calendar, p.date), `${p.date} is in term`)
          assert.ok(isWorkingDay(input.calendar, p.date), `${p.date} is a working day`)
          assert.equal(closureOn(input.calendar, p.date), null, `${p.date} is no closure or INSET day`)
          const weekday = isoWeekday(p.date)
          assert.ok(workingDaysOf(byId.get(p.superviseeId)!).includes(weekday), 'on the supervisee’s working day')
          assert.ok(workingDaysOf(byId.get(p.supervisorId)!).includes(weekday), 'on the supervisor’s working day')
          const start = minutesOfTime(p.startTime)
          assert.ok(start >= minutesOfTime(input.limits.dayStartsAt))
          assert.ok(start + p.durationMinutes <= minutesOfTime(input.limits.dayEndsAt))
          for (const id of [p.superviseeId, p.supervisorId]) {
            const key = `${id}|${p.date}`
            for (const [s0, e0] of busy.get(key) ?? []) {
              assert.ok(start >= e0 || start + p.durationMinutes <= s0, `${id} is not in two places at once`)
            }
            busy.set(key, [...(busy.get(key) ?? []), [start, start + p.durationMinutes]])
          }
          const day = toDayNumber(p.date)
          bump(`${p.supervisorId}|d${day}`)
          bump(`${p.supervisorId}|w${weekOfDay(day)}`)
          assert.ok((counts.get(`${p.supervisorId}|d${day}`) ?? 0) <= input.limits.maxPerDay, 'day limit')
          assert.ok((counts.get(`${p.supervisorId}|w${weekOfDay(day)}`) ?? 0) <= input.limits.maxPerWeek, 'week limit')
        }
        const unplaceable = new Set(result.unplaceable.map((u) => u.personId))
        const gaps = planGaps(input, result, result.proposals).filter((gap) => !unplaceable.has(gap.personId))
        assert.deepEqual(gaps, [])
        // Everyone with a supervisor is either planned for or explained.
        for (const person of input.people) {
          if (!person.id.startsWith('staff-')) continue
          const planned = result.proposals.some((p) => p.superviseeId === person.id)
          const covered = input.existingSessions.some((e) => e.superviseeIds.includes(person.id))
          assert.ok(planned || covered || unplaceable.has(person.id), `${person.id} is planned or explained`)
        }
      }),
      { numRuns: 80 },
    )
  })

  test('the plan does not depend on the order of the input', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (s, seed) => {
        const input = buildInput(s)
        const shuffled = [...input.people].sort(
          (a, b) => ((a.id.charCodeAt(a.id.length - 1) * seed) % 7) - ((b.id.charCodeAt(b.id.length - 1) * seed) % 7),
        )
        const first = planYear(input)
        const second = planYear({ ...input, people: shuffled, existingSessions: [...input.existingSessions].reverse() })
        assert.deepEqual(second, first)
      }),
      { numRuns: 40 },
    )
  })
})
