import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadPack, packIds } from '../../packs/index.ts'
import { changesByPart, diffPolicies } from './diff.ts'
import type { PolicyDocument } from './model.ts'

const texts = (before: PolicyDocument, after: PolicyDocument) => diffPolicies(before, after).map((c) => c.text)

/** An invented policy, not one of the packs: one requirement, two session types. */
function invented(): PolicyDocument {
  const doc = structuredClone(loadPack('meanwood'))
  doc.metadata.title = 'Riverside supervision policy'
  doc.sessionTypes = [
    { ...doc.sessionTypes[0]!, id: 'one-to-one', name: 'One-to-one supervision' },
    { ...doc.sessionTypes[3]!, id: 'group', name: 'Group supervision' },
  ]
  doc.requirements = [
    {
      ...doc.requirements[0]!,
      id: 'one-to-one',
      description: 'One-to-one supervision',
      sessionTypes: ['one-to-one'],
      frequency: { every: 6, unit: 'weeks', termTimeOnly: false, wording: null },
      maximumGap: null,
      stricterFor: [],
    },
  ]
  return doc
}

test('X-01: the same policy has no changes', () => {
  for (const id of packIds) assert.deepEqual(diffPolicies(loadPack(id), loadPack(id)), [], id)
})

test('X-01: a field that changes reads as its label, the item it belongs to, and before → after', () => {
  const before = invented()
  const after = structuredClone(before)
  after.requirements[0]!.frequency = { every: 4, unit: 'weeks', termTimeOnly: false, wording: null }
  after.requirements[0]!.maximumGap = { amount: 3, unit: 'months' }
  after.metadata.title = 'Riverside staff supervision policy'
  before.metadata.nextReviewDue = '2026-11-01'
  after.metadata.nextReviewDue = '2027-09-01'
  assert.deepEqual(diffPolicies(before, after), [
    {
      part: 'Details and review dates',
      text: 'Title of the policy: Riverside supervision policy → Riverside staff supervision policy',
    },
    { part: 'Details and review dates', text: 'Next review due: 1 November 2026 → 1 September 2027' },
    { part: 'Requirements', text: 'Frequency of one-to-one supervision: every 6 weeks → every 4 weeks' },
    { part: 'Requirements', text: 'Maximum gap of one-to-one supervision: none → 3 months' },
  ])
})

test('X-01: items added and removed are named; lists of roles say what was added and taken away', () => {
  const before = loadPack('meanwood')
  const after = structuredClone(before)
  after.sessionTypes.push({ ...after.sessionTypes[0]!, id: 'peer', name: 'Peer supervision' })
  after.cancellation.reasons = after.cancellation.reasons.filter((r) => r.id !== 'safeguarding-emergency')
  after.cancellation.visibleTo = ['dsl', 'headteacher']
  after.requirements[0]!.stricterFor.push({
    id: 'new-staff',
    description: 'Staff in their first year',
    who: { everyone: false, roles: [], flags: ['early-career'], trainedSupervisors: false, conditions: [] },
    frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
    maximumGap: null,
  })
  const found = texts(before, after)
  assert.ok(found.includes('Added session type: Peer supervision'), found.join('\n'))
  assert.ok(found.includes('Removed cancellation reason: A safeguarding emergency'), found.join('\n'))
  assert.ok(
    found.includes(
      'Added stricter rule: Staff in their first year (formal one-to-one supervision with the line manager)',
    ),
    found.join('\n'),
  )
  const visible = found.find((t) => t.startsWith('Who sees every cancellation'))
  assert.match(visible ?? '', /added Headteacher/i)
})

test('X-01: a part the policy gains or loses, booleans as yes and no, codes in words, and who a rule covers', () => {
  const before = loadPack('meanwood')
  const after = structuredClone(before)
  after.contract = null
  after.recording.headteacherFeedback = 'full'
  after.practice.workloadMonitored = !before.practice.workloadMonitored
  after.scope.rules[0]!.who = { everyone: true, roles: [], flags: [], trainedSupervisors: false, conditions: [] }
  const found = texts(before, after)
  assert.ok(found.includes('Removed: supervision contract'), found.join('\n'))
  assert.ok(
    found.some((t) => /^What the headteacher is told: .* → everything$/.test(t)),
    found.join('\n'),
  )
  assert.ok(
    found.includes(
      `Workload monitored: ${before.practice.workloadMonitored ? 'yes' : 'no'} → ${after.practice.workloadMonitored ? 'yes' : 'no'}`,
    ),
  )
  assert.ok(
    found.some((t) => t.startsWith('Who it applies to of ') && t.endsWith('→ all staff')),
    found.join('\n'),
  )
  const back = texts(after, before)
  assert.ok(back.includes('Added: supervision contract'))
})

test('a field the diff has no label for is still reported, named from its key', () => {
  const before = invented()
  const after = structuredClone(before) as unknown as Record<string, Record<string, unknown>>
  after.practice!.supervisionAudit = true
  const found = diffPolicies(before, after as unknown as PolicyDocument)
  assert.deepEqual(found, [{ part: 'Practice, support and commitments', text: 'Supervision audit: none → yes' }])
})

test('changes are grouped by part in the order of the editor', () => {
  const grouped = changesByPart([
    { part: 'Requirements', text: 'a' },
    { part: 'Records', text: 'b' },
    { part: 'Requirements', text: 'c' },
  ])
  assert.deepEqual(grouped, [
    { part: 'Requirements', changes: ['a', 'c'] },
    { part: 'Records', changes: ['b'] },
  ])
})
