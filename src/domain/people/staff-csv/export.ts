/**
 * Writing staff as CSV: Haven's documented columns, so exporting and importing again changes nothing.
 */
import { stringify } from 'csv-stringify/sync'
import type { Person } from '../person.ts'
import { guardCsvCell } from './dialect.ts'
import { columnNamed, flagColumns, staffCsvExportColumns } from './headers.ts'

const shortDayNames = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No'
}

function csvText(rows: string[][]): string {
  return `\uFEFF${stringify(
    rows.map((row) => row.map(guardCsvCell)),
    { record_delimiter: '\r\n' },
  )}`
}

/**
 * The school's people as a CSV file in Haven's documented columns (`staffCsvExportColumns`):
 * UTF-8 with a byte order mark (so Excel shows accents), CRLF line endings, dates as YYYY-MM-DD,
 * roles as ids separated by "; ", cells that could run as spreadsheet formulas prefixed with a
 * single quote (which the import removes). Importing the result again changes nothing.
 * `lineManagerEmailOf` gives a person's line manager's email (or `null` for none).
 */
export function staffToCsv(
  people: readonly Person[],
  lineManagerEmailOf: (person: Person) => string | null | undefined,
): string {
  const rows = people.map((person) => [
    person.name,
    person.email,
    person.jobTitle,
    person.roles.join('; '),
    lineManagerEmailOf(person) ?? '',
    person.employmentType,
    yesNo(person.partTime),
    person.workingDays.map((d) => shortDayNames[d - 1]).join(';'),
    person.startDate ?? '',
    person.endDate ?? '',
    ...flagColumns.map((key) => yesNo(person.flags[key])),
    person.supervisorTrainedOn ?? '',
  ])
  return csvText([staffCsvExportColumns.map((key) => columnNamed(key).name), ...rows])
}

/** A blank file with Haven's headings, for "Download a template". */
export function staffCsvTemplate(): string {
  return csvText([staffCsvExportColumns.map((key) => columnNamed(key).name)])
}
