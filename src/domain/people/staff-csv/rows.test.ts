import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { EmploymentType, Weekday } from '../person.ts'
import { roleCatalogue } from '../roles.ts'
import {
  makeRoleMatcher,
  parseCsvDate,
  parseEmploymentType,
  parseRoles,
  parseWorkingDays,
  parseWorkingPattern,
  parseYesNo,
} from './index.ts'
import { aPerson, csv, errorsOf, fixture, plan, planned } from './test-support.ts'

describe('planStaffImport: every error, with row and column', () => {
  test('missing values, bad email and a bad date are all reported, using the file’s own headings', () => {
    const errors = errorsOf(
      csv([
        'Forename,Surname,Work email,Start date',
        ',,w.mercer@example.org,01/09/2024',
        'Tobiah,Marsh,,01/09/2024',
        'Perpetua,Ambleside,perpetua.example.org,31/02/2024',
      ]),
    )
    assert.deepEqual(errors, [
      { row: 2, column: 'Forename', message: 'Enter a name' },
      { row: 3, column: 'Work email', message: 'Enter an email address' },
      { row: 4, column: 'Work email', message: 'Enter an email address in the correct format, like name@example.com' },
      { row: 4, column: 'Start date', message: 'Start date must be a real date, like 01/09/2024' },
    ])
  })

  test('duplicate emails (ignoring case) are reported on every row that has them', () => {
    assert.deepEqual(errorsOf(fixture('duplicates.csv')), [
      {
        row: 2,
        column: 'Email',
        message:
          'The email address i.castellane@example.org is also on row 4. Each person must have a different email address',
      },
      {
        row: 4,
        column: 'Email',
        message:
          'The email address i.castellane@example.org is also on row 2. Each person must have a different email address',
      },
    ])
  })

  test('X-03: an unknown role is named', () => {
    assert.deepEqual(errorsOf(fixture('unknown-role.csv')), [
      {
        row: 2,
        column: 'Roles',
        message: 'Role "Head of Maths" is not in Haven. Use roles from the list, or add the school’s own role first',
      },
    ])
  })

  test('X-03: roles separated by commas get a hint', () => {
    const [error] = errorsOf(csv(['Full name,Email,Roles', 'Ria Cole,ria@example.org,"DSL, SENCO"']))
    assert.match(error?.message ?? '', /Role "DSL, SENCO" is not in Haven.*Separate roles with a semicolon \(;\)$/)
  })

  test('X-03: the school’s own roles are matched by id or name', () => {
    const custom = [{ id: 'forest-school-lead', name: 'Forest school lead' }]
    const buffer = csv(['Full name,Email,Roles', 'Ria Cole,ria@example.org,FOREST SCHOOL LEAD; forest-school-lead|dsl'])
    assert.deepEqual(planned(buffer, [], custom).creates[0]?.roles, ['forest-school-lead', 'dsl'])
    assert.equal(plan(buffer).ok, false, 'not without the custom role')
  })

  test('an unknown line manager (not in the file, not in Haven) is named', () => {
    assert.deepEqual(
      errorsOf(csv(['Full name,Email,Line manager email', 'Ria Cole,ria@example.org,nobody@example.org'])),
      [
        {
          row: 2,
          column: 'Line manager email',
          message:
            'No one with the email address nobody@example.org is in this file or in Haven. Add the line manager to the file, or check the email address',
        },
      ],
    )
  })

  test('a person cannot be their own line manager', () => {
    assert.deepEqual(errorsOf(csv(['Full name,Email,Manager', 'Ria Cole,ria@example.org,RIA@example.org'])), [
      { row: 2, column: 'Manager', message: 'A person cannot be their own line manager' },
    ])
  })

  test('a line-management loop in the file is reported on each row in it', () => {
    const errors = errorsOf(fixture('loop.csv'))
    const message =
      'Line managers form a loop: o.manning@example.org reports to q.fenwick@example.org, who reports to r.ashdown@example.org, who reports to o.manning@example.org. Change the line manager of one of these people'
    assert.deepEqual(errors, [
      { row: 2, column: 'Line manager email', message },
      { row: 3, column: 'Line manager email', message },
      { row: 4, column: 'Line manager email', message },
    ])
  })

  test('a loop through someone already in Haven who is not in the file', () => {
    const head = aPerson({ id: 'p-head', email: 'head@example.org', lineManagerId: 'p-dsl' })
    const dsl = aPerson({ id: 'p-dsl', email: 'dsl@example.org' })
    const errors = errorsOf(csv(['Full name,Email,Line manager email', 'Dee Sell,dsl@example.org,head@example.org']), [
      head,
      dsl,
    ])
    assert.deepEqual(errors, [
      {
        row: 2,
        column: 'Line manager email',
        message:
          'Line managers form a loop: dsl@example.org reports to head@example.org, who reports to dsl@example.org. Change the line manager of one of these people',
      },
    ])
  })

  test('bad dates, end before start, unknown employment type, unknown weekday, bad yes/no', () => {
    const errors = errorsOf(
      csv([
        'Full name,Email,Start date,End date,Employment type,Working days,Trained DSL,Supervisor training date,Contract hours',
        'Ria Cole,ria@example.org,01/09/2024,31/08/2024,Seasonal,Mon;Funday,maybe,2024-13-01,lots',
        'Ivo Stent,ivo@example.org,09/25/2024,01/09/24,,Mon-Wed,,,',
      ]),
    )
    assert.deepEqual(errors, [
      {
        row: 2,
        column: 'Employment type',
        message:
          'Employment type "Seasonal" is not recognised. Use permanent, fixed-term, agency, temporary, volunteer or external',
      },
      {
        row: 2,
        column: 'Contract hours',
        message: 'Contract hours must be a number of hours, like 22.5, a full-time equivalent, like 0.6, or FT or PT',
      },
      {
        row: 2,
        column: 'Working days',
        message: 'Working days: "funday" is not a day of the week. Enter days like Mon;Tue;Wed or Mon-Wed',
      },
      { row: 2, column: 'End date', message: 'End date must be the same as or after the start date' },
      { row: 2, column: 'Trained DSL', message: 'Trained DSL must be yes or no' },
      {
        row: 2,
        column: 'Supervisor training date',
        message: 'Supervisor training date must be a real date, like 01/09/2024',
      },
      { row: 3, column: 'Start date', message: 'Start date must be a real date, like 01/09/2024' },
      { row: 3, column: 'End date', message: 'End date must be a real date, like 01/09/2024' },
    ])
  })

  test('errors are in a fixed order: by row, then column order, whatever order they were found in', () => {
    const buffer = fixture('duplicates.csv')
    assert.deepEqual(plan(buffer), plan(buffer))
  })
})

describe('cell parsers', () => {
  test('dates: day-first UK formats, ISO, month names and spreadsheet times', () => {
    const cases: Record<string, string | null> = {
      '01/09/2024': '2024-09-01',
      '1/9/2024': '2024-09-01',
      '01-09-2024': '2024-09-01',
      '01.09.2024': '2024-09-01',
      '2024-09-01': '2024-09-01',
      '2024/09/01': '2024-09-01',
      '1 Sep 2024': '2024-09-01',
      '1-Sept-2024': '2024-09-01',
      '1st September 2024': '2024-09-01',
      '01/09/2024 00:00': '2024-09-01',
      '2024-09-01T00:00:00Z': '2024-09-01',
      '29/02/2024': '2024-02-29',
      '': null,
      '  ': null,
    }
    for (const [raw, iso] of Object.entries(cases))
      assert.deepEqual(parseCsvDate(raw, 'Start date'), { ok: true, value: iso }, raw)
    for (const raw of ['29/02/2023', '09/25/2024', '01/09/24', 'next week', '2024-9', '1 Smarch 2024'])
      assert.deepEqual(
        parseCsvDate(raw, 'Start date'),
        { ok: false, message: 'Start date must be a real date, like 01/09/2024' },
        raw,
      )
  })

  test('yes/no: yes/no/Y/N/true/false/1/0/blank in any case', () => {
    for (const raw of ['yes', 'Y', 'TRUE', '1', ' Yes '])
      assert.deepEqual(parseYesNo(raw, 'EYFS'), { ok: true, value: true }, raw)
    for (const raw of ['no', 'N', 'False', '0', ''])
      assert.deepEqual(parseYesNo(raw, 'EYFS'), { ok: true, value: false }, raw)
    assert.deepEqual(parseYesNo('sometimes', 'EYFS'), { ok: false, message: 'EYFS must be yes or no' })
  })

  test('part time from words, hours and full-time equivalents', () => {
    const partTime = (raw: string, yesNo = false) => {
      const result = parseWorkingPattern(raw, { yesNo, label: 'Contract hours' })
      return result.ok ? result.value : 'error'
    }
    assert.equal(partTime('FT'), false)
    assert.equal(partTime('Full time'), false)
    assert.equal(partTime('full-time'), false)
    assert.equal(partTime('PT'), true)
    assert.equal(partTime('P/T'), true)
    assert.equal(partTime('Part time'), true)
    assert.equal(partTime('0.6'), true)
    assert.equal(partTime('0.6 FTE'), true)
    assert.equal(partTime('1'), false)
    assert.equal(partTime('1.0'), false)
    assert.equal(partTime('60%'), true)
    assert.equal(partTime('100%'), false)
    assert.equal(partTime('22.5'), true)
    assert.equal(partTime('22.5 hours'), true)
    assert.equal(partTime('32.5'), false)
    assert.equal(partTime('37 hrs'), false)
    assert.equal(partTime(''), null)
    assert.equal(partTime('0'), 'error')
    assert.equal(partTime('lots'), 'error')
    assert.equal(partTime('Yes', true), true)
    assert.equal(partTime('N', true), false)
    assert.equal(partTime('Yes'), 'error', 'yes/no only in the Part time column')
  })

  test('working days: lists, ranges, full names, weekdays, wrap-round', () => {
    const days = (raw: string) => {
      const result = parseWorkingDays(raw, 'Working days')
      return result.ok ? result.value : result.message
    }
    const cases: Record<string, Weekday[] | null> = {
      'Mon;Tue;Wed': [1, 2, 3],
      'Mon-Wed': [1, 2, 3],
      'Mon - Wed': [1, 2, 3],
      'Monday to Wednesday': [1, 2, 3],
      'Mon–Fri': [1, 2, 3, 4, 5],
      'Monday, Friday': [1, 5],
      'Tues|Thurs': [2, 4],
      'Wed Mon wed': [1, 3],
      Weekdays: [1, 2, 3, 4, 5],
      'Sat-Sun': [6, 7],
      'Fri-Mon': [1, 5, 6, 7],
      'Mon-Tue;Thu-Fri': [1, 2, 4, 5],
      '': null,
    }
    for (const [raw, expected] of Object.entries(cases)) assert.deepEqual(days(raw), expected, raw)
    assert.equal(
      days('Mon;Funday'),
      'Working days: "funday" is not a day of the week. Enter days like Mon;Tue;Wed or Mon-Wed',
    )
    assert.match(String(days('Mon-Tue-Wed')), /is not a day of the week/)
  })

  test('employment types and their MIS spellings', () => {
    const cases: Record<string, EmploymentType | null> = {
      permanent: 'permanent',
      Permanent: 'permanent',
      'Fixed Term': 'fixed-term',
      'fixed-term': 'fixed-term',
      'Maternity cover': 'fixed-term',
      Supply: 'agency',
      Agency: 'agency',
      Casual: 'temporary',
      Temp: 'temporary',
      Volunteer: 'volunteer',
      Contractor: 'external',
      external: 'external',
      '': null,
    }
    for (const [raw, type] of Object.entries(cases))
      assert.deepEqual(parseEmploymentType(raw, 'Employment type'), { ok: true, value: type }, raw)
    assert.equal(parseEmploymentType('Seasonal', 'Employment type').ok, false)
  })

  test('X-03: every catalogue role matches by id and by name, in any case', () => {
    const match = makeRoleMatcher()
    for (const role of roleCatalogue) {
      assert.equal(match(role.id), role.id)
      assert.equal(match(role.name.toUpperCase()), role.id)
    }
    for (const [text, id] of [
      ['DSL', 'dsl'],
      ['DDSL', 'deputy-dsl'],
      ['SENDCO', 'senco'],
      ['Principal', 'headteacher'],
      ['TA', 'teaching-assistant'],
      ['Head of Year', 'year-head'],
      ['LAC co-ordinator', 'lac-coordinator'],
    ] as const)
      assert.equal(match(text), id, text)
    assert.deepEqual(parseRoles(' dsl | DSL ;; senco ', match), { ok: true, value: ['dsl', 'senco'] })
    assert.deepEqual(parseRoles('Head of Maths;Bursar', match), {
      ok: false,
      message:
        'Roles "Head of Maths", "Bursar" are not in Haven. Use roles from the list, or add the school’s own role first',
    })
  })

  test('a custom role never takes over a built-in name', () => {
    const match = makeRoleMatcher([{ id: 'my-dsl', name: 'DSL' }])
    assert.equal(match('DSL'), 'dsl')
    assert.equal(match('my-dsl'), 'my-dsl')
  })
})
