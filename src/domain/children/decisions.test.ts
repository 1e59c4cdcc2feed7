import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  copyEntryText,
  initialStatus,
  isOverdue,
  markEntered,
  maxAttempts,
  maySignOff,
  nextAttemptAt,
  type QueuedDecision,
  referenceFromResponse,
  signDelivery,
  signOff,
  verifyDelivery,
} from './decisions.ts'

const dslSignsOff = { childRecord: { signOffRole: 'dsl' } }
const nobody = { childRecord: { signOffRole: null } }

test('AM-04: decisions wait for sign-off only where the policy names who signs them off', () => {
  assert.equal(initialStatus(dslSignsOff), 'awaiting-sign-off')
  assert.equal(initialStatus(nobody), 'ready')
  assert.equal(maySignOff(['dsl'], dslSignsOff), true)
  assert.equal(maySignOff(['class-teacher'], dslSignsOff), false)
  assert.equal(maySignOff(['headteacher'], { childRecord: { signOffRole: 'headteacher' } }), true)
})

test('AM-04: approve, return with a comment, or amend; entered only once signed off', () => {
  assert.deepEqual(signOff('awaiting-sign-off', 'return', false), { ok: true, status: 'returned' })
  assert.deepEqual(signOff('returned', 'approve', true), { ok: true, status: 'ready' })
  assert.deepEqual(signOff('awaiting-sign-off', 'amend', true), { ok: true, status: 'ready' })
  assert.equal(signOff('awaiting-sign-off', 'approve', false).ok, false)
  assert.equal(signOff('ready', 'approve', true).ok, false)
  assert.equal(markEntered('awaiting-sign-off').ok, false)
  assert.equal(markEntered('returned').ok, false)
  assert.deepEqual(markEntered('ready'), { ok: true, status: 'entered' })
  assert.equal(markEntered('entered').ok, false)
})

const decision: QueuedDecision = {
  id: 'd1',
  status: 'ready',
  child: { about: 'child', name: 'Aisha Begum', upn: 'A123456789012', misId: null, yearGroup: 'Year 4' },
  decidedOn: '2026-12-03',
  category: '',
  decision: 'Referral to early help today',
  actions: 'DSL to call the family',
  agreedBy: 'Uma Plan and Cal Forward',
  sessionKind: 'Unplanned supervision',
  signedOffByName: null,
  enteredByName: null,
  enteredAt: null,
  enteredIn: null,
  enteredReference: null,
}

test('X-07, CA-10: the copy-ready entry has the fields a CPOMS or MyConcern incident takes', () => {
  assert.equal(
    copyEntryText(decision),
    [
      'Child: Aisha Begum (Year 4), UPN A123456789012',
      'Date: 3 December 2026',
      'Category: Safeguarding supervision decision',
      'Decision: Referral to early help today',
      'Actions: DSL to call the family',
      'Who agreed: Uma Plan and Cal Forward',
      'Source: Unplanned supervision, recorded in Haven',
    ].join('\n'),
  )
})

test('X-07: a delivery is signed with HMAC-SHA256 over the time and the body', () => {
  const at = new Date('2026-12-03T10:00:00Z')
  const header = signDelivery('s3cret', '{"a":1}', at)
  assert.match(header, /^t=1796292000,v1=[0-9a-f]{64}$/)
  assert.equal(verifyDelivery('s3cret', '{"a":1}', header), true)
  assert.equal(verifyDelivery('s3cret', '{"a":2}', header), false)
  assert.equal(verifyDelivery('other', '{"a":1}', header), false)
  assert.equal(verifyDelivery('s3cret', '{"a":1}', 't=1,v1=zz'), false)
})

test('X-07: failed deliveries are tried again later and later, then given up', () => {
  const now = new Date('2026-12-03T10:00:00Z')
  assert.equal(nextAttemptAt(1, now)!.toISOString(), '2026-12-03T10:01:00.000Z')
  assert.equal(nextAttemptAt(2, now)!.toISOString(), '2026-12-03T10:05:00.000Z')
  assert.equal(nextAttemptAt(maxAttempts, now), null)
  assert.equal(referenceFromResponse('{"reference":"CP-991"}'), 'CP-991')
  assert.equal(referenceFromResponse('ok'), null)
})

test('X-07: a decision is overdue after the days the policy allows, never without the setting', () => {
  assert.equal(isOverdue('2026-12-01', '2026-12-04', 2), true)
  assert.equal(isOverdue('2026-12-01', '2026-12-03', 2), false)
  assert.equal(isOverdue('2026-12-01', '2027-12-03', null), false)
})
