import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  newProblems,
  problemsAddedElsewhere,
  removalBlockers,
  removalRefusal,
  shortTitle,
  uneditableProblems,
} from './editing.ts'

const p = (path: string, message = 'Enter a name') => ({ path, message })
/** Everything but `reviews` and `purpose` has a page in these tests. */
const isEditable = (path: string) => !/^(reviews|purpose)/.test(path)

describe('editing a draft policy', () => {
  test('new problems are those not there before, by path and message', () => {
    assert.deepEqual(newProblems([p('a'), p('b', 'one')], [p('a'), p('b', 'two'), p('c')]), [p('b', 'two'), p('c')])
    assert.deepEqual(newProblems([p('a')], []), [])
  })

  test('problems where the editor cannot reach', () => {
    assert.deepEqual(uneditableProblems([p('roles[0].name'), p('reviews.every')], isEditable), [p('reviews.every')])
  })

  test('a save is refused only for problems it adds where the editor cannot reach', () => {
    const before = [p('reviews.every'), p('roles[0].name')]
    assert.deepEqual(problemsAddedElsewhere(before, [...before, p('roles[1].name')], isEditable), [])
    assert.deepEqual(problemsAddedElsewhere(before, [...before, p('purpose')], isEditable), [p('purpose')])
    assert.deepEqual(problemsAddedElsewhere(before, [p('roles[0].name')], isEditable), [])
  })

  test('a removal is refused for problems it adds to its own list or out of reach', () => {
    const before = [p('roles[0].name')]
    const after = [p('roles[0].name'), p('roles', 'Add at least one role'), p('requirements[0].role'), p('purpose')]
    assert.deepEqual(removalBlockers(before, after, 'roles', isEditable), [
      p('roles', 'Add at least one role'),
      p('purpose'),
    ])
    assert.deepEqual(removalBlockers(before, before, 'roles', isEditable), [])
  })

  test('the refusal keeps the problem in one sentence', () => {
    assert.equal(removalRefusal(p('roles', 'Add at least one role')), 'You cannot remove it: add at least one role')
  })

  test('short titles', () => {
    assert.equal(shortTitle('abcdef', 6), 'abcdef')
    assert.equal(shortTitle('abcdefg', 6), 'abc…')
    assert.equal(shortTitle('x'.repeat(61), 60), `${'x'.repeat(57)}…`)
  })
})
