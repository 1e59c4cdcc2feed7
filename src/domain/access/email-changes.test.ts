import assert from 'node:assert/strict'
import { test } from 'node:test'
import { confirmationLinkLive, emailChangeNeedsConfirmation } from './email-changes.ts'

const base = { actorId: 'admin', personId: 'ben', hasAccount: true, takesPartInSupervision: false }

test('issue 12: someone else changing an account holder’s email waits for confirmation', () => {
  assert.equal(emailChangeNeedsConfirmation(base), true)
  assert.equal(emailChangeNeedsConfirmation({ ...base, actorId: null }), true, 'the command line too')
})

test('issue 12: someone who takes part in supervision but has no account yet waits too', () => {
  assert.equal(emailChangeNeedsConfirmation({ ...base, hasAccount: false, takesPartInSupervision: true }), true)
})

test('issue 12: someone with nothing to protect is corrected at once, and so is one’s own address', () => {
  assert.equal(emailChangeNeedsConfirmation({ ...base, hasAccount: false }), false)
  assert.equal(emailChangeNeedsConfirmation({ ...base, actorId: 'ben' }), false)
})

test('issue 12: the confirmation link works for seven days from the request', () => {
  const at = new Date('2026-11-02T09:00:00Z')
  assert.equal(confirmationLinkLive(at, new Date('2026-11-09T08:59:59Z')), true)
  assert.equal(confirmationLinkLive(at, new Date('2026-11-09T09:00:00Z')), false)
})
