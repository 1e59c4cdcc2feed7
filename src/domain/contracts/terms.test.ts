import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { loadPack } from '../../packs/index.ts'
import type { Frequency } from '../policy/model.ts'
import {
  answerFor,
  approximateTermWeeks,
  checkAgreedFrequency,
  contractFrequencyOverride,
  contractRequirement,
  frequencyChoices,
  isAtLeastAsOften,
  termsStartOn,
} from './terms.ts'

const weeks = (every: number): Frequency => ({ every, unit: 'weeks', termTimeOnly: true, wording: null })

describe('MW-03: frequencies a contract may agree', () => {
  test('MW-03: Meanwood offers the policy’s frequency, every four weeks or once per half term, and nothing else', () => {
    const policy = loadPack('meanwood')
    const requirement = contractRequirement(policy, ['mw-one-to-one'])
    assert.equal(requirement?.id, 'mw-one-to-one')
    const { choices, custom } = frequencyChoices(requirement)
    assert.deepEqual(
      choices.map((c) => [c.value, c.label]),
      [
        ['policy', 'As the policy requires: once a term'],
        ['option-1', 'Every four weeks'],
        ['option-2', 'Once per half term'],
      ],
    )
    assert.equal(custom, false)
    const four = checkAgreedFrequency(requirement, { choice: 'option-1' })
    assert.deepEqual(four, { ok: true, frequency: requirement!.agreedFrequency.options[0] })
    assert.deepEqual(checkAgreedFrequency(requirement, { choice: 'policy' }), { ok: true, frequency: null })
    const other = checkAgreedFrequency(requirement, { choice: 'custom', every: '2', unit: 'weeks' })
    assert.deepEqual(other, { ok: false, field: 'frequency', message: 'Select how often supervision will take place' })
    assert.deepEqual(answerFor(requirement, requirement!.agreedFrequency.options[1]!), { choice: 'option-2' })
  })

  test('LH-03: where any frequency may be agreed, it must be at least as often as the policy requires', () => {
    const policy = loadPack('lode-heath')
    const requirement = contractRequirement(policy, null)
    assert.equal(frequencyChoices(requirement).custom, true)
    assert.deepEqual(checkAgreedFrequency(requirement, { choice: 'custom', every: '6', unit: 'weeks' }), {
      ok: true,
      frequency: weeks(6),
    })
    const looser = checkAgreedFrequency(requirement, { choice: 'custom', every: '2', unit: 'terms' })
    assert.equal(looser.ok, false)
    if (!looser.ok)
      assert.equal(looser.message, 'The agreed frequency must be at least as often as the policy requires: once a term')
    const blank = checkAgreedFrequency(requirement, { choice: 'custom', every: '', unit: 'weeks' })
    assert.equal(!blank.ok && blank.field, 'customEvery')
    const silly = checkAgreedFrequency(requirement, { choice: 'custom', every: '0', unit: 'weeks' })
    assert.equal(
      !silly.ok && silly.message,
      'The number of weeks, months, half terms or terms must be a whole number from 1 to 52',
    )
    const noUnit = checkAgreedFrequency(requirement, { choice: 'custom', every: '3', unit: 'fortnights' })
    assert.equal(!noUnit.ok && noUnit.field, 'customUnit')
    assert.deepEqual(answerFor(requirement, weeks(6)), { choice: 'custom', every: '6', unit: 'weeks' })
  })

  test('a requirement that allows no agreement offers only the policy’s frequency; the contract picks one that does', () => {
    const policy = loadPack('ashbury-meadow')
    // AM: group supervision allows no agreed frequency; the contract requirement does.
    assert.equal(contractRequirement(policy, ['am-group', 'am-contract'])?.id, 'am-contract')
    const group = policy.requirements.find((r) => r.id === 'am-group')!
    assert.deepEqual(frequencyChoices(group), {
      choices: [{ value: 'policy', frequency: null, label: 'As the policy requires: once every 6 weeks' }],
      custom: false,
    })
    assert.equal(contractRequirement(loadPack('cornerstone'), [])?.id, 'ca-half-termly')
  })

  test('isAtLeastAsOften: a shorter interval is stricter, whatever the units', () => {
    assert.equal(isAtLeastAsOften(weeks(4), { every: 1, unit: 'terms', termTimeOnly: false, wording: null }), true)
    assert.equal(
      isAtLeastAsOften({ every: 1, unit: 'half-terms', termTimeOnly: false, wording: null }, weeks(12)),
      true,
    )
    assert.equal(isAtLeastAsOften({ every: 1, unit: 'terms', termTimeOnly: false, wording: null }, weeks(12)), false)
    assert.equal(isAtLeastAsOften(weeks(12), null), true)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 52 }), fc.integer({ min: 1, max: 52 }), (a, b) => {
        assert.equal(isAtLeastAsOften(weeks(a), weeks(b)), a <= b)
        assert.ok(approximateTermWeeks(weeks(a)) > 0)
      }),
    )
  })
})

describe('MW-03: a signed contract’s agreed frequency for the compliance engine', () => {
  test('MW-03: the override names the person, the requirement and the frequency, from the contract’s start date', () => {
    const terms = {
      requirementId: 'mw-one-to-one',
      frequency: weeks(4),
      values: { startDate: '2026-09-01', agreedDate: '2026-09-03' },
    }
    assert.deepEqual(
      contractFrequencyOverride({ superviseeId: 'p1', terms, academicYear: '2026-27', signedOn: '2026-09-10' }),
      {
        kind: 'frequency',
        personId: 'p1',
        requirementId: 'mw-one-to-one',
        frequency: weeks(4),
        reason: 'Agreed in the supervision contract for 2026-27',
        from: '2026-09-01',
        source: 'contract',
      },
    )
    assert.equal(
      contractFrequencyOverride({
        superviseeId: 'p1',
        terms: { ...terms, frequency: null },
        academicYear: '2026-27',
        signedOn: '2026-09-10',
      }),
      null,
    )
    assert.equal(termsStartOn({ ...terms, values: { agreedDate: '2026-09-03' } }, '2026-09-10'), '2026-09-03')
    assert.equal(termsStartOn({ ...terms, values: { startDate: '' } }, '2026-09-10'), '2026-09-10')
  })
})
