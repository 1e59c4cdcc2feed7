/**
 * The contract forms (issue 13, point 3: one Zod schema per form, read with `parseForm`):
 * - the contract form (one contract, a draft, a change of terms): the supervisor, "How often will
 *   supervision take place?" (MW-03), the template's own fields (named by their field ids; dates
 *   as `<id>-day`, `<id>-month`, `<id>-year`; people as a person id), the version read and which
 *   button was pressed;
 * - issuing to everyone (the template's fields once for all, and the digest of the list shown);
 * - signing (the hash of the contract as shown; the password or code is the step-up's form).
 * Values are kept as typed, so a page with errors shows them again. What the values mean (a
 * frequency the policy allows, a real date, someone who may supervise) is checked by the service
 * and the domain, whose problems come back as `problemErrors`, in the Design System's words.
 */
import { z } from 'zod'
import { contractFormFields, type FrequencyAnswer } from '../../domain/contracts/index.ts'
import type { EntryValues } from '../../domain/records/entry.ts'
import type { Template } from '../../domain/records/template.ts'
import { type DateParts, datePartsOf, datePartsSchema } from '../../forms/date-input.ts'
import type { FormErrors } from '../../forms/errors.ts'
import { longText, text, version } from '../../forms/fields.ts'
import { problemErrors } from '../../forms/form.ts'
import type { ContractErrors, TermsInput } from '../../services/contracts/issue.ts'

export type { DateParts }
export { datePartsOf }

/** The template's fields as typed: a string, or the parts of a date. */
export type FieldValues = Record<string, string | DateParts>

export interface ContractFormValues {
  supervisorId: string
  frequency: string
  customEvery: string
  customUnit: string
  fields: FieldValues
}

const body = z.record(z.string(), z.unknown()).catch({})

/** The template's fields from the flat body: dates from their three parts, the rest as text. */
function fieldsSchema(template: Template) {
  const fields = contractFormFields(template)
  return body.transform((raw): FieldValues => {
    const values: FieldValues = {}
    for (const f of fields) {
      values[f.id] =
        f.kind === 'date'
          ? datePartsSchema.parse({ day: raw[`${f.id}-day`], month: raw[`${f.id}-month`], year: raw[`${f.id}-year`] })
          : (f.kind === 'long-text' ? longText : text).parse(raw[f.id])
    }
    return values
  })
}

/** Which button was pressed: save as a draft, or issue. */
const action = text.transform((v): 'draft' | 'issue' => (v === 'draft' ? 'draft' : 'issue'))

/** The contract form: one contract, a draft, or a change of terms. */
export function contractFormSchema(template: Template) {
  const fields = fieldsSchema(template)
  return body.transform((raw) => ({
    values: {
      supervisorId: text.parse(raw.supervisorId),
      frequency: text.parse(raw.frequency),
      customEvery: text.parse(raw.customEvery),
      customUnit: text.parse(raw.customUnit),
      fields: fields.parse(raw),
    } satisfies ContractFormValues,
    version: version.parse(raw.version),
    action: action.parse(raw.action),
  }))
}

/** Issuing to everyone in scope: the template's fields once for all, and the list as it was shown. */
export function bulkFormSchema(template: Template) {
  const fields = fieldsSchema(template)
  return body.transform((raw) => ({ fields: fields.parse(raw), digest: text.parse(raw.digest) }))
}

/** Issuing a draft as it stands: the version read. */
export const issueDraftFormSchema = z.object({ version })

/** Signing: the hash of the contract as the person read it. */
export const signFormSchema = z.object({ hash: text })

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

/** A stored contract's terms as the form shows them (to edit a draft, change terms, or renew). */
export function formValuesOf(
  template: Template,
  input: TermsInput,
  stored: Record<string, unknown>,
): ContractFormValues {
  return {
    supervisorId: input.supervisorId,
    frequency: input.frequency.choice,
    customEvery: input.frequency.every ?? '',
    customUnit: input.frequency.unit ?? '',
    fields: fieldsFromStored(template, stored),
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

/**
 * The service's problems with a contract form as the error shape: a date's summary link goes to
 * its day field, as the Design System asks.
 */
export function contractErrors(template: Template, problems: ContractErrors): FormErrors {
  const hrefs: Record<string, string> = { frequency: 'frequency' }
  for (const f of contractFormFields(template)) if (f.kind === 'date') hrefs[f.id] = `${f.id}-day`
  return problemErrors(
    problems.map(([field, message]) => ({ field, message })),
    hrefs,
  )
}

/** One problem with the whole form (someone else's change, a list that changed). */
export function formProblem(field: string, message: string): FormErrors {
  return problemErrors([{ field, message }])
}
