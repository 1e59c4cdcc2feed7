/** Contracts for people: status tags, parties, and the template's fields as form components. */
import {
  type ContractStatus,
  contractFormFields,
  customUnits,
  type FrequencyChoices,
} from '../../domain/contracts/index.ts'
import type { Party } from '../../domain/policy/index.ts'
import type { Template } from '../../domain/records/template.ts'
import type { FormErrors } from '../../forms/errors.ts'
import type { ContractFormValues, DateParts, FieldValues } from './forms.ts'

export const statusLabels: Record<ContractStatus, string> = {
  draft: 'Draft',
  issued: 'Waiting for signatures',
  signed: 'Signed',
  superseded: 'Superseded',
}

const statusClasses: Record<ContractStatus, string> = {
  draft: 'govuk-tag--grey',
  issued: 'govuk-tag--yellow',
  signed: 'govuk-tag--green',
  superseded: 'govuk-tag--grey',
}

export function statusTag(status: ContractStatus) {
  return { text: statusLabels[status], classes: statusClasses[status] }
}

export const partyLabels: Record<Party, string> = { supervisee: 'Supervisee', supervisor: 'Supervisor' }

export function partiesText(parties: readonly Party[]): string {
  if (parties.length === 0) return 'No one'
  return parties.map((p, i) => (i === 0 ? partyLabels[p] : partyLabels[p].toLowerCase())).join(' and ')
}

/** Where the list and bulk pages take the status filter from. */
export const statusFilters: readonly { value: ContractStatus | ''; text: string }[] = [
  { value: '', text: 'All' },
  { value: 'issued', text: 'Waiting for signatures' },
  { value: 'signed', text: 'Signed' },
  { value: 'draft', text: 'Drafts' },
  { value: 'superseded', text: 'Superseded' },
]

export interface PersonOption {
  id: string
  name: string
  roles: readonly string[]
  detail?: string
}

export type FieldView =
  | {
      kind: 'text' | 'textarea'
      id: string
      label: string
      hint: string | null
      value: string
      error: { text: string } | undefined
    }
  | {
      kind: 'date'
      id: string
      label: string
      hint: string | null
      parts: DateParts
      error: { text: string } | undefined
    }
  | {
      kind: 'select'
      id: string
      label: string
      hint: string | null
      items: { value: string; text: string; selected: boolean }[]
      error: { text: string } | undefined
    }

/** The template's fields as Design System components, with their values and errors. */
export function fieldViews(
  template: Template,
  values: FieldValues,
  errors: FormErrors,
  people: readonly PersonOption[],
): FieldView[] {
  return contractFormFields(template).map((f): FieldView => {
    const error = errors.fields[f.id]
    const hint = f.hint ?? null
    const value = values[f.id]
    if (f.kind === 'date') {
      const parts = typeof value === 'object' ? value : { day: '', month: '', year: '' }
      return { kind: 'date', id: f.id, label: f.label, hint, parts, error }
    }
    if (f.kind === 'person') {
      const selected = typeof value === 'string' ? value : ''
      const roles = f.roles ?? []
      const offered = roles.length > 0 ? people.filter((p) => p.roles.some((r) => roles.includes(r))) : people
      return {
        kind: 'select',
        id: f.id,
        label: f.label,
        hint,
        items: [
          { value: '', text: 'Choose someone', selected: selected === '' },
          ...offered.map((p) => ({
            value: p.id,
            text: p.detail ? `${p.name} (${p.detail})` : p.name,
            selected: p.id === selected,
          })),
        ],
        error,
      }
    }
    return {
      kind: f.kind === 'long-text' ? 'textarea' : 'text',
      id: f.id,
      label: f.label,
      hint,
      value: typeof value === 'string' ? value : '',
      error,
    }
  })
}

/** The radios for "How often will supervision take place?" (MW-03). */
export function frequencyView(
  choices: FrequencyChoices,
  values: Pick<ContractFormValues, 'frequency' | 'customEvery' | 'customUnit'>,
  errors: FormErrors,
) {
  return {
    items: choices.choices.map((c) => ({ value: c.value, text: c.label, checked: values.frequency === c.value })),
    custom: choices.custom,
    customChecked: values.frequency === 'custom',
    customEvery: values.customEvery,
    unitItems: [
      { value: '', text: 'Choose', selected: values.customUnit === '' },
      ...customUnits.map((u) => ({ value: u.value, text: u.plural, selected: values.customUnit === u.value })),
    ],
    errors: {
      frequency: errors.fields.frequency,
      customEvery: errors.fields.customEvery,
      customUnit: errors.fields.customUnit,
    },
  }
}
