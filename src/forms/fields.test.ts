import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkboxes, longText, readVersion, text, withDates, yes } from './fields.ts'

test('a text field takes its first value, trimmed, and is blank when missing', () => {
  assert.equal(text.parse([' a ', 'b']), 'a')
  assert.equal(text.parse(undefined), '')
  assert.equal(text.parse(7), '')
  assert.equal(longText.parse('  kept  '), '  kept  ')
})

test('checkboxes are a list without blanks', () => {
  assert.deepEqual(checkboxes.parse('x'), ['x'])
  assert.deepEqual(checkboxes.parse(['x', '', 'y']), ['x', 'y'])
  assert.deepEqual(checkboxes.parse(undefined), [])
})

test('a version is a whole number or null', () => {
  assert.equal(readVersion({ version: '12' }), 12)
  assert.equal(readVersion({ version: '1e3' }), null)
  assert.equal(readVersion({}), null)
  assert.equal(yes.parse('yes'), true)
  assert.equal(yes.parse('no'), false)
})

test('withDates gathers a date input under its name', () => {
  assert.deepEqual(withDates('on')({ 'on-day': '1', 'on-month': '2', 'on-year': '2027', x: 'y' }), {
    'on-day': '1',
    'on-month': '2',
    'on-year': '2027',
    x: 'y',
    on: { day: '1', month: '2', year: '2027' },
  })
})
