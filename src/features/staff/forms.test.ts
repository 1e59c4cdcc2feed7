import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { datePartsOf, readDateInput, readPersonForm } from './forms.ts'
import { workingDaysText } from './presenters.ts'

const date = (day: string, month: string, year: string) => ({ 'd-day': day, 'd-month': month, 'd-year': year })

describe('GOV.UK date inputs', () => {
  test('all blank is no date, or "Enter ..." when required', () => {
    assert.deepEqual(readDateInput(date('', '', ''), 'd', 'Start date').value, null)
    assert.equal(readDateInput(date('', '', ''), 'd', 'Start date').error, null)
    assert.equal(readDateInput(date('', '', ''), 'd', 'End date', { required: true }).error, 'Enter the end date')
  })

  test('missing parts are named, in the Design System’s words', () => {
    assert.equal(readDateInput(date('1', '', ''), 'd', 'Start date').error, 'Start date must include a month and year')
    assert.equal(readDateInput(date('', '9', ''), 'd', 'Start date').error, 'Start date must include a day and year')
    assert.equal(readDateInput(date('1', '9', ''), 'd', 'Start date').error, 'Start date must include a year')
  })

  test('numbers only; a four-digit year; otherwise an ISO date for the schema to check', () => {
    assert.equal(readDateInput(date('x', '9', '2024'), 'd', 'Start date').error, 'Start date must be a real date')
    assert.equal(readDateInput(date('1', '9', '24'), 'd', 'Start date').error, 'Year must include 4 numbers')
    assert.equal(readDateInput(date(' 1 ', '09', '2024'), 'd', 'Start date').value, '2024-09-01')
    assert.deepEqual(datePartsOf('2024-09-01'), { day: '1', month: '9', year: '2024' })
    assert.deepEqual(datePartsOf(null), { day: '', month: '', year: '' })
  })
})

describe('the person form', () => {
  const base = {
    name: ' Zoë  Pennington ',
    email: 'Zoe.Pennington@Example.org',
    roles: ['class-teacher', 'class-teacher'],
    employmentType: 'permanent',
    partTime: 'yes',
    workingDays: ['3', '1'],
    flags: ['trainedDsl'],
  }

  test('a good form gives normalised fields', () => {
    const result = readPersonForm(base, { customRoleIds: [], today: '2026-11-23' })
    assert.ok(result.ok)
    assert.equal(result.fields.name, 'Zoë Pennington')
    assert.equal(result.fields.email, 'zoe.pennington@example.org')
    assert.deepEqual(result.fields.roles, ['class-teacher'])
    assert.deepEqual(result.fields.workingDays, [1, 3])
    assert.equal(result.fields.flags.trainedDsl, true)
    assert.equal(result.fields.flags.additionalSupport, false)
    assert.equal(result.externalOrganisation, null)
  })

  test('every problem is reported once, in the order of the form', () => {
    const result = readPersonForm(
      {
        ...base,
        name: '',
        employmentType: 'external',
        externalOrganisation: '',
        workingDays: ['9'],
        partTime: '',
        ...date('1', '', ''),
      },
      { customRoleIds: [], today: '2026-11-23' },
    )
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.deepEqual(
      result.errors.summary.map((s) => s.href),
      ['#name', '#externalOrganisation', '#partTime', '#workingDays'],
    )
  })

  test('a supervisor training date in the future is refused', () => {
    const result = readPersonForm(
      { ...base, 'supervisorTrainedOn-day': '1', 'supervisorTrainedOn-month': '1', 'supervisorTrainedOn-year': '2027' },
      { customRoleIds: [], today: '2026-11-23' },
    )
    assert.equal(result.ok, false)
    if (!result.ok) assert.match(result.errors.fields.supervisorTrainedOn!.text, /today or in the past/)
  })

  test('working days read as words', () => {
    assert.equal(workingDaysText([1, 2, 3, 4, 5]), 'Monday to Friday')
    assert.equal(workingDaysText([1, 3, 4]), 'Monday, Wednesday and Thursday')
    assert.equal(workingDaysText([6]), 'Saturday')
  })
})
