import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type BulkCandidate, planBulkIssue } from './bulk.ts'

const candidate = (over: Partial<BulkCandidate>): BulkCandidate => ({
  personId: 'p',
  name: 'P',
  required: true,
  reason: 'Required',
  supervisorId: 's',
  supervisorName: 'S',
  contractForYear: null,
  ...over,
})

test('MW-01, MW-02: everyone in scope gets a contract, except those who have one for the year or have no supervisor', () => {
  const plan = planBulkIssue([
    candidate({ personId: 'a' }),
    candidate({ personId: 'b', required: false }),
    candidate({ personId: 'c', contractForYear: 'issued' }),
    candidate({ personId: 'd', supervisorId: null, supervisorName: null }),
    candidate({ personId: 'e', contractForYear: 'signed' }),
  ])
  assert.deepEqual(
    plan.issue.map((c) => c.personId),
    ['a'],
  )
  assert.deepEqual(
    plan.skipped.map((s) => [s.candidate.personId, s.reason]),
    [
      ['c', 'has-contract'],
      ['d', 'no-supervisor'],
      ['e', 'has-contract'],
    ],
  )
})
