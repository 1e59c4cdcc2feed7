/**
 * The overview's lists as CSV files (issue 9): UTF-8 with a byte order mark (so Excel shows
 * accents), CRLF line endings, dates as YYYY-MM-DD, and every cell that a spreadsheet could run
 * as a formula prefixed with a single quote (OWASP CSV injection), as the staff export does.
 * Pure.
 */
import { stringify } from 'csv-stringify/sync'
import { guardCsvCell } from '../people/staff-csv/dialect.ts'

export type CsvCell = string | number | boolean | null | undefined

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'boolean') return cell ? 'Yes' : 'No'
  return String(cell)
}

/**
 * The same file as toCsv, made a batch of rows at a time, so a long sheet is never one string in
 * memory (the evidence pack streams its sheets into the archive). Joined, the chunks are toCsv's.
 */
export function* csvChunks(
  headings: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  batch = 500,
): Generator<string> {
  const text = (records: readonly (readonly CsvCell[])[]) =>
    stringify(
      records.map((row) => row.map((cell) => guardCsvCell(cellText(cell)))),
      { record_delimiter: '\r\n' },
    )
  yield `\uFEFF${text([headings])}`
  let pending: (readonly CsvCell[])[] = []
  for (const row of rows) {
    pending.push(row)
    if (pending.length >= batch) {
      yield text(pending)
      pending = []
    }
  }
  if (pending.length > 0) yield text(pending)
}

export function toCsv(headings: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const records = [headings, ...rows].map((row) => row.map((cell) => guardCsvCell(cellText(cell))))
  return `\uFEFF${stringify(records, { record_delimiter: '\r\n' })}`
}
