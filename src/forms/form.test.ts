import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { editConflictMessage, parseForm, problemErrors } from './form.ts'

const schema = z.object({
  name: z.string().trim().min(1, 'Enter your full name'),
  start: z.string().min(1, 'Enter the start date'),
})

test('parseForm gives the value of a valid form', () => {
  assert.deepEqual(parseForm(schema, { name: ' Ada ', start: 'x' }), { ok: true, value: { name: 'Ada', start: 'x' } })
})

test('parseForm gives the errors in the order of the form, with summary links', () => {
  const result = parseForm(schema, {}, { start: 'start-day' })
  assert.equal(result.ok, false)
  if (result.ok) return
  assert.deepEqual(
    result.errors.summary.map((s) => s.href),
    ['#name', '#start-day'],
  )
})

test('problemErrors keeps the first message per field', () => {
  const errors = problemErrors([
    { field: 'a', message: 'First' },
    { field: 'a', message: 'Second' },
  ])
  assert.deepEqual(errors.fields, { a: { text: 'First' } })
})

test('an edit that lost to someone else is told in the same words on every page', () => {
  assert.equal(
    editConflictMessage('this person', 'their details below'),
    'Someone else changed this person while you were editing. Your changes have not been saved. Check their details below, then make your changes again.',
  )
})
