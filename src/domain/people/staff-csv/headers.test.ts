import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { staffCsvColumnFor, staffCsvColumns } from './index.ts'
import { csv, errorsOf, fixture, planned } from './test-support.ts'

describe('planStaffImport: headings', () => {
  test('every documented name and alias is recognised, ignoring case, spaces, underscores and punctuation', () => {
    for (const column of staffCsvColumns) {
      for (const heading of [column.name, ...column.aliases]) {
        assert.equal(staffCsvColumnFor(heading), column.key, heading)
        assert.equal(staffCsvColumnFor(heading.toUpperCase().replaceAll(' ', '_')), column.key, heading)
        assert.equal(staffCsvColumnFor(` ${heading.toLowerCase()}* `), column.key, heading)
      }
    }
  })

  test('the aliases the MIS exports use', () => {
    const cases: Record<string, string> = {
      Forename: 'firstName',
      'Legal forename': 'firstName',
      'Preferred forename': 'firstName',
      Surname: 'lastName',
      'Legal surname': 'lastName',
      'Work email': 'email',
      'Email address': 'email',
      'Staff email': 'email',
      'E-mail': 'email',
      Role: 'jobTitle',
      Post: 'jobTitle',
      'Job Title': 'jobTitle',
      'Line Manager': 'lineManagerEmail',
      'Manager email': 'lineManagerEmail',
      'Start Date': 'startDate',
      'Employment start': 'startDate',
      'Leaving date': 'endDate',
      'Contract type': 'employmentType',
      'ECT/NQT': 'earlyCareer',
      FTE: 'contractHours',
    }
    for (const [heading, key] of Object.entries(cases)) assert.equal(staffCsvColumnFor(heading), key, heading)
    assert.equal(staffCsvColumnFor('Title'), undefined, 'Title is Mr/Ms, not a job title')
  })

  test('missing required columns are named', () => {
    assert.deepEqual(errorsOf(fixture('missing-columns.csv')), [
      { row: 1, column: 'Last name', message: 'The file must have a "Last name" column, or a "Full name" column' },
      { row: 1, column: 'Email', message: 'The file must have an "Email" column' },
    ])
    assert.deepEqual(errorsOf(csv(['Job title,Work phone', 'Teacher,0100'])), [
      {
        row: 1,
        column: 'Full name',
        message: 'The file must have "First name" and "Last name" columns, or a "Full name" column',
      },
      { row: 1, column: 'Email', message: 'The file must have an "Email" column' },
    ])
  })

  test('with legal and preferred forenames, a blank preferred forename falls back to the legal one', () => {
    const result = planned(
      csv([
        'Legal Forename,Preferred Forename,Surname,Email',
        'Bartholomew,Bart,Okonkwo,b@example.org',
        'Idris,,Penn,i@example.org',
      ]),
    )
    assert.deepEqual(
      result.creates.map((p) => p.name),
      ['Bart Okonkwo', 'Idris Penn'],
    )
  })

  test('a full name is used before first and last names when both are given', () => {
    const result = planned(
      csv(['First name,Last name,Full name,Email', 'Bart,Okonkwo,Bartholomew Okonkwo-Hale,b@example.org']),
    )
    assert.equal(result.creates[0]?.name, 'Bartholomew Okonkwo-Hale')
  })
})

describe('staffCsvColumns (the documented table)', () => {
  test('only Email is required for every file; names have their own rule', () => {
    assert.deepEqual(
      staffCsvColumns.filter((c) => c.required).map((c) => c.name),
      ['Email'],
    )
    for (const key of ['firstName', 'lastName', 'fullName'])
      assert.ok(staffCsvColumns.find((c) => c.key === key)?.requiredNote)
  })

  test('every column has a description and an example, and the examples import', () => {
    for (const column of staffCsvColumns) {
      assert.ok(column.description.length > 10, column.name)
      assert.ok(column.example.length > 0, column.name)
    }
    const headings = staffCsvColumns.map((c) => c.name)
    const examples = staffCsvColumns.map((c) => (c.key === 'lineManagerEmail' ? '' : c.example))
    const quote = (cells: string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')
    const result = planned(csv([quote(headings), quote(examples)]))
    assert.equal(result.creates[0]?.name, "Siân O'Brien")
    assert.deepEqual(result.creates[0]?.roles, ['class-teacher', 'deputy-dsl'])
  })
})
