import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readBookingForm, readCancelForm, readUnplannedForm } from './forms.ts'

test('a booking form reads every field it can and reports the others, in the form’s order', () => {
  const form = readBookingForm({
    typeId: 'formal',
    supervisorId: ' a ',
    superviseeIds: ['b', 'c'],
    'date-day': '31',
    'date-month': '2',
    'date-year': '2027',
    startTime: '2:30pm',
    durationMinutes: 'an hour',
    confirmed: 'yes',
  })
  assert.deepEqual(
    form.problems.map((p) => [p.field, p.message]),
    [
      ['date', 'Date of the session must be a real date'],
      ['durationMinutes', 'Length of the session must be a whole number of minutes, like 60'],
    ],
  )
  assert.equal(form.request.startTime, '14:30')
  assert.deepEqual(form.request.supervisorIds, ['a'])
  assert.deepEqual(form.request.superviseeIds, ['b', 'c'])
  assert.equal(form.request.date, null)
  assert.equal(form.values.durationMinutes, 'an hour')
  assert.deepEqual(form.values.date, { day: '31', month: '2', year: '2027' })
  assert.equal(form.confirmed, true)
})

test('postponing asks for the new start time in its own words; cancelling keeps the note as typed', () => {
  const postpone = readCancelForm({ reasonNote: ' note ', startTime: '', version: '3' }, true)
  assert.deepEqual(
    postpone.problems.map((p) => p.message),
    ['Enter the new date', 'Enter the new start time'],
  )
  assert.equal(postpone.version, 3)
  const cancel = readCancelForm({ reasonNote: ' note ', version: 'x' }, false)
  assert.deepEqual(cancel.problems, [])
  assert.equal(cancel.reasonNote, ' note ')
  assert.equal(cancel.values.reasonNote, 'note')
  assert.equal(cancel.version, null)
})

test('unplanned supervision: items one a line, list marks dropped; the type is required', () => {
  const form = readUnplannedForm({
    'date-day': '1',
    'date-month': '9',
    'date-year': '2026',
    issues: '- first\r\n\r\n2. second',
  })
  assert.deepEqual(form.issues, ['first', 'second'])
  assert.deepEqual(
    form.problems.map((p) => [p.field, p.message]),
    [['typeId', 'Select the type of supervision']],
  )
  assert.equal(form.request.date, '2026-09-01')
})
