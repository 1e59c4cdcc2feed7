/**
 * The overview's lists as CSV files (issue 9): UTF-8 with a byte order mark (so Excel shows
 * accents), CRLF line endings, dates as YYYY-MM-DD, and every cell that a spreadsheet could run
 * as a formula prefixed with a single quote (OWASP CSV injection), as the staff export does.
 * Pure.
 */
import { stringify } from 'csv-stringify/sync'
import { guardCsvCell } from '../people/staff-csv/index.ts'

export type CsvCell = string | number | boolean | null | undefined

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'boolean') return cell ? 'Yes' : 'No'
  return String(cell)
}

export function toCsv(headings: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const records = [headings, ...rows].map((row) => row.map((cell) => guardCsvCell(cellText(cell))))
  return `\uFEFF${stringify(records, { record_delimiter: '\r\n' })}`
}
