/**
 * Reading the contract forms: the template's own fields (named by their field ids; dates as
 * `<id>-day`, `<id>-month`, `<id>-year`; people as a person id), the supervisor, and "How often
 * will supervision take place?" (MW-03). Values are kept as typed so a form with errors shows them again.
 */
import { contractFormFields, type FrequencyAnswer } from '../../domain/contracts/index.ts'
import type { EntryValues } from '../../domain/records/entry.ts'
import type { Template } from '../../domain/records/template.ts'
import { type DateParts, datePartsFrom, datePartsOf } from '../../forms/date-input.ts'
import { field } from '../../forms/errors.ts'
import type { TermsInput } from '../../services/contracts/issue.ts'

export type { DateParts }

/** The template's fields as typed: a string, or the parts of a date. */
export type FieldValues = Record<string, string | DateParts>

export interface ContractFormValues {
  supervisorId: string
  frequency: string
  customEvery: string
  customUnit: string
  fields: FieldValues
}

export { datePartsOf }

/** The template's fields as the form sends them. */
export function readFields(template: Template, body: unknown): FieldValues {
  const values: FieldValues = {}
  for (const f of contractFormFields(template)) {
    values[f.id] = f.kind === 'date' ? datePartsFrom(body, f.id) : field(body, f.id, { trim: f.kind !== 'long-text' })
  }
  return values
}

/** Stored values (ISO dates, `{ personId, name }`) as the form shows them. */
export function fieldsFromStored(template: Template, stored: EntryValues | Record<string, unknown>): FieldValues {
  const values: FieldValues = {}
  for (const f of contractFormFields(template)) {
    const v = stored[f.id]
    if (f.kind === 'date') values[f.id] = datePartsOf(v)
    else if (f.kind === 'person')
      values[f.id] =
        typeof v === 'object' && v !== null && 'personId' in v && typeof v.personId === 'string' ? v.personId : ''
    else values[f.id] = typeof v === 'string' ? v : ''
  }
  return values
}

export function readContractForm(template: Template, body: unknown): ContractFormValues {
  return {
    supervisorId: field(body, 'supervisorId'),
    frequency: field(body, 'frequency'),
    customEvery: field(body, 'customEvery'),
    customUnit: field(body, 'customUnit'),
    fields: readFields(template, body),
  }
}

export function frequencyAnswerOf(
  values: Pick<ContractFormValues, 'frequency' | 'customEvery' | 'customUnit'>,
): FrequencyAnswer {
  return { choice: values.frequency, every: values.customEvery, unit: values.customUnit }
}

export function termsInputOf(values: ContractFormValues): TermsInput {
  return { supervisorId: values.supervisorId, frequency: frequencyAnswerOf(values), values: values.fields }
}

/** A version number from a hidden field, or null when it is not one. */
export function readVersion(body: unknown): number | null {
  const raw = field(body, 'version')
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}

/** Which button was pressed: save as a draft, or issue. */
export function readAction(body: unknown): 'draft' | 'issue' {
  return field(body, 'action') === 'draft' ? 'draft' : 'issue'
}
