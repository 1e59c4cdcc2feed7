/**
 * Rebooking "as soon as possible" (issue 14, CA-03): no deadline; the session is flagged until it
 * is rebooked and warned about after the policy's warning time. An invented policy, since no pack
 * says it.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { rebookingView } from '../scheduling/rebooking.ts'
import { assessCompliance } from './assess.ts'
import { aCancellation, anInventedPolicy, aPerson, englandCalendar } from './builders.ts'
import { rebookingDeadline, rebookingWarnFrom } from './cancellations.ts'
import type { CancellationFact } from './model.ts'

const asSoonAsPossible = anInventedPolicy({
  rebooking: { within: null, warnAfter: { amount: 10, unit: 'working-days' } },
})
const person = aPerson({ id: 'p', name: 'Pat Person' })
// Wednesday 1 October 2025; 10 working days on is Wednesday 15 October.
const cancelled = aCancellation({ date: '2025-10-01', superviseeIds: ['p'], reasonId: 'other', typeId: 'one-to-one' })

function assessOn(today: string, cancellation: CancellationFact, policy = asSoonAsPossible) {
  const [result] = assessCompliance({
    policy,
    calendar: englandCalendar,
    people: [person],
    sessions: [],
    cancellations: [cancellation],
    today,
  })
  assert.ok(result)
  return result
}

describe('rebooking as soon as possible (issue 14)', () => {
  test('CA-03: a session that did not take place is flagged until it is rebooked, with no deadline', () => {
    assert.equal(rebookingDeadline(asSoonAsPossible, englandCalendar, cancelled), null)
    assert.equal(rebookingWarnFrom(asSoonAsPossible, englandCalendar, cancelled), '2025-10-15')
    const next = assessOn('2025-10-02', cancelled)
    assert.equal(next.openRebookings.length, 1)
    const open = next.openRebookings[0]
    assert.ok(open)
    assert.equal(open.asSoonAsPossible, true)
    assert.equal(open.deadline, null)
    assert.equal(open.warnFrom, '2025-10-15')
    assert.equal(open.warning, false)
    assert.match(
      open.message,
      /on 1 October 2025 that did not take place \(another reason\) must be rebooked as soon as possible$/,
    )
    assert.deepEqual(next.breaches, [])
    assert.deepEqual(next.escalations, [])
    // Rebooked for any date, it is no longer flagged; nothing is recorded as a breach.
    const rebooked = assessOn('2025-12-01', { ...cancelled, rebookedFor: '2025-11-20' })
    assert.deepEqual(rebooked.openRebookings, [])
    assert.deepEqual(rebooked.breaches, [])
  })

  test('CA-03: still not rebooked after the warning time, it is a warning and goes up the rebooking escalation', () => {
    assert.equal(assessOn('2025-10-14', cancelled).openRebookings[0]?.warning, false)
    const warned = assessOn('2025-10-15', cancelled)
    const open = warned.openRebookings[0]
    assert.equal(open?.warning, true)
    assert.match(
      open?.message ?? '',
      /has still not been rebooked \(10 working days since it was due\): rebook it as soon as possible/,
    )
    assert.deepEqual(warned.breaches, [], 'no deadline, so no breach')
    assert.equal(warned.escalations[0]?.chainId, 'not-rebooked')
    assert.equal(warned.escalations[0]?.since, '2025-10-15')
    assert.deepEqual(warned.escalations[0]?.target, { kind: 'role', role: 'dsl' })
  })

  test('CA-03: for an absence, the warning time counts from the return; with no warning time it is only flagged', () => {
    const ill = { ...cancelled, reasonId: 'staff-absence' }
    assert.equal(rebookingWarnFrom(asSoonAsPossible, englandCalendar, ill), null)
    const away = assessOn('2025-12-01', ill)
    assert.equal(away.openRebookings[0]?.warning, false)
    assert.match(away.openRebookings[0]?.message ?? '', /as soon as possible after Pat Person returns$/)
    const back = { ...ill, returnDate: '2025-11-03' }
    assert.equal(rebookingWarnFrom(asSoonAsPossible, englandCalendar, back), '2025-11-17')
    assert.equal(assessOn('2025-11-14', back).openRebookings[0]?.warning, false)
    assert.equal(assessOn('2025-11-17', back).openRebookings[0]?.warning, true)

    const flagOnly = anInventedPolicy({ rebooking: { within: null } })
    const flagged = assessOn('2026-03-01', cancelled, flagOnly)
    assert.equal(flagged.openRebookings[0]?.asSoonAsPossible, true)
    assert.equal(flagged.openRebookings[0]?.warning, false)
    assert.equal(flagged.openRebookings[0]?.warnFrom, null)
    assert.deepEqual(flagged.escalations, [])
  })

  test('CA-03: the session pages tell it as "rebook as soon as possible", then warn', () => {
    const open = rebookingView(asSoonAsPossible, englandCalendar, cancelled, '2025-10-02', 'Pat')
    assert.equal(open.state, 'as-soon-as-possible')
    assert.equal(open.deadline, null)
    assert.equal(open.message, 'Rebook as soon as possible')
    assert.equal(open.warn, false)
    const late = rebookingView(asSoonAsPossible, englandCalendar, cancelled, '2025-10-15', 'Pat')
    assert.equal(late.state, 'not-rebooked')
    assert.equal(late.warn, true)
    assert.equal(late.message, 'Not rebooked yet: rebook it as soon as possible')
    const done = rebookingView(
      asSoonAsPossible,
      englandCalendar,
      { ...cancelled, rebookedFor: '2025-10-20' },
      '2025-10-21',
    )
    assert.equal(done.state, 'met')
    assert.equal(done.message, 'Rebooked for 20 October 2025')
    const away = rebookingView(
      asSoonAsPossible,
      englandCalendar,
      { ...cancelled, reasonId: 'staff-absence' },
      '2025-10-21',
      'Pat',
    )
    assert.equal(away.message, 'Rebook as soon as possible after Pat returns. Record the date they return')
  })

  test('CA-03: a pack with a deadline keeps it (within 5 working days at Cornerstone)', () => {
    const cornerstone = loadPack('cornerstone')
    const friday = aCancellation({
      date: '2025-10-24',
      superviseeIds: ['p'],
      reasonId: 'unavoidable-circumstances',
      typeId: 'formal-planned',
    })
    assert.equal(rebookingDeadline(cornerstone, englandCalendar, friday), '2025-11-07')
    assert.equal(rebookingWarnFrom(cornerstone, englandCalendar, friday), null)
    assert.equal(rebookingView(cornerstone, englandCalendar, friday, '2025-11-03').state, 'open')
  })
})
