import assert from 'node:assert/strict'
import { test } from 'node:test'
import { path, withQueryString } from './define.ts'

test('a path without parameters takes an optional query, leaving out empty values', () => {
  const list = path('/staff')
  assert.equal(list(), '/staff')
  assert.equal(list({ school: 'oak', q: '', page: 2, show: null }), '/staff?school=oak&page=2')
  assert.equal(list.pattern, '/staff')
})

test('a path fills and encodes its parameters', () => {
  const sign = path('/records/:recordId/sections/:sectionId')
  assert.equal(sign({ recordId: 'a b', sectionId: 7 }), '/records/a%20b/sections/7')
  assert.equal(sign({ recordId: 'r', sectionId: 's' }, 'school=oak'), '/records/r/sections/s?school=oak')
  assert.throws(() => sign({ recordId: '', sectionId: 's' }))
})

test('withQueryString adds to a query already there', () => {
  assert.equal(withQueryString('/a?x=1', { y: 'z' }), '/a?x=1&y=z')
  assert.equal(withQueryString('/a', {}), '/a')
})
