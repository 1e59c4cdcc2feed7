import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { Person } from '../people/person.ts'
import {
  type BookingContext,
  type BookingRequest,
  checkBooking,
  chosenFocus,
  defaultDurationMinutes,
  gridApplies,
  sessionFocusProblem,
} from './booking.ts'
import type { ScheduledSession } from './clashes.ts'

const lodeHeath = loadPack('lode-heath')
const cornerstone = loadPack('cornerstone')
const meanwood = loadPack('meanwood')
const today = '2026-11-23'

const dsl = aPerson({ id: 'dsl', name: 'Dana Shah', roles: ['dsl'], supervisorTrainedOn: '2024-01-10' })
const yearHead = aPerson({ id: 'yh', name: 'Yusuf Hale', roles: ['year-head'], supervisorTrainedOn: '2024-01-10' })
const teacher = aPerson({ id: 't1', name: 'Tess Ward', roles: ['class-teacher'] })
const teacher2 = aPerson({ id: 't2', name: 'Tom Reed', roles: ['class-teacher'] })
const teacher3 = aPerson({ id: 't3', name: 'Tara Moss', roles: ['class-teacher'] })
const untrained = aPerson({ id: 'pl', name: 'Priya Lal', roles: ['pastoral-lead'] })
const external = aPerson({ id: 'ext', name: 'Lena Ortiz', employmentType: 'external', roles: ['external-supervisor'] })
const leaver = aPerson({ id: 'left', name: 'Leo Gone', roles: ['class-teacher'], endDate: '2026-12-01' })

function people(...list: Person[]): Map<string, Person> {
  return new Map(list.map((p) => [p.id, p]))
}

const everyone = people(dsl, yearHead, teacher, teacher2, teacher3, untrained, external, leaver)

function context(over: Partial<BookingContext> = {}): BookingContext {
  return {
    policy: lodeHeath,
    today,
    people: everyone,
    existing: [],
    grid: { trustSchoolIds: ['school-1'], delegations: [] },
    ...over,
  }
}

function booking(over: Partial<BookingRequest> = {}): BookingRequest {
  return {
    typeId: 'one-to-one',
    supervisorIds: ['dsl'],
    superviseeIds: ['t1'],
    date: '2026-12-03',
    startTime: '10:00',
    durationMinutes: 60,
    venue: 'Meeting room 2',
    onlineLink: '',
    ...over,
  }
}

function problems(request: BookingRequest, ctx = context()): string[] {
  const result = checkBooking(request, ctx)
  return result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.message}`)
}

function session(over: Partial<ScheduledSession>): ScheduledSession {
  return {
    id: 's1',
    date: '2026-12-03',
    startTime: '10:30',
    durationMinutes: 60,
    status: 'planned',
    typeName: 'Planned one-to-one supervision',
    supervisorIds: ['yh'],
    superviseeIds: ['t2'],
    ...over,
  }
}

describe('checkBooking', () => {
  test('a good booking passes, with its type', () => {
    const result = checkBooking(booking(), context())
    assert.ok(result.ok)
    assert.equal(result.type.id, 'one-to-one')
    assert.deepEqual(result.warnings, [])
  })

  test('LH-05: a supervisor outside the grid is refused, and the message gives the rule in the policy’s words (lh-who-pastoral-leaders)', () => {
    const result = problems(booking({ supervisorIds: ['t2'], superviseeIds: ['yh'] }))
    assert.equal(result.length, 1)
    assert.match(result[0] as string, /^supervisorIds: Tom Reed cannot supervise Yusuf Hale under the policy/)
    assert.match(result[0] as string, /Year Heads, Pastoral Leads and the SENCO\/LAC Co-ordinator may be supervised by/)
    assert.doesNotMatch(result[0] as string, /lh-who|\(rule /, 'never a rule’s id')
  })

  test('LH-05, LH-08: a supervisor the grid allows but with no training recorded is refused', () => {
    const result = problems(booking({ supervisorIds: ['pl'], superviseeIds: ['t1'] }))
    assert.match(result[0] as string, /Priya Lal cannot supervise yet: the policy says supervisors must be trained/)
  })

  test('LH-05: the grid applies to every supervisor and supervisee of a counting group session', () => {
    const result = problems(booking({ typeId: 'group', supervisorIds: ['yh'], superviseeIds: ['t1', 'dsl'] }))
    assert.match(
      result[0] as string,
      /Yusuf Hale cannot supervise Dana Shah under the policy\. The DSL may be supervised by the Associate Headteacher/,
    )
  })

  test('types that never count toward entitlement may be led by anyone (peer supervision)', () => {
    const peer = cornerstone.sessionTypes.find((t) => t.id === 'peer')!
    assert.equal(gridApplies(peer), false)
    assert.ok(
      checkBooking(
        booking({ typeId: 'peer', supervisorIds: ['t2'], superviseeIds: ['t1'] }),
        context({ policy: cornerstone }),
      ).ok,
    )
  })

  test('CA-12: an external supervisor passes a rule that allows external supervisors', () => {
    const deputy = aPerson({ id: 'dd', name: 'Dev Dutta', roles: ['deputy-dsl'] })
    const ctx = context({ policy: cornerstone, people: people(external, deputy) })
    assert.ok(
      checkBooking(booking({ typeId: 'formal-planned', supervisorIds: ['ext'], superviseeIds: ['dd'] }), ctx).ok,
    )
  })

  test('LH-06, AM-02, CA-05: a group session takes several supervisees; a one-to-one takes one', () => {
    const group = checkBooking(booking({ typeId: 'group', superviseeIds: ['t1', 't2', 't3'] }), context())
    assert.ok(group.ok)
    assert.equal(group.type.group, true)
    const single = checkBooking(booking({ typeId: 'group', superviseeIds: ['t1'] }), context())
    assert.ok(single.ok, 'a group needs at least one person, not two')
    assert.deepEqual(problems(booking({ superviseeIds: ['t1', 't2'] })), [
      'superviseeIds: A session of planned one-to-one supervision is for one supervisee. Choose a group type of session to book more than one person',
    ])
  })

  test('a group with no one in it is refused', () => {
    assert.deepEqual(problems(booking({ typeId: 'group', superviseeIds: [] })), [
      'superviseeIds: Select who is in the group: a group session needs at least one supervisee',
    ])
    assert.deepEqual(problems(booking({ superviseeIds: [] })), ['superviseeIds: Select a supervisee'])
  })

  test('bad input: each gets a clear message', () => {
    assert.deepEqual(problems(booking({ date: '2026-11-22' })), [
      'date: The date of the session must be today or in the future',
    ])
    assert.deepEqual(problems(booking({ date: today })), [], 'today is allowed')
    assert.deepEqual(problems(booking({ date: '2028-11-24' })), [
      'date: The date of the session must be within the next 2 years',
    ])
    assert.deepEqual(problems(booking({ durationMinutes: 0 })), [
      'durationMinutes: The session must last more than 0 minutes: its end must be after its start',
    ])
    assert.deepEqual(problems(booking({ durationMinutes: -30 })), [
      'durationMinutes: The session must last more than 0 minutes: its end must be after its start',
    ])
    assert.deepEqual(problems(booking({ durationMinutes: 601 })), [
      'durationMinutes: The session must last 10 hours or less',
    ])
    assert.deepEqual(problems(booking({ startTime: '23:30', durationMinutes: 60 })), [
      'durationMinutes: The session must end by midnight',
    ])
    assert.deepEqual(problems(booking({ supervisorIds: ['nobody'] })), [
      'supervisorIds: Select a supervisor from the list',
    ])
    assert.deepEqual(problems(booking({ superviseeIds: ['nobody'] })), [
      'superviseeIds: Select supervisees from the list',
    ])
    assert.deepEqual(problems(booking({ supervisorIds: [] })), ['supervisorIds: Select a supervisor'])
    assert.deepEqual(problems(booking({ typeId: 'group', superviseeIds: ['t1', 't1'] })), [
      'superviseeIds: Tess Ward is listed twice. Include each supervisee once',
    ])
    assert.deepEqual(problems(booking({ supervisorIds: ['dsl', 'dsl'] })), [
      'supervisorIds: Dana Shah is chosen twice as a supervisor. Choose each supervisor once',
    ])
    assert.deepEqual(problems(booking({ typeId: 'nope' })), ['typeId: Select the type of session'])
    assert.deepEqual(problems(booking({ venue: '', onlineLink: '' })), [
      'venue: Enter where the session will take place, or an online meeting link',
    ])
    assert.deepEqual(problems(booking({ venue: '', onlineLink: 'teams meeting' })), [
      'onlineLink: Enter an online meeting link in the correct format, like https://meet.example.com/supervision',
    ])
    assert.deepEqual(problems(booking({ venue: '', onlineLink: 'javascript:alert(1)' })).length, 1)
    assert.deepEqual(problems(booking({ venue: '', onlineLink: 'https://meet.example.com/abc' })), [])
    assert.deepEqual(problems(booking({ supervisorIds: ['t1'], superviseeIds: ['t1'] })), [
      'superviseeIds: Tess Ward cannot be both a supervisor and a supervisee in the same session',
    ])
    assert.deepEqual(problems(booking({ superviseeIds: ['left'], date: '2026-12-03' })), [
      'superviseeIds: Leo Gone left on 1 December 2026, before the date of the session',
    ])
    assert.deepEqual(problems(booking({ date: '2026-12-03' }), context({ policy: null })), [
      'date: No supervision policy is in force on 3 December 2026: choose a later date, or ask the DSL to set one up',
    ])
  })

  test('recording unplanned supervision: the date is today or earlier, and no place or time is needed', () => {
    const ctx = context({ recordingPast: true, placeOptional: true, timeOptional: true, policy: cornerstone })
    const request = booking({
      typeId: 'informal-unplanned',
      date: '2026-11-20',
      startTime: null,
      durationMinutes: null,
      venue: '',
    })
    assert.ok(checkBooking(request, ctx).ok)
    assert.deepEqual(problems({ ...request, date: '2026-11-24' }, ctx), ['date: The date must be today or in the past'])
  })
})

describe('clashes', () => {
  test('a supervisor already busy at an overlapping time is a warning the booker can confirm', () => {
    const result = checkBooking(
      booking(),
      context({ existing: [session({ supervisorIds: ['dsl'], superviseeIds: ['t2'] })] }),
    )
    assert.ok(result.ok)
    assert.equal(result.warnings.length, 1)
    assert.equal(
      result.warnings[0]?.message,
      'Dana Shah already has a session from 10:30am to 11:30am on 3 December 2026 (planned one-to-one supervision, as supervisor)',
    )
  })

  test('a supervisee booked twice at the same time is refused', () => {
    const result = checkBooking(booking(), context({ existing: [session({ superviseeIds: ['t1'] })] }))
    assert.equal(result.ok, false)
    assert.match(
      !result.ok ? (result.problems[0]?.message ?? '') : '',
      /^Tess Ward already has a session from 10:30am to 11:30am on 3 December 2026 \(planned one-to-one supervision\): a supervisee cannot be booked into two sessions at the same time$/,
    )
  })

  test('a supervisee who leads another session at that time is warned about, not refused', () => {
    const result = checkBooking(
      booking(),
      context({ existing: [session({ supervisorIds: ['t1'], superviseeIds: ['t2'] })] }),
    )
    assert.ok(result.ok)
    assert.equal(result.warnings.length, 1)
  })

  test('back to back, another day, cancelled, untimed or replaced sessions do not clash', () => {
    const existing = [
      session({ id: 'a', startTime: '11:00', superviseeIds: ['t1'] }),
      session({ id: 'b', startTime: '09:00', superviseeIds: ['t1'] }),
      session({ id: 'c', date: '2026-12-04', superviseeIds: ['t1'] }),
      session({ id: 'd', status: 'cancelled', superviseeIds: ['t1'] }),
      session({ id: 'e', startTime: null, superviseeIds: ['t1'] }),
      session({ id: 'f', status: 'did-not-attend', superviseeIds: ['t1'] }),
      session({ id: 'g', superviseeIds: ['t1'] }),
    ]
    const result = checkBooking(booking(), context({ existing, ignoreSessionIds: ['g'] }))
    assert.ok(result.ok)
    assert.deepEqual(result.warnings, [])
  })

  test('a session with no length set is taken as an hour', () => {
    const result = checkBooking(
      booking(),
      context({ existing: [session({ startTime: '09:30', durationMinutes: null, supervisorIds: ['dsl'] })] }),
    )
    assert.ok(result.ok)
    assert.equal(result.warnings.length, 1)
  })
})

describe('defaultDurationMinutes', () => {
  test('MW-03: from the requirement that counts the type (about an hour), else an hour', () => {
    assert.equal(defaultDurationMinutes(meanwood, 'one-to-one'), 60)
    assert.equal(defaultDurationMinutes(cornerstone, 'formal-planned'), 60)
    const custom = { ...meanwood, requirements: meanwood.requirements.map((r) => ({ ...r, expectedMinutes: 45 })) }
    assert.equal(defaultDurationMinutes(custom, 'one-to-one'), 45)
    assert.equal(defaultDurationMinutes(null, 'x'), 60)
  })
})

describe('the focus of a session (CA-01)', () => {
  test('CA-01: a multi-agency session must be theme-, case- or staff-centred; other types need no focus', () => {
    const types = loadPack('cornerstone').sessionTypes
    const multi = types.find((t) => t.id === 'multi-agency')!
    const formal = types.find((t) => t.id === 'formal-planned')!
    assert.match(
      sessionFocusProblem(multi, null) ?? '',
      /Select whether the multi-agency supervision is theme-centred, case-centred or staff-centred/,
    )
    assert.ok(sessionFocusProblem(multi, 'made-up'))
    assert.equal(sessionFocusProblem(multi, 'staff-centred'), null)
    assert.equal(sessionFocusProblem(formal, null), null)
    assert.equal(chosenFocus(formal, 'case-centred'), null)
    assert.equal(chosenFocus(multi, 'case-centred'), 'case-centred')
  })
})
