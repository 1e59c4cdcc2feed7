import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isUpn, planPupilImport } from './pupil-csv.ts'

const csv = (text: string) => new TextEncoder().encode(text)

test('issue 15: a SIMS pupil list with its own headings is read, matched by UPN', () => {
  const result = planPupilImport(
    csv(
      'Legal Surname;Legal Forename;UPN;DOB;NC Year;Ethnicity\nBegum;Aisha;A123456789012;14/03/2016;Year 4;x\nJones;Tom;B123456789012;2015-01-02;Year 5;y\n',
    ),
    [
      {
        id: 'p1',
        upn: 'B123456789012',
        misId: null,
        name: 'Tom Jones',
        dateOfBirth: '2015-01-02',
        yearGroup: 'Year 4',
      },
    ],
  )
  assert.ok(result.ok)
  assert.deepEqual(result.plan.creates, [
    { upn: 'A123456789012', misId: null, name: 'Aisha Begum', dateOfBirth: '2016-03-14', yearGroup: 'Year 4' },
  ])
  assert.deepEqual(
    result.plan.updates.map((u) => [u.id, u.changed]),
    [['p1', ['yearGroup']]],
  )
  assert.deepEqual(result.plan.ignoredColumns, ['Ethnicity'])
})

test('issue 15: every problem is named by row and column, and nothing is planned', () => {
  const result = planPupilImport(
    csv('Adno,Name,Date of birth\n1,Amy,31/02/2016\n,Ben,01/01/2016\n1,Cal,01/01/2016\n'),
    [],
  )
  assert.ok(!result.ok)
  assert.deepEqual(
    result.errors.map((e) => [e.row, e.column, e.message]),
    [
      [2, 'Date of birth', 'Date of birth must be a real date, like 01/09/2024'],
      [3, 'Adno', 'Enter the pupil’s UPN or MIS id'],
      [4, 'Adno', 'The MIS id 1 is also on row 2'],
    ],
  )
})

test('issue 15: missing columns and a workbook are refused at once', () => {
  const noId = planPupilImport(csv('Name,DOB\nAmy,01/01/2016\n'), [])
  assert.ok(!noId.ok)
  assert.match(noId.errors[0]!.message, /"UPN" column or an "MIS id" column/)
  const xlsx = planPupilImport(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), [])
  assert.ok(!xlsx.ok)
  assert.match(xlsx.errors[0]!.message, /Excel workbook/)
})

test('issue 15: a UPN is a letter and 12 more characters', () => {
  assert.equal(isUpn('A123456789012'), true)
  assert.equal(isUpn('A12345678901A'), true)
  assert.equal(isUpn('1234567890123'), false)
  assert.equal(isUpn('A1234'), false)
})
