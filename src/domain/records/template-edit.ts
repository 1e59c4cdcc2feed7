/**
 * Editing a school's own template (X-01, issue 7): add, change or remove a section or a field of
 * any kind, one change at a time. Each operation returns a new template and leaves the one given
 * untouched; the caller checks the result with `validateTemplate` and saves it as the next version
 * (`nextVersion`), so records made on earlier versions never change.
 *
 * Also here: the small text formats the editing forms use for lists (options, table columns,
 * signatories: one per line), and turning a label into a camelCase id.
 *
 * Pure: no I/O.
 */
import {
  type ChoiceOption,
  type ColumnKind,
  type Field,
  type FieldKind,
  fieldIdPattern,
  type Section,
  type Signatory,
  type SupervisionCondition,
  type TableColumn,
  type Template,
  type TemplateProblem,
} from './template.ts'

export class TemplateEditError extends Error {
  override name = 'TemplateEditError'
}

/** Plain-English names of the field kinds, for the "what kind of field" question. */
export const fieldKindNames: Readonly<Record<FieldKind, { name: string; hint: string }>> = {
  'short-text': { name: 'Short answer', hint: 'One line of text, like a name' },
  'long-text': { name: 'Long answer', hint: 'Several paragraphs of text' },
  date: { name: 'Date', hint: 'Day, month and year' },
  time: { name: 'Time', hint: 'Like 9:30am' },
  'yes-no': { name: 'Yes or no', hint: 'A question answered yes or no' },
  'single-choice': { name: 'One choice from a list', hint: 'Radio buttons' },
  'multiple-choice': { name: 'Several choices from a list', hint: 'Checkboxes' },
  scale: { name: 'Scale', hint: 'A number on a scale, like 0 to 10' },
  person: { name: 'Person', hint: 'A member of staff or someone from outside the school' },
  'child-or-family': { name: 'Child or family', hint: 'A child or family discussed, with their reference' },
  table: { name: 'Table', hint: 'Rows with the same columns, like one row per case' },
  actions: { name: 'Actions', hint: 'Agreed actions, each with who will do it and by when' },
  'framework-tags': { name: 'Framework tags', hint: 'Tag the discussion with the items of a framework' },
  signatures: { name: 'Signatures', hint: 'Who signs the record' },
}

export const columnKindNames: Readonly<Record<ColumnKind, string>> = {
  'short-text': 'short answer',
  'long-text': 'long answer',
  date: 'date',
  time: 'time',
  'yes-no': 'yes or no',
  person: 'person',
  'single-choice': 'choice',
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/** Every section and field id in the template. */
export function usedIds(template: Template): Set<string> {
  const ids = new Set<string>()
  for (const section of template.sections) {
    ids.add(section.id)
    for (const field of section.fields) ids.add(field.id)
  }
  return ids
}

/** A camelCase id from a label: "Date of birth" → "dateOfBirth"; "1. Welcome" → "welcome". */
export function camelId(label: string, fallback = 'field'): string {
  const words = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')
  // An id starts with a letter: drop leading words that are numbers.
  while (words.length > 0 && /^[0-9]/.test(words[0]!)) words.shift()
  if (words.length === 0) return fallback
  const id = words
    .slice(0, 6)
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join('')
  return id.slice(0, 60)
}

/** A camelCase id from a label that is not already taken: `summary`, `summary2`, `summary3` ... */
export function uniqueId(label: string, taken: ReadonlySet<string>, fallback = 'field'): string {
  const base = camelId(label, fallback)
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 58)}${String(n)}`
    if (!taken.has(candidate)) return candidate
  }
}

/** A hyphenated option value from a label: "Multi-agency" → "multi-agency". */
export function optionValueOf(label: string): string {
  const value = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return value === '' ? 'option' : value
}

// ---------------------------------------------------------------------------------------------
// List formats used by the forms (one item per line)

function lines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** Options from lines of labels. An existing option with the same label keeps its value and hint. */
export function parseOptionLines(text: string, existing: readonly ChoiceOption[] = []): ChoiceOption[] {
  return lines(text).map((label) => {
    const before = existing.find((o) => o.label === label)
    if (before) return { ...before }
    return { value: optionValueOf(label), label }
  })
}

export function optionLines(options: readonly ChoiceOption[] | undefined): string {
  return (options ?? []).map((o) => o.label).join('\n')
}

const columnKindByWord: Record<string, ColumnKind> = {
  'short-text': 'short-text',
  short: 'short-text',
  'short answer': 'short-text',
  text: 'short-text',
  'long-text': 'long-text',
  long: 'long-text',
  'long answer': 'long-text',
  date: 'date',
  time: 'time',
  'yes-no': 'yes-no',
  'yes or no': 'yes-no',
  person: 'person',
  choice: 'single-choice',
  'single-choice': 'single-choice',
}

export interface ParsedLines<T> {
  items: T[]
  /** Problems, each naming its line (1-based). */
  problems: string[]
}

/**
 * Table columns, one per line: `Label | kind | optional | Option A; Option B`. The kind defaults
 * to a short answer and a column is required unless it says "optional". An existing column with
 * the same label keeps its id.
 */
export function parseColumnLines(text: string, existing: readonly TableColumn[] = []): ParsedLines<TableColumn> {
  const items: TableColumn[] = []
  const problems: string[] = []
  const taken = new Set<string>()
  lines(text).forEach((line, index) => {
    const parts = line.split('|').map((p) => p.trim())
    const label = parts[0] ?? ''
    const n = String(index + 1)
    if (label === '') {
      problems.push(`Enter a column name on line ${n}`)
      return
    }
    const kindWord = (parts[1] ?? '').toLowerCase()
    const kind = kindWord === '' ? 'short-text' : columnKindByWord[kindWord]
    if (kind === undefined) {
      problems.push(
        `The kind of column on line ${n} must be one of: short answer, long answer, date, time, yes or no, person, choice`,
      )
      return
    }
    const flag = (parts[2] ?? '').toLowerCase()
    if (flag !== '' && flag !== 'optional' && flag !== 'required') {
      problems.push(`Write “optional” or “required” after the kind on line ${n}`)
      return
    }
    const before = existing.find((c) => c.label === label)
    const id = before && !taken.has(before.id) ? before.id : uniqueId(label, taken, 'column')
    taken.add(id)
    const column: TableColumn = { id, label, kind, required: flag !== 'optional' }
    if (before?.hint !== undefined) column.hint = before.hint
    if (before?.errorName !== undefined) column.errorName = before.errorName
    if (kind === 'single-choice') {
      const labels = (parts[3] ?? '')
        .split(';')
        .map((o) => o.trim())
        .filter((o) => o !== '')
      if (labels.length === 0) {
        problems.push(`List the choices for the column on line ${n}, separated by semicolons`)
        return
      }
      column.options = parseOptionLines(labels.join('\n'), before?.options ?? [])
    }
    items.push(column)
  })
  return { items, problems }
}

export function columnLines(columns: readonly TableColumn[] | undefined): string {
  return (columns ?? [])
    .map((c) => {
      const parts = [c.label, columnKindNames[c.kind], c.required ? 'required' : 'optional']
      if (c.kind === 'single-choice') parts.push((c.options ?? []).map((o) => o.label).join('; '))
      return parts.join(' | ')
    })
    .join('\n')
}

/** Signatories, one label per line. An existing signatory with the same label keeps its id. */
export function parseSignatoryLines(text: string, existing: readonly Signatory[] = []): Signatory[] {
  const taken = new Set<string>()
  return lines(text).map((label) => {
    const before = existing.find((s) => s.label === label)
    const id = before && !taken.has(before.id) ? before.id : uniqueId(label, taken, 'signatory')
    taken.add(id)
    return { id, label }
  })
}

export function signatoryLines(signatories: readonly Signatory[] | undefined): string {
  return (signatories ?? []).map((s) => s.label).join('\n')
}

// ---------------------------------------------------------------------------------------------
// Operations

function sectionIndex(template: Template, sectionId: string): number {
  const index = template.sections.findIndex((s) => s.id === sectionId)
  if (index < 0) throw new TemplateEditError(`There is no section called ${sectionId}`)
  return index
}

function fieldPosition(template: Template, fieldId: string): { section: number; field: number } {
  for (let s = 0; s < template.sections.length; s++) {
    const f = template.sections[s]!.fields.findIndex((x) => x.id === fieldId)
    if (f >= 0) return { section: s, field: f }
  }
  throw new TemplateEditError(`There is no field called ${fieldId}`)
}

/** Where a field is: its section and position, or null. */
export function locateField(template: Template, fieldId: string): { sectionIndex: number; fieldIndex: number } | null {
  for (let s = 0; s < template.sections.length; s++) {
    const f = template.sections[s]!.fields.findIndex((x) => x.id === fieldId)
    if (f >= 0) return { sectionIndex: s, fieldIndex: f }
  }
  return null
}

/** Adds a section after `afterSectionId` (at the end when not given). */
export function addSection(template: Template, section: Section, afterSectionId?: string): Template {
  const copy = structuredClone(template)
  const at = afterSectionId === undefined ? copy.sections.length : sectionIndex(copy, afterSectionId) + 1
  copy.sections.splice(at, 0, structuredClone(section))
  return copy
}

/** Changes a section's title and hint; its fields stay. */
export function changeSection(
  template: Template,
  sectionId: string,
  change: { title: string; hint?: string | undefined; showWhen?: SupervisionCondition | 'always' | undefined },
): Template {
  const copy = structuredClone(template)
  const section = copy.sections[sectionIndex(copy, sectionId)]!
  section.title = change.title
  if (change.hint === undefined || change.hint === '') delete section.hint
  else section.hint = change.hint
  // Issue 14: `always` removes the condition; absent leaves it as it was.
  if (change.showWhen === 'always') delete section.showWhen
  else if (change.showWhen !== undefined) section.showWhen = change.showWhen
  return copy
}

export function removeSection(template: Template, sectionId: string): Template {
  const copy = structuredClone(template)
  copy.sections.splice(sectionIndex(copy, sectionId), 1)
  return copy
}

/** Adds a field to a section, after `afterFieldId` (at the end of the section when not given). */
export function addField(template: Template, sectionId: string, field: Field, afterFieldId?: string): Template {
  const copy = structuredClone(template)
  const section = copy.sections[sectionIndex(copy, sectionId)]!
  const at =
    afterFieldId === undefined ? section.fields.length : section.fields.findIndex((f) => f.id === afterFieldId) + 1
  if (at <= 0 && afterFieldId !== undefined) throw new TemplateEditError(`There is no field called ${afterFieldId}`)
  section.fields.splice(at, 0, structuredClone(field))
  return copy
}

/** Replaces a field with a changed one, in the same place. */
export function changeField(template: Template, fieldId: string, field: Field): Template {
  const copy = structuredClone(template)
  const at = fieldPosition(copy, fieldId)
  copy.sections[at.section]!.fields[at.field] = structuredClone(field)
  return copy
}

export function removeField(template: Template, fieldId: string): Template {
  const copy = structuredClone(template)
  const at = fieldPosition(copy, fieldId)
  copy.sections[at.section]!.fields.splice(at.field, 1)
  return copy
}

// ---------------------------------------------------------------------------------------------
// Problems, in words

/**
 * Where a validateTemplate path points, in words: "Section 2 (Review), field “Summary”, options".
 * Falls back to the path itself.
 */
export function describePath(template: Template, path: string): string {
  const parts = path.split('.')
  if (parts[0] !== 'sections' || parts[1] === undefined) return path === '' ? 'The template' : path
  const s = Number(parts[1])
  const section = template.sections[s]
  if (section === undefined) return path
  let words = `Section ${String(s + 1)} (${section.title})`
  if (parts[2] === 'fields' && parts[3] !== undefined) {
    const field = section.fields[Number(parts[3])]
    if (field !== undefined) words += `, field “${field.label}”`
    const rest = parts.slice(4).join('.')
    if (rest !== '') words += `, ${rest}`
  } else if (parts[2] !== undefined) {
    words += `, ${parts.slice(2).join('.')}`
  }
  return words
}

/** Problems whose path is inside the given prefix, with the rest of the path. */
export function problemsUnder(
  problems: readonly TemplateProblem[],
  prefix: string,
): { rest: string; message: string; path: string }[] {
  return problems
    .filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`))
    .map((p) => ({ rest: p.path === prefix ? '' : p.path.slice(prefix.length + 1), message: p.message, path: p.path }))
}

/** Whether an id is usable for a new field or section (camelCase, not taken). */
export function idProblem(id: string, taken: ReadonlySet<string>): string | null {
  if (id === '') return 'Enter an id'
  if (!fieldIdPattern.test(id) || id.length > 64)
    return 'The id must start with a lower-case letter and have only letters and numbers, like dateOfBirth'
  if (taken.has(id)) return `The id ${id} is already used in this template`
  return null
}

/** Every field of the template with its section, for the overview page. */
export function fieldsWithSections(template: Template): { section: Section; field: Field }[] {
  return template.sections.flatMap((section) => section.fields.map((field) => ({ section, field })))
}
