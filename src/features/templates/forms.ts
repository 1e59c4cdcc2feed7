/**
 * The forms that edit a school's own template, one change per page (X-01, issue 7): a section's
 * title and hint; a field of any kind with its settings. Lists (options, table columns,
 * signatories) are typed one per line. Problems found by `validateTemplate` are mapped back to the
 * form's inputs by their path.
 */

import { z } from 'zod'
import type { Field, FieldKind, Section, Template, TemplateProblem } from '../../domain/records/template.ts'
import { FieldKind as FieldKinds, SupervisionCondition } from '../../domain/records/template.ts'
import { supervisionConditionLabels } from '../../domain/records/template-conditions.ts'
import {
  columnLines,
  idProblem,
  optionLines,
  parseColumnLines,
  parseOptionLines,
  parseSignatoryLines,
  problemsUnder,
  signatoryLines,
  uniqueId,
  usedIds,
} from '../../domain/records/template-edit.ts'
import { field, fieldList } from '../../forms/errors.ts'
import { textField as input } from '../../forms/fields.ts'

export const fieldKinds = Object.values(FieldKinds) as FieldKind[]

export function isFieldKind(value: unknown): value is FieldKind {
  return typeof value === 'string' && (fieldKinds as string[]).includes(value)
}

export type Pairs = [string, string][]

export interface SectionFormValues {
  title: string
  hint: string
  /** `always` or a supervision condition (issue 14). */
  showWhen?: string
}

/** The version of the template the page was loaded at (a hidden input). */
/** The version the page was loaded at, or null: the one reader every form uses. */
export { readVersion } from '../../forms/fields.ts'

/** Copying a template as the school's own. */
export const copyForm = z.object({
  from: input(),
  name: input().pipe(
    z.string().min(1, 'Enter a name for your copy').max(200, 'The name must be 200 characters or fewer'),
  ),
})

/** A section's title and hint (and, when adding, the section it goes after). */
export const sectionForm = z.object({
  title: input().pipe(
    z.string().min(1, 'Enter a title for the section').max(300, 'The title must be 300 characters or fewer'),
  ),
  hint: input().pipe(z.string().max(2000, 'The hint must be 2000 characters or fewer')),
  showWhen: input()
    .transform((v) => (v === '' ? 'always' : v))
    .pipe(
      z.enum(['always', ...Object.values(SupervisionCondition)] as const, {
        error: 'Select when the section is shown',
      }),
    ),
  after: input(),
})

/** The section as typed, to show back when it is refused. */
export function sectionTyped(body: unknown): SectionFormValues {
  return { title: field(body, 'title'), hint: field(body, 'hint'), showWhen: field(body, 'showWhen') || 'always' }
}

/** Confirming the removal of a section or a field. */
export function removeForm(what: 'section' | 'field') {
  return z.object({
    confirm: input().pipe(z.enum(['yes', 'no'], { error: `Select yes if you want to remove the ${what}` })),
  })
}

/** The kind of field to add. */
export const fieldKindForm = z.object({
  kind: input().pipe(
    z
      .string()
      .refine(isFieldKind, 'Select the kind of field')
      .transform((k) => k as FieldKind),
  ),
})

export function newSection(template: Template, values: SectionFormValues): Section {
  const section: Section = { id: uniqueId(values.title, usedIds(template), 'section'), title: values.title, fields: [] }
  if (values.hint !== '') section.hint = values.hint
  if (values.showWhen !== undefined && values.showWhen !== 'always')
    section.showWhen = values.showWhen as SupervisionCondition
  return section
}

/** Everything the field form shows, as strings. */
export interface FieldFormValues {
  kind: FieldKind
  fieldId: string
  label: string
  hint: string
  errorName: string
  required: string
  /** `always` or a supervision condition (issue 14). */
  showWhen: string
  /** `record-only` or `staff-file` (issue 14). */
  fileTo: string
  maxLength: string
  notInFuture: string
  options: string
  framework: string
  scaleMin: string
  scaleMax: string
  minLabel: string
  maxLabel: string
  allow: string[]
  columns: string
  minRows: string
  maxRows: string
  requireOwner: string
  requireDueDate: string
  signatories: string
  includeRole: string
  dateLabel: string
}

export function emptyFieldForm(kind: FieldKind): FieldFormValues {
  return {
    kind,
    fieldId: '',
    label: '',
    hint: '',
    errorName: '',
    required: 'no',
    showWhen: 'always',
    fileTo: 'record-only',
    maxLength: '',
    notInFuture: '',
    options: '',
    framework: '',
    scaleMin: '0',
    scaleMax: '10',
    minLabel: '',
    maxLabel: '',
    allow: ['child', 'family'],
    columns: '',
    minRows: '',
    maxRows: '',
    requireOwner: '',
    requireDueDate: '',
    signatories: kind === 'signatures' ? 'Supervisee\nSupervisor' : '',
    includeRole: '',
    dateLabel: '',
  }
}

export function fieldFormValues(f: Field): FieldFormValues {
  const v = emptyFieldForm(f.kind)
  v.fieldId = f.id
  v.label = f.label
  v.hint = f.hint ?? ''
  v.errorName = f.errorName ?? ''
  v.required = f.required ? 'yes' : 'no'
  v.showWhen = f.showWhen ?? 'always'
  v.fileTo = f.fileTo ?? 'record-only'
  switch (f.kind) {
    case 'short-text':
    case 'long-text':
      v.maxLength = f.maxLength === undefined ? '' : String(f.maxLength)
      break
    case 'date':
      v.notInFuture = f.notInFuture ? 'yes' : ''
      break
    case 'single-choice':
    case 'multiple-choice':
      v.options = optionLines(f.options)
      break
    case 'framework-tags':
      v.options = optionLines(f.options)
      v.framework = f.framework
      break
    case 'scale':
      v.scaleMin = String(f.min ?? 0)
      v.scaleMax = String(f.max ?? 10)
      v.minLabel = f.minLabel ?? ''
      v.maxLabel = f.maxLabel ?? ''
      break
    case 'child-or-family':
      v.allow = [...f.allow]
      break
    case 'table':
      v.columns = columnLines(f.columns)
      v.minRows = f.minRows === undefined ? '' : String(f.minRows)
      v.maxRows = f.maxRows === undefined ? '' : String(f.maxRows)
      break
    case 'actions':
      v.requireOwner = f.requireOwner ? 'yes' : ''
      v.requireDueDate = f.requireDueDate ? 'yes' : ''
      break
    case 'signatures':
      v.signatories = signatoryLines(f.signatories)
      v.includeRole = f.includeRole ? 'yes' : ''
      v.dateLabel = f.dateLabel ?? ''
      break
    default:
      break
  }
  return v
}

function wholeNumber(
  raw: string,
  name: string,
  key: string,
  errors: Pairs,
  bounds: { min: number; max: number },
): number | undefined {
  if (raw === '') return undefined
  if (!/^\d{1,6}$/.test(raw)) {
    errors.push([key, `${name} must be a whole number`])
    return undefined
  }
  const n = Number(raw)
  if (n < bounds.min || n > bounds.max) {
    errors.push([key, `${name} must be from ${String(bounds.min)} to ${String(bounds.max)}`])
    return undefined
  }
  return n
}

/**
 * Reads the field form. On adding, `taken` holds the ids already used (the new id must be free);
 * on changing, `existing` is the field being changed (its id and the settings the form does not
 * show, such as prompts, are kept).
 */
export function readFieldForm(
  kind: FieldKind,
  body: unknown,
  options: { existing?: Field; taken: ReadonlySet<string> },
): { values: FieldFormValues; field: Field | null; errors: Pairs } {
  const values: FieldFormValues = {
    kind,
    fieldId: options.existing?.id ?? field(body, 'fieldId'),
    label: field(body, 'label'),
    hint: field(body, 'hint'),
    errorName: field(body, 'errorName'),
    required: field(body, 'required'),
    showWhen: field(body, 'showWhen') || 'always',
    fileTo: field(body, 'fileTo') || 'record-only',
    maxLength: field(body, 'maxLength'),
    notInFuture: field(body, 'notInFuture'),
    options: field(body, 'options'),
    framework: field(body, 'framework'),
    scaleMin: field(body, 'scaleMin'),
    scaleMax: field(body, 'scaleMax'),
    minLabel: field(body, 'minLabel'),
    maxLabel: field(body, 'maxLabel'),
    allow: fieldList(body, 'allow'),
    columns: field(body, 'columns'),
    minRows: field(body, 'minRows'),
    maxRows: field(body, 'maxRows'),
    requireOwner: field(body, 'requireOwner'),
    requireDueDate: field(body, 'requireDueDate'),
    signatories: field(body, 'signatories'),
    includeRole: field(body, 'includeRole'),
    dateLabel: field(body, 'dateLabel'),
  }
  const errors: Pairs = []
  if (values.label === '') errors.push(['label', 'Enter the question or label'])
  else if (values.label.length > 500) errors.push(['label', 'The label must be 500 characters or fewer'])
  let id = values.fieldId
  if (!options.existing) {
    if (id === '') id = uniqueId(values.label, options.taken)
    const problem = idProblem(id, options.taken)
    if (problem) errors.push(['fieldId', problem])
  }
  if (values.required !== 'yes' && values.required !== 'no')
    errors.push(['required', 'Select whether an answer is needed to complete the record'])
  if (values.hint.length > 2000) errors.push(['hint', 'The hint must be 2000 characters or fewer'])
  if (values.errorName.length > 300) errors.push(['errorName', 'This must be 300 characters or fewer'])
  const showWhen = readShowWhen(values.showWhen, errors)
  if (showWhen !== undefined && kind === 'actions')
    errors.push(['showWhen', 'The actions agreed are asked in every session: select “Always”'])
  if (values.fileTo !== 'record-only' && values.fileTo !== 'staff-file')
    errors.push(['fileTo', 'Select where the answer is filed'])
  else if (values.fileTo === 'staff-file' && kind === 'signatures')
    errors.push(['fileTo', 'A signature block is not filed on its own: select “Only in the supervision record”'])

  const base = {
    ...(options.existing ? structuredClone(options.existing) : {}),
    id,
    label: values.label,
    required: values.required === 'yes',
  } as Record<string, unknown>
  for (const key of ['hint', 'errorName'] as const) {
    if (values[key] === '') delete base[key]
    else base[key] = values[key]
  }
  // Settings of another kind do not carry over.
  for (const key of [
    'maxLength',
    'notInFuture',
    'options',
    'framework',
    'min',
    'max',
    'minLabel',
    'maxLabel',
    'roles',
    'allow',
    'columns',
    'minRows',
    'maxRows',
    'requireOwner',
    'requireDueDate',
    'signatories',
    'includeRole',
    'dateLabel',
  ])
    if (options.existing?.kind !== kind) delete base[key]
  base['kind'] = kind
  if (showWhen === undefined) delete base['showWhen']
  else base['showWhen'] = showWhen
  if (values.fileTo === 'staff-file') base['fileTo'] = 'staff-file'
  else delete base['fileTo']
  const setOrDelete = (key: string, value: unknown) => {
    if (value === undefined || value === '' || value === false) delete base[key]
    else base[key] = value
  }

  switch (kind) {
    case 'short-text':
    case 'long-text':
      setOrDelete(
        'maxLength',
        wholeNumber(values.maxLength, 'The most characters', 'maxLength', errors, { min: 1, max: 100_000 }),
      )
      break
    case 'date':
      setOrDelete('notInFuture', values.notInFuture === 'yes')
      break
    case 'single-choice':
    case 'multiple-choice':
    case 'framework-tags': {
      const existingOptions =
        options.existing && 'options' in options.existing && Array.isArray(options.existing.options)
          ? options.existing.options
          : []
      const parsed = parseOptionLines(values.options, existingOptions)
      if (parsed.length === 0) errors.push(['options', 'Enter at least one option, one on each line'])
      base['options'] = parsed
      if (kind === 'framework-tags') {
        if (values.framework === '') errors.push(['framework', 'Enter the id of the framework, like lh-five-functions'])
        base['framework'] = values.framework
      }
      break
    }
    case 'scale': {
      const min = wholeNumber(values.scaleMin, 'The lowest point', 'scaleMin', errors, { min: 0, max: 100 })
      const max = wholeNumber(values.scaleMax, 'The highest point', 'scaleMax', errors, { min: 0, max: 100 })
      setOrDelete('min', min)
      setOrDelete('max', max)
      setOrDelete('minLabel', values.minLabel)
      setOrDelete('maxLabel', values.maxLabel)
      break
    }
    case 'child-or-family': {
      const allow = values.allow.filter((a): a is 'child' | 'family' => a === 'child' || a === 'family')
      if (allow.length === 0) errors.push(['allow', 'Select a child, a family or both'])
      base['allow'] = allow
      break
    }
    case 'table': {
      const existingColumns = options.existing?.kind === 'table' ? options.existing.columns : []
      const parsed = parseColumnLines(values.columns, existingColumns)
      if (parsed.problems.length > 0) errors.push(['columns', parsed.problems[0]!])
      else if (parsed.items.length === 0) errors.push(['columns', 'Enter at least one column, one on each line'])
      base['columns'] = parsed.items
      setOrDelete('minRows', wholeNumber(values.minRows, 'The fewest rows', 'minRows', errors, { min: 0, max: 500 }))
      setOrDelete('maxRows', wholeNumber(values.maxRows, 'The most rows', 'maxRows', errors, { min: 1, max: 500 }))
      break
    }
    case 'actions':
      setOrDelete('requireOwner', values.requireOwner === 'yes')
      setOrDelete('requireDueDate', values.requireDueDate === 'yes')
      break
    case 'signatures': {
      const existingSignatories = options.existing?.kind === 'signatures' ? options.existing.signatories : []
      const parsed = parseSignatoryLines(values.signatories, existingSignatories)
      if (parsed.length === 0) errors.push(['signatories', 'Enter at least one person who signs, one on each line'])
      base['signatories'] = parsed
      setOrDelete('includeRole', values.includeRole === 'yes')
      setOrDelete('dateLabel', values.dateLabel)
      break
    }
    default:
      break
  }
  return { values: { ...values, fieldId: id }, field: errors.length === 0 ? (base as unknown as Field) : null, errors }
}

/** The "when is it shown" radios (issue 14): `always`, or one of the supervision conditions. */
export function readShowWhen(raw: string, errors: Pairs, key = 'showWhen'): SupervisionCondition | undefined {
  if (raw === 'always') return undefined
  if ((Object.values(SupervisionCondition) as string[]).includes(raw)) return raw as SupervisionCondition
  errors.push([key, 'Select when the question is shown'])
  return undefined
}

/** GOV.UK radio items for `showWhen`, with the chosen one checked. */
export function showWhenItems(
  chosen: string,
): { value: string; text: string; hint?: { text: string }; checked: boolean }[] {
  return [
    { value: 'always', text: 'Always', checked: chosen === 'always' || chosen === '' },
    ...Object.values(SupervisionCondition).map((value) => ({
      value,
      text: supervisionConditionLabels[value].label,
      hint: { text: supervisionConditionLabels[value].hint },
      checked: chosen === value,
    })),
  ]
}

/** GOV.UK radio items for `fileTo`, with the chosen one checked. */
export function fileToItems(
  chosen: string,
  what: 'answer' | 'record',
): { value: string; text: string; checked: boolean }[] {
  return [
    { value: 'record-only', text: 'Only in the supervision record', checked: chosen !== 'staff-file' },
    {
      value: 'staff-file',
      text: `Also in the staff member’s file (HR): the ${what} waits on the list for the staff file until someone files it`,
      checked: chosen === 'staff-file',
    },
  ]
}

const fieldInputOf: Record<string, string> = {
  id: 'fieldId',
  showWhen: 'showWhen',
  fileTo: 'fileTo',
  label: 'label',
  hint: 'hint',
  errorName: 'errorName',
  required: 'required',
  maxLength: 'maxLength',
  options: 'options',
  framework: 'framework',
  min: 'scaleMin',
  max: 'scaleMax',
  minLabel: 'minLabel',
  maxLabel: 'maxLabel',
  allow: 'allow',
  columns: 'columns',
  minRows: 'minRows',
  maxRows: 'maxRows',
  signatories: 'signatories',
  dateLabel: 'dateLabel',
}

/** validateTemplate problems about the field at `prefix`, as [input, message]; others as [fallback, message with where]. */
export function problemPairs(
  problems: readonly TemplateProblem[],
  prefix: string,
  inputs: Record<string, string>,
  fallback: string,
  where: (path: string) => string,
): Pairs {
  const pairs: Pairs = []
  const mine = problemsUnder(problems, prefix)
  for (const p of mine) {
    const head = p.rest.split('.')[0] ?? ''
    pairs.push([inputs[head] ?? fallback, p.rest.includes('.') ? `${p.message} (${p.rest})` : p.message])
  }
  for (const p of problems) {
    if (mine.some((m) => m.path === p.path)) continue
    pairs.push([fallback, `${where(p.path)}: ${p.message}`])
  }
  return pairs
}

export { fieldInputOf }
