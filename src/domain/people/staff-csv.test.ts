import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { type EmploymentType, noFlags, type Person, type Weekday } from './person.ts'
import { roleCatalogue } from './roles.ts'
import {
  guardCsvCell,
  makeRoleMatcher,
  type PersonDraft,
  parseCsvDate,
  parseEmploymentType,
  parseRoles,
  parseWorkingDays,
  parseWorkingPattern,
  parseYesNo,
  planStaffImport,
  resolveStaffImport,
  type StaffImportError,
  type StaffImportPlan,
  staffCsvColumnFor,
  staffCsvColumns,
  staffCsvExportColumns,
  staffCsvLimits,
  staffCsvTemplate,
  staffToCsv,
  stripFormulaGuard,
} from './staff-csv.ts'

const fixtures = new URL('../../../test/fixtures/csv/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, fixtures))

const school = 'school-meadowbank'

function aPerson(overrides: Partial<Person> & Pick<Person, 'id' | 'email'>): Person {
  return {
    schoolId: school,
    name: 'Imogen Castellane',
    jobTitle: '',
    roles: [],
    lineManagerId: null,
    employmentType: 'permanent',
    partTime: false,
    workingDays: [1, 2, 3, 4, 5],
    startDate: null,
    endDate: null,
    flags: { ...noFlags },
    supervisorTrainedOn: null,
    ...overrides,
  }
}

/** A CSV file from lines, joined with `eol`, as UTF-8 bytes. */
function csv(lines: readonly string[], eol = '\n'): Buffer {
  return Buffer.from(lines.join(eol) + eol, 'utf8')
}

function plan(
  buffer: Buffer,
  existing: readonly Person[] = [],
  customRoles: readonly { id: string; name: string }[] = [],
): StaffImportPlan {
  return planStaffImport({ buffer, existing, customRoles, schoolId: school })
}

function planned(
  buffer: Buffer,
  existing: readonly Person[] = [],
  customRoles: readonly { id: string; name: string }[] = [],
) {
  const result = plan(buffer, existing, customRoles)
  if (!result.ok) assert.fail(`expected a plan, got errors:\n${result.errors.map((e) => JSON.stringify(e)).join('\n')}`)
  return result
}

function errorsOf(buffer: Buffer, existing: readonly Person[] = []): StaffImportError[] {
  const result = plan(buffer, existing)
  if (result.ok) assert.fail('expected errors, got a plan')
  return result.errors
}

/** Plans, assigns ids new-1, new-2..., and returns the school's people after the import. */
function importInto(existing: readonly Person[], buffer: Buffer): Person[] {
  const result = planned(buffer, existing)
  let next = existing.length
  const { creates, updates } = resolveStaffImport(result, () => `new-${++next}`)
  const updated = new Map(updates.map((p) => [p.id, p]))
  return [...existing.map((p) => updated.get(p.id) ?? p), ...creates]
}

describe('planStaffImport: MIS exports', () => {
  test('SIMS export: UTF-8 with a byte order mark, CRLF line endings, quoted commas and quotes', () => {
    const bytes = fixture('sims-export.csv')
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'fixture starts with a UTF-8 BOM')
    assert.ok(bytes.includes('\r\n'), 'fixture has CRLF line endings')
    const result = planned(bytes)
    assert.deepEqual(
      result.creates.map((p) => p.name),
      [
        'Maggie Threlkeld',
        'Siân O’Brien'.replace('’', "'"),
        'Zoë Fairweather-Quill',
        'Bart Okonkwo-Hale',
        'Idris Pennyfeather',
      ],
      'preferred forename used before legal forename; accents and apostrophes kept',
    )
    const [head, deputy, teacher, ta, senco] = result.creates
    assert.equal(head?.email, 'm.threlkeld@meadowbank.example.org', 'no BOM left on the first heading')
    assert.equal(teacher?.jobTitle, 'Teacher, Reception', 'quoted comma')
    assert.equal(ta?.jobTitle, 'Teaching Assistant, "Owls" class', 'doubled quotes inside a quoted field')
    assert.deepEqual(head?.roles, ['headteacher', 'dsl'])
    assert.deepEqual(deputy?.roles, ['deputy-dsl', 'line-manager'], 'roles separated by |')
    assert.deepEqual(teacher?.roles, ['class-teacher', 'eyfs-practitioner'])
    assert.deepEqual(senco?.roles, ['senco', 'learning-mentor'], 'SENDCO is the SENCO role')
    assert.equal(teacher?.employmentType, 'fixed-term')
    assert.equal(ta?.employmentType, 'agency', 'Supply is agency')
    assert.deepEqual(
      result.creates.map((p) => p.partTime),
      [false, false, true, true, false],
      'FTE 1, 1.0, 0.6, 0.5, 1',
    )
    assert.equal(head?.startDate, '2015-09-01')
    assert.equal(senco?.startDate, '2020-09-01', '1/9/2020 is day first')
    assert.equal(teacher?.endDate, '2025-08-31')
    assert.deepEqual(teacher?.flags, { ...noFlags, earlyCareer: true, worksInEyfs: true })
    assert.deepEqual(deputy?.flags, { ...noFlags, trainedDsl: true })
    assert.equal(head?.lineManager, null)
    assert.deepEqual(deputy?.lineManager, { kind: 'new', email: 'm.threlkeld@meadowbank.example.org' })
    assert.ok(result.creates.every((p) => p.schoolId === school))
    assert.deepEqual(result.ignoredColumns, ['Title', 'Staff Code'])
  })

  test('Arbor export: first and last name, ISO dates, working pattern words and day lists', () => {
    const result = planned(fixture('arbor-export.csv'))
    const [principal, dsl, yearHead, mentor] = result.creates
    assert.deepEqual(
      result.creates.map((p) => p.name),
      ['Rosalind Ashworth-Penhale', 'Dafydd Llewellyn-Marsh', 'Chloé Brightwater', 'Noor Al-Haddad'],
    )
    assert.equal(principal?.supervisorTrainedOn, '2019-06-14')
    assert.deepEqual(dsl?.workingDays, [1, 2, 3, 4, 5], 'Monday;Tuesday;...;Friday')
    assert.deepEqual(yearHead?.workingDays, [1, 2, 3], 'Mon;Tue;Wed')
    assert.deepEqual(mentor?.workingDays, [4, 5], 'Thu-Fri')
    assert.equal(yearHead?.partTime, true, 'Part time')
    assert.equal(mentor?.partTime, true, 'PT')
    assert.equal(principal?.partTime, false, 'Full time')
    assert.equal(mentor?.employmentType, 'temporary', 'Casual is temporary')
    assert.equal(yearHead?.endDate, '2026-07-31')
    assert.deepEqual(yearHead?.flags, {
      ...noFlags,
      earlyCareer: true,
      inProbation: true,
      pastoralResponsibilities: true,
    })
    assert.deepEqual(mentor?.flags, {
      ...noFlags,
      inProbation: true,
      pastoralResponsibilities: true,
      additionalSupport: true,
    })
    assert.deepEqual(result.ignoredColumns, ['Staff ID'])
  })

  test('Bromcom export: upper-case headings with underscores, full names, hours, 01-Sep-2010 dates', () => {
    const result = planned(fixture('bromcom-export.csv'))
    const [head, pastoral, familyWorker, counsellor] = result.creates
    assert.equal(head?.name, 'Ptolemy Varga-Ennis')
    assert.equal(counsellor?.name, 'Aoife Ní Bhraonáin')
    assert.equal(head?.startDate, '2010-09-01')
    assert.equal(familyWorker?.endDate, '2024-03-29')
    assert.deepEqual(
      result.creates.map((p) => p.partTime),
      [false, false, true, true],
      '32.5 hours, 37 hours, 18.75 hours, 0.4 FTE',
    )
    assert.equal(familyWorker?.employmentType, 'temporary', 'Temp')
    assert.equal(counsellor?.employmentType, 'external', 'Contractor')
    assert.deepEqual(pastoral?.roles, ['pastoral-lead', 'deputy-dsl'])
    assert.deepEqual(familyWorker?.workingDays, [1, 3, 5])
    assert.deepEqual(counsellor?.workingDays, [2, 3])
    assert.deepEqual(familyWorker?.flags, { ...noFlags, inProbation: true })
    assert.deepEqual(result.ignoredColumns, [])
  })
})

describe('planStaffImport: reading the bytes', () => {
  const lines = ['First name,Last name,Email', "Siân,O'Brien,sian@example.org", 'Zoë,Adebayo-Lund,zoe@example.org']
  const names = (result: StaffImportPlan) => (result.ok ? result.creates.map((p) => p.name) : result.errors)
  const expected = ["Siân O'Brien", 'Zoë Adebayo-Lund']

  test('UTF-8 without a byte order mark', () => {
    assert.deepEqual(names(plan(csv(lines))), expected)
  })

  test('UTF-8 with a byte order mark', () => {
    assert.deepEqual(names(plan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(lines)]))), expected)
  })

  test('Windows CRLF, old Mac CR and no newline at the end', () => {
    assert.deepEqual(names(plan(csv(lines, '\r\n'))), expected)
    assert.deepEqual(names(plan(csv(lines, '\r'))), expected)
    assert.deepEqual(names(plan(Buffer.from(lines.join('\n')))), expected)
  })

  test('UTF-16 little-endian and big-endian with a byte order mark (Excel "Unicode text")', () => {
    const text = `\uFEFF${lines.join('\r\n')}\r\n`
    assert.deepEqual(names(plan(Buffer.from(text, 'utf16le'))), expected)
    const bigEndian = Buffer.from(text, 'utf16le').swap16()
    assert.deepEqual([...bigEndian.subarray(0, 2)], [0xfe, 0xff])
    assert.deepEqual(names(plan(bigEndian)), expected)
  })

  test('UTF-16 without a byte order mark is recognised by its zero bytes', () => {
    assert.deepEqual(names(plan(Buffer.from(`${lines.join('\n')}\n`, 'utf16le'))), expected)
  })

  test('decomposed accents (as macOS writes them) are stored composed', () => {
    const result = planned(csv(['Full name,Email', 'Zoe\u0308 Sia\u0302n,zoe@example.org']))
    assert.equal(result.creates[0]?.name, 'Zo\u00EB Si\u00E2n')
  })

  test('semicolon-separated and tab-separated files', () => {
    assert.deepEqual(names(plan(csv(lines.map((l) => l.replaceAll(',', ';'))))), expected)
    assert.deepEqual(names(plan(csv(lines.map((l) => l.replaceAll(',', '\t'))))), expected)
  })

  test('a title row above the headings is skipped, and row numbers still match the spreadsheet', () => {
    const errors = errorsOf(csv(['Staff list exported from MIS', '', ...lines, 'Tobiah,Marsh,not-an-email']))
    assert.deepEqual(errors, [
      { row: 6, column: 'Email', message: 'Enter an email address in the correct format, like name@example.com' },
    ])
  })

  test('a quoted field over several lines counts as one spreadsheet row', () => {
    const errors = errorsOf(
      csv([
        'Full name,Email,Job title',
        'Rhiannon Ashdown,r.ashdown@example.org,"Teacher\nand mentor"',
        'Quentin Fenwick,,',
      ]),
    )
    assert.deepEqual(errors, [{ row: 3, column: 'Email', message: 'Enter an email address' }])
  })

  test('Windows-1252 bytes (saved as plain "CSV" from Excel) ask for CSV UTF-8 and name the row', () => {
    const bytes = fixture('windows-1252.csv')
    assert.ok(bytes.includes(0xeb), 'fixture has a Windows-1252 ë')
    const errors = errorsOf(bytes)
    assert.equal(errors.length, 1)
    assert.equal(errors[0]?.row, 2)
    assert.match(errors[0]?.message ?? '', /must be saved as "CSV UTF-8"/)
    assert.match(errors[0]?.message ?? '', /CSV UTF-8 \(Comma delimited\)/)
  })

  test('a file over 5 MB is refused before anything is read', () => {
    const errors = errorsOf(Buffer.alloc(staffCsvLimits.maxBytes + 1, 'a'))
    assert.deepEqual(errors, [{ row: null, column: null, message: 'The selected file must be smaller than 5 MB' }])
  })

  test('10 MB of junk returns one error quickly and never throws', () => {
    const junk = Buffer.alloc(10 * 1024 * 1024)
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24
    const started = performance.now()
    const errors = errorsOf(junk)
    const elapsed = performance.now() - started
    assert.equal(errors.length, 1)
    assert.equal(errors[0]?.message, 'The selected file must be smaller than 5 MB')
    assert.ok(elapsed < 50, `took ${elapsed} ms`)
  })

  test('binary junk under 5 MB is refused as not a CSV file, without parsing it', () => {
    const junk = Buffer.alloc(4 * 1024 * 1024)
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24
    const started = performance.now()
    const errors = errorsOf(junk)
    assert.ok(performance.now() - started < 200)
    assert.deepEqual(errors, [
      {
        row: null,
        column: null,
        message: 'The selected file must be a CSV file. Export the staff list from your MIS as CSV',
      },
    ])
  })

  test('an Excel workbook is refused with a hint to save as CSV UTF-8', () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)])
    assert.match(
      errorsOf(xlsx)[0]?.message ?? '',
      /^The selected file is an Excel workbook, not a CSV file\. .*CSV UTF-8/,
    )
  })

  test('an empty file, or one with only blank lines', () => {
    const empty = [{ row: null, column: null, message: 'The selected file is empty' }]
    assert.deepEqual(errorsOf(Buffer.alloc(0)), empty)
    assert.deepEqual(errorsOf(Buffer.from('\uFEFF\r\n \r\n,,\r\n')), empty)
  })

  test('headings and no staff', () => {
    assert.deepEqual(errorsOf(csv(['Full name,Email'])), [
      { row: null, column: null, message: 'The selected file has headings but no staff' },
    ])
  })

  test('a quotation mark that is never closed names the row', () => {
    const errors = errorsOf(
      csv(['Full name,Email', 'Oriel Manning,o.manning@example.org', '"Quentin Fenwick,q@example.org']),
    )
    assert.equal(errors.length, 1)
    assert.equal(errors[0]?.row, 3)
    assert.match(errors[0]?.message ?? '', /quotation mark on row 3 is not closed/)
  })

  test('more values than headings (an unquoted comma) is an error; trailing empty cells are not', () => {
    assert.deepEqual(errorsOf(csv(['Full name,Email', 'Castellane, Imogen,i.castellane@example.org'])), [
      {
        row: 2,
        column: null,
        message:
          'This row has more values than the file has headings. Put quotation marks around values that contain commas',
      },
      { row: 2, column: 'Email', message: 'Enter an email address in the correct format, like name@example.com' },
    ])
    assert.equal(planned(csv(['Full name,Email', 'Imogen Castellane,i.castellane@example.org,,,'])).creates.length, 1)
  })

  test(`more than ${staffCsvLimits.maxRows.toLocaleString('en-GB')} rows of staff is refused`, () => {
    const rows = Array.from({ length: staffCsvLimits.maxRows + 1 }, (_, i) => `P ${i},p${i}@example.org`)
    assert.deepEqual(errorsOf(csv(['Full name,Email', ...rows])), [
      {
        row: null,
        column: null,
        message: 'The selected file must have 20,000 rows of staff or fewer. It has 20,001',
      },
    ])
  })

  test('property: any bytes give a plan or errors, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = plan(Buffer.from(bytes))
        assert.equal(typeof result.ok, 'boolean')
      }),
      { numRuns: 300 },
    )
  })

  test('property: any text made of CSV-ish characters gives a plan or errors, never an exception', () => {
    const csvish = fc.string({
      unit: fc.constantFrom(...'ab,;"\'\r\n\t @.=-éë|0123456789'.split(''), 'Email', 'Full name', 'x@example.org'),
      maxLength: 300,
    })
    fc.assert(
      fc.property(csvish, (text) => {
        const result = plan(Buffer.from(text))
        if (!result.ok) for (const e of result.errors) assert.ok(e.message.length > 0)
      }),
      { numRuns: 300 },
    )
  })
})

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

describe('planStaffImport: matching existing people (by normalised email)', () => {
  const head = aPerson({
    id: 'p-head',
    name: 'Maggie Threlkeld',
    email: 'M.Threlkeld@Meadowbank.example.org',
    jobTitle: 'Headteacher',
    roles: ['headteacher', 'dsl'],
    startDate: '2015-09-01',
    flags: { ...noFlags, trainedDsl: true },
  })
  const ta = aPerson({
    id: 'p-ta',
    name: 'Bart Okonkwo-Hale',
    email: 'b.okonkwo-hale@meadowbank.example.org',
    jobTitle: 'Teaching Assistant',
    roles: ['teaching-assistant'],
    lineManagerId: 'p-head',
    partTime: true,
    workingDays: [1, 2, 3],
    endDate: '2026-07-31',
  })
  const leaver = aPerson({ id: 'p-leaver', name: 'Wilhelmina Fosse', email: 'w.fosse@meadowbank.example.org' })
  const existing = [head, ta, leaver]

  test('people are updated field by field; email case alone is not a change', () => {
    const result = planned(
      csv([
        'Full name,Email,Job title,Roles,Line manager email,Part time,Working days,End date',
        'Maggie Threlkeld,m.threlkeld@meadowbank.example.org,Headteacher,headteacher;dsl,,No,Mon-Fri,',
        'Bart Okonkwo-Hale,B.OKONKWO-HALE@meadowbank.example.org,Senior Teaching Assistant,TA,,Yes,Mon;Tue;Wed;Thu,',
        'Noor Haddad,n.haddad@meadowbank.example.org,Learning mentor,learning-mentor,b.okonkwo-hale@meadowbank.example.org,,,',
      ]),
      existing,
    )
    assert.deepEqual(result.unchanged, [head])
    assert.equal(result.updates.length, 1)
    const [update] = result.updates
    assert.equal(update?.id, 'p-ta')
    assert.equal(update?.before, ta)
    assert.deepEqual(update?.changedFields, ['jobTitle', 'lineManagerId', 'workingDays', 'endDate'])
    assert.equal(update?.after.email, ta.email, 'keeps the stored email')
    assert.equal(update?.after.lineManager, null, 'blank line manager cell clears the line manager')
    assert.deepEqual(update?.after.workingDays, [1, 2, 3, 4])
    assert.equal(update?.after.endDate, null, 'blank end date cell clears the end date')
    assert.equal(result.creates.length, 1)
    assert.deepEqual(result.creates[0]?.lineManager, { kind: 'existing', id: 'p-ta' })
    assert.deepEqual(result.notInFile, [leaver])
  })

  test('a column that is not in the file leaves that field as it is', () => {
    const result = planned(
      csv(['Email,Full name', 'b.okonkwo-hale@meadowbank.example.org,Bart Okonkwo-Hale']),
      existing,
    )
    assert.deepEqual(result.unchanged, [ta], 'roles, line manager, part time, days and end date kept')
  })

  test('X-04: flags that decide who is supervised are diffed one by one', () => {
    const result = planned(
      csv(['Full name,Email,ECT,Additional support', 'Bart Okonkwo-Hale,b.okonkwo-hale@meadowbank.example.org,Y,1']),
      existing,
    )
    assert.deepEqual(result.updates[0]?.changedFields, ['flags.earlyCareer', 'flags.additionalSupport'])
    assert.deepEqual(result.updates[0]?.after.flags, { ...noFlags, earlyCareer: true, additionalSupport: true })
  })

  test('LH-08: supervisor training dates are imported and diffed', () => {
    const result = planned(
      csv([
        'Full name,Email,Supervisor training date',
        'Maggie Threlkeld,m.threlkeld@meadowbank.example.org,14 March 2025',
      ]),
      existing,
    )
    assert.deepEqual(result.updates[0]?.changedFields, ['supervisorTrainedOn'])
    assert.equal(result.updates[0]?.after.supervisorTrainedOn, '2025-03-14')
  })

  test('a line manager who is in the file and already in Haven is referred to by id', () => {
    const result = planned(
      csv([
        'Full name,Email,Line manager email',
        'Maggie Threlkeld,m.threlkeld@meadowbank.example.org,',
        'Ria Cole,ria@example.org,M.THRELKELD@meadowbank.example.org',
      ]),
      existing,
    )
    assert.deepEqual(result.creates[0]?.lineManager, { kind: 'existing', id: 'p-head' })
  })

  test('importing the same file twice leaves everyone unchanged', () => {
    for (const name of ['sims-export.csv', 'arbor-export.csv', 'bromcom-export.csv']) {
      const after = importInto([], fixture(name))
      const again = planned(fixture(name), after)
      assert.equal(again.creates.length, 0, name)
      assert.equal(again.updates.length, 0, name)
      assert.deepEqual(again.unchanged, after, name)
    }
  })

  test('the plan is deterministic', () => {
    assert.deepEqual(plan(fixture('sims-export.csv'), existing), plan(fixture('sims-export.csv'), existing))
  })
})

describe('resolveStaffImport', () => {
  test('assigns the caller’s ids to new people and resolves line managers given by email', () => {
    const result = planned(fixture('sims-export.csv'))
    const asked: string[] = []
    const { creates, updates } = resolveStaffImport(result, (draft: PersonDraft) => {
      asked.push(draft.email)
      return `id-${asked.length}`
    })
    assert.deepEqual(
      asked,
      result.creates.map((p) => p.email),
      'once per create, in order',
    )
    assert.deepEqual(
      creates.map((p) => [p.id, p.lineManagerId]),
      [
        ['id-1', null],
        ['id-2', 'id-1'],
        ['id-3', 'id-2'],
        ['id-4', 'id-3'],
        ['id-5', 'id-1'],
      ],
    )
    assert.deepEqual(updates, [])
    assert.ok(creates.every((p) => !('lineManager' in p)))
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

describe('staffToCsv and formula injection', () => {
  const people: Person[] = [
    aPerson({
      id: 'p1',
      name: 'Siân O’Brien',
      email: 's.obrien@example.org',
      jobTitle: 'Deputy head, KS2',
      roles: ['deputy-dsl', 'line-manager'],
      startDate: '2018-09-01',
      supervisorTrainedOn: '2021-03-02',
      flags: { ...noFlags, trainedDsl: true },
    }),
    aPerson({
      id: 'p2',
      name: '=HYPERLINK("http://evil.example","Zoë")',
      email: 'zoe@example.org',
      jobTitle: '+44 teacher; -1 @home',
      lineManagerId: 'p1',
      employmentType: 'fixed-term',
      partTime: true,
      workingDays: [1, 3, 5],
      startDate: '2024-09-01',
      endDate: '2025-08-31',
    }),
  ]
  const emailOf = (person: Person) => people.find((p) => p.id === person.lineManagerId)?.email ?? null

  test('writes Haven’s documented headings, with a byte order mark and CRLF line endings', () => {
    const text = staffToCsv(people, emailOf)
    assert.ok(text.startsWith('\uFEFFFull name,Email,Job title,Roles,Line manager email,Employment type,Part time,'))
    assert.ok(text.endsWith('\r\n'))
    assert.equal(text.split('\r\n').length, 4)
    assert.ok(text.includes('"Deputy head, KS2"'))
    assert.ok(text.includes('deputy-dsl; line-manager'))
    assert.ok(text.includes('Mon;Wed;Fri'))
  })

  test('cells that would run as formulas get a leading single quote', () => {
    const text = staffToCsv(people, emailOf)
    assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example"",""Zoë"")"`))
    assert.ok(text.includes("'+44 teacher; -1 @home"))
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(guardCsvCell(`${start}x`), `'${start}x`)
    assert.equal(guardCsvCell("O'Brien"), "O'Brien")
    assert.equal(guardCsvCell('a=b'), 'a=b')
  })

  test('the import removes the guard quote, but keeps other leading apostrophes', () => {
    assert.equal(stripFormulaGuard("'=SUM(A1)"), '=SUM(A1)')
    assert.equal(stripFormulaGuard("'Ria"), "'Ria")
    for (const value of ["'=x", "''-1", "'", "'@", '=', "O'Brien"])
      assert.equal(stripFormulaGuard(guardCsvCell(value)), value)
    fc.assert(fc.property(fc.string(), (s) => stripFormulaGuard(guardCsvCell(s)) === s))
  })

  test('an export imports again as unchanged', () => {
    const result = planned(Buffer.from(staffToCsv(people, emailOf)), people)
    assert.deepEqual(result.unchanged, people)
    assert.equal(result.creates.length + result.updates.length, 0)
  })

  test('property: any valid school exports and re-imports as unchanged', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ'’=+@-][A-Za-zÀ-ÿ '’,"=+@-]{0,20}[A-Za-zÀ-ÿ'’"]$/)
    const isoDate = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10))
    const personArb = fc.record({
      name: word,
      jobTitle: fc.oneof(fc.constant(''), word),
      roles: fc.uniqueArray(fc.constantFrom(...roleCatalogue.map((r) => r.id)), { maxLength: 3 }),
      employmentType: fc.constantFrom<EmploymentType>(
        'permanent',
        'fixed-term',
        'agency',
        'temporary',
        'volunteer',
        'external',
      ),
      partTime: fc.boolean(),
      workingDays: fc
        .uniqueArray(fc.constantFrom<Weekday>(1, 2, 3, 4, 5, 6, 7), { minLength: 1, maxLength: 7 })
        .map((d) => d.sort()),
      dates: fc.tuple(fc.option(isoDate, { nil: null }), fc.option(isoDate, { nil: null })),
      flags: fc.record({
        earlyCareer: fc.boolean(),
        inProbation: fc.boolean(),
        worksInEyfs: fc.boolean(),
        pastoralResponsibilities: fc.boolean(),
        trainedDsl: fc.boolean(),
        additionalSupport: fc.boolean(),
      }),
      supervisorTrainedOn: fc.option(isoDate, { nil: null }),
      manager: fc.nat(),
    })
    fc.assert(
      fc.property(fc.array(personArb, { minLength: 1, maxLength: 15 }), (generated) => {
        const school: Person[] = generated.map((g, i) => {
          const [a, b] = g.dates
          const [startDate, endDate] = a !== null && b !== null && b < a ? [b, a] : [a, b]
          return aPerson({
            id: `p${i}`,
            email: `person.${i}@example.org`,
            name: g.name,
            jobTitle: g.jobTitle,
            roles: g.roles,
            employmentType: g.employmentType,
            partTime: g.partTime,
            workingDays: g.workingDays,
            startDate,
            endDate,
            flags: g.flags,
            supervisorTrainedOn: g.supervisorTrainedOn,
            // Managed by someone earlier in the list, so there is never a loop.
            lineManagerId: i === 0 || g.manager % 3 === 0 ? null : `p${g.manager % i}`,
          })
        })
        const byId = new Map(school.map((p) => [p.id, p]))
        const text = staffToCsv(school, (p) => (p.lineManagerId ? byId.get(p.lineManagerId)?.email : null))
        const result = planned(Buffer.from(text), school)
        assert.deepEqual(result.unchanged, school)
      }),
      { numRuns: 60 },
    )
  })

  test('the template has every export heading and nothing Haven would ignore', () => {
    const template = staffCsvTemplate()
    assert.equal(
      template,
      `\uFEFF${staffCsvExportColumns.map((k) => staffCsvColumns.find((c) => c.key === k)?.name).join(',')}\r\n`,
    )
    const headings = template.slice(1).trim().split(',')
    assert.ok(headings.every((h) => staffCsvColumnFor(h) !== undefined))
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
