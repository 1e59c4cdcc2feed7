import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { englandDefaultCalendar } from '../calendar/index.ts'
import { aPerson } from '../compliance/builders.ts'
import type { Person } from '../people/person.ts'
import { proposalDateProblem, supervisorLimitProblem } from './dates.ts'
import { escalationRecipients, type ReportingLines } from './escalation.ts'
import { preparationReminderDate, preparationReminderDue, recordReminderDue } from './reminders.ts'

const calendar = englandDefaultCalendar('england-and-wales', 2025, 2027)

function lines(people: Person[], supervisors: Record<string, string> = {}): ReportingLines {
  const byId = new Map(people.map((p) => [p.id, p]))
  return {
    people: byId,
    supervisorOf: (id) => supervisors[id] ?? null,
    holdersOf: (schoolId, role) =>
      people.filter((p) => p.schoolId === schoolId && p.roles.includes(role)).map((p) => p.id),
  }
}

describe('who an escalation step goes to', () => {
  const head = aPerson({ id: 'head', name: 'Hana Head', roles: ['headteacher'] })
  const associate = aPerson({ id: 'assoc', name: 'Asha Associate', lineManagerId: 'head' })
  const dsl = aPerson({ id: 'dsl', name: 'Dee Lead', roles: ['dsl'], lineManagerId: 'assoc' })
  const manager = aPerson({ id: 'manager', name: 'Mo Manager', lineManagerId: 'head' })
  const yusuf = aPerson({ id: 'yusuf', name: 'Yusuf Yearhead', lineManagerId: 'manager' })
  const all = lines([head, associate, dsl, manager, yusuf], { yusuf: 'dsl' })
  const to = (target: Parameters<typeof escalationRecipients>[0], repeats = 0, l = all, who = yusuf) =>
    escalationRecipients(target, repeats, who, l, '2025-12-02').personIds

  test('LH-09: the supervisor, then the supervisor’s manager, then one level further up each time', () => {
    assert.deepEqual(to({ kind: 'supervisor' }), ['dsl'])
    assert.deepEqual(to({ kind: 'line-manager' }), ['manager'])
    assert.deepEqual(to({ kind: 'supervisors-line-manager' }), ['assoc'])
    assert.deepEqual(to({ kind: 'next-manager-up' }, 0), ['head'])
    assert.deepEqual(to({ kind: 'next-manager-up' }, 1), [], 'nobody above the headteacher')
  })

  test('AM-09: a role goes to its holders at the person’s school; without a supervisor the line manager is the supervisor', () => {
    assert.deepEqual(to({ kind: 'role', role: 'headteacher' }), ['head'])
    const noSupervisor = lines([head, associate, dsl, manager, yusuf])
    assert.deepEqual(to({ kind: 'supervisor' }, 0, noSupervisor), ['manager'])
    assert.deepEqual(to({ kind: 'supervisors-line-manager' }, 0, noSupervisor), ['head'])
    // The DSL is never told about themselves, and someone who has left is not told.
    assert.deepEqual(to({ kind: 'role', role: 'dsl' }, 0, all, dsl), [])
    const gone = lines([head, { ...associate, endDate: '2025-11-30' }, dsl, manager, yusuf], { yusuf: 'dsl' })
    assert.deepEqual(to({ kind: 'supervisors-line-manager' }, 0, gone), [])
    assert.equal(
      escalationRecipients({ kind: 'role', role: 'headteacher' }, 0, yusuf, all, '2025-12-02').description,
      'the headteacher or principal',
    )
  })

  test('a loop in the reporting lines does not climb for ever', () => {
    const a = aPerson({ id: 'a', lineManagerId: 'b' })
    const b = aPerson({ id: 'b', lineManagerId: 'a' })
    const x = aPerson({ id: 'x', lineManagerId: 'a' })
    assert.deepEqual(
      escalationRecipients({ kind: 'next-manager-up' }, 5, x, lines([a, b, x]), '2025-12-02').personIds,
      [],
    )
  })
})

describe('when reminders are due', () => {
  test('the preparation reminder comes 3 working days before, skipping weekends and the half-term holiday', () => {
    assert.equal(preparationReminderDate(calendar, '2025-11-12', 3), '2025-11-07')
    assert.equal(preparationReminderDate(calendar, '2025-11-03', 3), '2025-10-22')
    assert.equal(preparationReminderDue(calendar, '2025-11-12', '2025-11-06', 3), false)
    assert.equal(preparationReminderDue(calendar, '2025-11-12', '2025-11-07', 3), true)
    assert.equal(preparationReminderDue(calendar, '2025-11-12', '2025-11-11', 3), true)
    assert.equal(preparationReminderDue(calendar, '2025-11-12', '2025-11-12', 3), false, 'never on the day')
    assert.equal(preparationReminderDue(calendar, '2025-11-12', '2025-11-11', 0), false, '0 turns it off')
  })

  test('the record reminder comes a working day after the session', () => {
    assert.equal(recordReminderDue(calendar, '2025-11-14', '2025-11-16'), false)
    assert.equal(recordReminderDue(calendar, '2025-11-14', '2025-11-17'), true)
  })
})

describe('moving a proposed session', () => {
  const supervisee = aPerson({ id: 'p', name: 'Paul Parttime', workingDays: [2, 3] })
  const supervisor = aPerson({ id: 's', name: 'Sue Supervisor' })
  const check = (date: string) =>
    proposalDateProblem({ calendar, date, from: '2025-09-01', until: '2026-07-17', supervisee, supervisor })

  test('MW-04: only to a working day in term on which both work', () => {
    assert.equal(check('2025-11-12'), null)
    assert.match(check('2025-11-13') ?? '', /Paul Parttime does not work on Thursdays/)
    assert.match(check('2025-11-15') ?? '', /not a working day in term/)
    assert.match(check('2025-10-29') ?? '', /not a working day in term/, 'half term')
    assert.match(check('2026-05-04') ?? '', /not a working day in term/, 'bank holiday')
    assert.match(check('2026-08-04') ?? '', /must be between 1 September 2025 and 17 July 2026/)
    const inset = {
      ...calendar,
      years: calendar.years.map((y) =>
        y.id === '2025-26'
          ? { ...y, closures: [{ date: '2025-11-12', kind: 'inset' as const, description: 'Training' }] }
          : y,
      ),
    }
    assert.match(
      proposalDateProblem({
        calendar: inset,
        date: '2025-11-12',
        from: '2025-09-01',
        until: '2026-07-17',
        supervisee,
        supervisor,
      }) ?? '',
      /is an INSET day/,
    )
  })

  test('and never past the supervisor’s limits', () => {
    assert.equal(supervisorLimitProblem({ maxPerDay: 2, maxPerWeek: 5 }, 'Sue', 1, 4), null)
    assert.match(
      supervisorLimitProblem({ maxPerDay: 2, maxPerWeek: 5 }, 'Sue', 2, 2) ?? '',
      /Sue already has 2 sessions that day/,
    )
    assert.match(supervisorLimitProblem({ maxPerDay: 2, maxPerWeek: 5 }, 'Sue', 0, 5) ?? '', /that week/)
  })
})
