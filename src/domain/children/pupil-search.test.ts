import assert from 'node:assert/strict'
import { test } from 'node:test'
import { matchesOffered, pupilChoices, pupilMatches, wholeRegisterUpTo } from './pupil-search.ts'

const pupil = (n: number, name = `Pupil ${String(n).padStart(4, '0')}`) => ({
  id: `p${n}`,
  name,
  upn: `A${String(n).padStart(12, '0')}`,
  misId: null,
  yearGroup: 'Year 7',
})
const big = [...Array.from({ length: 1499 }, (_, i) => pupil(i)), pupil(1499, 'Zoë O’Brien')]

test('issue 15: a short register is offered whole, with no search', () => {
  const small = big.slice(0, wholeRegisterUpTo)
  const c = pupilChoices(small, { chosenId: null, term: '' })
  assert.equal(c.searchable, false)
  assert.equal(c.offered.length, wholeRegisterUpTo)
})

test('issue 15: a long register offers only the chosen child and what matches the search, a few at a time', () => {
  assert.deepEqual(pupilChoices(big, { chosenId: null, term: '' }).offered, [])
  const chosen = pupilChoices(big, { chosenId: 'p7', term: '' })
  assert.deepEqual(
    chosen.offered.map((p) => p.id),
    ['p7'],
  )
  const found = pupilChoices(big, { chosenId: 'p7', term: 'zoe obrien' })
  assert.deepEqual(
    found.offered.map((p) => p.id),
    ['p7'],
    'a word must match as typed: "obrien" is not "o’brien"',
  )
  const zoe = pupilChoices(big, { chosenId: 'p7', term: '  ZOE  ' })
  assert.deepEqual(
    zoe.offered.map((p) => p.name),
    ['Pupil 0007', 'Zoë O’Brien'],
  )
  const many = pupilChoices(big, { chosenId: null, term: 'pupil' })
  assert.equal(many.offered.length, matchesOffered)
  assert.equal(many.more, 1499 - matchesOffered)
  assert.equal(many.matched, 1499)
})

test('issue 15: a pupil is found by their UPN too', () => {
  assert.ok(pupilMatches(pupil(42), 'a000000000042'))
  assert.ok(!pupilMatches(pupil(42), ''))
})
