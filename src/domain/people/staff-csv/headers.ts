/**
 * Stage 2 of a staff import: the headings. The documented columns and their aliases, matching a
 * heading to a column, finding the heading row (below any title rows) and checking the required
 * columns are there. `readStaffSheet` runs stages 1 and 2: bytes in, a `StaffSheet` out.
 * `ErrorList` collects problems by row and column, naming columns as the file writes them.
 */
import type { PersonFlags } from '../person.ts'
import { normaliseText } from '../person-rules.ts'
import {
  decodeStaffCsv,
  fileError,
  readRecords,
  type StaffImportError,
  staffCsvLimits,
  stripFormulaGuard,
} from './dialect.ts'

/** Weekly hours at or above which a "Contract hours" figure counts as full time (a teacher's directed time, 1,265 hours over 39 weeks). */
export const fullTimeHoursPerWeek = 32.5

export type StaffCsvColumnKey =
  | 'firstName'
  | 'lastName'
  | 'fullName'
  | 'email'
  | 'jobTitle'
  | 'roles'
  | 'lineManagerEmail'
  | 'employmentType'
  | 'partTime'
  | 'contractHours'
  | 'workingDays'
  | 'startDate'
  | 'endDate'
  | 'earlyCareer'
  | 'inProbation'
  | 'worksInEyfs'
  | 'pastoralResponsibilities'
  | 'trainedDsl'
  | 'additionalSupport'
  | 'supervisorTrainedOn'
  | 'inScope'
  | 'scopeReason'
  | 'staffCode'

export interface StaffCsvColumn {
  key: StaffCsvColumnKey
  /** The heading Haven writes and documents. */
  name: string
  /** Whether every file must have this column (names have their own rule, see `requiredNote`). */
  required: boolean
  /** When the column is needed in some files only. */
  requiredNote?: string
  /** Other headings recognised, in order of preference when a file has more than one of them. */
  aliases: readonly string[]
  description: string
  example: string
}

/**
 * The columns Haven reads and writes. Headings are matched ignoring case, spaces, underscores,
 * punctuation and accents, so "WORK_EMAIL", "Work e-mail" and "work email" are all the Email column.
 * When a file has several headings for one column (say "Preferred forename" and "Legal forename"),
 * each row uses the first non-blank cell in the order of the aliases. Other columns are ignored.
 */
export const staffCsvColumns: readonly StaffCsvColumn[] = Object.freeze(
  (
    [
      {
        key: 'firstName',
        name: 'First name',
        required: false,
        requiredNote: 'Needed with Last name when there is no Full name column.',
        aliases: [
          'Preferred forename',
          'Preferred first name',
          'Known as',
          'Forename',
          'Given name',
          'Legal forename',
          'Legal first name',
          'Firstname',
        ],
        description: 'The name the person uses at work. A preferred forename is used before a legal forename.',
        example: 'Siân',
      },
      {
        key: 'lastName',
        name: 'Last name',
        required: false,
        requiredNote: 'Needed with First name when there is no Full name column.',
        aliases: [
          'Preferred surname',
          'Preferred last name',
          'Surname',
          'Family name',
          'Legal surname',
          'Legal last name',
          'Lastname',
        ],
        description: 'Their surname.',
        example: "O'Brien",
      },
      {
        key: 'fullName',
        name: 'Full name',
        required: false,
        requiredNote: 'Needed when there are no First name and Last name columns.',
        aliases: ['Name', 'Staff name', 'Display name', 'Employee name', 'Staff member'],
        description: 'The whole name, used as written. Used instead of First name and Last name when both are given.',
        example: "Siân O'Brien",
      },
      {
        key: 'email',
        name: 'Email',
        required: true,
        aliases: [
          'Email address',
          'E-mail',
          'Work email',
          'Work email address',
          'Staff email',
          'School email',
          'Business email',
          'Primary email',
          'Email work',
          'Email address (work)',
          'Email (work)',
          'Work email (primary)',
          'Email address work',
          'School email address',
        ],
        description:
          'Their work email address. Each person must have a different one: Haven uses it to match people already in Haven.',
        example: 'sian.obrien@example.org',
      },
      {
        key: 'jobTitle',
        name: 'Job title',
        required: false,
        aliases: [
          'Role',
          'Post',
          'Post title',
          'Position',
          'Job',
          'Job role',
          'Staff role',
          'Main role',
          'Job description',
        ],
        description: 'Their job title, as the school writes it. It does not decide supervision: Roles does.',
        example: 'Year 2 teacher',
      },
      {
        key: 'roles',
        name: 'Roles',
        required: false,
        aliases: ['Haven roles', 'Safeguarding roles', 'Supervision roles', 'Role ids'],
        description:
          'Roles from Haven’s catalogue or the school’s own roles, by name or id, separated by ; or |. Case does not matter.',
        example: 'class-teacher; Deputy designated safeguarding lead',
      },
      {
        key: 'lineManagerEmail',
        name: 'Line manager email',
        required: false,
        aliases: [
          'Line manager',
          'Line manager email address',
          'Manager email',
          'Manager email address',
          'Manager',
          'Reports to',
          'Reports to email',
          'Line manager name',
          'Line manager staff code',
          'Line manager code',
          'Manager name',
          'Manager staff code',
          'Line manager (name)',
          'Line manager (email)',
        ],
        description:
          'Their line manager: a work email, a name or a staff code. The manager must be in the same file or already in Haven. When a name fits more than one person, you choose on the next page.',
        example: 'head@example.org',
      },
      {
        key: 'employmentType',
        name: 'Employment type',
        required: false,
        aliases: ['Contract type', 'Contract', 'Employment basis', 'Contract category', 'Type of employment'],
        description:
          'permanent, fixed-term, agency, temporary, volunteer or external. Also understood: Supply (agency), Fixed Term (fixed-term), Casual or Temp (temporary), Contractor (external). Blank means permanent.',
        example: 'permanent',
      },
      {
        key: 'partTime',
        name: 'Part time',
        required: false,
        aliases: [
          'Full time/part time',
          'FT/PT',
          'PT/FT',
          'Full or part time',
          'Working pattern',
          'Employment pattern',
        ],
        description: 'Yes or No, or FT or PT, or Full time or Part time. Blank means full time.',
        example: 'No',
      },
      {
        key: 'contractHours',
        name: 'Contract hours',
        required: false,
        aliases: ['Hours', 'Weekly hours', 'Hours per week', 'Contracted hours', 'FTE', 'Full time equivalent'],
        description: `Used when there is no Part time value: hours a week (below ${fullTimeHoursPerWeek} is part time), a full-time equivalent such as 0.6 or 60%, or FT or PT.`,
        example: '0.6',
      },
      {
        key: 'workingDays',
        name: 'Working days',
        required: false,
        aliases: ['Days worked', 'Work days', 'Days', 'Days of work', 'Contracted days'],
        description:
          'The days they work, such as Mon;Tue;Wed or a range such as Mon-Wed. Blank means Monday to Friday.',
        example: 'Mon;Tue;Wed',
      },
      {
        key: 'startDate',
        name: 'Start date',
        required: false,
        aliases: [
          'Employment start',
          'Employment start date',
          'Date started',
          'Date of joining',
          'Contract start',
          'Contract start date',
          'Service start date',
          'Start',
        ],
        description:
          'When they started at the school, as 01/09/2024 (day first, as MIS exports write it) or 2024-09-01.',
        example: '01/09/2024',
      },
      {
        key: 'endDate',
        name: 'End date',
        required: false,
        aliases: [
          'Leaving date',
          'Leave date',
          'Date left',
          'Employment end',
          'Employment end date',
          'Contract end',
          'Contract end date',
          'Finish date',
          'End',
        ],
        description: 'When they leave or left, if known. Must be the same as or after the start date.',
        example: '31/08/2025',
      },
      {
        key: 'earlyCareer',
        name: 'Early career',
        required: false,
        aliases: [
          'ECT',
          'NQT',
          'ECT/NQT',
          'NQT/ECT',
          'ECT or NQT',
          'Early career teacher',
          'Newly qualified',
          'Newly qualified teacher',
        ],
        description:
          'Yes if they are an early-career teacher (ECT) or newly qualified (NQT). Yes/No, Y/N, true/false or 1/0; blank means no.',
        example: 'No',
      },
      {
        key: 'inProbation',
        name: 'In probation',
        required: false,
        aliases: ['Probation', 'On probation', 'Probationary', 'Probation period'],
        description: 'Yes if they are in a probation period. Blank means no.',
        example: 'No',
      },
      {
        key: 'worksInEyfs',
        name: 'Works in EYFS',
        required: false,
        aliases: ['EYFS', 'Early years', 'EYFS staff', 'Early years foundation stage'],
        description: 'Yes if they work in the early years foundation stage. Blank means no.',
        example: 'No',
      },
      {
        key: 'pastoralResponsibilities',
        name: 'Pastoral responsibilities',
        required: false,
        aliases: ['Pastoral', 'Additional pastoral responsibilities', 'Pastoral responsibility', 'Pastoral role'],
        description: 'Yes if they hold additional pastoral responsibilities. Blank means no.',
        example: 'No',
      },
      {
        key: 'trainedDsl',
        name: 'Trained DSL',
        required: false,
        aliases: ['DSL trained', 'DSL training', 'Is trained DSL', 'Trained designated safeguarding lead'],
        description: 'Yes if they are trained as a designated safeguarding lead. Blank means no.',
        example: 'Yes',
      },
      {
        key: 'additionalSupport',
        name: 'Additional support',
        required: false,
        aliases: ['Needs additional support', 'Support needs', 'Additional support needs'],
        description:
          'Yes if they need additional support (stress, personal difficulties, performance). Sensitive: only share the file with people who may see this. Blank means no.',
        example: 'No',
      },
      {
        key: 'supervisorTrainedOn',
        name: 'Supervisor training date',
        required: false,
        aliases: [
          'Supervisor trained on',
          'Supervision training date',
          'Supervisor training',
          'Date of supervisor training',
          'Supervisor trained',
        ],
        description: 'When they completed supervisor training, if they have.',
        example: '15/01/2024',
      },
      {
        key: 'inScope',
        name: 'In scope',
        required: false,
        aliases: ['Must receive supervision', 'Supervision required', 'Needs supervision'],
        description:
          'To decide by name whether they must receive supervision, whatever the policy’s groups say: Yes to bring them into scope, No to take them out. Needs a Scope reason. Blank leaves the decision as it is.',
        example: 'Yes',
      },
      {
        key: 'scopeReason',
        name: 'Scope reason',
        required: false,
        requiredNote: 'Needed when In scope is Yes or No.',
        aliases: ['In scope reason', 'Reason in scope', 'Supervision reason'],
        description:
          'Why they are brought into scope or taken out, for example Holds child protection casework. Do not name children. Shown on their page with who imported it and when.',
        example: 'Holds child protection casework',
      },
      {
        key: 'staffCode',
        name: 'Staff code',
        required: false,
        aliases: [
          'Staff ID',
          'Staff reference',
          'Staff number',
          'Staff no',
          'Employee number',
          'Employee ID',
          'Payroll number',
          'Teacher code',
          'Initials code',
        ],
        description:
          'The code your MIS gives each member of staff. Haven only uses it to find line managers given by staff code; it is not kept.',
        example: 'SOB',
      },
    ] satisfies StaffCsvColumn[]
  ).map((column) => Object.freeze({ ...column, aliases: Object.freeze([...column.aliases]) })),
)

const columnByKey = new Map(staffCsvColumns.map((c) => [c.key, c]))
const columnOrder = new Map(staffCsvColumns.map((c, i) => [c.key, i]))

export function columnNamed(key: StaffCsvColumnKey): StaffCsvColumn {
  return columnByKey.get(key)!
}

export const flagColumns = [
  'earlyCareer',
  'inProbation',
  'worksInEyfs',
  'pastoralResponsibilities',
  'trainedDsl',
  'additionalSupport',
] as const satisfies readonly (keyof PersonFlags & StaffCsvColumnKey)[]

/** The columns `staffToCsv` writes, in order. */
export const staffCsvExportColumns: readonly StaffCsvColumnKey[] = Object.freeze([
  'fullName',
  'email',
  'jobTitle',
  'roles',
  'lineManagerEmail',
  'employmentType',
  'partTime',
  'workingDays',
  'startDate',
  'endDate',
  ...flagColumns,
  'supervisorTrainedOn',
] as const)

/** Lower case, accents and everything but letters and digits removed: "Work_E-mail " is "workemail". */
export function normaliseHeading(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

const headingIndex: ReadonlyMap<string, { key: StaffCsvColumnKey; preference: number }> = (() => {
  const index = new Map<string, { key: StaffCsvColumnKey; preference: number }>()
  for (const column of staffCsvColumns) {
    for (const [preference, heading] of [column.name, ...column.aliases].entries()) {
      const normalised = normaliseHeading(heading)
      const clash = index.get(normalised)
      if (clash && clash.key !== column.key)
        throw new Error(`Staff CSV heading "${heading}" is an alias of both ${clash.key} and ${column.key}`)
      if (!clash) index.set(normalised, { key: column.key, preference })
    }
  }
  return index
})()

/** Which column a heading is, or `undefined` when Haven does not read it. */
export function staffCsvColumnFor(heading: string): StaffCsvColumnKey | undefined {
  return headingIndex.get(normaliseHeading(stripFormulaGuard(heading)))?.key
}

/** What the school chose for a heading Haven does not recognise: a column, or to ignore it. */
export type ColumnChoice = StaffCsvColumnKey | 'ignore'

/** The school's remembered choices for headings, by `normaliseHeading` of the heading. */
export type ColumnMappings = ReadonlyMap<string, ColumnChoice>

/** A heading Haven does not recognise by itself, and what the school chose for it, if anything. */
export interface UnrecognisedHeading {
  heading: string
  /** `normaliseHeading(heading)`, the key the choice is remembered by. */
  key: string
  /** The school's remembered choice; `null` when not chosen yet (the column is ignored). */
  chosen: ColumnChoice | null
}

export interface HeadingMap {
  /** For each column present, the indexes of its cells, most preferred first. */
  indexes: Map<StaffCsvColumnKey, number[]>
  /** Every heading as written (tidied), by cell index. */
  headings: string[]
  /** Headings whose cells are not read, as written: not recognised, or mapped to "ignore". */
  ignored: string[]
  /** Headings Haven does not recognise by itself, with the school's choice for each. */
  unrecognised: UnrecognisedHeading[]
}

/** Remembered choices come after every recognised heading, so a documented heading wins. */
const mappedPreference = 1000

function mapHeadings(record: readonly string[], mappings: ColumnMappings): HeadingMap {
  const found = new Map<StaffCsvColumnKey, { index: number; preference: number }[]>()
  const ignored: string[] = []
  const unrecognised: UnrecognisedHeading[] = []
  const headings = record.map((cell) => normaliseText(stripFormulaGuard(cell)))
  for (const [index, heading] of headings.entries()) {
    if (heading === '') continue
    const key = normaliseHeading(heading)
    let match = headingIndex.get(key)
    if (!match) {
      const chosen = mappings.get(key) ?? null
      if (!unrecognised.some((u) => u.key === key)) unrecognised.push({ heading, key, chosen })
      if (chosen === null || chosen === 'ignore') {
        ignored.push(heading)
        continue
      }
      match = { key: chosen, preference: mappedPreference }
    }
    const list = found.get(match.key) ?? []
    list.push({ index, preference: match.preference })
    found.set(match.key, list)
  }
  const indexes = new Map<StaffCsvColumnKey, number[]>()
  for (const [key, list] of found)
    indexes.set(
      key,
      list.sort((a, b) => a.preference - b.preference || a.index - b.index).map((c) => c.index),
    )
  return { indexes, headings, ignored, unrecognised }
}

function isBlankRecord(record: readonly string[]): boolean {
  return record.every((cell) => cell.trim() === '')
}

function missingColumnErrors(map: HeadingMap): StaffImportError[] {
  const errors: StaffImportError[] = []
  const has = (key: StaffCsvColumnKey) => map.indexes.has(key)
  if (!has('fullName') && !(has('firstName') && has('lastName'))) {
    if (has('firstName'))
      errors.push({
        row: 1,
        column: 'Last name',
        message: 'The file must have a "Last name" column, or a "Full name" column',
      })
    else if (has('lastName'))
      errors.push({
        row: 1,
        column: 'First name',
        message: 'The file must have a "First name" column, or a "Full name" column',
      })
    else
      errors.push({
        row: 1,
        column: 'Full name',
        message: 'The file must have "First name" and "Last name" columns, or a "Full name" column',
      })
  }
  if (!has('email')) errors.push({ row: 1, column: 'Email', message: 'The file must have an "Email" column' })
  return errors
}

/** A decoded file: its headings and its non-blank rows below them, within the limits. */
export interface StaffSheet {
  headings: HeadingMap
  headingCount: number
  rows: { row: number; record: string[] }[]
}

export function readStaffSheet(
  buffer: Uint8Array,
  mappings: ColumnMappings = new Map(),
): { ok: true; sheet: StaffSheet } | { ok: false; errors: StaffImportError[]; unrecognised?: UnrecognisedHeading[] } {
  const decoded = decodeStaffCsv(buffer)
  if (!decoded.ok) return { ok: false, errors: [decoded.error] }
  const read = readRecords(decoded.text)
  if (!read.ok) return { ok: false, errors: [read.error] }
  const records = read.records
  // The heading row: the first of the first ten non-blank rows with an email heading (MIS reports
  // sometimes start with a title row), otherwise the first non-blank row.
  const candidates: number[] = []
  for (let index = 0; index < records.length && candidates.length < 10; index++)
    if (!isBlankRecord(records[index]!)) candidates.push(index)
  if (candidates.length === 0) return { ok: false, errors: [fileError('The selected file is empty')] }
  const headingIndexInFile =
    candidates.find((index) =>
      records[index]!.some((cell) => (staffCsvColumnFor(cell) ?? mappings.get(normaliseHeading(cell))) === 'email'),
    ) ?? candidates[0]!
  const headingRecord = records[headingIndexInFile]!
  const headings = mapHeadings(headingRecord, mappings)
  const missing = missingColumnErrors(headings)
  // Headings the school could map are offered only when some are recognised: a staff list, not any text.
  if (missing.length > 0)
    return headings.indexes.size > 0
      ? { ok: false, errors: missing, unrecognised: headings.unrecognised }
      : { ok: false, errors: missing }
  const rows: StaffSheet['rows'] = []
  for (let index = headingIndexInFile + 1; index < records.length; index++) {
    const record = records[index]!
    if (!isBlankRecord(record)) rows.push({ row: index + 1, record })
  }
  if (rows.length === 0) return { ok: false, errors: [fileError('The selected file has headings but no staff')] }
  if (rows.length > staffCsvLimits.maxRows) {
    const limit = staffCsvLimits.maxRows.toLocaleString('en-GB')
    return {
      ok: false,
      errors: [
        fileError(
          `The selected file must have ${limit} rows of staff or fewer. It has ${rows.length.toLocaleString('en-GB')}`,
        ),
      ],
    }
  }
  return { ok: true, sheet: { headings, headingCount: headingRecord.length, rows } }
}

/** Errors collected across the whole file, reported sorted by row, then column, then message. */
export class ErrorList {
  readonly #errors: (StaffImportError & { order: number })[] = []
  readonly #headings: HeadingMap

  constructor(headings: HeadingMap) {
    this.#headings = headings
  }

  /** The heading as written in the file, or Haven's name for a column the file does not have. */
  headingOf(key: StaffCsvColumnKey): string {
    const index = this.#headings.indexes.get(key)?.[0]
    return index === undefined ? columnNamed(key).name : this.#headings.headings[index]!
  }

  add(row: number, key: StaffCsvColumnKey | null, message: string): void {
    this.#errors.push({
      row,
      column: key === null ? null : this.headingOf(key),
      message,
      order: key === null ? -1 : (columnOrder.get(key) ?? 99),
    })
  }

  get size(): number {
    return this.#errors.length
  }

  sorted(): StaffImportError[] {
    return [...this.#errors]
      .sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || a.order - b.order || a.message.localeCompare(b.message))
      .map(({ row, column, message }) => ({ row, column, message }))
  }
}
