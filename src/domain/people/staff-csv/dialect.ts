/**
 * Stage 1 of a staff import: the file's dialect. Checks size, refuses workbooks and binary junk,
 * finds the encoding (UTF-8 with or without a byte order mark, UTF-16 with or without one), decodes,
 * and splits the text into records with the delimiter it uses (comma, semicolon or tab; CRLF, LF or
 * CR line endings). Also the formula-injection guard, which both the import and the export use.
 *
 * Pure: the buffer is passed in.
 */
import { isUtf8 } from 'node:buffer'
import { CsvError, parse } from 'csv-parse/sync'

export const staffCsvLimits = Object.freeze({
  /** Largest file accepted: 5 MB. */
  maxBytes: 5 * 1024 * 1024,
  /** Most rows of staff accepted (not counting the heading row and blank rows). */
  maxRows: 20_000,
})

// ---------------------------------------------------------------------------------------------
// Formula injection guard
// ---------------------------------------------------------------------------------------------

/** Starts like a formula, possibly after quotes (so a value that already starts '= round-trips too). */
const formulaStart = /^'*[=+\-@\t\r]/

/**
 * A cell that a spreadsheet would run as a formula (starting = + - @ tab or carriage return) gets
 * a leading single quote (OWASP CSV injection). `stripFormulaGuard(guardCsvCell(s))` is always `s`.
 */
export function guardCsvCell(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value
}

/** Removes the quote `guardCsvCell` adds; other leading apostrophes (a name like 'Ria) are kept. */
export function stripFormulaGuard(value: string): string {
  return value.startsWith("'") && formulaStart.test(value.slice(1)) ? value.slice(1) : value
}

// ---------------------------------------------------------------------------------------------
// Reading the bytes
// ---------------------------------------------------------------------------------------------

export interface StaffImportError {
  /** Spreadsheet row (the heading row is row 1), or `null` for the whole file. */
  row: number | null
  /** The column heading as written in the file (or Haven's name when the column is missing), or `null`. */
  column: string | null
  message: string
}

const saveAsCsvUtf8 =
  'In Excel, choose File, then Save a copy (or Save as), then "CSV UTF-8 (Comma delimited)", and upload that file'

export function fileError(message: string, row: number | null = null): StaffImportError {
  return { row, column: null, message }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

function looksLikeUtf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = Math.min(bytes.length - (bytes.length % 2), 2048)
  if (sample < 4) return null
  let zeroEven = 0
  let zeroOdd = 0
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) zeroEven++
    if (bytes[i + 1] === 0) zeroOdd++
  }
  const pairs = sample / 2
  if (zeroOdd > pairs * 0.9 && zeroEven < pairs * 0.1) return 'utf-16le'
  if (zeroEven > pairs * 0.9 && zeroOdd < pairs * 0.1) return 'utf-16be'
  return null
}

/** NUL anywhere, or more than 1% control characters (other than tab, line feed, form feed, carriage return). */
function looksBinary(bytes: ArrayLike<number>): boolean {
  const sample = Math.min(bytes.length, 64 * 1024)
  let control = 0
  for (let i = 0; i < sample; i++) {
    const b = bytes[i]!
    if (b === 0) return true
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++
  }
  return control > sample * 0.01
}

/** Text of the file, or one clear error. Checks size and binary junk before decoding anything. */
export function decodeStaffCsv(
  buffer: Uint8Array,
): { ok: true; text: string } | { ok: false; error: StaffImportError } {
  if (buffer.length > staffCsvLimits.maxBytes)
    return { ok: false, error: fileError('The selected file must be smaller than 5 MB') }
  if (buffer.length === 0) return { ok: false, error: fileError('The selected file is empty') }
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8'
  if (startsWith(buffer, [0xff, 0xfe])) encoding = 'utf-16le'
  else if (startsWith(buffer, [0xfe, 0xff])) encoding = 'utf-16be'
  else encoding = looksLikeUtf16WithoutBom(buffer) ?? 'utf-8'
  if (encoding === 'utf-8') {
    if (startsWith(buffer, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buffer, [0xd0, 0xcf, 0x11, 0xe0]))
      return {
        ok: false,
        error: fileError(`The selected file is an Excel workbook, not a CSV file. ${saveAsCsvUtf8}`),
      }
    if (looksBinary(buffer))
      return {
        ok: false,
        error: fileError('The selected file must be a CSV file. Export the staff list from your MIS as CSV'),
      }
    if (!isUtf8(buffer)) {
      const lenient = new TextDecoder('utf-8').decode(buffer)
      const bad = lenient.indexOf('\uFFFD')
      const row = bad < 0 ? null : (lenient.slice(0, bad).match(/\r\n|\r|\n/g)?.length ?? 0) + 1
      return {
        ok: false,
        error: fileError(
          `The selected file must be saved as "CSV UTF-8"${row === null ? '' : `: row ${row} has characters Haven cannot read, such as accents or curly apostrophes`}. ${saveAsCsvUtf8}`,
          row,
        ),
      }
    }
  }
  let text: string
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(buffer)
  } catch {
    return { ok: false, error: fileError(`The selected file could not be read. ${saveAsCsvUtf8}`) }
  }
  text = text.replace(/^\uFEFF+/, '')
  if (encoding !== 'utf-8' && looksBinary(Array.from(text.slice(0, 64 * 1024), (c) => c.charCodeAt(0))))
    return {
      ok: false,
      error: fileError('The selected file must be a CSV file. Export the staff list from your MIS as CSV'),
    }
  if (text.trim() === '') return { ok: false, error: fileError('The selected file is empty') }
  return { ok: true, text }
}

function detectDelimiter(text: string): ',' | ';' | '\t' {
  const lines = text.slice(0, 64 * 1024).split(/\r\n|\n|\r/, 10)
  let best: ',' | ';' | '\t' = ','
  let bestCount = 0
  for (const delimiter of [',', ';', '\t'] as const) {
    for (const line of lines) {
      const count = line.replace(/"[^"]*"/g, '').split(delimiter).length - 1
      if (count > bestCount) {
        best = delimiter
        bestCount = count
      }
    }
  }
  return best
}

export function readRecords(text: string): { ok: true; records: string[][] } | { ok: false; error: StaffImportError } {
  try {
    const records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: false,
      trim: false,
    })
    return { ok: true, records }
  } catch (error) {
    if (error instanceof CsvError) {
      const records = typeof error['records'] === 'number' ? error['records'] : null
      const row = records === null ? null : records + 1
      const message =
        error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `The selected file could not be read: a quotation mark on row ${row ?? '?'} is not closed. Check the quotation marks on that row`
          : `The selected file could not be read as CSV${row === null ? '' : ` (row ${row})`}. ${saveAsCsvUtf8}`
      return { ok: false, error: fileError(message, row) }
    }
    return { ok: false, error: fileError(`The selected file could not be read as CSV. ${saveAsCsvUtf8}`) }
  }
}
