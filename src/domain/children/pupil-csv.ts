/**
 * Issue 15: the pupil register, imported from the school's MIS (SIMS, Arbor, Bromcom,
 * Scholarpack) with the staff import's quality: the same dialect detection (encodings,
 * delimiters, workbooks refused), headings matched ignoring case and punctuation with the MIS's
 * usual names as aliases, every problem named by spreadsheet row and column, and a plan (add,
 * update, unchanged) previewed before anything changes. Pupils are matched by UPN, else MIS id.
 *
 * Pure: no clock, no I/O; the buffer is passed in.
 */
import type { IsoDate } from '../people/person.ts'
import { normaliseText } from '../people/person-rules.ts'
import {
  decodeStaffCsv,
  normaliseHeading,
  parseCsvDate,
  readRecords,
  type StaffImportError,
  staffCsvLimits,
  stripFormulaGuard,
} from '../people/staff-csv/index.ts'

export type PupilImportError = StaffImportError

export type PupilColumnKey = 'upn' | 'misId' | 'fullName' | 'firstName' | 'lastName' | 'dateOfBirth' | 'yearGroup'

export interface PupilColumn {
  key: PupilColumnKey
  name: string
  aliases: readonly string[]
  description: string
  example: string
}

export const pupilCsvColumns: readonly PupilColumn[] = Object.freeze([
  {
    key: 'upn',
    name: 'UPN',
    aliases: ['Unique pupil number', 'Pupil UPN'],
    description: 'The unique pupil number: a letter and 12 more characters. Give this or an MIS id.',
    example: 'A123456789012',
  },
  {
    key: 'misId',
    name: 'MIS id',
    aliases: ['Admission number', 'Adno', 'Adm no', 'Pupil id', 'Student id', 'Arbor id', 'Person id', 'MIS reference'],
    description: 'The pupil’s id in your MIS. Give this or a UPN.',
    example: '004512',
  },
  {
    key: 'fullName',
    name: 'Full name',
    aliases: ['Name', 'Pupil name', 'Student name'],
    description: 'The pupil’s name, or use First name and Last name.',
    example: 'Aisha Begum',
  },
  {
    key: 'firstName',
    name: 'First name',
    aliases: ['Forename', 'Legal forename', 'Preferred forename', 'Given name'],
    description: 'The pupil’s first name, with Last name.',
    example: 'Aisha',
  },
  {
    key: 'lastName',
    name: 'Last name',
    aliases: ['Surname', 'Legal surname', 'Preferred surname', 'Family name'],
    description: 'The pupil’s last name, with First name.',
    example: 'Begum',
  },
  {
    key: 'dateOfBirth',
    name: 'Date of birth',
    aliases: ['DOB', 'Birth date', 'Birthdate'],
    description: 'As 14/03/2016 (day first) or 2016-03-14.',
    example: '14/03/2016',
  },
  {
    key: 'yearGroup',
    name: 'Year group',
    aliases: ['Year', 'NC year', 'Curriculum year', 'Year of education'],
    description: 'As your MIS writes it, for example Year 4 or Reception.',
    example: 'Year 4',
  },
])

const headingIndex: ReadonlyMap<string, PupilColumnKey> = new Map(
  pupilCsvColumns.flatMap((c) => [c.name, ...c.aliases].map((h) => [normaliseHeading(h), c.key] as const)),
)

/** Which column a heading is, or `undefined` when Haven does not read it. */
export function pupilCsvColumnFor(heading: string): PupilColumnKey | undefined {
  return headingIndex.get(normaliseHeading(stripFormulaGuard(heading)))
}

const upnPattern = /^[A-Z][0-9]{11}[0-9A-Z]$/

/** A UPN as the DfE writes it: a letter, 11 digits and a digit or letter (temporary UPNs end in a letter). */
export function isUpn(text: string): boolean {
  return upnPattern.test(text)
}

export interface PupilFields {
  upn: string | null
  misId: string | null
  name: string
  dateOfBirth: IsoDate
  yearGroup: string
}

export interface ExistingPupil extends PupilFields {
  id: string
}

export interface PupilUpdate {
  id: string
  before: PupilFields
  after: PupilFields
  changed: ('upn' | 'misId' | 'name' | 'dateOfBirth' | 'yearGroup')[]
}

export interface PupilImportPlan {
  creates: PupilFields[]
  updates: PupilUpdate[]
  unchanged: ExistingPupil[]
  ignoredColumns: string[]
}

export type PupilPlanResult = { ok: true; plan: PupilImportPlan } | { ok: false; errors: PupilImportError[] }

function isBlank(record: readonly string[]): boolean {
  return record.every((c) => c.trim() === '')
}

const fieldLimits = { name: 200, misId: 50, yearGroup: 50 }

/** Reads a pupil list and plans what importing it into a register holding `existing` would do. */
export function planPupilImport(buffer: Uint8Array, existing: readonly ExistingPupil[]): PupilPlanResult {
  const decoded = decodeStaffCsv(buffer)
  if (!decoded.ok) return { ok: false, errors: [decoded.error] }
  const read = readRecords(decoded.text)
  if (!read.ok) return { ok: false, errors: [read.error] }
  const records = read.records
  const firstRows = records
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !isBlank(r))
    .slice(0, 10)
  if (firstRows.length === 0)
    return { ok: false, errors: [{ row: null, column: null, message: 'The selected file is empty' }] }
  const headingAt =
    firstRows.find(({ r }) => r.some((c) => pupilCsvColumnFor(c) === 'upn' || pupilCsvColumnFor(c) === 'misId')) ??
    firstRows[0]!
  const headings = headingAt.r.map((c) => normaliseText(stripFormulaGuard(c)))
  const index = new Map<PupilColumnKey, number>()
  const ignoredColumns: string[] = []
  headings.forEach((h, i) => {
    if (h === '') return
    const key = pupilCsvColumnFor(h)
    if (!key) ignoredColumns.push(h)
    else if (!index.has(key)) index.set(key, i)
  })
  const headingOf = (key: PupilColumnKey) =>
    index.has(key) ? headings[index.get(key)!]! : pupilCsvColumns.find((c) => c.key === key)!.name
  const missing: PupilImportError[] = []
  if (!index.has('upn') && !index.has('misId'))
    missing.push({ row: 1, column: 'UPN', message: 'The file must have a "UPN" column or an "MIS id" column' })
  if (!index.has('fullName') && !(index.has('firstName') && index.has('lastName')))
    missing.push({
      row: 1,
      column: 'Full name',
      message: 'The file must have "First name" and "Last name" columns, or a "Full name" column',
    })
  if (!index.has('dateOfBirth'))
    missing.push({ row: 1, column: 'Date of birth', message: 'The file must have a "Date of birth" column' })
  if (missing.length > 0) return { ok: false, errors: missing }

  const rows: { row: number; record: string[] }[] = []
  for (let i = headingAt.i + 1; i < records.length; i++)
    if (!isBlank(records[i]!)) rows.push({ row: i + 1, record: records[i]! })
  if (rows.length === 0)
    return { ok: false, errors: [{ row: null, column: null, message: 'The selected file has headings but no pupils' }] }
  if (rows.length > staffCsvLimits.maxRows)
    return {
      ok: false,
      errors: [
        {
          row: null,
          column: null,
          message: `The selected file must have ${staffCsvLimits.maxRows.toLocaleString('en-GB')} rows of pupils or fewer`,
        },
      ],
    }

  const errors: PupilImportError[] = []
  const order = new Map<PupilImportError, number>()
  const add = (row: number, key: PupilColumnKey | null, message: string) => {
    const error = { row, column: key ? headingOf(key) : null, message }
    order.set(error, key ? (index.get(key) ?? -1) : -1)
    errors.push(error)
  }
  const cell = (record: readonly string[], key: PupilColumnKey) => {
    const i = index.get(key)
    return i === undefined ? '' : normaliseText(stripFormulaGuard(record[i] ?? ''))
  }
  const read_: { row: number; fields: PupilFields }[] = []
  const given: { row: number; upn: string | null; misId: string | null }[] = []
  for (const { row, record } of rows) {
    let ok = true
    const upnRaw = cell(record, 'upn').toUpperCase().replace(/\s/g, '')
    const misId = cell(record, 'misId')
    given.push({ row, upn: upnRaw || null, misId: misId || null })
    if (upnRaw !== '' && !isUpn(upnRaw)) {
      add(row, 'upn', 'Enter a UPN of a letter and 12 more characters, like A123456789012')
      ok = false
    }
    if (upnRaw === '' && misId === '') {
      add(row, index.has('upn') ? 'upn' : 'misId', 'Enter the pupil’s UPN or MIS id')
      ok = false
    }
    if (misId.length > fieldLimits.misId) {
      add(row, 'misId', `The MIS id must be ${fieldLimits.misId} characters or fewer`)
      ok = false
    }
    const name = index.has('fullName')
      ? cell(record, 'fullName')
      : `${cell(record, 'firstName')} ${cell(record, 'lastName')}`.trim()
    if (name === '') {
      add(row, index.has('fullName') ? 'fullName' : 'firstName', 'Enter the pupil’s name')
      ok = false
    } else if (name.length > fieldLimits.name) {
      add(row, index.has('fullName') ? 'fullName' : 'firstName', 'The name must be 200 characters or fewer')
      ok = false
    }
    const dob = parseCsvDate(cell(record, 'dateOfBirth'), 'Date of birth')
    if (!dob.ok) {
      add(row, 'dateOfBirth', dob.message)
      ok = false
    } else if (dob.value === null) {
      add(row, 'dateOfBirth', 'Enter the pupil’s date of birth')
      ok = false
    }
    const yearGroup = cell(record, 'yearGroup')
    if (yearGroup.length > fieldLimits.yearGroup) {
      add(row, 'yearGroup', 'The year group must be 50 characters or fewer')
      ok = false
    }
    if (ok && dob.ok && dob.value)
      read_.push({
        row,
        fields: { upn: upnRaw || null, misId: misId || null, name, dateOfBirth: dob.value, yearGroup },
      })
  }

  // Across rows: a UPN or MIS id given twice.
  for (const key of ['upn', 'misId'] as const) {
    const seen = new Map<string, number>()
    for (const r of given) {
      const v = r[key]
      if (v === null) continue
      const first = seen.get(v)
      if (first !== undefined)
        add(r.row, key, `${key === 'upn' ? 'The UPN' : 'The MIS id'} ${v} is also on row ${first}`)
      else seen.set(v, r.row)
    }
  }
  if (errors.length > 0)
    return {
      ok: false,
      // In the file's order: by row, then by column as the file has them.
      errors: errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || order.get(a)! - order.get(b)!),
    }

  const byUpn = new Map(existing.filter((p) => p.upn).map((p) => [p.upn!, p]))
  const byMis = new Map(existing.filter((p) => p.misId).map((p) => [p.misId!, p]))
  const plan: PupilImportPlan = { creates: [], updates: [], unchanged: [], ignoredColumns }
  const claimed = new Set<string>()
  for (const { row, fields } of read_) {
    const match =
      (fields.upn ? byUpn.get(fields.upn) : undefined) ?? (fields.misId ? byMis.get(fields.misId) : undefined)
    if (!match) {
      plan.creates.push(fields)
      continue
    }
    if (claimed.has(match.id)) {
      add(row, 'upn', `This row and another row are both ${match.name}, already on the register`)
      continue
    }
    claimed.add(match.id)
    const after: PupilFields = {
      upn: index.has('upn') ? fields.upn : match.upn,
      misId: index.has('misId') ? fields.misId : match.misId,
      name: fields.name,
      dateOfBirth: fields.dateOfBirth,
      yearGroup: index.has('yearGroup') ? fields.yearGroup : match.yearGroup,
    }
    const changed = (['upn', 'misId', 'name', 'dateOfBirth', 'yearGroup'] as const).filter((k) => after[k] !== match[k])
    if (changed.length === 0) plan.unchanged.push(match)
    else plan.updates.push({ id: match.id, before: match, after, changed })
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, plan }
}

export const pupilChangedLabels: Readonly<Record<PupilUpdate['changed'][number], string>> = {
  upn: 'UPN',
  misId: 'MIS id',
  name: 'Name',
  dateOfBirth: 'Date of birth',
  yearGroup: 'Year group',
}
