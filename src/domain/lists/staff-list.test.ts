import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseListQuery } from './list-query.ts'
import { peopleOfStanding, staffListSpec } from './staff-list.ts'

const inScope = [
  { id: 'a', status: 'compliant' as const },
  { id: 'b', status: 'due-soon' as const },
  { id: 'c', status: 'overdue' as const },
  { id: 'd', status: 'never-supervised' as const },
]

test('issue 16: the staff list filters by standing: in scope or not, up to date, due soon, overdue', () => {
  assert.deepEqual(peopleOfStanding(inScope, 'in-scope'), { ids: ['a', 'b', 'c', 'd'], keep: true })
  assert.deepEqual(peopleOfStanding(inScope, 'not-in-scope'), { ids: ['a', 'b', 'c', 'd'], keep: false })
  assert.deepEqual(peopleOfStanding(inScope, 'compliant'), { ids: ['a'], keep: true })
  assert.deepEqual(peopleOfStanding(inScope, 'due-soon'), { ids: ['b'], keep: true })
  // Never supervised is overdue too.
  assert.deepEqual(peopleOfStanding(inScope, 'overdue'), { ids: ['c', 'd'], keep: true })
  assert.deepEqual(peopleOfStanding([], 'overdue'), { ids: [], keep: true })
})

test('issue 16: the staff list sorts by name, job title or line manager; anything else is the default', () => {
  const q = parseListQuery({ sort: 'job-title', order: 'desc', status: 'overdue' }, staffListSpec)
  assert.equal(q.sort, 'job-title')
  assert.equal(q.direction, 'desc')
  assert.equal(q.status, 'overdue')
  const odd = parseListQuery({ sort: 'email', status: 'late' }, staffListSpec)
  assert.equal(odd.sort, 'name')
  assert.equal(odd.direction, 'asc')
  assert.equal(odd.status, null)
})
