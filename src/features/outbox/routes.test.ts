import assert from 'node:assert/strict'
import { test } from 'node:test'
import { paginationItems, paragraphsOf } from './routes.ts'

const href = (n: number) => `/admin/outbox?page=${n}`

test('pagination shows the first and last pages and those either side of the current one', () => {
  const numbers = (page: number, count: number) =>
    paginationItems(page, count, href).map((i) =>
      'ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number),
    )
  assert.deepEqual(numbers(1, 1), ['[1]'])
  assert.deepEqual(numbers(1, 3), ['[1]', '2', '3'])
  assert.deepEqual(numbers(5, 10), ['1', '…', '4', '[5]', '6', '…', '10'])
  assert.deepEqual(numbers(10, 10), ['1', '…', '9', '[10]'])
  assert.deepEqual(numbers(3, 10), ['1', '2', '[3]', '4', '…', '10'])
})

test('an email body becomes paragraphs of lines, whatever its line endings', () => {
  assert.deepEqual(paragraphsOf('Dear Ben,\r\n\r\nLine one\r\nLine two\n\n\n\nEnd\n'), [
    ['Dear Ben,'],
    ['Line one', 'Line two'],
    ['End'],
  ])
  assert.deepEqual(paragraphsOf(''), [])
})
