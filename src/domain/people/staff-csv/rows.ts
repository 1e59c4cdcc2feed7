/**
 * Stage 3 of a staff import: the rules for one row. Cell parsers (dates, yes/no, working pattern,
 * working days, employment type, roles), then `readStaffRow`, which reads a row against the
 * headings, starts from the existing person with that email (absent columns keep their values) or
 * from the defaults, and checks the person as a whole with the shared person schema.
 */
import type { EmploymentType, IsoDate, Person, PersonFlags, Weekday } from '../person.ts'
import {
  defaultWorkingDays,
  isRealIsoDate,
  isValidEmail,
  type makePersonFieldsSchema,
  normaliseEmail,
  normaliseText,
  type PersonFields,
  type PersonFieldsInput,
} from '../person-rules.ts'
import { type RoleDefinition, type RoleId, roleCatalogue } from '../roles.ts'
import { stripFormulaGuard } from './dialect.ts'
import {
  columnNamed,
  type ErrorList,
  flagColumns,
  fullTimeHoursPerWeek,
  type HeadingMap,
  normaliseHeading,
  type StaffCsvColumnKey,
} from './headers.ts'
import { nameKeysOf, staffCodeKey } from './managers.ts'

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

/** A yes or no word (already trimmed and lower case) as a cell result, or `null` when it is neither. */
function yesNoWord(text: string): CellResult<boolean> | null {
  if (yesValues.has(text)) return { ok: true, value: true }
  if (noValues.has(text)) return { ok: true, value: false }
  return null
}

/** Yes/No, Y/N, true/false, 1/0 in any case; blank is no. */
export function parseYesNo(raw: string, label: string): CellResult<boolean> {
  return yesNoWord(raw.trim().toLowerCase()) ?? { ok: false, message: `${label} must be yes or no` }
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
    const answer = yesNoWord(text)
    if (answer) return answer
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

export interface RowContext {
  headings: HeadingMap
  headingCount: number
  existingByEmail: ReadonlyMap<string, Person>
  schema: ReturnType<typeof makePersonFieldsSchema>
  matchRole: (text: string) => RoleId | undefined
  /**
   * When the file has no Roles column: the role a job title gives (issue 18), or `null` for none.
   * Used for people the import adds (the school's choice, else the suggestion) and people in Haven
   * with no roles yet (the school's choice only, so a suggestion never changes someone already there).
   */
  roleForJobTitle?: (title: string, options: { suggest: boolean }) => RoleId | null
  errors: ErrorList
}

export interface StaffRow {
  row: number
  /** Normalised, or `null` when missing or not a valid address. */
  email: string | null
  /** The existing person with this email, if any. */
  existing: Person | undefined
  /** Normalised; `undefined` when the file has no line manager column, `null` when the cell is blank or not an email. */
  lineManagerEmail: string | null | undefined
  /** A line manager given by name or staff code instead of an email (issue 18), as written; otherwise `null`. */
  lineManagerName: string | null
  /** The ways this person's name can be written, for line managers given by name (see managers.ts). */
  nameKeys: string[]
  /** The Staff code column's value, compared ignoring case and punctuation; `null` when blank or absent. */
  staffCode: string | null
  /** The validated fields, or `null` when the row has errors. */
  fields: PersonFields | null
  /** A decision by name from the In scope column, or `null` when blank or absent. */
  scope: StaffScopeDecision | null
}

/** From the In scope and Scope reason columns: they must (or need not) receive supervision, and why. */
export interface StaffScopeDecision {
  required: boolean
  reason: string
}

/** The longest scope reason accepted, in characters. */
export const scopeReasonLimit = 500

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
export function readStaffRow(row: number, record: readonly string[], context: RowContext): StaffRow {
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
  } else if (context.roleForJobTitle && (existing === undefined || existing.roles.length === 0)) {
    const role = context.roleForJobTitle(normaliseText(candidate.jobTitle ?? ''), { suggest: existing === undefined })
    if (role !== null) candidate.roles = [role]
  }
  let lineManagerEmail: string | null | undefined
  let lineManagerName: string | null = null
  if (has('lineManagerEmail')) {
    const raw = cell('lineManagerEmail')
    // Without an @ it is a name or a staff code, matched across the file and Haven in the plan.
    if (raw !== '' && !raw.includes('@')) {
      lineManagerName = normaliseText(raw)
      lineManagerEmail = null
    } else lineManagerEmail = raw === '' ? null : normaliseEmail(raw)
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

  let scope: StaffScopeDecision | null = null
  if (has('inScope') && cell('inScope') !== '') {
    const answer = parseYesNo(cell('inScope'), 'In scope')
    const reason = normaliseText(cell('scopeReason'))
    if (!answer.ok) fail('inScope', answer.message)
    else if (reason === '')
      fail(has('scopeReason') ? 'scopeReason' : 'inScope', 'Enter a scope reason when In scope is Yes or No')
    else if (reason.length > scopeReasonLimit)
      fail('scopeReason', `Scope reason must be ${scopeReasonLimit} characters or fewer`)
    else scope = { required: answer.value, reason }
  } else if (has('scopeReason') && cell('scopeReason') !== '') {
    fail('inScope', 'Enter Yes or No in In scope, or leave Scope reason blank')
  }

  const result = context.schema.safeParse(candidate)
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = columnForIssue(issue.path, headings)
      if (key === null) errors.add(row, null, issue.message)
      else fail(key, issue.message)
    }
  }
  const firstNames = (headings.indexes.get('firstName') ?? []).map((i) => normaliseText(record[i] ?? ''))
  const code = staffCodeKey(cell('staffCode'))
  return {
    row,
    email: isValidEmail(email) ? email : null,
    existing,
    lineManagerEmail,
    lineManagerName,
    nameKeys: nameKeysOf([candidate.name ?? ''], firstNames, cell('lastName')),
    staffCode: code === '' ? null : code,
    fields: result.success && failed.size === 0 ? result.data : null,
    scope,
  }
}
