/**
 * A record's values as words, for the record page, the conflict message and the PDF (X-05): each
 * field as a line of text, a list, or rows of label and text (tables and actions). Signature
 * blocks are left out: Haven shows who signed, when, and over which hash.
 *
 * Pure: no I/O.
 */
import { formatDate, formatTime } from './contract.ts'
import type { Field, Section, Template } from './template.ts'

export type DisplayValue =
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'rows'; rows: { label: string; text: string }[][] }

export interface DisplayField {
  id: string
  label: string
  kind: Field['kind']
  display: DisplayValue
  /** Nothing was entered. */
  blank: boolean
}

export interface DisplaySection {
  id: string
  title: string
  hint: string | null
  fields: DisplayField[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function dateText(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '' : formatDate(v)
  if (isObject(v)) {
    const parts = [v['day'], v['month'], v['year']].map((p) =>
      typeof p === 'string' || typeof p === 'number' ? String(p) : '',
    )
    return parts.some((p) => p !== '') ? parts.join(' ') : ''
  }
  return ''
}

function cellText(column: { kind: string; options?: { value: string; label: string }[] }, v: unknown): string {
  if (v === null || v === undefined) return ''
  if (column.kind === 'yes-no') return v === true ? 'Yes' : v === false ? 'No' : String(v)
  if (column.kind === 'date') return dateText(v)
  if (column.kind === 'time') return typeof v === 'string' && v !== '' ? formatTime(v) : ''
  if (column.kind === 'single-choice') return column.options?.find((o) => o.value === v)?.label ?? String(v)
  return typeof v === 'string' ? v : String(v)
}

/** One field's value in words. */
export function displayValue(field: Field, value: unknown): DisplayValue {
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
      return { kind: 'text', text: typeof value === 'string' ? value : '' }
    case 'date':
      return { kind: 'text', text: dateText(value) }
    case 'time':
      return { kind: 'text', text: typeof value === 'string' && value !== '' ? formatTime(value) : '' }
    case 'yes-no':
      return {
        kind: 'text',
        text: value === true || value === 'yes' ? 'Yes' : value === false || value === 'no' ? 'No' : '',
      }
    case 'single-choice':
      return {
        kind: 'text',
        text: field.options.find((o) => o.value === value)?.label ?? (typeof value === 'string' ? value : ''),
      }
    case 'multiple-choice':
    case 'framework-tags':
      return {
        kind: 'list',
        items: Array.isArray(value) ? field.options.filter((o) => value.includes(o.value)).map((o) => o.label) : [],
      }
    case 'scale': {
      if (typeof value !== 'number' && !(typeof value === 'string' && value !== '')) return { kind: 'text', text: '' }
      const max = field.max ?? 10
      return { kind: 'text', text: `${String(value)} out of ${String(max)}` }
    }
    case 'person':
      return {
        kind: 'text',
        text:
          isObject(value) && typeof value['name'] === 'string' ? value['name'] : typeof value === 'string' ? value : '',
      }
    case 'child-or-family': {
      if (!isObject(value)) return { kind: 'text', text: typeof value === 'string' ? value : '' }
      const name = typeof value['name'] === 'string' ? value['name'] : ''
      const reference =
        typeof value['reference'] === 'string' && value['reference'] !== '' ? ` (reference ${value['reference']})` : ''
      const kind = value['kind'] === 'family' ? 'Family: ' : value['kind'] === 'child' ? 'Child: ' : ''
      return { kind: 'text', text: name === '' ? '' : `${kind}${name}${reference}` }
    }
    case 'table':
      return {
        kind: 'rows',
        rows: (Array.isArray(value) ? value : [])
          .filter(isObject)
          .map((row) => field.columns.map((c) => ({ label: c.label, text: cellText(c, row[c.id]) }))),
      }
    case 'actions':
      return {
        kind: 'rows',
        rows: (Array.isArray(value) ? value : []).filter(isObject).map((a) => [
          { label: 'Action', text: typeof a['text'] === 'string' ? a['text'] : '' },
          { label: 'Who', text: typeof a['owner'] === 'string' ? a['owner'] : '' },
          { label: 'Due', text: dateText(a['dueOn']) },
        ]),
      }
    case 'signatures':
      return { kind: 'text', text: '' }
  }
}

export function isBlankDisplay(display: DisplayValue): boolean {
  if (display.kind === 'text') return display.text.trim() === ''
  if (display.kind === 'list') return display.items.length === 0
  return display.rows.length === 0
}

/**
 * The template's sections with their values in words. Signature blocks are left out, and so is
 * the field given in `skipFieldIds` (the actions field, shown by Haven's own action list).
 */
export function displaySections(
  template: Template,
  values: Readonly<Record<string, unknown>>,
  options: { skipFieldIds?: readonly string[] } = {},
): DisplaySection[] {
  const skip = new Set(options.skipFieldIds ?? [])
  return template.sections.map((section: Section) => ({
    id: section.id,
    title: section.title,
    hint: section.hint ?? null,
    fields: section.fields
      .filter((f) => f.kind !== 'signatures' && !skip.has(f.id))
      .map((field) => {
        const display = displayValue(field, values[field.id])
        return { id: field.id, label: field.label, kind: field.kind, display, blank: isBlankDisplay(display) }
      }),
  }))
}

/** A display value as plain text lines (the PDF and the conflict message use this). */
export function displayLines(display: DisplayValue): string[] {
  if (display.kind === 'text') return display.text === '' ? [] : display.text.split('\n')
  if (display.kind === 'list') return display.items
  return display.rows.map(
    (row, i) =>
      `${String(i + 1)}. ${row
        .filter((c) => c.text !== '')
        .map((c) => `${c.label}: ${c.text}`)
        .join('; ')}`,
  )
}
