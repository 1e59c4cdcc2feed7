import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { type KeptRecordFacts, parseRetentionItemKey, retentionItemKey, retentionSubjectOf } from './kinds.ts'
import { dueForRemoval } from './rules.ts'

const policy = loadPack('cornerstone').retention
const today = '2033-09-01'
const left = [{ personId: 'p1', name: 'Priya Shah', leftOn: '2027-01-31' }]

const contract = (o: Partial<Extract<KeptRecordFacts, { kind: 'contracts' }>> = {}): KeptRecordFacts => ({
  kind: 'contracts',
  id: 'c1',
  status: 'signed',
  issuedOn: '2026-09-01',
  signedOn: '2026-09-03',
  people: left,
  ...o,
})

test('issue 15: a contract is judged once signed or superseded, from the day it was signed', () => {
  assert.equal(retentionSubjectOf(contract(), today)?.recordDate, '2026-09-03')
  assert.equal(retentionSubjectOf(contract({ status: 'superseded', signedOn: null }), today)?.recordDate, '2026-09-01')
  assert.equal(retentionSubjectOf(contract({ status: 'issued' }), today), null)
  assert.equal(retentionSubjectOf(contract({ status: 'draft', issuedOn: null, signedOn: null }), today), null)
})

test('issue 15: an assessment once closed; a referral once its follow-up has passed', () => {
  const open: KeptRecordFacts = {
    kind: 'stressRiskAssessments',
    id: 'a1',
    startedOn: '2026-10-01',
    closedOn: null,
    people: left,
  }
  assert.equal(retentionSubjectOf(open, today), null)
  assert.equal(retentionSubjectOf({ ...open, closedOn: '2026-12-01' }, today)?.recordDate, '2026-12-01')
  const referral: KeptRecordFacts = {
    kind: 'referrals',
    id: 'o1',
    referredOn: '2026-10-05',
    followUpOn: '2033-10-01',
    people: left,
  }
  assert.equal(retentionSubjectOf(referral, today), null)
  assert.equal(retentionSubjectOf({ ...referral, followUpOn: '2026-11-01' }, today)?.recordDate, '2026-10-05')
})

test('X-07, CA-10: a decision about a child is judged only once entered in the child’s record, as child-protection content', () => {
  const decision: KeptRecordFacts = {
    kind: 'decisionsAboutChildren',
    id: 'd1',
    status: 'ready',
    decidedOn: '2006-09-01',
    people: left,
  }
  assert.equal(retentionSubjectOf(decision, today), null, 'not yet in the child’s record: never due')
  const entered = retentionSubjectOf({ ...decision, status: 'entered' }, today)
  assert.equal(entered?.childProtection, true)
  assert.deepEqual(
    dueForRemoval([entered!], policy, [], today).map((d) => d.dueOn),
    ['2031-09-01'],
  )
  assert.deepEqual(dueForRemoval([entered!], policy, [{ personId: 'p1', recordId: null }], today), [])
})

test('issue 15: every kind is due by its own period under the same rules; a person still in post keeps theirs', () => {
  const subjects = [
    retentionSubjectOf(contract(), today)!,
    retentionSubjectOf(contract({ id: 'c2', people: [{ personId: 'p2', name: 'Sam', leftOn: null }] }), today)!,
  ]
  assert.deepEqual(
    dueForRemoval(subjects, policy, [], today).map((d) => d.subject.id),
    ['c1'],
  )
})

test('issue 15: the DSL’s checkbox carries the kind; a bare id is a supervision record', () => {
  assert.equal(retentionItemKey('supervisionRecords', 'x'), 'x')
  assert.deepEqual(parseRetentionItemKey(retentionItemKey('contracts', 'x')), { kind: 'contracts', id: 'x' })
  assert.deepEqual(parseRetentionItemKey('x'), { kind: 'supervisionRecords', id: 'x' })
  assert.equal(parseRetentionItemKey('people:x'), null)
})
