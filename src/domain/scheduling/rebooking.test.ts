import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { englandDefaultCalendar } from '../calendar/index.ts'
import { aCancellation, aPerson } from '../compliance/builders.ts'
import { assessCompliance } from '../compliance/index.ts'
import { rebookingView } from './rebooking.ts'

const cornerstone = loadPack('cornerstone')
const lodeHeath = loadPack('lode-heath')
const calendar = englandDefaultCalendar('england-and-wales', 2020, 2028)

// Friday 12 February 2027 is the last day before the spring half term (15 to 19 February).
const beforeHalfTerm = aCancellation({
  date: '2027-02-12',
  superviseeIds: ['p'],
  reasonId: 'unavoidable-circumstances',
  typeId: 'formal-planned',
})

describe('rebookingView', () => {
  test('CA-03: the deadline is 5 working days on, counted past half term', () => {
    const view = rebookingView(cornerstone, calendar, beforeHalfTerm, '2027-02-12')
    assert.equal(view.deadline, '2027-02-26')
    assert.equal(view.state, 'open')
    assert.equal(view.workingDaysLeft, 5)
    assert.equal(view.message, 'Rebook for a date on or before 26 February 2027: 5 working days left')
    assert.equal(view.warn, false)
  })

  test('CA-03: a warning before the deadline passes', () => {
    const view = rebookingView(cornerstone, calendar, beforeHalfTerm, '2027-02-24')
    assert.equal(view.state, 'due-soon')
    assert.equal(view.warn, true)
    assert.equal(view.workingDaysLeft, 2)
    const last = rebookingView(cornerstone, calendar, beforeHalfTerm, '2027-02-26')
    assert.equal(last.message, 'Rebook today: the deadline is 26 February 2027')
  })

  test('CA-03: a breach when the deadline passes, as the compliance engine reports it', () => {
    const view = rebookingView(cornerstone, calendar, beforeHalfTerm, '2027-03-01')
    assert.equal(view.state, 'missed')
    assert.equal(view.warn, true)
    assert.match(view.message, /^Not rebooked by the deadline of 26 February 2027/)
    const person = aPerson({ id: 'p', name: 'Pat', flags: { pastoralResponsibilities: true } })
    const [assessed] = assessCompliance({
      policy: cornerstone,
      calendar,
      people: [person],
      sessions: [],
      cancellations: [beforeHalfTerm],
      today: '2027-03-01',
    })
    assert.deepEqual(
      assessed?.breaches
        .filter((b) => b.kind === 'rebooking-deadline-missed')
        .map((b) => b.kind === 'rebooking-deadline-missed' && b.deadline),
      ['2027-02-26'],
    )
  })

  test('CA-03: rebooked in time is met; rebooked too late is a breach', () => {
    assert.equal(
      rebookingView(cornerstone, calendar, { ...beforeHalfTerm, rebookedFor: '2027-02-26' }, '2027-03-10').state,
      'met',
    )
    const late = rebookingView(cornerstone, calendar, { ...beforeHalfTerm, rebookedFor: '2027-03-01' }, '2027-02-13')
    assert.equal(late.state, 'missed')
    assert.equal(
      late.message,
      'Rebooked for 1 March 2027, after the deadline of 26 February 2027: the policy was not met',
    )
  })

  test('CA-03: missed through absence, the deadline counts from the return date', () => {
    const absent = { ...beforeHalfTerm, reasonId: 'staff-absence' }
    const waiting = rebookingView(cornerstone, calendar, absent, '2027-02-12', 'Pat')
    assert.equal(waiting.state, 'awaiting-return')
    assert.equal(
      waiting.message,
      'Rebook within 5 working days of Pat returning. Record the date they return to set the deadline',
    )
    const back = rebookingView(cornerstone, calendar, { ...absent, returnDate: '2027-03-01' }, '2027-03-01')
    assert.equal(back.deadline, '2027-03-08')
  })

  test('MW-06: a policy with no rebooking rule sets no deadline; types outside the rule neither', () => {
    const none = rebookingView(lodeHeath, calendar, { ...beforeHalfTerm, reasonId: 'other' }, '2027-02-12')
    assert.equal(none.state, 'no-deadline')
    const group = rebookingView(cornerstone, calendar, { ...beforeHalfTerm, typeId: 'group' }, '2027-02-12')
    assert.equal(group.state, 'no-deadline')
  })
})
