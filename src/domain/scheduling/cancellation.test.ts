import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import type { PolicyDocument } from '../policy/model.ts'
import { checkCancellation, noReasonGiven, reasonName, reasonRequired, seesEveryCancellation } from './cancellation.ts'

const meanwood = loadPack('meanwood')
const cornerstone = loadPack('cornerstone')

/** An invented policy: a reason is optional, and the headteacher and the school business manager see every cancellation. */
const relaxed: PolicyDocument = {
  ...cornerstone,
  cancellation: { ...cornerstone.cancellation, reasonRequired: false, visibleTo: ['headteacher', 'business-manager'] },
}

const request = { kind: 'cancelled' as const, reasonNote: '', returnDate: null, sessionDate: '2027-02-12' }

describe('cancellation', () => {
  test('MW-06: with a reason required, a cancellation without one is refused, naming the field', () => {
    assert.equal(reasonRequired(meanwood), true)
    assert.deepEqual(checkCancellation(meanwood, { ...request, reasonId: noReasonGiven }), [
      { field: 'reasonId', message: 'Select a reason for cancelling the session' },
    ])
  })

  test('MW-06: a policy that does not require a reason accepts none, but still refuses one it does not list', () => {
    assert.equal(reasonRequired(relaxed), false)
    assert.deepEqual(checkCancellation(relaxed, { ...request, reasonId: noReasonGiven }), [])
    assert.equal(checkCancellation(relaxed, { ...request, reasonId: 'felt-like-it' }).length, 1)
    assert.deepEqual(checkCancellation(relaxed, { ...request, reasonId: 'unavoidable-circumstances' }), [])
    assert.equal(reasonName([relaxed], noReasonGiven), 'No reason given')
  })

  test('MW-06: with no policy in force, a reason is still asked for', () => {
    assert.equal(reasonRequired(null), true)
  })

  test('MW-06: the roles the policy names see every cancellation, as do those who manage sessions', () => {
    assert.deepEqual(cornerstone.cancellation.visibleTo, ['dsl'])
    assert.equal(seesEveryCancellation(cornerstone, { roles: ['dsl'] }, false), true)
    assert.equal(seesEveryCancellation(cornerstone, { roles: ['headteacher'] }, false), false)
    assert.equal(seesEveryCancellation(relaxed, { roles: ['headteacher'] }, false), true)
    assert.equal(seesEveryCancellation(relaxed, { roles: ['business-manager', 'class-teacher'] }, false), true)
    assert.equal(seesEveryCancellation(relaxed, { roles: ['class-teacher'] }, false), false)
    assert.equal(seesEveryCancellation(relaxed, { roles: ['class-teacher'] }, true), true)
    assert.equal(seesEveryCancellation(null, { roles: ['dsl'] }, false), false)
  })
})
