import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { csvChunks, toCsv } from './csv.ts'

describe('the overview lists as CSV', () => {
  test('starts with a byte order mark, ends lines with CRLF, and writes blanks for missing values', () => {
    const csv = toCsv(['Name', 'Next due', 'Sessions', 'Trained'], [['Ada Lovelace', null, 3, false]])
    assert.ok(csv.startsWith('\uFEFF'))
    assert.equal(csv, '\uFEFFName,Next due,Sessions,Trained\r\nAda Lovelace,,3,No\r\n')
  })

  test('guards cells a spreadsheet would run as formulas', () => {
    const csv = toCsv(['Name'], [['=HYPERLINK("http://evil.example")'], ['+1'], ['-2'], ['@SUM(A1)'], ["O'Brien"]])
    const rows = parse(csv.slice(1)) as string[][]
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      ['\'=HYPERLINK("http://evil.example")', "'+1", "'-2", "'@SUM(A1)", "O'Brien"],
    )
  })

  test('any text survives the round trip, and never starts a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (cells) => {
        const rows = parse(toCsv(['a', 'b', 'c', 'd', 'e'].slice(0, cells.length), [cells]).slice(1), {
          relax_column_count: true,
        }) as string[][]
        for (const cell of rows[1] ?? []) assert.ok(!/^[=+\-@\t\r]/.test(cell))
      }),
    )
  })

  test('issue 16: made a batch of rows at a time, the file is the same as made at once, whatever the batch', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('=1+1', 'a,"b"', 'x\r\ny'),
    )
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        (head, rows, batch) => {
          assert.equal([...csvChunks(head, rows, batch)].join(''), toCsv(head, rows))
        },
      ),
    )
  })
})
