import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { validatePolicy } from '../policy/validate.ts'
import { addYears, dueForRemoval, type RetentionSubject, retentionDueOn, retentionVerdict } from './rules.ts'

const pack = loadPack('cornerstone')
const policy = pack.retention
const today = '2033-09-01'

function record(overrides: Partial<RetentionSubject> = {}): RetentionSubject {
  return {
    kind: 'supervisionRecords',
    id: 'r1',
    recordDate: '2026-11-10',
    people: [{ personId: 'p1', leftOn: '2027-01-31' }],
    childProtection: false,
    ...overrides,
  }
}

test('issue 15: supervision records are due 6 years after the person leaves, not before', () => {
  assert.equal(retentionDueOn(record(), policy), '2033-01-31')
  assert.deepEqual(retentionVerdict(record(), policy, [], today), { status: 'due', dueOn: '2033-01-31' })
  assert.deepEqual(retentionVerdict(record(), policy, [], '2033-01-30'), { status: 'not-yet', dueOn: '2033-01-31' })
  assert.deepEqual(retentionVerdict(record(), policy, [], '2033-01-31').status, 'due')
})

test('issue 15: a person still in post keeps every record about them; a group record waits for the last to leave', () => {
  const inPost = record({ people: [{ personId: 'p1', leftOn: null }] })
  assert.deepEqual(retentionVerdict(inPost, policy, [], '2099-01-01'), { status: 'in-post', dueOn: null })
  const group = record({
    people: [
      { personId: 'p1', leftOn: '2027-01-31' },
      { personId: 'p2', leftOn: '2028-07-20' },
    ],
  })
  assert.equal(retentionDueOn(group, policy), '2034-07-20')
  assert.equal(retentionVerdict(group, policy, [], today).status, 'not-yet')
})

test('issue 15: child-protection content is kept 25 years from the record, whichever ends later', () => {
  const cp = record({ childProtection: true })
  assert.equal(retentionDueOn(cp, policy), '2051-11-10')
  assert.equal(retentionVerdict(cp, policy, [], today).status, 'not-yet')
  // A policy that keeps supervision records longer than its child-protection period: the longer wins.
  const longer = { ...policy, supervisionRecords: { years: 30, from: 'leaving' as const } }
  assert.equal(retentionDueOn(cp, longer), '2057-01-31')
})

test('issue 15: a legal hold on the record or on the person stops removal, whatever the dates', () => {
  assert.equal(retentionVerdict(record(), policy, [{ personId: null, recordId: 'r1' }], today).status, 'held')
  assert.equal(retentionVerdict(record(), policy, [{ personId: 'p1', recordId: null }], today).status, 'held')
  assert.equal(retentionVerdict(record(), policy, [{ personId: 'p9', recordId: 'r9' }], today).status, 'due')
  const subjects = [record(), record({ id: 'r2' }), record({ id: 'r3', people: [{ personId: 'p3', leftOn: null }] })]
  const due = dueForRemoval(subjects, policy, [{ personId: null, recordId: 'r2' }], today)
  assert.deepEqual(
    due.map((d) => d.subject.id),
    ['r1'],
  )
})

test('issue 15: periods counted from the record date; 29 February', () => {
  const decision = record({ kind: 'decisionsAboutChildren', people: [] })
  assert.equal(retentionDueOn(decision, policy), '2051-11-10')
  assert.equal(addYears('2028-02-29', 1), '2029-02-28')
})

test('issue 15: the retention periods are validated and reported by their place in the file', () => {
  const bad = structuredClone(pack) as unknown as Record<string, Record<string, unknown>>
  bad['retention'] = { ...bad['retention'], contracts: { years: 0, from: 'forever' } }
  const result = validatePolicy(bad)
  assert.equal(result.ok, false)
  const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)
  assert.ok(
    problems.some((p) => p.startsWith('retention.contracts.years') && p.includes('1 or more')),
    problems.join('\n'),
  )
  assert.ok(
    problems.some((p) => p.startsWith('retention.contracts.from') && p.includes("'leaving' or 'record'")),
    problems.join('\n'),
  )
  // Absent, the documented defaults apply.
  const without = structuredClone(pack) as unknown as Record<string, unknown>
  delete without['retention']
  const read = validatePolicy(without)
  assert.ok(read.ok)
  assert.deepEqual(read.policy.retention.supervisionRecords, { years: 6, from: 'leaving' })
  assert.deepEqual(read.policy.retention.childProtection, { years: 25, from: 'record' })
})
