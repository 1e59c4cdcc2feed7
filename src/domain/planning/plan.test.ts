import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import {
  type Closure,
  englandDefaultCalendar,
  halfTermOn,
  isBankHoliday,
  isoWeekday,
  type SchoolCalendar,
  termOn,
} from '../calendar/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { Person } from '../people/person.ts'
import type { PolicyDocument } from '../policy/index.ts'
import { planGaps } from './check.ts'
import { defaultPlanLimits, type ExistingSession, type PlanInput } from './model.ts'
import { planYear, yearSpan } from './plan.ts'

const calendar: SchoolCalendar = englandDefaultCalendar('england-and-wales', 2024, 2028)
const YEAR = '2026-27'

function pack(id: Parameters<typeof loadPack>[0]): PolicyDocument {
  return { ...loadPack(id), effectiveFrom: '2026-09-01' }
}

function input(policy: PolicyDocument, people: Person[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    policy,
    calendar,
    people,
    supervisorsOf: (person) => (person.lineManagerId ? [person.lineManagerId] : []),
    existingSessions: [],
    yearId: YEAR,
    limits: defaultPlanLimits,
    schoolId: 'school-1',
    ...over,
  }
}

const head = aPerson({ id: 'head', name: 'Hana Head', roles: ['headteacher', 'associate-headteacher'] })

describe('the annual planner', () => {
  test('CA-02: staff with pastoral responsibilities get a formal one-to-one in every half term, dated at the start of the year', () => {
    const policy = pack('cornerstone')
    const staff = Array.from({ length: 8 }, (_, i) =>
      aPerson({
        id: `pastoral-${i}`,
        name: `Pastoral ${i}`,
        lineManagerId: 'head',
        flags: { pastoralResponsibilities: true },
      }),
    )
    const teacher = aPerson({ id: 'teacher', name: 'Teacher', lineManagerId: 'head' })
    const result = planYear(input(policy, [head, ...staff, teacher]))
    assert.equal(result.from, '2026-09-01')
    for (const person of staff) {
      const mine = result.proposals.filter((p) => p.superviseeId === person.id)
      assert.deepEqual(
        mine.map((p) => halfTermOn(calendar, p.date)?.halfTerm.id),
        ['autumn-1', 'autumn-2', 'spring-1', 'spring-2', 'summer-1', 'summer-2'],
      )
      assert.ok(mine.every((p) => p.typeId === 'formal-planned' && p.supervisorId === 'head'))
      assert.ok(mine.every((p) => p.requirementId === 'ca-half-termly'))
    }
    assert.equal(result.proposals.filter((p) => p.superviseeId === 'teacher').length, 0, 'not in scope, not planned')
    assert.deepEqual(planGaps(input(policy, [head, ...staff, teacher]), result, result.proposals), [])
  })

  test('MW-01: everyone identified at the start of the year (EYFS staff, trained DSLs, the SENDCO, the learning mentor) gets planned', () => {
    const policy = pack('meanwood')
    const identified = [
      aPerson({ id: 'eyfs', name: 'Early Years', roles: ['eyfs-practitioner'], lineManagerId: 'head' }),
      aPerson({ id: 'eyfs-flag', name: 'Nursery Assistant', flags: { worksInEyfs: true }, lineManagerId: 'head' }),
      aPerson({ id: 'dsl', name: 'Designated Lead', roles: ['dsl'], lineManagerId: 'head' }),
      aPerson({ id: 'trained', name: 'Trained Lead', flags: { trainedDsl: true }, lineManagerId: 'head' }),
      aPerson({ id: 'sendco', name: 'Send Co', roles: ['senco'], lineManagerId: 'head' }),
      aPerson({ id: 'mentor', name: 'Learning Mentor', roles: ['learning-mentor'], lineManagerId: 'head' }),
    ]
    const teacher = aPerson({ id: 'teacher', name: 'Class Teacher', roles: ['class-teacher'], lineManagerId: 'head' })
    const people = [head, ...identified, teacher]
    const result = planYear(input(policy, people))
    for (const person of identified) {
      const mine = result.proposals.filter((p) => p.superviseeId === person.id)
      assert.ok(mine.length >= 3, `${person.name}: at least once a term (${mine.length})`)
      assert.deepEqual(
        new Set(mine.map((p) => termOn(calendar, p.date)?.term.id)),
        new Set(['autumn', 'spring', 'summer']),
      )
      assert.ok(
        mine.every((p) => p.durationMinutes === 60),
        'sessions last about one hour (MW-03)',
      )
    }
    assert.equal(result.proposals.filter((p) => p.superviseeId === 'teacher').length, 0)
    assert.deepEqual(result.unplaceable, [])
    assert.deepEqual(planGaps(input(policy, people), result, result.proposals), [])
  })

  test('MW-04: part-time staff get the same frequency as full-time staff, on their own working days', () => {
    const policy = pack('meanwood')
    const fullTime = aPerson({ id: 'full', name: 'Full Time', roles: ['eyfs-practitioner'], lineManagerId: 'head' })
    const partTime = aPerson({
      id: 'part',
      name: 'Part Time',
      roles: ['eyfs-practitioner'],
      lineManagerId: 'head',
      partTime: true,
      workingDays: [2, 3],
    })
    const result = planYear(input(policy, [head, fullTime, partTime]))
    const full = result.proposals.filter((p) => p.superviseeId === 'full')
    const part = result.proposals.filter((p) => p.superviseeId === 'part')
    assert.equal(part.length, full.length, 'never pro rata')
    assert.ok(
      part.every((p) => [2, 3].includes(isoWeekday(p.date))),
      part.map((p) => p.date).join(', '),
    )
  })

  test('a part-timer and a supervisor who share no working day are explained, not planned', () => {
    const policy = pack('meanwood')
    const supervisor = aPerson({ id: 'mon', name: 'Monday Manager', workingDays: [1] })
    const person = aPerson({
      id: 'fri',
      name: 'Friday Worker',
      roles: ['senco'],
      lineManagerId: 'mon',
      workingDays: [5],
    })
    const result = planYear(input(policy, [supervisor, person]))
    assert.deepEqual(result.proposals, [])
    assert.match(result.unplaceable[0]?.reason ?? '', /Friday Worker works Fridays and Monday Manager works Mondays/)
  })

  test('sessions avoid bank holidays, closures and INSET days', () => {
    const policy = pack('cornerstone')
    const base = calendar.years.find((y) => y.id === YEAR)!
    // Close every Tuesday to Friday of autumn 1 but two.
    const closures: Closure[] = []
    for (
      let d = new Date('2026-09-01T12:00:00Z');
      d < new Date('2026-10-23T12:00:00Z');
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      const iso = d.toISOString().slice(0, 10)
      const weekday = isoWeekday(iso)
      if (weekday >= 2 && weekday <= 5 && iso !== '2026-10-14' && iso !== '2026-10-15')
        closures.push({
          date: iso,
          kind: weekday === 2 ? ('inset' as const) : ('closure' as const),
          description: 'Closed',
        })
    }
    const closed: SchoolCalendar = {
      ...calendar,
      years: calendar.years.map((y) => (y.id === YEAR ? { ...base, closures } : y)),
    }
    const mondays = aPerson({ id: 'mondays', name: 'Monday Manager', workingDays: [1, 2, 3, 4, 5] })
    const person = aPerson({
      id: 'p',
      name: 'Pastoral',
      lineManagerId: 'mondays',
      workingDays: [1, 3, 4],
      flags: { pastoralResponsibilities: true },
    })
    const result = planYear(input(policy, [mondays, person], { calendar: closed }))
    const autumn1 = result.proposals.filter((p) => halfTermOn(closed, p.date)?.halfTerm.id === 'autumn-1')
    assert.equal(autumn1.length, 1)
    assert.ok(['2026-10-14', '2026-10-15'].includes(autumn1[0]!.date) || isoWeekday(autumn1[0]!.date) === 1)
    for (const p of result.proposals) {
      assert.equal(isBankHoliday('england-and-wales', p.date), false)
      assert.ok(!closures.some((c) => c.date === p.date))
    }
  })

  test('LH-05: the supervisor is the current supervisor or line manager the grid allows', () => {
    const policy = pack('lode-heath')
    const teacherManager = aPerson({ id: 'manager', name: 'Maths Teacher', roles: ['class-teacher'] })
    const dsl = aPerson({ id: 'dsl', name: 'Dee Esel', roles: ['dsl'], supervisorTrainedOn: '2024-01-01' })
    const yearHead = aPerson({ id: 'yh', name: 'Year Head', roles: ['year-head'], lineManagerId: 'manager' })
    const people = [teacherManager, dsl, yearHead]
    const refused = planYear(input(policy, people))
    assert.deepEqual(refused.proposals, [])
    assert.match(
      refused.unplaceable.find((u) => u.personId === 'yh')?.reason ?? '',
      /Maths Teacher cannot supervise Year Head/,
    )

    const assigned = planYear(
      input(policy, people, { supervisorsOf: (p) => (p.id === 'yh' ? ['dsl', 'manager'] : []) }),
    )
    const mine = assigned.proposals.filter((p) => p.superviseeId === 'yh')
    assert.ok(mine.length >= 3)
    assert.ok(mine.every((p) => p.supervisorId === 'dsl'))
    // LH-03: never more than 3 months apart, and the summer holiday counts too.
    assert.deepEqual(
      planGaps(input(policy, people), assigned, assigned.proposals).filter((g) => g.personId === 'yh'),
      [],
    )
  })

  test('sessions already held or planned count, and a planned session takes up the supervisor’s time', () => {
    const policy = pack('cornerstone')
    const person = aPerson({
      id: 'p',
      name: 'Pastoral',
      lineManagerId: 'head',
      flags: { pastoralResponsibilities: true },
    })
    const existing: ExistingSession[] = [
      {
        id: 's1',
        typeId: 'formal-planned',
        date: '2026-10-01',
        startTime: '09:00',
        durationMinutes: 60,
        status: 'planned',
        supervisorIds: ['head'],
        superviseeIds: ['p'],
      },
      {
        id: 's2',
        typeId: 'formal-planned',
        date: '2026-12-01',
        startTime: null,
        durationMinutes: null,
        status: 'cancelled',
        supervisorIds: ['head'],
        superviseeIds: ['p'],
      },
    ]
    const result = planYear(input(policy, [head, person], { existingSessions: existing }))
    assert.deepEqual(
      result.proposals.map((p) => halfTermOn(calendar, p.date)?.halfTerm.id),
      ['autumn-2', 'spring-1', 'spring-2', 'summer-1', 'summer-2'],
    )
  })

  test('each supervisor’s load is spread within the most a day and a week, and what does not fit is explained', () => {
    const policy = pack('cornerstone')
    const staff = Array.from({ length: 30 }, (_, i) =>
      aPerson({
        id: `s${String(i).padStart(2, '0')}`,
        name: `Staff ${String(i).padStart(2, '0')}`,
        lineManagerId: 'head',
        flags: { pastoralResponsibilities: true },
      }),
    )
    const limits = { ...defaultPlanLimits, maxPerDay: 2, maxPerWeek: 8 }
    const result = planYear(input(policy, [head, ...staff], { limits }))
    const perDay = new Map<string, number>()
    for (const p of result.proposals) perDay.set(p.date, (perDay.get(p.date) ?? 0) + 1)
    assert.ok(Math.max(...perDay.values()) <= 2)
    assert.equal(result.proposals.length, 180)
    // Six a week cannot give 30 people a session in spring 2, a 4-week half term; the rest of
    // their year is still planned.
    const tight = planYear(input(policy, [head, ...staff], { limits: { ...limits, maxPerWeek: 6 } }))
    assert.equal(tight.unplaceable.length, 6)
    assert.match(
      tight.unplaceable[0]!.reason,
      /No room for Staff \d+’s session due by 19 March 2027: Hana Head has no free time/,
    )
    const missed = tight.unplaceable[0]!.personId
    assert.equal(tight.proposals.filter((p) => p.superviseeId === missed).length, 5)
  })

  test('someone overdue when planning starts part way through the year is seen within two weeks', () => {
    const policy = { ...pack('meanwood'), effectiveFrom: '2025-09-01' }
    const person = aPerson({ id: 'p', name: 'Early Years', roles: ['eyfs-practitioner'], lineManagerId: 'head' })
    const result = planYear(input(policy, [head, person], { from: '2027-01-11' }))
    assert.equal(result.from, '2027-01-11')
    const first = result.proposals.find((p) => p.superviseeId === 'p')!
    assert.ok(first.date >= '2027-01-11' && first.date <= '2027-01-25', first.date)
  })

  test('someone starting part way through the year is planned from their start', () => {
    const policy = pack('cornerstone')
    const person = aPerson({
      id: 'p',
      name: 'New Starter',
      lineManagerId: 'head',
      startDate: '2027-01-04',
      flags: { pastoralResponsibilities: true },
    })
    const result = planYear(input(policy, [head, person]))
    assert.deepEqual(
      result.proposals.map((p) => halfTermOn(calendar, p.date)?.halfTerm.id),
      ['spring-1', 'spring-2', 'summer-1', 'summer-2'],
    )
  })

  test('the year’s span comes from the calendar, and a year it lacks is refused', () => {
    assert.deepEqual((({ first, last, horizon }) => ({ first, last, horizon }))(yearSpan({ calendar, yearId: YEAR })), {
      first: '2026-09-01',
      last: '2027-07-16',
      horizon: '2027-09-01',
    })
    assert.throws(() => yearSpan({ calendar, yearId: '2035-36' }), RangeError)
    assert.throws(() => yearSpan({ calendar, yearId: '2026-28' }), RangeError)
  })
})
