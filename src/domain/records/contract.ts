/**
 * Supervision contracts (issue 8; MW-02, MW-03, MW-11, AM-05): a contract template's clauses with
 * their placeholders filled from the people, the school's policy and the contract's own fields.
 *
 * Placeholders are written `{{name}}`. A name is either a field id of the contract template
 * (`{{venue}}`, `{{reviewDate}}`) or one of `contractContextPlaceholders` (`{{supervisee.name}}`,
 * `{{policy.frequency}}` ...). Alternatives are separated by `|` and the first with a value wins:
 * `{{agreedFrequency|policy.frequency}}` shows the frequency agreed for this person, or else the policy's.
 */
import { formatClockTime, formatLongDate, isValidClockTime, isValidIsoDate } from '../calendar/index.ts'
import type { EntryValues } from './entry.ts'
import { normaliseEntry } from './entry.ts'
import {
  contractContextPlaceholders,
  type Field,
  placeholderFieldKinds,
  type Template,
  type TemplateProblem,
  templateFields,
} from './template.ts'

export interface ContractParty {
  name: string
  role?: string
}

export interface ContractContext {
  supervisee?: ContractParty
  supervisor?: ContractParty
  school?: { name: string }
  /** Phrases from the school's policy, e.g. `{ frequency: 'at least once a term', duration: 'about one hour' }`. */
  policy?: { frequency?: string; duration?: string }
  /** The contract's own field values (agreed frequency, venue, review date ...). */
  values?: EntryValues | Record<string, unknown>
}

export interface RenderedClause {
  heading: string
  text: string
  items: string[]
}

export interface RenderedContract {
  title: string
  clauses: RenderedClause[]
  /** Placeholders that could not be filled because they name nothing (a broken template). */
  problems: TemplateProblem[]
  /** Placeholders that name something with no value yet, e.g. `venue`: shown as the blank marker. */
  missing: string[]
}

export interface RenderOptions {
  /** Shown where a value is not yet known. */
  blank?: string
}

export const defaultBlank = '[to be agreed]'

/** A date as GOV.UK writes it: 1 September 2026 (the calendar's formatter; anything else as given). */
export function formatDate(iso: string): string {
  return isValidIsoDate(iso) ? formatLongDate(iso) : iso
}

/** A time as GOV.UK writes it: 9:30am, 2pm, midday (the calendar's formatter; anything else as given). */
export function formatTime(hhmm: string): string {
  return isValidClockTime(hhmm) ? formatClockTime(hhmm) : hhmm
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`
}

/** A field's value as words, or '' when it has none. */
function formatFieldValue(field: Field, value: unknown): string {
  switch (field.kind) {
    case 'short-text':
    case 'long-text':
      return typeof value === 'string' ? value : ''
    case 'date':
      return typeof value === 'string' && value !== '' ? formatDate(value) : ''
    case 'time':
      return typeof value === 'string' && value !== '' ? formatTime(value) : ''
    case 'yes-no':
      return value === true ? 'Yes' : value === false ? 'No' : ''
    case 'single-choice':
      return field.options.find((o) => o.value === value)?.label ?? ''
    case 'multiple-choice':
    case 'framework-tags':
      return Array.isArray(value)
        ? joinList(field.options.filter((o) => value.includes(o.value)).map((o) => o.label))
        : ''
    case 'scale':
      return typeof value === 'number' ? String(value) : ''
    case 'person':
    case 'child-or-family':
      return typeof value === 'object' && value !== null && 'name' in value && typeof value.name === 'string'
        ? value.name
        : ''
    default:
      return ''
  }
}

function contextValue(context: ContractContext, name: string): string {
  switch (name) {
    case 'supervisee.name':
      return context.supervisee?.name ?? ''
    case 'supervisee.role':
      return context.supervisee?.role ?? ''
    case 'supervisor.name':
      return context.supervisor?.name ?? ''
    case 'supervisor.role':
      return context.supervisor?.role ?? ''
    case 'school.name':
      return context.school?.name ?? ''
    case 'policy.frequency':
      return context.policy?.frequency ?? ''
    case 'policy.duration':
      return context.policy?.duration ?? ''
    default:
      return ''
  }
}

/**
 * Fills a contract's clauses. Never throws: a placeholder that names nothing is reported in
 * `problems` (and shown as the blank marker); one with no value yet is listed in `missing`.
 */
export function renderContract(
  template: Template,
  context: ContractContext,
  options: RenderOptions = {},
): RenderedContract {
  const blank = options.blank ?? defaultBlank
  const problems: TemplateProblem[] = []
  const missing = new Set<string>()
  if (template.kind !== 'contract') {
    return {
      title: template.name,
      clauses: [],
      problems: [{ path: 'kind', message: 'Only a contract template can be rendered as a contract' }],
      missing: [],
    }
  }
  const fields = new Map(templateFields(template).map((f) => [f.id, f]))
  const values = normaliseEntry(template, context.values ?? {})

  const fill = (text: string, path: string): string =>
    text.replace(/\{\{([^{}]*)\}\}/g, (raw, inner: string) => {
      const names = inner.split('|').map((n) => n.trim())
      let unknown = false
      for (const name of names) {
        let value: string
        if ((contractContextPlaceholders as readonly string[]).includes(name)) {
          value = contextValue(context, name).trim()
        } else {
          const field = fields.get(name)
          if (field === undefined || !placeholderFieldKinds.includes(field.kind)) {
            problems.push({ path, message: `Unknown placeholder "${name}" in ${raw}` })
            unknown = true
            continue
          }
          value = formatFieldValue(field, values[name]).trim()
        }
        if (value !== '') return value
      }
      if (!unknown) missing.add(names.join('|'))
      return blank
    })

  const title = fill(template.name, 'name')
  const clauses = (template.clauses ?? []).map((clause, c) => ({
    heading: fill(clause.heading, `clauses.${String(c)}.heading`),
    text: fill(clause.text, `clauses.${String(c)}.text`),
    items: (clause.items ?? []).map((item, i) => fill(item, `clauses.${String(c)}.items.${String(i)}`)),
  }))
  return { title, clauses, problems, missing: [...missing] }
}
