/** Issue 14: who completes the record is chosen per relationship (or per session), not always the supervisor. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  canCompleteRecord,
  canOpenRecord,
  canWriteRecord,
  type RecordParties,
  type RecordViewer,
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

  test('the session’s own choice wins; a relationship’s applies to its one-to-one sessions only', () => {
    const one = { supervisorIds: ['sup'], superviseeIds: ['see'], recorderId: null }
    assert.equal(recorderOf(one, null), null)
    assert.equal(recorderOf(one, { kind: 'supervisor' }), null)
    assert.equal(recorderOf(one, { kind: 'supervisee' }), 'see')
    assert.equal(recorderOf(one, { kind: 'person', personId: 'clerk' }), 'clerk')
    assert.equal(recorderOf({ ...one, recorderId: 'sup' }, { kind: 'supervisee' }), 'sup')
    const group = { supervisorIds: ['sup'], superviseeIds: ['see', 'see-2'], recorderId: null }
    assert.equal(recorderOf(group, { kind: 'supervisee' }), null)
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
