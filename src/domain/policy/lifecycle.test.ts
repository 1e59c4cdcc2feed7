import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { blankPolicy, loadPack } from '../../packs/index.ts'
import {
  adoptForSchool,
  carryReview,
  checkEffectiveDate,
  consultationProblem,
  lifecycleWarnings,
  ownerWords,
  reviewProblems,
  reviewReminderRecipients,
  templateReferenceProblems,
  withReview,
} from './lifecycle.ts'
import type { PolicyDocument } from './model.ts'
import { summarisePolicy } from './summary.ts'
import { policyReview } from './time.ts'
import { validatePolicy } from './validate.ts'

/** An invented policy, not one of the packs: a local partnership's model adopted by a school. */
function invented(): PolicyDocument {
  const policy = blankPolicy({ school: 'Riverside Primary School', effectiveFrom: '2026-09-01', id: 'riverside' })
  return {
    ...policy,
    metadata: {
      ...policy.metadata,
      owner: { kind: 'organisation', name: 'Northshire Safeguarding Children Partnership', role: null },
      provenance: "Based on the local safeguarding partnership's model, 2023",
      createdOn: '2026-07-01',
      consultation: { who: 'All staff, at the staff meeting', consultedOn: '2026-07-10' },
      reviewEvery: { amount: 2, unit: 'years' },
    },
  }
}

function aboutItems(policy: PolicyDocument): string[] {
  return summarisePolicy(policy).sections.find((s) => s.id === 'about')?.items ?? []
}

describe('issue 14: policy lifecycle metadata', () => {
  test('X-08: an owner may be an organisation, with where the policy comes from and the staff consultation', () => {
    const policy = invented()
    const checked = validatePolicy(policy)
    assert.ok(checked.ok, JSON.stringify(checked.ok ? null : checked.problems))
    const items = aboutItems(policy)
    assert.ok(items.includes('Owner: Northshire Safeguarding Children Partnership'), items.join('\n'))
    assert.ok(items.includes("Based on the local safeguarding partnership's model, 2023"))
    assert.ok(items.includes('Created on 1 July 2026'))
    assert.ok(items.includes('Staff consulted: All staff, at the staff meeting, on 10 July 2026'))
    assert.equal(
      ownerWords(policy.metadata, (r) => r),
      'Northshire Safeguarding Children Partnership',
    )
  })

  test('X-08: an organisation owner must be named', () => {
    const policy = invented()
    policy.metadata.owner = { kind: 'organisation', name: null, role: null }
    const checked = validatePolicy(policy)
    assert.equal(checked.ok, false)
    assert.ok(!checked.ok && checked.problems.some((p) => p.path === 'metadata.owner.name'))
  })

  test('LH-01: the review cycle is 1 or 2 years', () => {
    for (const [reviewEvery, ok] of [
      [{ amount: 1, unit: 'years' }, true],
      [{ amount: 2, unit: 'years' }, true],
      [{ amount: 3, unit: 'years' }, false],
      [{ amount: 6, unit: 'months' }, false],
    ] as const) {
      const policy = invented()
      policy.metadata.reviewEvery = reviewEvery
      const checked = validatePolicy(policy)
      assert.equal(checked.ok, ok, JSON.stringify(reviewEvery))
      if (!checked.ok) {
        assert.ok(
          checked.problems.some(
            (p) => p.path === 'metadata.reviewEvery' && p.message === 'The review cycle must be 1 year or 2 years',
          ),
        )
      }
    }
  })

  test('issue 14: a blank approval warns, and is never shown as approved', () => {
    const policy = invented()
    assert.deepEqual(
      lifecycleWarnings(policy, '2026-09-01').map((w) => w.kind),
      ['not-approved'],
    )
    const items = aboutItems(policy)
    assert.ok(items.includes('Approval: not recorded'))
    assert.ok(!items.some((i) => /^Approved/.test(i)), items.join('\n'))
    const approved = { ...policy, metadata: { ...policy.metadata, approvedBy: 'The governing body' } }
    assert.deepEqual(lifecycleWarnings(approved, '2026-09-01'), [])
    assert.ok(aboutItems(approved).includes('Approved by The governing body'))
  })

  test('issue 14: a staff consultation dated after the approval, or after the version takes effect, warns', () => {
    const policy = invented()
    const approved = {
      ...policy,
      metadata: { ...policy.metadata, approvedBy: 'The governors', approvedOn: '2026-07-20' },
    }
    assert.deepEqual(lifecycleWarnings(approved, '2026-09-01'), [], 'consulted on 10 July, approved on 20 July')
    const late = { ...approved, metadata: { ...approved.metadata, approvedOn: '2026-07-05' } }
    assert.deepEqual(lifecycleWarnings(late, '2026-09-01'), [
      {
        kind: 'consulted-late',
        message:
          'Staff were consulted on 10 July 2026, after the policy was approved on 5 July 2026. Staff are consulted before the policy is approved and takes effect: check the dates in the policy details',
      },
    ])
    const afterEffect = {
      ...approved,
      metadata: {
        ...approved.metadata,
        approvedOn: null,
        consultation: { who: 'All staff', consultedOn: '2026-09-02' },
      },
    }
    assert.deepEqual(
      lifecycleWarnings(afterEffect, '2026-09-03').map((w) => [w.kind, w.message.split('.')[0]]),
      [
        [
          'consulted-late',
          'Staff were consulted on 2 September 2026, after this version took effect on 1 September 2026',
        ],
      ],
    )
    const none = { ...policy, metadata: { ...policy.metadata, approvedOn: '2026-07-05', consultation: null } }
    assert.deepEqual(lifecycleWarnings(none, '2026-09-01'), [])
  })

  test('issue 14: a version may not be published to take effect before its staff consultation', () => {
    const { metadata } = invented()
    assert.equal(consultationProblem(metadata, '2026-07-10'), null)
    assert.equal(consultationProblem(metadata, '2026-09-01'), null)
    assert.deepEqual(consultationProblem(metadata, '2026-07-09'), {
      path: 'effectiveFrom',
      message: 'The date it takes effect must be on or after 10 July 2026, when staff were consulted',
    })
    assert.equal(consultationProblem({ ...metadata, consultation: null }, '2020-01-01'), null)
  })

  test('X-08: recording a review moves the next review one cycle on and clears the warning, as a new document', () => {
    const policy = {
      ...invented(),
      metadata: { ...invented().metadata, approvedBy: 'Governors', nextReviewDue: '2027-01-01' },
    }
    assert.equal(policyReview(policy, '2027-02-01').state, 'overdue')
    const reviewed = withReview(policy, { reviewedOn: '2027-02-01', reviewedBy: 'Jo Adams, DSL' })
    assert.equal(policy.metadata.lastReviewedOn, null, 'the reviewed version is a new document')
    assert.equal(reviewed.metadata.lastReviewedOn, '2027-02-01')
    assert.equal(reviewed.metadata.lastReviewedBy, 'Jo Adams, DSL')
    assert.equal(reviewed.metadata.nextReviewDue, '2029-02-01')
    assert.equal(policyReview(reviewed, '2027-02-01').state, 'current')
    assert.deepEqual(lifecycleWarnings(reviewed, '2027-02-01'), [])
    assert.ok(validatePolicy(reviewed).ok)
    assert.ok(aboutItems(reviewed).includes('Last reviewed on 1 February 2027 by Jo Adams, DSL'))
  })

  test('X-08: a draft started before a review keeps the review when published', () => {
    const policy = { ...invented(), metadata: { ...invented().metadata, nextReviewDue: '2027-01-01' } }
    const reviewed = withReview(policy, { reviewedOn: '2027-02-01', reviewedBy: 'Jo Adams' })
    const draft = { ...policy, requirements: [] }
    const published = carryReview(draft, reviewed)
    assert.equal(published.metadata.lastReviewedOn, '2027-02-01')
    assert.equal(published.metadata.nextReviewDue, '2029-02-01')
    assert.deepEqual(published.requirements, [], 'the draft’s own changes stay')
    const later = withReview(draft, { reviewedOn: '2027-03-01', reviewedBy: 'Sam' })
    assert.equal(carryReview(later, reviewed), later)
  })

  test('X-08: a review needs a date not in the future, not before the last review, and who reviewed it', () => {
    const policy = withReview(invented(), { reviewedOn: '2027-02-01', reviewedBy: 'Jo' })
    assert.deepEqual(
      reviewProblems(policy, { reviewedOn: '2027-03-02', reviewedBy: ' ' }, '2027-03-01').map((p) => p.path),
      ['reviewedOn', 'reviewedBy'],
    )
    assert.deepEqual(
      reviewProblems(policy, { reviewedOn: '2027-01-31', reviewedBy: 'Jo' }, '2027-03-01').map((p) => p.message),
      ['Date reviewed must be on or after the last review, 1 February 2027'],
    )
    assert.deepEqual(reviewProblems(policy, { reviewedOn: '2027-03-01', reviewedBy: 'Jo' }, '2027-03-01'), [])
  })
})

describe('issue 14: a school that starts from a pack gets its own identity', () => {
  test('X-08, LH-01: none of the seed school names or dates; the first review one cycle after set-up', () => {
    for (const id of ['meanwood', 'lode-heath', 'cornerstone', 'the-place', 'ashbury-meadow'] as const) {
      const pack = loadPack(id)
      const own = adoptForSchool(
        pack,
        {
          school: 'Riverside Primary School',
          trust: null,
          ownerName: 'Jo Adams',
          approvedBy: null,
          approvedOn: null,
          nextReviewDue: null,
          createdOn: '2026-12-03',
        },
        pack.metadata.school,
      )
      const { metadata } = own
      assert.equal(metadata.school, 'Riverside Primary School')
      assert.equal(metadata.owner.name, 'Jo Adams')
      assert.equal(metadata.approvedBy, null, id)
      assert.equal(metadata.approvedOn, null, id)
      assert.equal(metadata.governorCommittee, null, id)
      assert.equal(metadata.lastReviewedOn, null, id)
      assert.equal(metadata.nextReviewDue, '2027-12-03', id)
      assert.equal(metadata.createdOn, '2026-12-03')
      assert.equal(metadata.provenance, `Based on the supervision policy of ${pack.metadata.school}`)
      assert.notEqual(policyReview(own, '2026-12-03').state, 'overdue', id)
      assert.ok(validatePolicy(own).ok, id)
      const text = JSON.stringify(metadata)
      for (const seed of ['Jamie Chapman', 'Hayfield', 'BSII', 'Ofsted (pre-opening)', 'Arden']) {
        assert.ok(!text.includes(seed), `${id}: ${seed}`)
      }
    }
  })

  test('X-08: the dates given at set-up are kept', () => {
    const own = adoptForSchool(
      loadPack('meanwood'),
      {
        school: 'Riverside Primary School',
        trust: 'Northshire Learning Trust',
        ownerName: null,
        approvedBy: 'The governing body',
        approvedOn: '2026-11-20',
        nextReviewDue: '2027-11-20',
        createdOn: '2026-12-03',
      },
      'Meanwood CE Primary School',
    )
    assert.equal(own.metadata.approvedBy, 'The governing body')
    assert.equal(own.metadata.approvedOn, '2026-11-20')
    assert.equal(own.metadata.nextReviewDue, '2027-11-20')
    assert.equal(own.metadata.trust, 'Northshire Learning Trust')
    assert.equal(own.metadata.owner.role, 'dsl')
  })
})

describe('X-01: effective dates never rewrite compliance already judged', () => {
  const existing = [{ version: 1, effectiveFrom: '2026-09-01', automatic: false }]

  test('X-01: today or later is fine; before the latest saved version is refused', () => {
    assert.deepEqual(checkEffectiveDate({ effectiveFrom: '2026-12-03', today: '2026-12-03', existing, reason: null }), {
      ok: true,
      backdated: false,
    })
    const early = checkEffectiveDate({ effectiveFrom: '2026-08-31', today: '2026-12-03', existing, reason: 'x' })
    assert.equal(early.ok, false)
    assert.equal(!early.ok && early.problem.path, 'effectiveFrom')
  })

  test('X-01: backdating before today, the last judged date, shows the change and needs a reason', () => {
    const refused = checkEffectiveDate({ effectiveFrom: '2026-11-01', today: '2026-12-03', existing, reason: ' ' })
    assert.equal(refused.ok, false)
    assert.ok(!refused.ok && refused.needsReason)
    assert.equal(
      !refused.ok && refused.problem.message,
      'It takes effect before today: supervision from 1 November 2026 to 2 December 2026 would be judged again by this version, not by the version that was in force. Enter the reason for backdating it, or choose today or a later date',
    )
    assert.deepEqual(
      checkEffectiveDate({ effectiveFrom: '2026-11-01', today: '2026-12-03', existing, reason: 'Approved late' }),
      { ok: true, backdated: true },
    )
  })

  test('X-01: the automatic first version does not block importing older versions', () => {
    const automatic = [{ version: 1, effectiveFrom: '2026-09-01', automatic: true }]
    assert.deepEqual(
      checkEffectiveDate({ effectiveFrom: '2024-09-01', today: '2026-12-03', existing: automatic, reason: 'Import' }),
      { ok: true, backdated: true },
    )
    // Once imported, the next older one must follow it.
    const imported = [...automatic, { version: 2, effectiveFrom: '2024-09-01', automatic: false }]
    const older = checkEffectiveDate({
      effectiveFrom: '2023-09-01',
      today: '2026-12-03',
      existing: imported,
      reason: 'x',
    })
    assert.equal(older.ok, false)
  })
})

describe('issue 14: templates named in a policy', () => {
  test('issue 14: a template the school lacks, or of the wrong kind, is refused at its JSON path', () => {
    const policy = loadPack('cornerstone')
    const kinds: Record<string, 'record' | 'agenda' | 'preparation' | 'contract'> = {
      'ca-contract': 'contract',
      'ca-supervision-record': 'record',
    }
    assert.deepEqual(
      templateReferenceProblems(policy, (id) => kinds[id] ?? null),
      [
        {
          path: 'templates.preparation',
          message:
            "The school has no template 'ca-case-proforma': add it on the templates page, or name one of the school's templates (check the spelling)",
        },
      ],
    )
    kinds['ca-case-proforma'] = 'record'
    assert.deepEqual(
      templateReferenceProblems(policy, (id) => kinds[id] ?? null).map((p) => p.message),
      ["Template 'ca-case-proforma' is a record template, not a preparation template"],
    )
    kinds['ca-case-proforma'] = 'preparation'
    assert.deepEqual(
      templateReferenceProblems(policy, (id) => kinds[id] ?? null),
      [],
    )
  })
})

describe('X-08: who is reminded of the review', () => {
  const staff = [
    { id: 'p1', name: 'Jo Adams', roles: ['dsl'] },
    { id: 'p2', name: 'Sam Head', roles: ['headteacher'] },
    { id: 'p3', name: 'Kim Deputy', roles: ['deputy-dsl'] },
  ]
  const metadata = invented().metadata

  test('X-08: the owner by name, else by role; an organisation owner through the school’s DSL', () => {
    const byName = { ...metadata, owner: { kind: 'person' as const, name: 'sam head', role: 'dsl' } }
    assert.deepEqual(
      reviewReminderRecipients(byName, staff).map((p) => p.id),
      ['p2'],
    )
    const byRole = { ...metadata, owner: { kind: 'person' as const, name: null, role: 'headteacher' } }
    assert.deepEqual(
      reviewReminderRecipients(byRole, staff).map((p) => p.id),
      ['p2'],
    )
    assert.deepEqual(
      reviewReminderRecipients(metadata, staff).map((p) => p.id),
      ['p1'],
    )
  })
})
