import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadPack } from '../../packs/index.ts'
import { composeAcademyPolicy } from './adoption.ts'
import { validatePolicy } from './index.ts'
import { overridesKeptOnJoining } from './joining.ts'
import type { Frequency, PolicyDocument, Requirement } from './model.ts'

const weeks = (every: number): Frequency => ({ every, unit: 'weeks', termTimeOnly: true, wording: null })

describe('a school joining a trust keeps its own rules where the trust lets it (issue 14, ADR 50)', () => {
  const trust = loadPack('lode-heath')
  const first = trust.requirements[0]!
  const withFrequency = (doc: PolicyDocument, id: string, frequency: Frequency): PolicyDocument => ({
    ...doc,
    requirements: doc.requirements.map((r) => (r.id === id ? { ...r, frequency } : r)),
  })

  test('X-01: the same policy keeps nothing and changes nothing', () => {
    const kept = overridesKeptOnJoining(trust, trust)
    assert.deepEqual(kept.kept, [])
    assert.deepEqual(kept.notKept, [])
    assert.deepEqual(kept.overrides.frequencies, [])
  })

  test('a stricter frequency is kept as the academy’s own; a looser one is not', () => {
    const strict = overridesKeptOnJoining(withFrequency(trust, first.id, weeks(1)), trust)
    assert.deepEqual(strict.overrides.frequencies, [{ requirementId: first.id, frequency: weeks(1) }])
    assert.deepEqual(strict.kept, [first.description])
    const loose = overridesKeptOnJoining(withFrequency(trust, first.id, weeks(52)), trust)
    assert.deepEqual(loose.overrides.frequencies, [])
    assert.deepEqual(loose.notKept, [first.description])
  })

  test('a requirement the trust lacks is kept as an extra one when its session types exist; the composed policy is valid', () => {
    const extra: Requirement = { ...first, id: 'own-extra', description: 'Our own extra supervision' }
    const strange: Requirement = {
      ...first,
      id: 'own-strange',
      description: 'Supervision of a kind the trust lacks',
      sessionTypes: ['no-such-type'],
    }
    const own = { ...trust, requirements: [...trust.requirements, extra, strange] }
    const kept = overridesKeptOnJoining(own, trust)
    assert.deepEqual(kept.kept, ['Our own extra supervision'])
    assert.deepEqual(kept.notKept, ['Supervision of a kind the trust lacks'])
    const composed = composeAcademyPolicy(
      trust,
      { version: 1, effectiveFrom: '2026-09-01', overrides: kept.overrides },
      { name: 'Oakfield', trustName: 'The trust' },
    )
    const { sources: _sources, ...document } = composed
    assert.ok(validatePolicy(document).ok)
    assert.ok(composed.requirements.some((r) => r.id === 'own-extra'))
  })
})
