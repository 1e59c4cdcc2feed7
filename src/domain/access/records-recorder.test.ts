/** Issue 14: who completes the record is chosen per relationship (or per session), not always the supervisor. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  canCompleteRecord,
  canOpenRecord,
  canWriteRecord,
  type RecorderChoice,
  type RecordParties,
  type RecordViewer,
  recorderChoiceOn,
  recorderChosenAtBooking,
  recorderOf,
  recordRoleOf,
} from './records.ts'

const base: RecordParties = {
  organisationId: 'org',
  schoolId: 'school-a',
  supervisorIds: ['sup'],
  superviseeIds: ['see'],
}
const viewer = (personId: string, roles: string[] = [], organisationId = 'org'): RecordViewer => ({
  personId,
  roles,
  schoolId: 'school-a',
  organisationId,
})

describe('who completes the record (issue 14)', () => {
  test('X-05: by default the supervisor completes it, as before', () => {
    assert.equal(canCompleteRecord(viewer('sup'), base), true)
    assert.equal(canCompleteRecord(viewer('see'), base), false)
    assert.equal(canCompleteRecord(viewer('sup'), { ...base, recorderId: null }), true)
  })

  test('X-05: a manager completes the form even in her own session as supervisee', () => {
    const parties = { ...base, recorderId: 'see' }
    assert.equal(canCompleteRecord(viewer('see'), parties), true)
    assert.equal(canWriteRecord(viewer('see'), parties, 'supervisor'), true, 'writes it whatever the policy default')
    assert.equal(canCompleteRecord(viewer('sup'), parties), false, 'the supervisor no longer completes it')
    assert.equal(canWriteRecord(viewer('sup'), parties, 'supervisor'), true, 'but may still write in the draft')
    assert.equal(recordRoleOf(viewer('see'), parties), 'supervisee', 'and signs as supervisee')
  })

  test('X-06: a named person who completes the record may open it; nobody else gains access', () => {
    const parties = { ...base, recorderId: 'clerk' }
    assert.equal(recordRoleOf(viewer('clerk'), parties), 'recorder')
    assert.equal(canOpenRecord(viewer('clerk'), parties), true)
    assert.equal(canCompleteRecord(viewer('clerk'), parties), true)
    assert.equal(canWriteRecord(viewer('clerk'), parties, 'supervisor'), true)
    assert.equal(canOpenRecord(viewer('clerk'), base), false, 'not without being named')
    assert.equal(canOpenRecord(viewer('clerk', [], 'other-org'), parties), false, 'never across organisations')
    assert.equal(canOpenRecord(viewer('someone-else'), parties), false)
  })

  test('the session’s own choice wins over its relationship’s', () => {
    const one = { supervisorIds: ['sup'], superviseeIds: ['see'], recorderId: null }
    const rel = (choice: RecorderChoice) => [{ supervisorId: 'sup', superviseeId: 'see', choice }]
    assert.equal(recorderOf(one, []), null)
    assert.equal(recorderOf(one, rel({ kind: 'supervisor' })), null)
    assert.equal(recorderOf(one, rel({ kind: 'supervisee' })), 'see')
    assert.equal(recorderOf(one, rel({ kind: 'person', personId: 'clerk' })), 'clerk')
    assert.equal(recorderOf({ ...one, recorderId: 'sup' }, rel({ kind: 'supervisee' })), 'sup')
    // A relationship of other people (another supervisor of the same supervisee) does not count.
    assert.equal(
      recorderOf(one, [{ supervisorId: 'other', superviseeId: 'see', choice: { kind: 'supervisee' } }]),
      null,
    )
    // The supervisee's line manager says she completes it; the supervision relationship says nothing.
    assert.equal(
      recorderOf(one, [...rel({ kind: 'supervisor' }), ...rel({ kind: 'supervisee' })]),
      'see',
      'a relationship that names someone wins over one that leaves it to the supervisor',
    )
  })

  test('X-05: a group session is completed by its leader, or by the one person its members’ relationships name', () => {
    const group = { supervisorIds: ['lead'], superviseeIds: ['a', 'b', 'c'], recorderId: null }
    const rel = (superviseeId: string, choice: RecorderChoice) => ({ supervisorId: 'lead', superviseeId, choice })
    assert.equal(recorderOf(group, []), null, 'the group leader by default')
    assert.equal(recorderOf(group, [rel('a', { kind: 'supervisor' }), rel('b', { kind: 'supervisor' })]), null)
    // The manager completes the form even in the group session she is supervised in.
    assert.equal(recorderOf(group, [rel('a', { kind: 'supervisee' }), rel('b', { kind: 'supervisor' })]), 'a')
    // A clerk named for the members' relationships.
    const clerk = { kind: 'person', personId: 'clerk' } as const
    assert.equal(recorderOf(group, [rel('a', clerk), rel('b', clerk), rel('c', { kind: 'supervisor' })]), 'clerk')
    // Different people named: nobody can tell which, so the leader.
    assert.equal(recorderOf(group, [rel('a', clerk), rel('b', { kind: 'supervisee' })]), null)
    // The session's own choice still wins.
    assert.equal(recorderOf({ ...group, recorderId: 'lead' }, [rel('a', clerk)]), 'lead')
    // Naming one of the supervisors is the default.
    assert.equal(recorderOf(group, [rel('a', { kind: 'person', personId: 'lead' })]), null)
  })

  test('X-01: a relationship’s choice is the one in force on the session’s date, not the latest', () => {
    const history = [
      { effectiveFrom: '2026-09-01', choice: { kind: 'supervisee' } as RecorderChoice },
      { effectiveFrom: '2027-01-04', choice: { kind: 'person', personId: 'clerk' } as RecorderChoice },
    ]
    assert.deepEqual(recorderChoiceOn(history, '2026-08-31'), { kind: 'supervisor' }, 'before any choice')
    assert.deepEqual(recorderChoiceOn(history, '2026-09-01'), { kind: 'supervisee' })
    assert.deepEqual(recorderChoiceOn(history, '2027-01-03'), { kind: 'supervisee' })
    assert.deepEqual(recorderChoiceOn(history, '2027-01-04'), { kind: 'person', personId: 'clerk' })
    assert.deepEqual(recorderChoiceOn([...history].reverse(), '2027-06-01'), { kind: 'person', personId: 'clerk' })
    assert.deepEqual(recorderChoiceOn([], '2027-06-01'), { kind: 'supervisor' })
  })

  test('chosen at booking: the supervisor, or the one supervisee; otherwise as set for the relationship', () => {
    const one = { supervisorIds: ['sup', 'sup-2'], superviseeIds: ['see'] }
    assert.equal(recorderChosenAtBooking('supervisor', one), 'sup')
    assert.equal(recorderChosenAtBooking('supervisee', one), 'see')
    assert.equal(recorderChosenAtBooking('', one), null)
    assert.equal(recorderChosenAtBooking('nonsense', one), null)
    assert.equal(recorderChosenAtBooking('supervisee', { ...one, superviseeIds: ['a', 'b'] }), null)
  })
})
