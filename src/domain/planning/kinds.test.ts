/**
 * The annual planner and booking agree on who may supervise (issue 14): the planner picks each
 * kind of supervision's supervisor with the same function booking refuses one with, so every
 * proposal is a booking the booking rules accept.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar, type SchoolCalendar } from '../calendar/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { Person } from '../people/person.ts'
import type { PolicyDocument } from '../policy/index.ts'
import { riversidePolicy } from '../policy/kinds-builders.ts'
import { BookingField, checkBooking, type GridContext, supervisorRefusal } from '../scheduling/index.ts'
import { startOfYearGaps } from './check.ts'
import { defaultPlanLimits, type ExistingSession, type PlanInput, type PlanResult } from './model.ts'
import { planYear } from './plan.ts'

const calendar: SchoolCalendar = englandDefaultCalendar('england-and-wales', 2024, 2028)
const YEAR = '2026-27'
const noGrid: GridContext = { trustSchoolIds: [], delegations: [] }

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

/** Every proposal, booked as it stands the day before the plan starts, has no problem with its supervisor. */
function assertBookable(policy: PolicyDocument, people: Person[], plan: PlanResult, grid: GridContext = noGrid): void {
  const byId = new Map(people.map((p) => [p.id, p]))
  for (const proposal of plan.proposals) {
    const checked = checkBooking(
      {
        typeId: proposal.typeId,
        supervisorIds: [proposal.supervisorId],
        superviseeIds: [proposal.superviseeId],
        date: proposal.date,
        startTime: proposal.startTime,
        durationMinutes: proposal.durationMinutes,
        venue: 'Room 4',
        onlineLink: '',
      },
      { policy, today: '2026-08-31', people: byId, existing: [], grid },
    )
    const supervisorProblems = checked.ok ? [] : checked.problems.filter((p) => p.field === BookingField.Supervisors)
    assert.deepEqual(
      supervisorProblems,
      [],
      `${proposal.supervisorId} for ${proposal.superviseeId} on ${proposal.date}`,
    )
  }
}

describe('the planner picks a supervisor per kind of supervision, as booking allows', () => {
  const policy = { ...riversidePolicy(), effectiveFrom: '2026-09-01' }
  const manager = aPerson({ id: 'lm', name: 'Lena Manager', roles: ['class-teacher'] })
  const dsl = aPerson({ id: 'dsl', name: 'Dina Lead', roles: ['dsl'], lineManagerId: 'lm' })
  const teacher = aPerson({ id: 't', name: 'Tom Teacher', roles: ['class-teacher'], lineManagerId: 'lm' })
  const people = [manager, dsl, teacher]

  test('LH-05: safeguarding supervision with the assigned DSL, management supervision with the line manager', () => {
    const plan = planYear(
      input(policy, people, {
        supervisorsOf: (person, typeId) =>
          person.id === 't' && typeId === 'safeguarding'
            ? ['dsl', 'lm']
            : person.lineManagerId
              ? [person.lineManagerId]
              : [],
      }),
    )
    const mine = plan.proposals.filter((p) => p.superviseeId === 't')
    const safeguarding = mine.filter((p) => p.typeId === 'safeguarding')
    const management = mine.filter((p) => p.typeId === 'management')
    assert.equal(safeguarding.length, 6, 'one each half term')
    assert.equal(management.length, 3, 'one each term')
    assert.ok(safeguarding.every((p) => p.supervisorId === 'dsl' && p.requirementId === 'rf-safeguarding'))
    assert.ok(management.every((p) => p.supervisorId === 'lm' && p.durationMinutes === 45))
    assertBookable(policy, people, plan)
  })

  test('PL-03: safeguarding supervision is never planned with a line manager the rule for that kind does not allow', () => {
    const plan = planYear(input(policy, people))
    const mine = plan.proposals.filter((p) => p.superviseeId === 't')
    assert.deepEqual(
      mine.filter((p) => p.typeId === 'safeguarding'),
      [],
      'the line manager is not a safeguarding supervisor',
    )
    assert.equal(mine.filter((p) => p.typeId === 'management' && p.supervisorId === 'lm').length, 3)
    const why = plan.unplaceable.filter((u) => u.personId === 't')
    assert.deepEqual(why, [
      {
        personId: 't',
        requirementId: 'rf-safeguarding',
        reason:
          'Lena Manager cannot supervise Tom Teacher under the policy. In safeguarding supervision, all staff may be supervised by a designated safeguarding lead (DSL), a deputy designated safeguarding lead or a local authority team. Lena Manager is none of these',
      },
    ])
    // Booking agrees: the same line manager is refused for safeguarding and accepted for management.
    assert.match(
      supervisorRefusal(policy, manager, teacher, '2026-10-01', noGrid, 'safeguarding') ?? '',
      /In safeguarding supervision, all staff may be supervised by a designated safeguarding lead/,
    )
    assert.equal(supervisorRefusal(policy, manager, teacher, '2026-10-01', noGrid, 'management'), null)
    assertBookable(policy, people, plan)
  })

  test('someone with no supervisor for a kind is explained in words naming the kind', () => {
    const plan = planYear(input(policy, [manager, dsl, { ...teacher, lineManagerId: null }]))
    assert.deepEqual(
      plan.unplaceable.filter((u) => u.personId === 't').map((u) => u.reason),
      [
        'Tom Teacher has no supervisor for safeguarding supervision or line manager in Haven: choose one on their page, then plan again',
        'Tom Teacher has no supervisor for management supervision or line manager in Haven: choose one on their page, then plan again',
      ],
    )
  })

  test('CA-12: an assigned external supervisor from the local authority leads safeguarding supervision', () => {
    const council = aPerson({ id: 'la', name: 'Lou Council', schoolId: null, employmentType: 'external' })
    const all = [...people, council]
    const plan = planYear(
      input(policy, all, {
        supervisorsOf: (person, typeId) =>
          person.id === 't' && typeId === 'safeguarding'
            ? ['la', 'lm']
            : person.lineManagerId
              ? [person.lineManagerId]
              : [],
      }),
    )
    const safeguarding = plan.proposals.filter((p) => p.superviseeId === 't' && p.typeId === 'safeguarding')
    assert.equal(safeguarding.length, 6)
    assert.ok(safeguarding.every((p) => p.supervisorId === 'la'))
    assertBookable(policy, all, plan)
  })
})

describe('the packs: planner and booking agree', () => {
  test('CA-12, LH-05: the planner keeps an assigned external supervisor from a professional body that booking accepts', () => {
    const policy = { ...loadPack('lode-heath'), effectiveFrom: '2026-09-01' }
    const head = aPerson({ id: 'head', name: 'Hana Head', roles: ['headteacher'], supervisorTrainedOn: '2024-01-01' })
    const specialist = aPerson({
      id: 'spec',
      name: 'Sam Speech',
      roles: ['specialist-support-worker'],
      lineManagerId: 'head',
    })
    const body = aPerson({ id: 'ext', name: 'Pat Professional', schoolId: null, employmentType: 'external' })
    const people = [head, specialist, body]
    // The booking rules accept the external supervisor for the specialist.
    assert.equal(supervisorRefusal(policy, body, specialist, '2026-10-01', noGrid, 'one-to-one'), null)
    const plan = planYear(input(policy, people, { supervisorsOf: (p) => (p.id === 'spec' ? ['ext', 'head'] : []) }))
    const mine = plan.proposals.filter((p) => p.superviseeId === 'spec')
    assert.ok(mine.length >= 3, `planned at least once a term (${mine.length})`)
    assert.ok(
      mine.every((p) => p.supervisorId === 'ext'),
      mine.map((p) => p.supervisorId).join(', '),
    )
    assertBookable(policy, people, plan)
  })

  test('PL-03: a supervisor the line manager delegated to is planned, as booking accepts them', () => {
    const place = loadPack('the-place')
    const policy: PolicyDocument = {
      ...place,
      effectiveFrom: '2026-09-01',
      // The Place sets no minimum frequency (only an agreed one): here, once a half term.
      requirements: place.requirements.map((r) => ({
        ...r,
        frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
      })),
    }
    const manager = aPerson({ id: 'm', name: 'Mo Manager', supervisorTrainedOn: '2024-01-01' })
    const senior = aPerson({
      id: 's',
      name: 'Sian Senior',
      roles: ['senior-team-member'],
      supervisorTrainedOn: '2024-01-01',
    })
    const staff = aPerson({ id: 'st', name: 'Stef Staff', lineManagerId: 'm' })
    const people = [manager, senior, staff]
    const grid: GridContext = { trustSchoolIds: [], delegations: [{ fromId: 'm', toId: 's', superviseeId: 'st' }] }
    const supervisorsOf = (p: Person) => (p.id === 'st' ? ['s', 'm'] : [])
    const plan = planYear(input(policy, people, { supervisorsOf, supervision: grid }))
    const mine = plan.proposals.filter((p) => p.superviseeId === 'st')
    assert.equal(mine.length, 6, 'one each half term')
    assert.ok(mine.every((p) => p.supervisorId === 's'))
    assertBookable(policy, people, plan, grid)
  })
})

describe('CA-02: dates planned at the start of the academic year', () => {
  const policy = { ...riversidePolicy(), effectiveFrom: '2026-09-01' }
  const manager = aPerson({ id: 'lm', name: 'Lena Manager' })
  const dsl = aPerson({ id: 'dsl', name: 'Dina Lead', roles: ['dsl'], lineManagerId: 'lm' })
  const teacher = aPerson({ id: 't', name: 'Tom Teacher', lineManagerId: 'lm' })
  const people = [manager, dsl, teacher]
  const supervisorsOf = (person: Person, typeId: string) =>
    typeId === 'safeguarding' && person.id !== 'dsl' ? ['dsl'] : person.lineManagerId ? [person.lineManagerId] : []
  const span = { from: '2026-09-01', horizon: '2027-09-01' }

  test('a start-of-year requirement without its dates is reported; a rolling one is not, until it is overdue', () => {
    const gaps = startOfYearGaps(input(policy, people), span)
    assert.ok(gaps.length > 0)
    assert.ok(
      gaps.every((gap) => gap.requirementId === 'rf-safeguarding'),
      'management supervision is rolling',
    )
    assert.deepEqual([...new Set(gaps.map((gap) => gap.personId))].sort(), ['dsl', 'lm', 't'])
  })

  test('once the planner’s proposals for the year are in the diary, nothing is missing', () => {
    const plan = planYear(input(policy, people, { supervisorsOf }))
    const existing: ExistingSession[] = plan.proposals.map((p, i) => ({
      id: `s${i}`,
      typeId: p.typeId,
      date: p.date,
      startTime: p.startTime,
      durationMinutes: p.durationMinutes,
      status: 'planned',
      supervisorIds: [p.supervisorId],
      superviseeIds: [p.superviseeId],
    }))
    const unplanned = new Set(plan.unplaceable.map((u) => u.personId))
    const gaps = startOfYearGaps(input(policy, people, { existingSessions: existing }), span)
    assert.deepEqual(
      gaps.filter((gap) => !unplanned.has(gap.personId)),
      [],
    )
    assert.ok(
      unplanned.has('lm') && unplanned.has('dsl'),
      'the DSL has no one for safeguarding supervision, the manager no line manager',
    )
  })

  test('a policy with only rolling requirements never reports dates to plan at the start of the year', () => {
    const rolling = riversidePolicy((doc) => {
      for (const requirement of doc.requirements as Record<string, unknown>[]) requirement.planning = 'rolling'
    })
    assert.deepEqual(startOfYearGaps(input({ ...rolling, effectiveFrom: '2026-09-01' }, people), span), [])
  })
})
