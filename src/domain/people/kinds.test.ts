import assert from 'node:assert/strict'
import { test } from 'node:test'
import { blankPolicy } from '../../packs/index.ts'
import { aPerson } from '../compliance/builders.ts'
import { decideScope } from '../policy/scope.ts'
import { accessEnded, defaultCapabilities, isFromOutside, isStaff, may, reportRecipients } from './kinds.ts'

test('issue 14: staff are staff and may do what staff always could; others are not staff', () => {
  const teacher = aPerson({ name: 'Tia' })
  assert.equal(isStaff(teacher), true)
  assert.equal(may(teacher, 'supervise'), true)
  assert.equal(may(teacher, 'receive-reports'), false)
  const governor = aPerson({ name: 'Gill', kind: 'governor', capabilities: defaultCapabilities.governor })
  assert.equal(isStaff(governor), false)
  assert.equal(may(governor, 'supervise'), false)
  assert.equal(may(governor, 'receive-reports'), true)
  assert.equal(isFromOutside(aPerson({ kind: 'external-supervisor' })), true)
  assert.equal(isFromOutside(governor), false)
})

test('issue 14: an external person’s access ends after its last day', () => {
  const team = aPerson({ kind: 'external-supervisor', accessEndsOn: '2026-12-31' })
  assert.equal(accessEnded(team, '2026-12-31'), false)
  assert.equal(accessEnded(team, '2027-01-01'), true)
  assert.equal(accessEnded(aPerson({}), '2099-01-01'), false)
})

test('X-04: someone who is not an employee is never in scope, whatever their roles', () => {
  const policy = blankPolicy({ school: 'Test School', effectiveFrom: '2025-09-01' })
  const volunteer = aPerson({ name: 'Vera', kind: 'volunteer', roles: ['eyfs-practitioner'] })
  const decision = decideScope(policy, volunteer, '2026-10-01')
  assert.equal(decision.required, false)
  assert.equal(decision.reason, 'Not required: a volunteer, not a member of staff')
})

test('AM-05: reports go to those who may receive them, while they have access and have not left', () => {
  const chair = aPerson({ name: 'Chair', kind: 'governor', capabilities: ['receive-reports'] })
  const ended = aPerson({
    name: 'Ended',
    kind: 'governor',
    capabilities: ['receive-reports'],
    accessEndsOn: '2026-08-31',
  })
  const head = aPerson({ name: 'Head' })
  assert.deepEqual(
    reportRecipients([chair, ended, head], '2026-10-01').map((p) => p.name),
    ['Chair'],
  )
})
