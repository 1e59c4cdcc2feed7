/**
 * "Never supervised" for a person means no counting session of any kind (issue 14): with two kinds
 * of supervision, someone who has had safeguarding supervision but never management supervision
 * is overdue, not never supervised, although that one requirement has never been met. Found with
 * the Riverbank Academy fixture (test/integration/invented-policies.test.ts).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { riversidePolicy } from '../policy/kinds-builders.ts'
import { assessCompliance } from './assess.ts'
import { aPerson, aSession, englandCalendar } from './builders.ts'

const policy = { ...riversidePolicy(), effectiveFrom: '2025-09-01' }

function assessed(sessions: ReturnType<typeof aSession>[], person = aPerson({ id: 'tom' })) {
  const [result] = assessCompliance({
    policy,
    calendar: englandCalendar,
    people: [person],
    sessions,
    today: '2026-01-20',
  })
  assert.ok(result)
  return result
}

test('LH-05: supervised in one kind and never in another: overdue, not never supervised', () => {
  const tom = assessed([aSession('safeguarding', '2025-11-03', ['tom'])])
  assert.equal(tom.requirements.find((r) => r.requirementId === 'rf-management')?.status, 'never-supervised')
  assert.equal(tom.lastSession, '2025-11-03')
  assert.equal(tom.status, 'overdue')
})

test('LH-05: never supervised in any kind: never supervised', () => {
  const tom = assessed([])
  assert.equal(tom.lastSession, null)
  assert.equal(tom.status, 'never-supervised')
})
