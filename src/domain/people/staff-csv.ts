/**
 * Staff CSV import and export (issue 4, the pure part).
 *
 * `planStaffImport` reads a staff list exported by a school MIS (SIMS, Arbor, Bromcom, Scholarpack)
 * or by Haven itself and works out, without touching the database, what importing it would do:
 * which people to create, which to update (with a field-by-field diff) and which are unchanged.
 * People are matched with the school's existing people by normalised email. Every problem is
 * reported at once, each with the spreadsheet row (the heading row is row 1) and column.
 *
 * How a file changes an existing person: a column that is in the file is the truth for everyone in
 * the file, including blank cells (a blank "End date" clears the end date; a blank "Roles" removes
 * every role); a column that is not in the file leaves that field as it is. New people get the
 * defaults for absent columns (no roles, permanent, full time, Monday to Friday, no dates, no flags).
 * Nobody is deleted: existing people missing from the file are listed in `notInFile`.
 *
 * Line managers are given by email and resolved in the plan, not by id, because new people have
 * no id yet (the caller assigns ids). A `LineManagerRef` is either `{ kind: 'existing', id }`, a
 * person already in Haven (including one this import updates), or `{ kind: 'new', email }`, a
 * person this import creates, keyed by their normalised email (the `email` of one of `creates`).
 * `resolveStaffImport(plan, idFor)` turns the plan into `Person` rows once ids are chosen.
 *
 * `staffToCsv` writes the same documented columns, so exporting and importing again changes nothing.
 *
 * Pure: no clock, no I/O; the buffer is passed in.
 */
import { isUtf8 } from 'node:buffer'
import { CsvError, parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { EmploymentType, IsoDate, Person, PersonFlags, Weekday } from './person.ts'
import {
  defaultWorkingDays,
  findLineManagementLoops,
  isRealIsoDate,
  isValidEmail,
  type LineManagedPerson,
  makePersonFieldsSchema,
  normaliseEmail,
  normaliseText,
  type PersonFields,
  type PersonFieldsInput,
} from './person-rules.ts'
import { type RoleDefinition, type RoleId, roleCatalogue } from './roles.ts'

// ---------------------------------------------------------------------------------------------
// Limits and the documented columns
// ---------------------------------------------------------------------------------------------

export const staffCsvLimits = Object.freeze({
  /** Largest file accepted: 5 MB. */
  maxBytes: 5 * 1024 * 1024,
  /** Most rows of staff accepted (not counting the heading row and blank rows). */
  maxRows: 20_000,
})

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
        ],
        description:
          'Their work email address. Each person must have a different one: Haven uses it to match people already in Haven.',
        example: 'sian.obrien@example.org',
      },
      {
        key: 'jobTitle',
        name: 'Job title',
        required: false,
        aliases: ['Role', 'Post', 'Post title', 'Position', 'Job', 'Job role', 'Staff role'],
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
        ],
        description: 'The work email of their line manager, who must be in the same file or already in Haven.',
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
    ] satisfies StaffCsvColumn[]
  ).map((column) => Object.freeze({ ...column, aliases: Object.freeze([...column.aliases]) })),
)

const columnByKey = new Map(staffCsvColumns.map((c) => [c.key, c]))
const columnOrder = new Map(staffCsvColumns.map((c, i) => [c.key, i]))

function columnNamed(key: StaffCsvColumnKey): StaffCsvColumn {
  return columnByKey.get(key)!
}

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
  'earlyCareer',
  'inProbation',
  'worksInEyfs',
  'pastoralResponsibilities',
  'trainedDsl',
  'additionalSupport',
  'supervisorTrainedOn',
] as const)

const flagColumns = [
  'earlyCareer',
  'inProbation',
  'worksInEyfs',
  'pastoralResponsibilities',
  'trainedDsl',
  'additionalSupport',
] as const satisfies readonly (keyof PersonFlags & StaffCsvColumnKey)[]

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
// Cell parsers (exported for the person form and tests)
// ---------------------------------------------------------------------------------------------

export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string }

const monthNames = new Map<string, number>(
  [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ].flatMap((name, i) => [
    [name, i + 1],
    [name.slice(0, 3), i + 1],
    ...(name === 'september' ? ([['sept', 9]] as const) : []),
  ]),
)

const datePatterns: readonly { pattern: RegExp; year: number; month: number; day: number }[] = [
  { pattern: /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/, year: 1, month: 2, day: 3 },
  { pattern: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/, year: 3, month: 2, day: 1 },
  { pattern: /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})$/i, year: 3, month: 2, day: 1 },
]

function dateParts(text: string): { year: number; month: number; day: number } | null {
  for (const format of datePatterns) {
    const match = format.pattern.exec(text)
    if (!match) continue
    const monthText = match[format.month]!
    const month = /^\d+$/.test(monthText) ? Number(monthText) : monthNames.get(monthText.toLowerCase())
    if (month === undefined) return null
    return { year: Number(match[format.year]), month, day: Number(match[format.day]) }
  }
  return null
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/**
 * A date as UK MIS exports and spreadsheets write it: 01/09/2024, 1/9/2024, 01-09-2024,
 * 01.09.2024 (day first), 2024-09-01, 2024/09/01, 1 Sep 2024, 1-Sept-2024, 1 September 2024;
 * a trailing time (00:00 or 00:00:00) is ignored. Blank is `null`. Two-digit years are refused.
 */
export function parseCsvDate(raw: string, label: string): CellResult<IsoDate | null> {
  const text = raw
    .trim()
    .replace(/[T\s]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i, '')
    .trim()
  if (text === '') return { ok: true, value: null }
  const invalid = { ok: false, message: `${label} must be a real date, like 01/09/2024` } as const
  const parts = dateParts(text)
  if (parts === null) return invalid
  const { year, month, day } = parts
  const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}`
  return isRealIsoDate(iso) ? { ok: true, value: iso } : invalid
}

const yesValues = new Set(['yes', 'y', 'true', '1'])
const noValues = new Set(['no', 'n', 'false', '0', ''])

/** Yes/No, Y/N, true/false, 1/0 in any case; blank is no. */
export function parseYesNo(raw: string, label: string): CellResult<boolean> {
  const text = raw.trim().toLowerCase()
  if (yesValues.has(text)) return { ok: true, value: true }
  if (noValues.has(text)) return { ok: true, value: false }
  return { ok: false, message: `${label} must be yes or no` }
}

const fullTimeWords = new Set(['ft', 'fulltime', 'full'])
const partTimeWords = new Set(['pt', 'parttime', 'part'])

/**
 * Whether someone works part time, from a "Part time" cell (`yesNo: true`: Yes/No, FT/PT, Full time,
 * Part time) or a "Contract hours" cell (`yesNo: false`: FT/PT words, hours a week such as 22.5 or
 * "22.5 hours", a full-time equivalent such as 0.6, "0.6 FTE" or 60%). Numbers up to 1 are a
 * full-time equivalent; larger numbers are hours, part time below `fullTimeHoursPerWeek`.
 * Blank is `null` (not given).
 */
export function parseWorkingPattern(
  raw: string,
  options: { yesNo: boolean; label: string },
): CellResult<boolean | null> {
  const text = raw.trim().toLowerCase()
  if (text === '') return { ok: true, value: null }
  const word = text.replace(/[^a-z]/g, '')
  if (fullTimeWords.has(word) && !/\d/.test(text)) return { ok: true, value: false }
  if (partTimeWords.has(word) && !/\d/.test(text)) return { ok: true, value: true }
  if (options.yesNo) {
    if (yesValues.has(text)) return { ok: true, value: true }
    if (noValues.has(text)) return { ok: true, value: false }
  }
  const number = /^(\d+(?:\.\d+)?|\.\d+)\s*(%|fte|hours?|hrs?|h)?$/.exec(text)
  if (number) {
    const amount = Number(number[1])
    const unit = number[2]
    if (amount > 0) {
      if (unit === '%' && amount <= 100) return { ok: true, value: amount < 100 }
      if (unit === 'fte' && amount <= 1) return { ok: true, value: amount < 1 }
      if (unit === undefined && amount <= 1) return { ok: true, value: amount < 1 }
      if (unit?.startsWith('h')) return { ok: true, value: amount < fullTimeHoursPerWeek }
      if (unit === undefined && amount <= 168) return { ok: true, value: amount < fullTimeHoursPerWeek }
    }
  }
  return {
    ok: false,
    message: options.yesNo
      ? `${options.label} must be yes or no, or FT or PT`
      : `${options.label} must be a number of hours, like 22.5, a full-time equivalent, like 0.6, or FT or PT`,
  }
}

/** Inverts a table of value -> spellings into spelling -> value. */
function spellings<T>(table: readonly (readonly [T, readonly string[]])[]): ReadonlyMap<string, T> {
  return new Map(table.flatMap(([value, words]) => words.map((word) => [word, value] as const)))
}

const dayNames = spellings<Weekday>([
  [1, ['monday', 'mon', 'mo']],
  [2, ['tuesday', 'tues', 'tue', 'tu']],
  [3, ['wednesday', 'weds', 'wed', 'we']],
  [4, ['thursday', 'thurs', 'thur', 'thu', 'th']],
  [5, ['friday', 'fri', 'fr']],
  [6, ['saturday', 'sat', 'sa']],
  [7, ['sunday', 'sun', 'su']],
])

const shortDayNames = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/**
 * Working days: names or abbreviations separated by ; | , / or spaces (Mon;Tue;Wed, "Monday, Friday"),
 * ranges (Mon-Wed, "Monday to Wednesday", Fri-Mon wraps round), "Weekdays". Blank is `null` (not given).
 * The result is sorted with no repeats.
 */
export function parseWorkingDays(raw: string, label: string): CellResult<Weekday[] | null> {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/\s*[-\u2013\u2014]\s*|\s+to\s+/g, '-')
  if (text === '') return { ok: true, value: null }
  const days = new Set<Weekday>()
  for (const token of text.split(/[;|,/&+\s]+|\band\b/).filter((t) => t !== '')) {
    if (token === 'weekdays') {
      for (const day of defaultWorkingDays) days.add(day)
      continue
    }
    const ends = token.split('-')
    const first = dayNames.get(ends[0]!.replace(/\.$/, ''))
    const last = dayNames.get((ends[1] ?? ends[0]!).replace(/\.$/, ''))
    if (first === undefined || last === undefined || ends.length > 2) {
      return {
        ok: false,
        message: `${label}: "${token}" is not a day of the week. Enter days like Mon;Tue;Wed or Mon-Wed`,
      }
    }
    for (let day = first; ; day = ((day % 7) + 1) as Weekday) {
      days.add(day)
      if (day === last) break
    }
  }
  return { ok: true, value: [...days].sort((a, b) => a - b) }
}

/** Spellings with case, spaces and punctuation removed (as `normaliseHeading` leaves them). */
const employmentTypeWords = spellings<EmploymentType>([
  ['permanent', ['permanent', 'perm', 'substantive', 'established']],
  ['fixed-term', ['fixedterm', 'fixed', 'fixedtermcontract', 'maternitycover']],
  ['agency', ['agency', 'supply', 'supplyteacher', 'agencysupply', 'supplyagency', 'agencystaff']],
  ['temporary', ['temporary', 'temp', 'casual', 'relief', 'bank', 'zerohours', 'sessional']],
  ['volunteer', ['volunteer', 'voluntary', 'unpaid']],
  ['external', ['external', 'contractor', 'consultant', 'selfemployed', 'visiting', 'peripatetic', 'thirdparty']],
])

/** An employment type or one of its MIS spellings (Supply, Fixed Term, Casual...). Blank is `null`. */
export function parseEmploymentType(raw: string, label: string): CellResult<EmploymentType | null> {
  const word = normaliseHeading(raw)
  if (word === '') return { ok: true, value: null }
  const type = employmentTypeWords.get(word)
  if (type) return { ok: true, value: type }
  return {
    ok: false,
    message: `${label} "${raw.trim()}" is not recognised. Use permanent, fixed-term, agency, temporary, volunteer or external`,
  }
}

const roleAliases: Readonly<Record<string, readonly string[]>> = {
  dsl: ['Designated safeguarding lead', 'DSL'],
  'deputy-dsl': ['DDSL', 'Deputy DSL', 'Deputy designated safeguarding lead'],
  headteacher: ['Headteacher', 'Head teacher', 'Head', 'Principal'],
  'associate-headteacher': ['Associate head', 'Associate head teacher', 'Associate principal'],
  senco: ['SENCO', 'SENDCO', 'SENCo', 'SEN co-ordinator'],
  'lac-coordinator': ['LAC co-ordinator', 'Looked-after children coordinator'],
  'eyfs-practitioner': ['Early years practitioner'],
  'year-head': ['Year head', 'HoY'],
  'class-teacher': ['Teacher'],
  'teaching-assistant': ['TA', 'HLTA', 'Higher level teaching assistant'],
  'child-family-support-worker': ['Family support worker', 'Child and family support worker'],
  'specialist-support-worker': ['Specialist support worker'],
  'chair-of-governors': ['Chair of governors'],
  administrator: ['Admin', 'Haven administrator'],
}

/** A role matcher: role ids, catalogue names and common spellings, then the school's own roles. */
export function makeRoleMatcher(customRoles: readonly Pick<RoleDefinition, 'id' | 'name'>[] = []) {
  const index = new Map<string, RoleId>()
  const add = (text: string, id: RoleId) => {
    const key = normaliseHeading(text)
    if (key !== '' && !index.has(key)) index.set(key, id)
  }
  for (const role of roleCatalogue) {
    add(role.id, role.id)
    add(role.name, role.id)
    for (const alias of roleAliases[role.id] ?? []) add(alias, role.id)
  }
  for (const role of customRoles) {
    add(role.id, role.id)
    add(role.name, role.id)
  }
  return (text: string): RoleId | undefined => index.get(normaliseHeading(text))
}

/** Roles separated by ; or | (or line breaks within the cell), de-duplicated, in the order written. */
export function parseRoles(raw: string, matchRole: (text: string) => RoleId | undefined): CellResult<RoleId[]> {
  const roles: RoleId[] = []
  const unknown: string[] = []
  for (const part of raw.split(/[;|\r\n]/)) {
    const text = part.trim()
    if (text === '') continue
    const id = matchRole(text)
    if (id === undefined) unknown.push(text)
    else if (!roles.includes(id)) roles.push(id)
  }
  if (unknown.length > 0) {
    const names = unknown.map((u) => `"${u}"`).join(', ')
    const hint = unknown.some((u) => u.includes(',')) ? '. Separate roles with a semicolon (;)' : ''
    return {
      ok: false,
      message: `${unknown.length === 1 ? 'Role' : 'Roles'} ${names} ${unknown.length === 1 ? 'is' : 'are'} not in Haven. Use roles from the list, or add the school’s own role first${hint}`,
    }
  }
  return { ok: true, value: roles }
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

function fileError(message: string, row: number | null = null): StaffImportError {
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
function decodeStaffCsv(buffer: Uint8Array): { ok: true; text: string } | { ok: false; error: StaffImportError } {
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

function readRecords(text: string): { ok: true; records: string[][] } | { ok: false; error: StaffImportError } {
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

// ---------------------------------------------------------------------------------------------
// Planning an import
// ---------------------------------------------------------------------------------------------

/** A line manager named in an import: someone already in Haven, or someone the import creates. */
export type LineManagerRef = { kind: 'existing'; id: string } | { kind: 'new'; email: string }

/**
 * A person as the import would leave them, before ids are known: a `Person` without `id`, with
 * `lineManager` (a `LineManagerRef`) in place of `lineManagerId`.
 */
export interface PersonDraft extends Omit<Person, 'id' | 'lineManagerId'> {
  lineManager: LineManagerRef | null
}

/** The fields an update can change; flags are listed one by one. */
export type StaffChangedField =
  | 'name'
  | 'jobTitle'
  | 'roles'
  | 'lineManagerId'
  | 'employmentType'
  | 'partTime'
  | 'workingDays'
  | 'startDate'
  | 'endDate'
  | `flags.${keyof PersonFlags}`
  | 'supervisorTrainedOn'

export interface StaffUpdate {
  /** The existing person's id. */
  id: string
  before: Person
  /** The person after the import; unchanged fields keep `before`'s exact values. */
  after: PersonDraft
  /** In a fixed order: name, job title, roles, line manager, employment type, part time, working days, dates, flags, training date. */
  changedFields: StaffChangedField[]
}

export type StaffImportPlan =
  | { ok: false; errors: StaffImportError[] }
  | {
      ok: true
      /** New people, in file order. Their `email` (normalised) is the key `LineManagerRef` uses. */
      creates: PersonDraft[]
      /** Existing people the file changes, in file order. */
      updates: StaffUpdate[]
      /** Existing people the file leaves as they are, in file order. */
      unchanged: Person[]
      /** Existing people not in the file, in the order given; the import leaves them alone. */
      notInFile: Person[]
      /** Headings in the file that Haven does not read, as written. */
      ignoredColumns: string[]
    }

export interface PlanStaffImportInput {
  /** The uploaded file, as bytes. */
  buffer: Uint8Array
  /** The school's people now in Haven. */
  existing: readonly Person[]
  /** The school's own roles (X-03), matched by id or name like the catalogue. */
  customRoles?: readonly Pick<RoleDefinition, 'id' | 'name'>[]
  schoolId: string
}

interface HeadingMap {
  /** For each column present, the indexes of its cells, most preferred first. */
  indexes: Map<StaffCsvColumnKey, number[]>
  /** Every heading as written (tidied), by cell index. */
  headings: string[]
  ignored: string[]
}

function mapHeadings(record: readonly string[]): HeadingMap {
  const found = new Map<StaffCsvColumnKey, { index: number; preference: number }[]>()
  const ignored: string[] = []
  const headings = record.map((cell) => normaliseText(stripFormulaGuard(cell)))
  for (const [index, heading] of headings.entries()) {
    if (heading === '') continue
    const match = headingIndex.get(normaliseHeading(heading))
    if (!match) {
      ignored.push(heading)
      continue
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
  return { indexes, headings, ignored }
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
interface StaffSheet {
  headings: HeadingMap
  headingCount: number
  rows: { row: number; record: string[] }[]
}

function readStaffSheet(
  buffer: Uint8Array,
): { ok: true; sheet: StaffSheet } | { ok: false; errors: StaffImportError[] } {
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
    candidates.find((index) => records[index]!.some((cell) => staffCsvColumnFor(cell) === 'email')) ?? candidates[0]!
  const headingRecord = records[headingIndexInFile]!
  const headings = mapHeadings(headingRecord)
  const missing = missingColumnErrors(headings)
  if (missing.length > 0) return { ok: false, errors: missing }
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
class ErrorList {
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

/** Which column a schema issue is about. */
function columnForIssue(path: readonly PropertyKey[], headings: HeadingMap): StaffCsvColumnKey | null {
  const [field, sub] = path
  switch (field) {
    case 'name':
      return headings.indexes.has('fullName') ? 'fullName' : 'firstName'
    case 'flags':
      return flagColumns.find((key) => key === sub) ?? null
    case 'partTime':
      return !headings.indexes.has('partTime') && headings.indexes.has('contractHours') ? 'contractHours' : 'partTime'
    case 'lineManagerId':
      return 'lineManagerEmail'
    case 'email':
    case 'jobTitle':
    case 'roles':
    case 'lineManagerEmail':
    case 'employmentType':
    case 'workingDays':
    case 'startDate':
    case 'endDate':
    case 'supervisorTrainedOn':
      return field
    default:
      return null
  }
}

interface RowContext {
  headings: HeadingMap
  headingCount: number
  existingByEmail: ReadonlyMap<string, Person>
  schema: ReturnType<typeof makePersonFieldsSchema>
  matchRole: (text: string) => RoleId | undefined
  errors: ErrorList
}

interface StaffRow {
  row: number
  /** Normalised, or `null` when missing or not a valid address. */
  email: string | null
  /** The existing person with this email, if any. */
  existing: Person | undefined
  /** Normalised; `undefined` when the file has no line manager column, `null` when the cell is blank. */
  lineManagerEmail: string | null | undefined
  /** The validated fields, or `null` when the row has errors. */
  fields: PersonFields | null
}

function fieldsOf(person: Person, rawEmail: string): PersonFieldsInput {
  return {
    name: person.name,
    email: rawEmail,
    jobTitle: person.jobTitle,
    roles: [...person.roles],
    lineManagerEmail: null,
    employmentType: person.employmentType,
    partTime: person.partTime,
    workingDays: [...person.workingDays],
    startDate: person.startDate,
    endDate: person.endDate,
    flags: { ...person.flags },
    supervisorTrainedOn: person.supervisorTrainedOn,
  }
}

/** Reads one row: each cell parsed, then the person as a whole checked with the shared schema. */
function readStaffRow(row: number, record: readonly string[], context: RowContext): StaffRow {
  const { headings, errors } = context
  const has = (key: StaffCsvColumnKey) => headings.indexes.has(key)
  const cell = (key: StaffCsvColumnKey): string => {
    for (const index of headings.indexes.get(key) ?? []) {
      const value = stripFormulaGuard((record[index] ?? '').trim()).trim()
      if (value !== '') return value
    }
    return ''
  }
  const failed = new Set<StaffCsvColumnKey>()
  const fail = (key: StaffCsvColumnKey, message: string) => {
    if (failed.has(key)) return
    failed.add(key)
    errors.add(row, key, message)
  }
  if (record.slice(context.headingCount).some((c) => c.trim() !== ''))
    errors.add(
      row,
      null,
      'This row has more values than the file has headings. Put quotation marks around values that contain commas',
    )

  const rawEmail = cell('email')
  const email = normaliseEmail(rawEmail)
  const existing = isValidEmail(email) ? context.existingByEmail.get(email) : undefined
  // Start from the existing person (absent columns keep their values) or from the defaults.
  const base = existing ? fieldsOf(existing, rawEmail) : { name: '', email: rawEmail }
  const candidate: PersonFieldsInput & { flags: Partial<PersonFlags> } = { ...base, flags: { ...base.flags } }

  const fullName = normaliseText(cell('fullName'))
  candidate.name = fullName !== '' ? fullName : normaliseText(`${cell('firstName')} ${cell('lastName')}`)
  if (has('jobTitle')) candidate.jobTitle = cell('jobTitle')
  if (has('roles')) {
    const roles = parseRoles(cell('roles'), context.matchRole)
    if (roles.ok) candidate.roles = roles.value
    else fail('roles', roles.message)
  }
  let lineManagerEmail: string | null | undefined
  if (has('lineManagerEmail')) {
    const raw = cell('lineManagerEmail')
    lineManagerEmail = raw === '' ? null : normaliseEmail(raw)
    candidate.lineManagerEmail = lineManagerEmail
  }
  if (has('employmentType')) {
    const type = parseEmploymentType(cell('employmentType'), 'Employment type')
    if (type.ok) candidate.employmentType = type.value ?? 'permanent'
    else fail('employmentType', type.message)
  }
  if (has('partTime') || has('contractHours')) {
    // "Part time" wins; "Contract hours" is read when Part time is blank or absent.
    const pattern = parseWorkingPattern(cell('partTime'), { yesNo: true, label: 'Part time' })
    const hours = parseWorkingPattern(cell('contractHours'), { yesNo: false, label: 'Contract hours' })
    if (!pattern.ok) fail('partTime', pattern.message)
    if (!hours.ok) fail('contractHours', hours.message)
    if (pattern.ok && hours.ok) candidate.partTime = pattern.value ?? hours.value ?? false
  }
  if (has('workingDays')) {
    const days = parseWorkingDays(cell('workingDays'), 'Working days')
    if (days.ok) candidate.workingDays = days.value ?? [...defaultWorkingDays]
    else fail('workingDays', days.message)
  }
  for (const key of ['startDate', 'endDate', 'supervisorTrainedOn'] as const) {
    if (!has(key)) continue
    const date = parseCsvDate(cell(key), columnNamed(key).name)
    candidate[key] = date.ok ? date.value : null
    if (!date.ok) fail(key, date.message)
  }
  for (const key of flagColumns) {
    if (!has(key)) continue
    const flag = parseYesNo(cell(key), columnNamed(key).name)
    if (flag.ok) candidate.flags[key] = flag.value
    else fail(key, flag.message)
  }

  const result = context.schema.safeParse(candidate)
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = columnForIssue(issue.path, headings)
      if (key === null) errors.add(row, null, issue.message)
      else fail(key, issue.message)
    }
  }
  return {
    row,
    email: isValidEmail(email) ? email : null,
    existing,
    lineManagerEmail,
    fields: result.success && failed.size === 0 ? result.data : null,
  }
}

function formatRows(rows: readonly number[]): string {
  if (rows.length === 1) return `row ${rows[0]}`
  return `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`
}

/** Every row whose email is repeated gets an error naming the other rows. */
function checkDuplicateEmails(rows: readonly StaffRow[], errors: ErrorList): void {
  const rowsByEmail = new Map<string, number[]>()
  for (const { email, row } of rows) {
    if (email === null) continue
    rowsByEmail.set(email, [...(rowsByEmail.get(email) ?? []), row])
  }
  for (const [email, repeated] of rowsByEmail) {
    if (repeated.length < 2) continue
    for (const row of repeated)
      errors.add(
        row,
        'email',
        `The email address ${email} is also on ${formatRows(repeated.filter((r) => r !== row))}. Each person must have a different email address`,
      )
  }
}

/**
 * Each row's line manager after the import: from the file's column when it has one (someone in
 * the file, first row with that email, or already in Haven), otherwise the existing person's.
 */
function resolveLineManagers(
  rows: readonly StaffRow[],
  existingByEmail: ReadonlyMap<string, Person>,
  errors: ErrorList,
): Map<StaffRow, LineManagerRef | null> {
  const fileRowByEmail = new Map<string, StaffRow>()
  for (const row of rows) if (row.email !== null && !fileRowByEmail.has(row.email)) fileRowByEmail.set(row.email, row)
  const refs = new Map<StaffRow, LineManagerRef | null>()
  for (const row of rows) {
    const managerEmail = row.lineManagerEmail
    let ref: LineManagerRef | null = null
    if (managerEmail === undefined) {
      const id = row.existing?.lineManagerId ?? null
      ref = id === null ? null : { kind: 'existing', id }
    } else if (managerEmail !== null && isValidEmail(managerEmail) && managerEmail !== row.email) {
      // (Blank, badly formed and own addresses are reported by the schema.)
      const inFile = fileRowByEmail.get(managerEmail)
      const inHaven = existingByEmail.get(managerEmail)
      if (inFile?.existing) ref = { kind: 'existing', id: inFile.existing.id }
      else if (inFile) ref = { kind: 'new', email: managerEmail }
      else if (inHaven) ref = { kind: 'existing', id: inHaven.id }
      else
        errors.add(
          row.row,
          'lineManagerEmail',
          `No one with the email address ${managerEmail} is in this file or in Haven. Add the line manager to the file, or check the email address`,
        )
    }
    refs.set(row, ref)
  }
  return refs
}

/** Line-management loops in the school as it would be after the import, reported on each row in them. */
function checkLineManagementLoops(
  rows: readonly StaffRow[],
  lineManagers: ReadonlyMap<StaffRow, LineManagerRef | null>,
  existing: readonly Person[],
  errors: ErrorList,
): void {
  // New people have no id yet: a key no real id can equal stands in for them.
  const newKey = (email: string) => `\u0000new:${email}`
  const rowById = new Map<string, StaffRow>()
  const graph: LineManagedPerson[] = []
  for (const row of rows) {
    const id = row.existing?.id ?? newKey(row.email ?? `row ${row.row}`)
    if (rowById.has(id)) continue
    rowById.set(id, row)
    const ref = lineManagers.get(row) ?? null
    graph.push({ id, lineManagerId: ref === null ? null : ref.kind === 'existing' ? ref.id : newKey(ref.email) })
  }
  const existingById = new Map(existing.map((p) => [p.id, p]))
  for (const person of existing)
    if (!rowById.has(person.id)) graph.push({ id: person.id, lineManagerId: person.lineManagerId })
  const emailOf = (id: string) => rowById.get(id)?.email ?? normaliseEmail(existingById.get(id)?.email ?? id)
  for (const loop of findLineManagementLoops(graph)) {
    const rowsInLoop = loop.flatMap((id) => rowById.get(id) ?? [])
    // A loop of one is someone managing themself, which the schema reports.
    if (rowsInLoop.length === 0 || loop.length < 2) continue
    const [first, ...rest] = [...loop, loop[0]!].map(emailOf)
    const description = rest.reduce(
      (text, email, i) => `${text}${i === 0 ? ' reports to ' : ', who reports to '}${email}`,
      first!,
    )
    for (const row of rowsInLoop)
      errors.add(
        row.row,
        'lineManagerEmail',
        `Line managers form a loop: ${description}. Change the line manager of one of these people`,
      )
  }
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const setA = new Set(a)
  const setB = new Set(b)
  return setA.size === setB.size && [...setA].every((x) => setB.has(x))
}

/**
 * Reads a staff CSV and plans the import against the school's existing people. Never throws for
 * bad input: a file that cannot be read, or any row with a problem, gives `{ ok: false, errors }`
 * with every problem found (sorted by row, then column). Output order is deterministic: file order
 * for creates, updates and unchanged, `existing` order for notInFile.
 */
export function planStaffImport(input: PlanStaffImportInput): StaffImportPlan {
  const read = readStaffSheet(input.buffer)
  if (!read.ok) return { ok: false, errors: read.errors }
  const { sheet } = read

  const existingByEmail = new Map<string, Person>()
  for (const person of input.existing) {
    const key = normaliseEmail(person.email)
    if (!existingByEmail.has(key)) existingByEmail.set(key, person)
  }
  const errors = new ErrorList(sheet.headings)
  const context: RowContext = {
    headings: sheet.headings,
    headingCount: sheet.headingCount,
    existingByEmail,
    schema: makePersonFieldsSchema({ customRoleIds: (input.customRoles ?? []).map((r) => r.id) }),
    matchRole: makeRoleMatcher(input.customRoles ?? []),
    errors,
  }
  const rows = sheet.rows.map(({ row, record }) => readStaffRow(row, record, context))
  checkDuplicateEmails(rows, errors)
  const lineManagers = resolveLineManagers(rows, existingByEmail, errors)
  checkLineManagementLoops(rows, lineManagers, input.existing, errors)
  if (errors.size > 0) return { ok: false, errors: errors.sorted() }

  const creates: PersonDraft[] = []
  const updates: StaffUpdate[] = []
  const unchanged: Person[] = []
  for (const row of rows) {
    const { lineManagerEmail: _email, lineManagerId: _id, ...fields } = row.fields!
    const draft: PersonDraft = {
      ...fields,
      schoolId: input.schoolId,
      lineManager: lineManagers.get(row) ?? null,
    }
    const before = row.existing
    if (!before) {
      creates.push(draft)
      continue
    }
    const { after, changedFields } = diffPerson(before, draft)
    if (changedFields.length === 0) unchanged.push(before)
    else updates.push({ id: before.id, before, after, changedFields })
  }
  const matched = new Set(rows.map((row) => row.existing?.id))
  return {
    ok: true,
    creates,
    updates,
    unchanged,
    notInFile: input.existing.filter((person) => !matched.has(person.id)),
    ignoredColumns: sheet.headings.ignored,
  }
}

/** Compares an existing person with the imported draft; equal fields keep `before`'s exact value. */
function diffPerson(before: Person, draft: PersonDraft): { after: PersonDraft; changedFields: StaffChangedField[] } {
  const changed: StaffChangedField[] = []
  const after: PersonDraft = { ...draft, schoolId: before.schoolId, email: before.email, flags: { ...draft.flags } }
  if (normaliseText(before.name) === draft.name) after.name = before.name
  else changed.push('name')
  if (normaliseText(before.jobTitle) === draft.jobTitle) after.jobTitle = before.jobTitle
  else changed.push('jobTitle')
  if (sameSet(before.roles, draft.roles)) after.roles = before.roles
  else changed.push('roles')
  const managerId = draft.lineManager?.kind === 'existing' ? draft.lineManager.id : null
  if (!(draft.lineManager === null ? before.lineManagerId === null : managerId === before.lineManagerId))
    changed.push('lineManagerId')
  if (before.employmentType !== draft.employmentType) changed.push('employmentType')
  if (before.partTime !== draft.partTime) changed.push('partTime')
  if (sameSet(before.workingDays, draft.workingDays)) after.workingDays = before.workingDays
  else changed.push('workingDays')
  if (before.startDate !== draft.startDate) changed.push('startDate')
  if (before.endDate !== draft.endDate) changed.push('endDate')
  for (const key of flagColumns) if (before.flags[key] !== draft.flags[key]) changed.push(`flags.${key}`)
  if (before.supervisorTrainedOn !== draft.supervisorTrainedOn) changed.push('supervisorTrainedOn')
  return { after, changedFields: changed }
}

/**
 * Turns a successful plan into `Person` rows once the caller has chosen ids for new people.
 * `newId` is called once per create, in order; line managers given as `{ kind: 'new', email }`
 * get the id chosen for that person. When line_manager_id is a foreign key, insert the creates
 * with `lineManagerId: null` first and then set line managers, or defer the constraint.
 */
export function resolveStaffImport(
  plan: Extract<StaffImportPlan, { ok: true }>,
  newId: (draft: PersonDraft) => string,
): { creates: Person[]; updates: Person[] } {
  const idByEmail = new Map<string, string>()
  for (const draft of plan.creates) idByEmail.set(normaliseEmail(draft.email), newId(draft))
  const resolve = (ref: LineManagerRef | null): string | null => {
    if (ref === null) return null
    if (ref.kind === 'existing') return ref.id
    const id = idByEmail.get(normaliseEmail(ref.email))
    if (id === undefined) throw new Error(`No new person with the email ${ref.email} in this import plan`)
    return id
  }
  const toPerson = (id: string, draft: PersonDraft): Person => {
    const { lineManager, ...rest } = draft
    return { ...rest, id, lineManagerId: resolve(lineManager), flags: { ...draft.flags } }
  }
  return {
    creates: plan.creates.map((draft) => toPerson(idByEmail.get(normaliseEmail(draft.email))!, draft)),
    updates: plan.updates.map((update) => toPerson(update.id, update.after)),
  }
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

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
