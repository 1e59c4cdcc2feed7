import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readJsonText } from './json-text.ts'

const where = (text: string) => {
  const read = readJsonText(text)
  assert.equal(read.ok, false, text)
  return read.ok ? null : { line: read.line, column: read.column, message: read.message }
}

test('JSON text is read as it is, with or without a byte order mark', () => {
  assert.deepEqual(readJsonText('\uFEFF{"a": [1, "x", true, null]}'), { ok: true, value: { a: [1, 'x', true, null] } })
})

test('a file that is not JSON is refused at the line and column of its first mistake, in plain words', () => {
  assert.deepEqual(where('not json at all'), {
    line: 1,
    column: 1,
    message: "expected a value (text in double quotes, a number, true, false, null, { or [), found 'n'",
  })
  assert.deepEqual(where('{\n  "a": 1,\n}'), {
    line: 3,
    column: 1,
    message: "found '}' after a comma: remove the comma before it",
  })
  assert.deepEqual(where('{\n  "a": 1\n  "b": 2\n}'), {
    line: 3,
    column: 3,
    message: "expected ',' or '}' after a field's value, found '\"'",
  })
  assert.deepEqual(where('{"a": 1'), {
    line: 1,
    column: 8,
    message: "expected ',' or '}' after a field's value, found the end of the file",
  })
  assert.deepEqual(where("{'a': 1}"), {
    line: 1,
    column: 2,
    message: "expected a field name in double quotes, found '''",
  })
  assert.deepEqual(where('{"a": "x\n"}'), {
    line: 1,
    column: 9,
    message: 'a line break inside text: write it as \\n, or close the text with "',
  })
  assert.deepEqual(where('   '), {
    line: 1,
    column: 4,
    message: 'the file is empty: expected a policy, written { ... }',
  })
  assert.deepEqual(where('{}\n{}'), { line: 2, column: 1, message: 'expected the end of the file after the policy' })
  assert.deepEqual(where('[1, 2,]'), {
    line: 1,
    column: 7,
    message: "found ']' after a comma: remove the comma before it",
  })
})
