/**
 * The values a record holds for a template: checking them, in the GOV.UK Design System's
 * wording, and a canonical form of them that a signature can be made over.
 *
 * Values are one flat object keyed by field id. Shapes, by field kind:
 * - short-text, long-text, date (YYYY-MM-DD), time (HH:MM), single-choice: string, '' when blank
 * - yes-no: boolean, null when blank; scale: whole number, null when blank
 * - multiple-choice, framework-tags: string[] of option values
 * - person: { personId, name } or null; child-or-family: { kind, name, reference } or null
 * - table: rows of { [columnId]: string | boolean | null }
 * - actions: { text, owner, dueOn, id?, ownerId? }[]
 * - signatures: { [signatoryId]: { name, role, signedOn, personId } }, written by the signing step,
 *   never required by `validateEntry` and left out of the canonical content (a signature is made over it).
 *
 * `validateEntry` is forgiving about how values arrive from a form: a date may be
 * `{ day, month, year }`, a scale a numeric string, a yes/no answer 'yes' or 'no', a person or an
 * action a plain string. On success it returns the values in the shapes above.
 */
import { createHash } from 'node:crypto'
import type { IsoDate } from '../people/person.ts'
import {
  type ChoiceOption,
  defaultLongTextMaxLength,
  defaultScaleMax,
  defaultScaleMin,
  defaultShortTextMaxLength,
  type Field,
  type TableColumn,
  type Template,
  templateFields,
} from './template.ts'

export const EntryMode = { Draft: 'draft', Complete: 'complete' } as const
export type EntryMode = (typeof EntryMode)[keyof typeof EntryMode]

export interface PersonValue {
  /** The person's id in Haven, or null for someone outside it (an external supervisor, say). */
  personId: string | null
  name: string
}

export interface ChildOrFamilyValue {
  kind: 'child' | 'family'
  name: string
  /** The child's or family's reference in the school's own safeguarding system (CPOMS, MyConcern ...). */
  reference: string | null
}

export type CellValue = string | boolean | null
export type TableRow = Record<string, CellValue>

export interface ActionValue {
  /** A stable id, given by whoever stores the action, so it can be reviewed at the next session. */
  id?: string
  text: string
  /** Who will do it. */
  owner: string
  ownerId?: string
  /** When it is due, YYYY-MM-DD, or ''. */
  dueOn: string
}

export interface SignatureValue {
  name: string
  role: string
  signedOn: IsoDate
  personId: string | null
}

export type FieldValue =
  | string
  | boolean
  | number
  | null
  | string[]
  | PersonValue
  | ChildOrFamilyValue
  | TableRow[]
  | ActionValue[]
  | Record<string, SignatureValue>

export type EntryValues = Record<string, FieldValue>

/** Error messages keyed by field path: `concerns`, `caseManagement.1.advice`, `actionsAgreed.0.text`. */
export type EntryErrors = Record<string, string>

export type EntryValidation = { ok: true; values: EntryValues } | { ok: false; errors: EntryErrors }

export interface EntryOptions {
  /** Drafts may leave required fields blank; completing a record needs them. */
  mode: EntryMode
  /** Today's date, to check dates that may not be in the future. Left out, they are not checked. */
  today?: IsoDate
}

// ---------------------------------------------------------------------------------------------
// Wording

const lowerFirst = (s: string): string => {
  // Keep acronyms and names as written: "EYFS key children", "CPD".
  if (s.length > 1 && s[1] === s[1]?.toUpperCase() && s[1] !== s[1]?.toLowerCase()) return s
  return s.charAt(0).toLowerCase() + s.slice(1)
}
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** The noun phrase for a field or column in an error message. */
function nameOf(item: { label: string; errorName?: string }): string {
  if (item.errorName !== undefined) return item.errorName
  return lowerFirst(item.label.trim().replace(/[:.]$/, ''))
}

function enterMessage(item: { label: string; errorName?: string }): string {
  if (item.errorName === undefined && item.label.trim().endsWith('?'))
    return `Answer the question: ${item.label.trim()}`
  return `Enter ${nameOf(item)}`
}

function selectMessage(item: { label: string; errorName?: string }): string {
  if (item.errorName === undefined && item.label.trim().endsWith('?'))
    return `Answer the question: ${item.label.trim()}`
  return `Select ${nameOf(item)}`
}

// ---------------------------------------------------------------------------------------------
// Small parsers shared by fields and columns. Each returns a normalised value, or an error code.

type Parsed<T> = { value: T } | { problem: string }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)

function cleanText(v: string): string {
  return v.normalize('NFC').replace(/\r\n?/g, '\n').trim()
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function isoFromParts(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** True if the string is a real calendar date written YYYY-MM-DD. */
export function isRealIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  return m !== null && isoFromParts(Number(m[1]), Number(m[2]), Number(m[3])) !== null
}

/** Parses a date given as YYYY-MM-DD or as GOV.UK date-input parts. '' when blank. */
function parseDate(v: unknown, name: string): Parsed<string> {
  if (isBlank(v)) return { value: '' }
  const Name = upperFirst(name)
  if (typeof v === 'string') {
    const s = v.trim()
    return isRealIsoDate(s) ? { value: s } : { problem: `${Name} must be a real date` }
  }
  if (isRecord(v)) {
    const parts = { day: v['day'], month: v['month'], year: v['year'] }
    const text = (p: unknown) => (typeof p === 'number' ? String(p) : typeof p === 'string' ? p.trim() : '')
    const day = text(parts.day)
    const month = text(parts.month)
    const year = text(parts.year)
    if (day === '' && month === '' && year === '') return { value: '' }
    const missing = [day === '' ? 'day' : null, month === '' ? 'month' : null, year === '' ? 'year' : null].filter(
      (x): x is string => x !== null,
    )
    if (missing.length > 0) return { problem: `${Name} must include a ${missing.join(' and ')}` }
    if (!/^\d{4}$/.test(year)) return { problem: 'Year must include 4 numbers' }
    if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month)) return { problem: `${Name} must be a real date` }
    const iso = isoFromParts(Number(year), Number(month), Number(day))
    return iso === null ? { problem: `${Name} must be a real date` } : { value: iso }
  }
  return { problem: `${Name} must be a real date` }
}

function parseTime(v: unknown, name: string): Parsed<string> {
  if (isBlank(v)) return { value: '' }
  if (typeof v === 'string') {
    const m = /^(\d{1,2})[:.](\d{2})$/.exec(v.trim())
    if (m !== null) {
      const h = Number(m[1])
      const min = Number(m[2])
      if (h <= 23 && min <= 59) return { value: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` }
    }
  }
  return { problem: `${upperFirst(name)} must be a real time, like 09:30 or 14:15` }
}

function parseText(v: unknown, name: string, max: number): Parsed<string> {
  if (v === undefined || v === null) return { value: '' }
  if (typeof v !== 'string') return { problem: `${upperFirst(name)} must be text` }
  const s = cleanText(v)
  if (s.length > max) return { problem: `${upperFirst(name)} must be ${String(max)} characters or fewer` }
  return { value: s }
}

function parseYesNo(v: unknown, item: { label: string; errorName?: string }): Parsed<boolean | null> {
  if (isBlank(v)) return { value: null }
  if (typeof v === 'boolean') return { value: v }
  if (v === 'yes' || v === 'true') return { value: true }
  if (v === 'no' || v === 'false') return { value: false }
  return { problem: yesNoMessage(item) }
}

function yesNoMessage(item: { label: string; errorName?: string }): string {
  if (item.errorName !== undefined) return `Select yes or no for ${item.errorName}`
  const label = item.label.trim()
  return label.endsWith('?') ? `Select yes or no: ${label}` : `Select yes or no for ${lowerFirst(label)}`
}

function parseChoice(v: unknown, options: ChoiceOption[], name: string): Parsed<string> {
  if (isBlank(v)) return { value: '' }
  if (typeof v === 'string' && options.some((o) => o.value === v.trim())) return { value: v.trim() }
  return { problem: `Select ${name} from the list` }
}

function parsePerson(v: unknown, name: string): Parsed<PersonValue | null> {
  if (isBlank(v)) return { value: null }
  if (typeof v === 'string') return { value: { personId: null, name: cleanText(v) } }
  if (isRecord(v)) {
    const personName = typeof v['name'] === 'string' ? cleanText(v['name']) : ''
    const personId = typeof v['personId'] === 'string' && v['personId'].trim() !== '' ? v['personId'].trim() : null
    if (personName === '' && personId === null) return { value: null }
    if (personName === '') return { problem: `Enter ${name}` }
    if (personName.length > defaultShortTextMaxLength) {
      return { problem: `${upperFirst(name)} must be ${String(defaultShortTextMaxLength)} characters or fewer` }
    }
    return { value: { personId, name: personName } }
  }
  return { problem: `Enter ${name}` }
}

// ---------------------------------------------------------------------------------------------
// Fields

interface Context {
  mode: EntryMode
  today: IsoDate | undefined
  errors: EntryErrors
}

function addError(ctx: Context, path: string, message: string): void {
  if (ctx.errors[path] === undefined) ctx.errors[path] = message
}

function scaleBounds(field: Extract<Field, { kind: 'scale' }>): [number, number] {
  return [field.min ?? defaultScaleMin, field.max ?? defaultScaleMax]
}

/** Normalises one field's value, recording errors in ctx. Returns the best normalised value. */
function checkField(field: Field, raw: unknown, ctx: Context): FieldValue {
  const name = nameOf(field)
  const Name = upperFirst(name)
  const complete = ctx.mode === 'complete'
  const path = field.id
  const fail = (message: string, fallback: FieldValue): FieldValue => {
    addError(ctx, path, message)
    return fallback
  }
  const fallbackOf = (v: unknown): FieldValue => (typeof v === 'string' ? cleanText(v) : (v as FieldValue))

  switch (field.kind) {
    case 'short-text':
    case 'long-text': {
      const max =
        field.maxLength ?? (field.kind === 'short-text' ? defaultShortTextMaxLength : defaultLongTextMaxLength)
      const parsed = parseText(raw, name, max)
      if ('problem' in parsed) return fail(parsed.problem, fallbackOf(raw))
      if (complete && field.required && parsed.value === '') return fail(enterMessage(field), '')
      return parsed.value
    }
    case 'date': {
      const parsed = parseDate(raw, name)
      if ('problem' in parsed) return fail(parsed.problem, fallbackOf(raw))
      if (complete && field.required && parsed.value === '') return fail(enterMessage(field), '')
      if (field.notInFuture && ctx.today !== undefined && parsed.value !== '' && parsed.value > ctx.today) {
        return fail(`${Name} must be today or in the past`, parsed.value)
      }
      return parsed.value
    }
    case 'time': {
      const parsed = parseTime(raw, name)
      if ('problem' in parsed) return fail(parsed.problem, fallbackOf(raw))
      if (complete && field.required && parsed.value === '') return fail(enterMessage(field), '')
      return parsed.value
    }
    case 'yes-no': {
      const parsed = parseYesNo(raw, field)
      if ('problem' in parsed) return fail(parsed.problem, fallbackOf(raw))
      if (complete && field.required && parsed.value === null) return fail(yesNoMessage(field), null)
      return parsed.value
    }
    case 'single-choice': {
      const parsed = parseChoice(raw, field.options, name)
      if ('problem' in parsed) return fail(parsed.problem, fallbackOf(raw))
      if (complete && field.required && parsed.value === '') return fail(selectMessage(field), '')
      return parsed.value
    }
    case 'multiple-choice':
    case 'framework-tags': {
      const list = isBlank(raw) ? [] : typeof raw === 'string' ? [raw] : raw
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
        return fail(`Select ${name} from the list`, fallbackOf(raw))
      }
      const chosen = new Set(list.map((x: string) => x.trim()).filter((x) => x !== ''))
      const known = field.options.map((o) => o.value)
      if ([...chosen].some((x) => !known.includes(x))) return fail(`Select ${name} from the list`, [...chosen])
      const ordered = known.filter((x) => chosen.has(x))
      if (complete && field.required && ordered.length === 0) return fail(selectMessage(field), [])
      return ordered
    }
    case 'scale': {
      const [min, max] = scaleBounds(field)
      if (isBlank(raw)) {
        if (complete && field.required) return fail(selectMessage(field), null)
        return null
      }
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN
      if (!Number.isInteger(n) || n < min || n > max) {
        return fail(`${Name} must be a whole number from ${String(min)} to ${String(max)}`, fallbackOf(raw))
      }
      return n
    }
    case 'person': {
      const parsed = parsePerson(raw, name)
      if ('problem' in parsed) return fail(parsed.problem, fallbackOf(raw))
      if (complete && field.required && parsed.value === null) return fail(enterMessage(field), null)
      return parsed.value
    }
    case 'child-or-family':
      return checkChildOrFamily(field, raw, ctx)
    case 'table':
      return checkTable(field, raw, ctx)
    case 'actions':
      return checkActions(field, raw, ctx)
    case 'signatures':
      return checkSignatures(field, raw, ctx)
  }
}

function checkChildOrFamily(
  field: Extract<Field, { kind: 'child-or-family' }>,
  raw: unknown,
  ctx: Context,
): FieldValue {
  const name = nameOf(field)
  const path = field.id
  const onlyKind = field.allow.length === 1 ? field.allow[0] : undefined
  let value: ChildOrFamilyValue | null = null
  if (isBlank(raw)) {
    value = null
  } else if (typeof raw === 'string') {
    if (onlyKind === undefined) {
      addError(ctx, path, `Select whether ${name} is a child or a family`)
      return cleanText(raw)
    }
    value = { kind: onlyKind, name: cleanText(raw), reference: null }
  } else if (isRecord(raw)) {
    const personName = typeof raw['name'] === 'string' ? cleanText(raw['name']) : ''
    const reference =
      typeof raw['reference'] === 'string' && raw['reference'].trim() !== '' ? cleanText(raw['reference']) : null
    const kind = raw['kind'] === undefined || raw['kind'] === '' ? onlyKind : raw['kind']
    if (personName === '' && reference === null && (raw['kind'] === undefined || raw['kind'] === '')) {
      value = null
    } else if (kind !== 'child' && kind !== 'family') {
      addError(ctx, path, `Select whether ${name} is a child or a family`)
      return raw as FieldValue
    } else if (!field.allow.includes(kind)) {
      addError(ctx, path, `${upperFirst(name)} must be a ${field.allow.join(' or a ')}`)
      return raw as FieldValue
    } else if (personName === '') {
      addError(ctx, path, `Enter ${name}`)
      return raw as FieldValue
    } else if (personName.length > defaultShortTextMaxLength) {
      addError(ctx, path, `${upperFirst(name)} must be ${String(defaultShortTextMaxLength)} characters or fewer`)
      return raw as FieldValue
    } else {
      value = { kind, name: personName, reference }
    }
  } else {
    addError(ctx, path, `Enter ${name}`)
    return null
  }
  if (ctx.mode === 'complete' && field.required && value === null) addError(ctx, path, enterMessage(field))
  return value
}

function checkCell(column: TableColumn, raw: unknown, rowNumber: number): Parsed<CellValue> {
  const where = `${nameOf(column)} in row ${String(rowNumber)}`
  switch (column.kind) {
    case 'short-text':
    case 'long-text':
    case 'person': {
      const max = column.kind === 'long-text' ? defaultLongTextMaxLength : defaultShortTextMaxLength
      return parseText(raw, where, max)
    }
    case 'date':
      return parseDate(raw, where)
    case 'time':
      return parseTime(raw, where)
    case 'yes-no': {
      const parsed = parseYesNo(raw, { label: where, errorName: where })
      return parsed
    }
    case 'single-choice':
      return parseChoice(raw, column.options ?? [], where)
  }
}

const isBlankCell = (v: CellValue): boolean => v === null || v === ''

function checkTable(field: Extract<Field, { kind: 'table' }>, raw: unknown, ctx: Context): FieldValue {
  const name = nameOf(field)
  const complete = ctx.mode === 'complete'
  if (isBlank(raw)) {
    if (complete && field.required) addError(ctx, field.id, `Add at least one row to ${name}`)
    return []
  }
  if (!Array.isArray(raw)) {
    addError(ctx, field.id, `${upperFirst(name)} must be a list of rows`)
    return []
  }
  const rows: TableRow[] = []
  raw.forEach((rawRow, index) => {
    const rowPath = `${field.id}.${String(index)}`
    if (!isRecord(rawRow)) {
      addError(ctx, rowPath, `Row ${String(index + 1)} of ${name} is not in the right format`)
      return
    }
    for (const key of Object.keys(rawRow)) {
      if (!field.columns.some((c) => c.id === key)) {
        addError(ctx, `${rowPath}.${key}`, `${upperFirst(name)} has no column called ${key}`)
      }
    }
    const row: TableRow = {}
    const cellErrors: [string, string][] = []
    for (const column of field.columns) {
      const parsed = checkCell(column, rawRow[column.id], index + 1)
      if ('problem' in parsed) {
        cellErrors.push([`${rowPath}.${column.id}`, parsed.problem])
        const fallback = rawRow[column.id]
        row[column.id] = typeof fallback === 'string' ? cleanText(fallback) : null
      } else {
        row[column.id] = parsed.value
      }
    }
    const blankRow = cellErrors.length === 0 && Object.values(row).every(isBlankCell)
    if (blankRow) return // an unused row of the form
    for (const [path, message] of cellErrors) addError(ctx, path, message)
    if (complete) {
      for (const column of field.columns) {
        if (column.required && isBlankCell(row[column.id] ?? null)) {
          const message =
            column.kind === 'yes-no'
              ? `Select yes or no for ${nameOf(column)} in row ${String(index + 1)}`
              : column.kind === 'single-choice'
                ? `Select ${nameOf(column)} in row ${String(index + 1)}`
                : `Enter ${nameOf(column)} in row ${String(index + 1)}`
          addError(ctx, `${rowPath}.${column.id}`, message)
        }
      }
    }
    rows.push(row)
  })
  if (field.maxRows !== undefined && rows.length > field.maxRows) {
    addError(ctx, field.id, `${upperFirst(name)} must have ${String(field.maxRows)} rows or fewer`)
  }
  if (complete) {
    if (field.required && rows.length === 0) addError(ctx, field.id, `Add at least one row to ${name}`)
    else if (field.minRows !== undefined && rows.length < field.minRows && (field.required || rows.length > 0)) {
      addError(ctx, field.id, `${upperFirst(name)} must have at least ${String(field.minRows)} rows`)
    }
  }
  return rows
}

function checkActions(field: Extract<Field, { kind: 'actions' }>, raw: unknown, ctx: Context): FieldValue {
  const name = nameOf(field)
  const complete = ctx.mode === 'complete'
  if (isBlank(raw)) {
    if (complete && field.required) addError(ctx, field.id, `Add at least one action to ${name}`)
    return []
  }
  if (!Array.isArray(raw)) {
    addError(ctx, field.id, `${upperFirst(name)} must be a list of actions`)
    return []
  }
  const actions: ActionValue[] = []
  raw.forEach((rawAction, index) => {
    const path = `${field.id}.${String(index)}`
    const n = String(index + 1)
    const a: Record<string, unknown> =
      typeof rawAction === 'string' ? { text: rawAction } : isRecord(rawAction) ? rawAction : {}
    if (!isRecord(rawAction) && typeof rawAction !== 'string') {
      addError(ctx, path, `Action ${n} is not in the right format`)
      return
    }
    const text = parseText(a['text'], `action ${n}`, defaultLongTextMaxLength)
    const owner = parseText(a['owner'], `the person responsible for action ${n}`, defaultShortTextMaxLength)
    const due = parseDate(a['dueOn'], `the due date for action ${n}`)
    const action: ActionValue = {
      text: 'value' in text ? text.value : '',
      owner: 'value' in owner ? owner.value : '',
      dueOn: 'value' in due ? due.value : '',
    }
    if (typeof a['id'] === 'string' && a['id'].trim() !== '') action.id = a['id'].trim()
    if (typeof a['ownerId'] === 'string' && a['ownerId'].trim() !== '') action.ownerId = a['ownerId'].trim()
    const blank = action.text === '' && action.owner === '' && action.dueOn === '' && 'value' in due
    if (blank) return
    if ('problem' in text) addError(ctx, `${path}.text`, text.problem)
    if ('problem' in owner) addError(ctx, `${path}.owner`, owner.problem)
    if ('problem' in due) addError(ctx, `${path}.dueOn`, due.problem)
    if (complete) {
      if (action.text === '') addError(ctx, `${path}.text`, `Enter a description of action ${n}`)
      if (field.requireOwner && action.owner === '') addError(ctx, `${path}.owner`, `Enter who will do action ${n}`)
      if (field.requireDueDate && action.dueOn === '')
        addError(ctx, `${path}.dueOn`, `Enter a due date for action ${n}`)
    }
    actions.push(action)
  })
  if (complete && field.required && actions.length === 0) addError(ctx, field.id, `Add at least one action to ${name}`)
  return actions
}

function checkSignatures(field: Extract<Field, { kind: 'signatures' }>, raw: unknown, ctx: Context): FieldValue {
  if (isBlank(raw)) return {}
  if (!isRecord(raw)) {
    addError(ctx, field.id, `Signatures for ${nameOf(field)} are not in the right format`)
    return {}
  }
  const signatures: Record<string, SignatureValue> = {}
  for (const [id, rawSignature] of Object.entries(raw)) {
    const signatory = field.signatories.find((s) => s.id === id)
    const path = `${field.id}.${id}`
    if (signatory === undefined) {
      addError(ctx, path, `${upperFirst(nameOf(field))} has no signatory called ${id}`)
      continue
    }
    if (rawSignature === null || rawSignature === undefined) continue
    const who = lowerFirst(signatory.label)
    if (!isRecord(rawSignature)) {
      addError(ctx, path, `The signature of the ${who} is not in the right format`)
      continue
    }
    const name = typeof rawSignature['name'] === 'string' ? cleanText(rawSignature['name']) : ''
    const role = typeof rawSignature['role'] === 'string' ? cleanText(rawSignature['role']) : ''
    const signedOn = typeof rawSignature['signedOn'] === 'string' ? rawSignature['signedOn'].trim() : ''
    const personId = typeof rawSignature['personId'] === 'string' ? rawSignature['personId'] : null
    if (name === '') addError(ctx, `${path}.name`, `Enter the name of the ${who}`)
    if (field.includeRole && role === '') addError(ctx, `${path}.role`, `Enter the role of the ${who}`)
    if (!isRealIsoDate(signedOn)) addError(ctx, `${path}.signedOn`, `The date the ${who} signed must be a real date`)
    signatures[id] = { name, role, signedOn, personId }
  }
  return signatures
}

// ---------------------------------------------------------------------------------------------
// Public functions

function run(template: Template, values: unknown, options: EntryOptions): { values: EntryValues; errors: EntryErrors } {
  const ctx: Context = { mode: options.mode, today: options.today, errors: {} }
  const input = isRecord(values) ? values : {}
  const out: EntryValues = {}
  const fields = templateFields(template)
  for (const field of fields) {
    out[field.id] = checkField(field, input[field.id], ctx)
  }
  for (const key of Object.keys(input)) {
    if (!fields.some((f) => f.id === key)) addError(ctx, key, `This record has no field called ${key}`)
  }
  return { values: out, errors: ctx.errors }
}

/**
 * Checks the values of a record against its template. Errors are keyed by field path, in the
 * template's order, one message per path, worded as the GOV.UK Design System advises.
 * Drafts may leave required fields blank; `complete` needs them (signatures excepted: they are
 * added by signing, see `missingSignatures`).
 */
export function validateEntry(template: Template, values: unknown, options: EntryOptions): EntryValidation {
  const { values: normalised, errors } = run(template, values, options)
  return Object.keys(errors).length === 0 ? { ok: true, values: normalised } : { ok: false, errors }
}

/** Values for a new, blank record: every field present, empty. Tables and action lists start with no rows. */
export function emptyEntry(template: Template): EntryValues {
  const values: EntryValues = {}
  for (const field of templateFields(template)) {
    values[field.id] = emptyValue(field)
  }
  return values
}

function emptyValue(field: Field): FieldValue {
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
    case 'date':
    case 'time':
    case 'single-choice':
      return ''
    case 'yes-no':
    case 'scale':
    case 'person':
    case 'child-or-family':
      return null
    case 'multiple-choice':
    case 'framework-tags':
    case 'table':
    case 'actions':
      return []
    case 'signatures':
      return {}
  }
}

/**
 * The values in their normal form (trimmed text, ISO dates, blank rows dropped, choices in
 * option order, unknown fields dropped), as far as they can be normalised; invalid values are kept as given.
 */
export function normaliseEntry(template: Template, values: unknown): EntryValues {
  const { values: normalised } = run(template, values, { mode: 'draft' })
  return normalised
}

/** Required signature blocks whose signatories have not all signed: `[{ fieldId, signatoryId }]`. */
export function missingSignatures(
  template: Template,
  values: Readonly<Record<string, unknown>>,
): { fieldId: string; signatoryId: string }[] {
  const missing: { fieldId: string; signatoryId: string }[] = []
  for (const field of templateFields(template)) {
    if (field.kind !== 'signatures' || !field.required) continue
    const given = values[field.id]
    for (const signatory of field.signatories) {
      const signature = isRecord(given) ? given[signatory.id] : undefined
      if (!isRecord(signature) || typeof signature['signedOn'] !== 'string' || signature['signedOn'] === '') {
        missing.push({ fieldId: field.id, signatoryId: signatory.id })
      }
    }
  }
  return missing
}

/** JSON with object keys sorted at every level and undefined left out: one text for one content. */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return '[' + value.map((v) => stableStringify(v)).join(',') + ']'
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + stableStringify(v)).join(',') + '}'
  }
  return 'null'
}

/**
 * The canonical text of a record's content: the template id and version and the normalised values
 * of every field except signature blocks, with keys sorted. Two records with the same content give
 * the same text, whatever the order of their keys. A signature is made over this text.
 */
export function canonicalContent(template: Template, values: unknown): string {
  const normalised = normaliseEntry(template, values)
  const content: Record<string, FieldValue> = {}
  for (const field of templateFields(template)) {
    if (field.kind === 'signatures') continue
    content[field.id] = normalised[field.id] ?? emptyValue(field)
  }
  return stableStringify({ template: { id: template.id, version: template.version }, values: content })
}

/** SHA-256 of the canonical content, as 64 lower-case hex digits. */
export function contentHash(template: Template, values: unknown): string {
  return createHash('sha256').update(canonicalContent(template, values), 'utf8').digest('hex')
}
