import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { hidden, suppressBreakdown, suppressCount, suppressPercent } from './suppression.ts'

test('issue 16: counts of 1 to 4 are hidden; 0 and 5 or more are shown', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 120].map(suppressCount), [0, hidden, hidden, hidden, hidden, 5, 6, 120])
})

test('issue 16: a percentage of fewer than 5 people, or of a hidden count, is hidden; of none, there is none', () => {
  assert.equal(suppressPercent(3, 4), hidden)
  assert.equal(suppressPercent(0, 4), hidden)
  assert.equal(suppressPercent(4, 6), hidden, '4 of 6 would give the hidden 4 away')
  assert.equal(suppressPercent(0, 6), 0)
  assert.equal(suppressPercent(5, 6), 83)
  assert.equal(suppressPercent(299, 300), 99, 'rounded down, as the overview does')
  assert.equal(suppressPercent(0, 0), null)
})

test('issue 16: a lone hidden part of a breakdown is protected by hiding the smallest other part', () => {
  // 3 could be worked out as 20 - 9 - 8: 8 is hidden as well.
  assert.deepEqual(suppressBreakdown(20, [9, 3, 8]), [9, hidden, hidden])
  // Zeros are passed over when another part can be hidden.
  assert.deepEqual(suppressBreakdown(15, [0, 2, 13]), [0, hidden, hidden])
  // Two parts hidden already: neither can be worked out.
  assert.deepEqual(suppressBreakdown(20, [16, 2, 2]), [16, hidden, hidden])
  // Parts that do not add up to the total (a person in two groups) cannot be subtracted.
  assert.deepEqual(suppressBreakdown(20, [18, 3, 6]), [18, hidden, 6])
  // A hidden total protects its parts.
  assert.deepEqual(suppressBreakdown(4, [3, 1]), [hidden, hidden])
})

test('issue 16: no breakdown ever lets a hidden part be worked out from the total and the parts shown', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 12 }), { minLength: 1, maxLength: 6 }), (parts) => {
      const total = parts.reduce((a, b) => a + b, 0)
      const shown = suppressBreakdown(total, parts)
      shown.forEach((s, i) => {
        if (parts[i]! > 0 && parts[i]! < 5) assert.equal(s, hidden, 'every small count is hidden')
      })
      const hiddenParts = shown.filter((s) => s === hidden).length
      if (total >= 5) assert.notEqual(hiddenParts, 1, 'never exactly one hidden part under a total that is shown')
    }),
  )
})
