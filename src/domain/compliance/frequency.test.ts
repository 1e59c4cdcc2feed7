/**
 * Counts per period, months of term time and due dates on working days (issue 14, X-02), with an
 * invented policy ("Riverside") as well as the packs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import type { SchoolCalendar } from '../calendar/index.ts'
import type { Person } from '../people/person.ts'
import type { PersonOverride, PolicyDocument } from '../policy/model.ts'
import { assessCompliance, type ComplianceInput } from './assess.ts'
import { anInventedPolicy, aPerson, aSession, englandCalendar } from './builders.ts'
import { DayCalendar } from './day-calendar.ts'
import type { PersonCompliance } from './model.ts'
import { nextDueDate } from './next-due.ts'

/** An invented school whose only rule is the frequency under test. */
function riverside(frequency: Record<string, unknown>): PolicyDocument {
  return anInventedPolicy({ frequency })
}

const person = aPerson({ id: 'p', name: 'Pat Person', startDate: '2020-09-01' })
const oneToOne = (date: string) => aSession('one-to-one', date, ['p'])

function assessOne(
  policy: PolicyDocument,
  today: string,
  dates: readonly string[] = [],
  extra: Partial<ComplianceInput> = {},
  who: Person = person,
): PersonCompliance {
  const [result] = assessCompliance({
    policy,
    calendar: englandCalendar,
    people: [who],
    sessions: dates.map(oneToOne),
    today,
    ...extra,
  })
  assert.ok(result)
  return result
}

describe('counts per period (issue 14)', () => {
  // Autumn term 2025-26 has 75 working days (1 September to 19 December): three slices of 25.
  const threeATerm = riverside({ every: 1, unit: 'terms', times: 3 })

  test('X-02: at least 3 times each term: each session is due by the end of its third of the term', () => {
    const start = assessOne(threeATerm, '2025-09-15')
    assert.equal(start.nextDue, '2025-10-03', 'the 25th working day')
    assert.equal(start.status, 'compliant')
    assert.match(start.requirements[0]?.dueBecause ?? '', /3 times each term: 0 of 3 so far in Autumn term 2025-26/)

    // Nothing by Friday 3 October: never supervised from the Monday after.
    assert.equal(assessOne(threeATerm, '2025-10-03').status, 'due-soon')
    assert.equal(assessOne(threeATerm, '2025-10-06').status, 'never-supervised')

    // One held: the second is due by the 50th working day (Friday 14 November, after half term).
    const one = assessOne(threeATerm, '2025-10-06', ['2025-09-19'])
    assert.equal(one.nextDue, '2025-11-14')
    assert.equal(one.status, 'compliant')
    assert.match(one.requirements[0]?.dueBecause ?? '', /1 of 3 so far in Autumn term 2025-26/)

    // Two held: the third by the term's last working day.
    assert.equal(assessOne(threeATerm, '2025-12-10', ['2025-09-19', '2025-10-10']).nextDue, '2025-12-19')
    assert.equal(assessOne(threeATerm, '2025-12-10', ['2025-09-19', '2025-10-10']).status, 'due-soon')
    // Behind: two held, but only after the first slice had passed.
    const behind = assessOne(threeATerm, '2025-11-17', ['2025-10-10'])
    assert.equal(behind.nextDue, '2025-11-14')
    assert.equal(behind.status, 'overdue')

    // All three held: the first of the spring term is due by its 19th working day (55 / 3, rounded up).
    const done = assessOne(threeATerm, '2025-12-10', ['2025-09-19', '2025-10-10', '2025-12-01'])
    assert.equal(done.nextDue, '2026-01-29')
    assert.equal(done.status, 'compliant')
    assert.match(done.requirements[0]?.dueBecause ?? '', /all 3 held in Autumn term 2025-26/)
    assert.deepEqual(done.breaches, [])
  })

  test('X-02: a term that ends short is a breach, and the person stays overdue until the next session', () => {
    const short = assessOne(threeATerm, '2026-01-12', ['2025-09-19', '2025-10-10'])
    assert.equal(short.status, 'overdue')
    assert.equal(short.nextDue, '2025-12-19')
    assert.match(short.requirements[0]?.dueBecause ?? '', /only 2 of 3 in Autumn term 2025-26, and none since/)
    const breach = short.breaches.find((b) => b.kind === 'period-missed')
    assert.ok(breach && breach.kind === 'period-missed')
    assert.equal(breach.periodId, '2025-26/autumn')
    assert.equal(breach.dueBy, '2025-12-19')
    assert.match(breach.message, /only 2 of the 3 required in Autumn term 2025-26/)

    // A session in the spring term starts the spring term's count; the autumn breach stays on record.
    const caughtUp = assessOne(threeATerm, '2026-01-20', ['2025-09-19', '2025-10-10', '2026-01-14'])
    assert.equal(caughtUp.status, 'compliant')
    assert.match(caughtUp.requirements[0]?.dueBecause ?? '', /1 of 3 so far in Spring term 2025-26/)
    assert.equal(caughtUp.breaches.filter((b) => b.kind === 'period-missed').length, 1)
  })

  test('X-02: at least 3 times each academic year, spread through the year', () => {
    // 194 working days in 2025-26: due by the 65th (5 December), the 130th (27 March) and the 194th (17 July).
    const year = riverside({ every: 1, unit: 'academic-years', times: 3, wording: 'three times a year' })
    assert.equal(assessOne(year, '2025-09-15').nextDue, '2025-12-05')
    assert.equal(assessOne(year, '2025-12-10', ['2025-10-01']).nextDue, '2026-03-27')
    assert.equal(assessOne(year, '2026-04-20', ['2025-10-01', '2026-02-02']).nextDue, '2026-07-17')
    assert.match(
      assessOne(year, '2025-09-15').requirements[0]?.dueBecause ?? '',
      /^3 times each academic year: 0 of 3 so far in the 2025-26 academic year/,
    )
    // The next academic year: 1 September 2026 onwards.
    assert.equal(assessOne(year, '2026-09-10', ['2025-10-01', '2026-02-02', '2026-05-05']).status, 'compliant')
    const missedYear = assessOne(year, '2026-09-10', ['2025-10-01', '2026-02-02'])
    assert.ok(missedYear.breaches.some((b) => b.kind === 'period-missed' && b.periodId === '2025-26'))
  })

  test('X-02: twice each half term; someone joining part of the way through is first held to the next half term', () => {
    const twice = riverside({ every: 1, unit: 'half-terms', times: 2 })
    // Autumn 1 2025-26 has 40 working days: the first by the 20th (Friday 26 September).
    assert.equal(assessOne(twice, '2025-09-10').nextDue, '2025-09-26')
    const joiner = aPerson({ id: 'j', name: 'Jo Joiner', startDate: '2025-09-17' })
    const [result] = assessCompliance({
      policy: twice,
      calendar: englandCalendar,
      people: [joiner],
      sessions: [],
      today: '2025-10-01',
    })
    // Autumn 2 (3 November to 19 December) has 35 working days: the first by the 18th, 26 November.
    assert.equal(result?.nextDue, '2025-11-26')
    assert.equal(result?.status, 'compliant')
  })

  test('X-02: only the counting types count, and an agreed count applies from when it was agreed', () => {
    const policy = riverside({ every: 1, unit: 'terms', times: 2 })
    const group = aSession('group', '2025-09-10', ['p'])
    assert.equal(assessOne(policy, '2025-10-01', [], { sessions: [group] }).nextDue, '2025-10-22')
    const agreed: PersonOverride = {
      kind: 'frequency',
      personId: 'p',
      requirementId: null,
      frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, times: 3, wording: null },
      reason: 'Agreed in supervision',
      from: '2025-09-01',
      source: 'agreement',
    }
    // Three each half term: Autumn 1 has 40 working days, so the first is due by the 14th.
    const stricter = assessOne(policy, '2025-09-10', [], { overrides: [agreed] })
    assert.equal(stricter.nextDue, '2025-09-18')
    assert.equal(stricter.requirements[0]?.dueSource, 'agreed')
  })

  test('X-02: nextDueDate counts the sessions it is given', () => {
    const due = (sessions: string[]) =>
      nextDueDate(threeATerm, englandCalendar, {
        person,
        lastSession: sessions.at(-1) ?? null,
        sessions,
        today: '2025-09-08',
      })?.date
    assert.equal(due([]), '2025-10-03')
    assert.equal(due(['2025-09-19']), '2025-11-14')
    assert.equal(due(['2025-09-19', '2025-10-10']), '2025-12-19')
    assert.equal(due(['2025-09-19', '2025-10-10', '2025-11-20']), '2026-01-29')
  })

  test('X-02: the packs, which count once per period, keep their due dates', () => {
    const cornerstone = loadPack('cornerstone')
    for (const requirement of cornerstone.requirements) {
      assert.ok((requirement.frequency?.times ?? 1) === 1)
    }
    const lodeHeath = loadPack('lode-heath')
    const dsl = aPerson({ id: 'dsl', name: 'Dee Dsl', roles: ['dsl'] })
    const [result] = assessCompliance({
      policy: lodeHeath,
      calendar: englandCalendar,
      people: [dsl],
      sessions: [aSession('one-to-one', '2025-07-01', ['dsl'])],
      today: '2025-09-30',
    })
    assert.equal(result?.nextDue, '2025-10-01')
  })
})

describe('months of term time, once a year, and due dates on working days (issue 14)', () => {
  test('X-02: every 2 months of term time skips the holidays; every 2 months does not', () => {
    const termTime = riverside({ every: 2, unit: 'months', termTimeOnly: true })
    const calendarMonths = riverside({ every: 2, unit: 'months' })
    // 61 days of term time from 1 October: the 9-day October half term does not count.
    assert.equal(assessOne(termTime, '2025-10-02', ['2025-10-01']).nextDue, '2025-12-10')
    assert.equal(assessOne(calendarMonths, '2025-10-02', ['2025-10-01']).nextDue, '2025-12-01')
    assert.match(
      assessOne(termTime, '2025-10-02', ['2025-10-01']).requirements[0]?.dueBecause ?? '',
      /every 2 months of term time after the last session on 1 October 2025/,
    )
  })

  test('X-02: once each academic year: by the end of the year after the last session, as for once a term', () => {
    const yearly = riverside({ every: 1, unit: 'academic-years' })
    assert.equal(assessOne(yearly, '2025-10-02', ['2025-10-01']).nextDue, '2027-07-16')
    // From the policy taking effect on the first day of the year: within that year.
    assert.equal(assessOne(yearly, '2025-09-02').nextDue, '2026-07-17')
  })

  test('X-02: a due date on a weekend, bank holiday, closure or in a holiday moves to the previous working day', () => {
    const monthly = riverside({ every: 1, unit: 'months' })
    // 10 December + 1 month is Saturday 10 January: Friday 9 January.
    assert.equal(assessOne(monthly, '2025-12-11', ['2025-12-10']).nextDue, '2026-01-09')
    const fourWeeks = riverside({ every: 4, unit: 'weeks' })
    // 3 October + 4 weeks is Friday 31 October, in the half-term holiday: Friday 24 October.
    assert.equal(assessOne(fourWeeks, '2025-10-06', ['2025-10-03']).nextDue, '2025-10-24')
    const threeWeeks = riverside({ every: 3, unit: 'weeks' })
    // 13 April 2026 + 3 weeks is the early May bank holiday, Monday 4 May: Friday 1 May.
    assert.equal(assessOne(threeWeeks, '2026-04-14', ['2026-04-13']).nextDue, '2026-05-01')
    // A closure day (a polling day on Friday 1 May) moves it back again, to Thursday 30 April. An
    // INSET day would not: staff work on it, so it is one of the calendar's working days.
    const closed: SchoolCalendar = {
      ...englandCalendar,
      years: englandCalendar.years.map((year) =>
        year.id === '2025-26'
          ? { ...year, closures: [{ date: '2026-05-01', kind: 'closure', description: 'Polling day' }] }
          : year,
      ),
    }
    assert.equal(assessOne(threeWeeks, '2026-04-14', ['2026-04-13'], { calendar: closed }).nextDue, '2026-04-30')
    // A week after the last day of the summer term lands in the holiday with no working day
    // between: the first day of the autumn term.
    const weekly = riverside({ every: 1, unit: 'weeks' })
    assert.equal(assessOne(weekly, '2026-07-20', ['2026-07-17']).nextDue, '2026-09-01')
  })

  test('X-02: once a term, when the last day of term is a closure day, is due the working day before', () => {
    const termly = riverside({ every: 1, unit: 'terms' })
    const closedLastDay: SchoolCalendar = {
      ...englandCalendar,
      years: englandCalendar.years.map((year) =>
        year.id === '2025-26'
          ? { ...year, closures: [{ date: '2025-12-19', kind: 'closure', description: 'Heating failure' }] }
          : year,
      ),
    }
    const result = assessOne(termly, '2025-09-10', [], { calendar: closedLastDay })
    assert.equal(result.nextDue, '2025-12-18')
    assert.match(result.requirements[0]?.dueBecause ?? '', /by the end of Autumn term 2025-26 \(18 December 2025\)/)
    assert.equal(assessOne(termly, '2025-09-10').nextDue, '2025-12-19')
  })

  test('X-02: the day calendar moves due dates onto working days', () => {
    const dc = new DayCalendar(englandCalendar)
    const day = (iso: string) => dc.day(iso)
    assert.equal(dc.iso(dc.dueOnWorkingDay(day('2025-10-25'), day('2025-10-01'))), '2025-10-24')
    assert.equal(dc.iso(dc.dueOnWorkingDay(day('2025-10-22'), day('2025-10-01'))), '2025-10-22')
    assert.equal(dc.iso(dc.dueOnWorkingDay(day('2025-10-28'), day('2025-10-24'))), '2025-11-03')
    const year = dc.periodAfter('academic-years', day('2026-08-20'), 0)
    assert.deepEqual([year.id, dc.iso(year.start), dc.iso(year.end)], ['2025-26', '2025-09-01', '2026-07-17'])
  })
})
