import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import {
  type AcademyOverrides,
  type AdoptionVersion,
  academyTimeline,
  composeAcademyPolicy,
  noOverrides,
  ruleSource,
  type SourcedPolicy,
} from './adoption.ts'
import { atLeastAsOften, looserFrequencyProblems } from './adoption-frequency.ts'
import type { PolicyDocument } from './model.ts'
import { policyBookOf } from './versions.ts'

// An invented trust policy, built on a pack's rules: one-to-one safeguarding supervision once a term.
const pack = loadPack('lode-heath')
const t1: PolicyDocument = { ...pack, id: 'fenland-trust', version: 1, effectiveFrom: '2026-09-01' }
// The trust's amendment: every half term from January.
const t2: PolicyDocument = {
  ...t1,
  version: 2,
  effectiveFrom: '2027-01-04',
  requirements: t1.requirements.map((r) => ({
    ...r,
    frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null },
  })),
}
const academy = { name: 'Marsh Lane Academy', trustName: 'Fenland Learning Trust' }
const every4Weeks = { every: 4, unit: 'weeks', termTimeOnly: true, wording: 'every four weeks of term' } as const

const overrides: AcademyOverrides = {
  extraScopeRules: [
    {
      id: 'ml-eyfs',
      description: 'Staff working in the nursery',
      who: { everyone: false, roles: [], flags: ['works-in-eyfs'], trainedSupervisors: false, conditions: [] },
    },
  ],
  extraRequirements: [
    {
      ...(t1.requirements[0] as PolicyDocument['requirements'][number]),
      id: 'ml-eyfs-supervision',
      description: 'EYFS supervision',
      scopeRules: ['ml-eyfs'],
      stricterFor: [],
    },
  ],
  frequencies: [{ requirementId: 'lh-supervisor-supervision', frequency: every4Weeks }],
  templates: [{ replaces: 'lh-contract', with: 'ml-contract' }],
}
const a1: AdoptionVersion = { version: 1, effectiveFrom: '2026-09-01', overrides }

describe('issue 14: an academy adopts its trust policy', () => {
  test('X-01: the academy policy is the trust version with the academy overrides; each rule says where it comes from', () => {
    const policy = composeAcademyPolicy(t1, a1, academy)
    assert.equal(policy.metadata.school, 'Marsh Lane Academy')
    assert.equal(policy.metadata.trust, 'Fenland Learning Trust')
    assert.deepEqual(
      policy.requirements.map((r) => r.id),
      ['lh-safeguarding-supervision', 'lh-supervisor-supervision', 'ml-eyfs-supervision'],
    )
    assert.deepEqual(policy.requirements[1]?.frequency, every4Weeks)
    assert.equal(policy.templates.contract, 'ml-contract')
    assert.ok(policy.scope.rules.some((r) => r.id === 'ml-eyfs'))
    assert.equal(ruleSource(policy, 'requirement:ml-eyfs-supervision'), 'academy')
    assert.equal(ruleSource(policy, 'requirement:lh-supervisor-supervision:frequency'), 'academy')
    assert.equal(ruleSource(policy, 'requirement:lh-safeguarding-supervision'), 'trust')
    assert.equal(ruleSource(policy, 'template:lh-contract'), 'academy')
    // The trust's document is never changed.
    assert.equal(t1.templates.contract, 'lh-contract')
    assert.equal(t1.requirements.length, 2)
  })

  test('X-01: a trust amendment reaches the academy from its effective date, except a rule the academy overrode', () => {
    const versions = academyTimeline({ own: [], trust: [t1, t2], adoptions: [a1], academy })
    const book = policyBookOf(versions)
    const before = book.on('2027-01-03') as SourcedPolicy
    const after = book.on('2027-01-04') as SourcedPolicy
    assert.equal(before.sources?.trust.version, 1)
    assert.equal(after.sources?.trust.version, 2)
    const freq = (p: PolicyDocument, id: string) => p.requirements.find((r) => r.id === id)?.frequency?.unit
    assert.equal(freq(before, 'lh-safeguarding-supervision'), 'terms')
    assert.equal(freq(after, 'lh-safeguarding-supervision'), 'half-terms')
    // The academy's own frequency stands through the amendment.
    assert.equal(freq(after, 'lh-supervisor-supervision'), 'weeks')
    // An academy with no overrides takes the amendment everywhere.
    const plain = policyBookOf(
      academyTimeline({
        own: [],
        trust: [t1, t2],
        adoptions: [{ version: 1, effectiveFrom: '2026-09-01', overrides: noOverrides }],
        academy,
      }),
    )
    assert.equal(freq(plain.on('2027-01-04') as PolicyDocument, 'lh-supervisor-supervision'), 'half-terms')
  })

  test('X-01: past days keep the versions then in force when either side adds a version', () => {
    const a2: AdoptionVersion = { version: 2, effectiveFrom: '2027-03-01', overrides: noOverrides }
    const first = policyBookOf(academyTimeline({ own: [], trust: [t1], adoptions: [a1], academy }))
    const later = policyBookOf(academyTimeline({ own: [], trust: [t1, t2], adoptions: [a1, a2], academy }))
    for (const day of ['2026-09-01', '2026-12-31', '2027-01-03']) {
      assert.deepEqual(later.on(day), first.on(day), day)
    }
    // Version numbers are stable, so a contract made under one finds it again.
    const number = first.on('2026-10-01')?.version as number
    assert.deepEqual(later.version(number), first.version(number))
    assert.equal(later.on('2027-03-01')?.requirements.length, 2)
  })

  test('X-01: a school that joins a trust keeps its own versions before its adoption takes effect', () => {
    const own1: PolicyDocument = { ...loadPack('meanwood'), version: 1, effectiveFrom: '2024-09-01' }
    const own2: PolicyDocument = { ...own1, version: 2, effectiveFrom: '2027-06-01' }
    const late: AdoptionVersion = { ...a1, effectiveFrom: '2027-02-01' }
    const book = policyBookOf(academyTimeline({ own: [own1, own2], trust: [t1, t2], adoptions: [late], academy }))
    assert.equal(book.on('2027-01-31')?.id, 'meanwood')
    assert.equal(book.on('2024-09-01')?.version, 1)
    assert.equal(book.on('2027-02-01')?.id, 'fenland-trust')
    // Its own version dated after the adoption is not in the academy's book: the trust's rules govern.
    assert.equal(book.on('2027-07-01')?.id, 'fenland-trust')
    assert.equal((book.on('2027-02-01') as SourcedPolicy).effectiveFrom, '2027-02-01')
  })

  test('issue 14: with no adoption, or a trust with no policy, the school keeps its own versions', () => {
    const own: PolicyDocument = { ...loadPack('meanwood'), version: 1, effectiveFrom: '2024-09-01' }
    assert.deepEqual(academyTimeline({ own: [own], trust: [t1], adoptions: [], academy }), [own])
    assert.deepEqual(academyTimeline({ own: [own], trust: [], adoptions: [a1], academy }), [own])
    assert.equal(ruleSource(own, 'requirement:x'), null)
  })
})

describe('issue 14: an academy may only make a trust requirement more frequent', () => {
  // An invented trust: safeguarding leads every 6 weeks of term time, everyone else once a term.
  const weeks = (every: number, termTimeOnly = true) => ({ every, unit: 'weeks', termTimeOnly, wording: null }) as const
  const trust: PolicyDocument = {
    ...t1,
    requirements: [
      {
        ...(t1.requirements[0] as PolicyDocument['requirements'][number]),
        id: 'leads',
        description: 'Supervision for the safeguarding leads',
        frequency: weeks(6),
      },
      {
        ...(t1.requirements[0] as PolicyDocument['requirements'][number]),
        id: 'staff',
        description: 'Supervision for pastoral staff',
        frequency: { every: 1, unit: 'terms', termTimeOnly: false, wording: null },
      },
    ],
  }
  const changes = (...frequencies: AcademyOverrides['frequencies']): AcademyOverrides => ({
    ...noOverrides,
    frequencies,
  })

  test('a stricter or equal frequency is accepted', () => {
    const problems = looserFrequencyProblems(
      trust,
      changes(
        { requirementId: 'leads', frequency: weeks(4) },
        { requirementId: 'leads', frequency: weeks(6) },
        { requirementId: 'staff', frequency: { every: 1, unit: 'half-terms', termTimeOnly: false, wording: null } },
        {
          requirementId: 'staff',
          frequency: { every: 1, unit: 'academic-years', termTimeOnly: false, times: 3, wording: null },
        },
      ),
    )
    assert.deepEqual(problems, [])
  })

  test('a looser frequency is refused, naming the requirement and the trust frequency, on the change path', () => {
    const problems = looserFrequencyProblems(
      trust,
      changes(
        { requirementId: 'leads', frequency: weeks(4) },
        { requirementId: 'leads', frequency: weeks(8) },
        {
          requirementId: 'staff',
          frequency: { every: 1, unit: 'academic-years', termTimeOnly: false, times: 2, wording: null },
        },
      ),
    )
    assert.deepEqual(problems, [
      {
        path: 'frequencies[1].frequency',
        message:
          "The frequency for 'Supervision for the safeguarding leads' must be at least as often as the trust's: every 6 weeks of term time",
      },
      {
        path: 'frequencies[2].frequency',
        message:
          "The frequency for 'Supervision for pastoral staff' must be at least as often as the trust's: once a term",
      },
    ])
  })

  test('calendar weeks are stricter than the same weeks of term time, and not the other way round', () => {
    assert.equal(atLeastAsOften(weeks(6, false), weeks(6, true)), true)
    assert.equal(atLeastAsOften(weeks(6, true), weeks(6, false)), false)
    assert.equal(atLeastAsOften(weeks(12), { every: 1, unit: 'terms', termTimeOnly: false, wording: null }), true)
    assert.equal(atLeastAsOften({ every: 3, unit: 'months', termTimeOnly: false, wording: null }, weeks(6)), false)
  })

  test('a frequency for a requirement the trust does not have is not judged', () => {
    assert.deepEqual(looserFrequencyProblems(trust, changes({ requirementId: 'gone', frequency: weeks(52) })), [])
  })
})
