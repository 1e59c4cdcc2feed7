import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import type { PolicyDocument } from './model.ts'
import { policyReview } from './time.ts'
import { checkVersionHistory, policyBookOf, policyInForce, sortVersions } from './versions.ts'

const base = loadPack('meanwood')
const v1: PolicyDocument = { ...base, version: 1, effectiveFrom: '2022-11-01' }
const v2: PolicyDocument = { ...base, version: 2, effectiveFrom: '2023-11-01' }
const v3: PolicyDocument = { ...base, version: 3, effectiveFrom: '2025-09-01' }

describe('X-01: versions of a policy', () => {
  test('X-01: the version in force on a date is the latest that had taken effect', () => {
    const versions = [v3, v1, v2]
    assert.equal(policyInForce(versions, '2022-10-31'), null)
    assert.equal(policyInForce(versions, '2022-11-01')?.version, 1)
    assert.equal(policyInForce(versions, '2023-10-31')?.version, 1)
    assert.equal(policyInForce(versions, '2023-11-01')?.version, 2)
    assert.equal(policyInForce(versions, '2030-01-01')?.version, 3)
  })

  test('X-01: two versions taking effect on the same day: the higher number wins', () => {
    const fix: PolicyDocument = { ...v2, version: 4 }
    assert.equal(policyInForce([fix, v2], '2024-01-01')?.version, 4)
    assert.deepEqual(
      sortVersions([fix, v3, v2, v1]).map((v) => v.version),
      [1, 2, 4, 3],
    )
  })

  test('X-01: a version history with a reused number, another policy or a date going backwards is reported', () => {
    assert.deepEqual(checkVersionHistory([v1, v2, v3]), [])
    const problems = checkVersionHistory([
      v1,
      { ...v2, version: 1 },
      { ...v3, id: 'lode-heath' },
      { ...v3, version: 5, effectiveFrom: '2020-01-01' },
    ])
    assert.deepEqual(
      problems.map((p) => p.path),
      ['versions[1].version', 'versions[2].id', 'versions[3].effectiveFrom'],
    )
    // Dates in messages are written as everywhere else in Haven (issue 13).
    assert.equal(problems[2]?.message, 'Version 5 must take effect on or after version 3 (1 September 2025)')
  })
})

describe('X-01: one policy on a date (issue 14)', () => {
  // An invented policy: one session type, renamed in version 2 and dropped in version 3; a new
  // type appears in version 3.
  const type = { ...(base.sessionTypes[0] as PolicyDocument['sessionTypes'][number]), id: 'talk', name: 'Talk' }
  const w1: PolicyDocument = { ...base, version: 1, effectiveFrom: '2026-09-01', sessionTypes: [type] }
  const w2: PolicyDocument = {
    ...w1,
    version: 2,
    effectiveFrom: '2027-01-04',
    sessionTypes: [{ ...type, name: 'Check-in' }],
  }
  const w3: PolicyDocument = {
    ...w1,
    version: 3,
    effectiveFrom: '2027-04-19',
    sessionTypes: [{ ...type, id: 'huddle', name: 'Huddle' }],
  }
  const book = policyBookOf([w3, w1, w2])

  test('X-01: the version in force on the date; before the first version, the first; null only with no policy', () => {
    assert.equal(book.on('2026-08-31')?.version, 1)
    assert.equal(book.on('2026-09-01')?.version, 1)
    assert.equal(book.on('2027-01-03')?.version, 1)
    assert.equal(book.on('2027-01-04')?.version, 2)
    assert.equal(book.on('2030-01-01')?.version, 3)
    assert.deepEqual(
      book.versions.map((v) => v.version),
      [1, 2, 3],
    )
    assert.equal(book.latest?.version, 3)
    assert.equal(book.version(2), w2)
    assert.equal(book.version(9), null)
    const none = policyBookOf([])
    assert.equal(none.on('2027-01-01'), null)
    assert.equal(none.latest, null)
    assert.equal(none.typeName('talk', '2027-01-01'), 'Supervision')
  })

  test('X-01: a session type is named as the version on the session date names it', () => {
    assert.equal(book.typeName('talk', '2026-08-01'), 'Talk')
    assert.equal(book.typeName('talk', '2026-12-01'), 'Talk')
    assert.equal(book.typeName('talk', '2027-01-04'), 'Check-in')
    // Dropped in version 3: its newest name.
    assert.equal(book.typeName('talk', '2027-05-01'), 'Check-in')
    // Added in version 3: its name there, even for a date before.
    assert.equal(book.typeName('huddle', '2026-10-01'), 'Huddle')
    assert.equal(book.typeName('unknown', '2027-05-01'), 'Supervision')
    assert.equal(book.sessionType('unknown', '2027-05-01'), null)
  })
})

describe('X-08: policy review', () => {
  test('X-08: the school is reminded a month before the review date, then told it is overdue', () => {
    const lodeHeath = loadPack('lode-heath')
    assert.equal(policyReview(lodeHeath, '2026-04-30').state, 'current')
    const soon = policyReview(lodeHeath, '2026-05-01')
    assert.equal(soon.state, 'review-soon')
    assert.equal(soon.message, 'The policy is due for review by 1 June 2026')
    assert.equal(policyReview(lodeHeath, '2026-06-02').state, 'overdue')
  })

  test('X-08: with no next review date, it is worked out from the last review and the review frequency', () => {
    const thePlace = loadPack('the-place')
    assert.equal(policyReview(thePlace, '2026-01-01').state, 'no-review-date')
    const reviewed: PolicyDocument = { ...thePlace, metadata: { ...thePlace.metadata, lastReviewedOn: '2025-09-01' } }
    assert.equal(policyReview(reviewed, '2026-01-01').nextReviewDue, '2026-09-01')
  })
})
