import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { type StaffImportPlan, staffCsvLimits } from './index.ts'
import { csv, errorsOf, fixture, plan, planned } from './test-support.ts'

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
