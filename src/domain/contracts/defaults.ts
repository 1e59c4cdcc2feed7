/**
 * A new contract's values before anyone edits them (MW-02: review date a year on; the policy's
 * venue; the DSL or deputy DSL to return it to), and the checks a contract's values must pass
 * before it is issued.
 */
import { isValidIsoDate } from '../calendar/dates.ts'
import type { IsoDate } from '../people/person.ts'
import type { Duration, PolicyDocument } from '../policy/model.ts'
import { addDuration } from '../policy/time.ts'
import { formatDate } from '../records/contract.ts'
import { type EntryErrors, type EntryValues, emptyEntry, type PersonValue, validateEntry } from '../records/entry.ts'
import { type Field, type Template, templateFields } from '../records/template.ts'

export const defaultReviewEvery: Duration = { amount: 1, unit: 'years' }

/** MW-02: the contract is reviewed yearly; the review date is shown on it. */
export function defaultReviewOn(policy: PolicyDocument, issueOn: IsoDate): IsoDate {
  return addDuration(issueOn, policy.contract?.reviewEvery ?? defaultReviewEvery)
}

/** Field ids Haven fills itself rather than asking for: the agreed frequency (a choice) and signatures. */
export function isManagedField(field: Field): boolean {
  return field.kind === 'signatures' || (field.id === 'agreedFrequency' && field.kind === 'short-text')
}

/** The template's fields a person fills in when issuing a contract, in order. */
export function contractFormFields(template: Template): Field[] {
  return templateFields(template).filter((f) => !isManagedField(f))
}

export interface DefaultValuesInput {
  template: Template
  policy: PolicyDocument
  issueOn: IsoDate
  /** Who the signed contract is returned to (MW-02), for a template that names them. */
  collectedBy?: PersonValue | null
  /** The named person for a dispute resolution meeting (MW-11), for a template that names one. */
  disputeThirdPerson?: PersonValue | null
}

/** A new contract's values: the policy's venue, today as the agreed and start date, the review date a year on. */
export function defaultContractValues(input: DefaultValuesInput): EntryValues {
  const values = emptyEntry(input.template)
  for (const field of templateFields(input.template)) {
    if (field.kind === 'signatures') {
      delete values[field.id]
      continue
    }
    switch (field.id) {
      case 'venue':
        values.venue = input.policy.contract?.venue ?? ''
        break
      case 'reviewDate':
        values.reviewDate = defaultReviewOn(input.policy, input.issueOn)
        break
      case 'agreedDate':
      case 'startDate':
        values[field.id] = input.issueOn
        break
      case 'collectedBy':
        values.collectedBy = input.collectedBy ?? null
        break
      case 'disputeThirdPerson':
        values.disputeThirdPerson = input.disputeThirdPerson ?? null
        break
    }
  }
  return values
}

/** The review date a contract's values give, else the policy's default from the issue date. */
export function reviewOnOf(values: EntryValues, policy: PolicyDocument, issueOn: IsoDate): IsoDate {
  const given = values.reviewDate
  return typeof given === 'string' && isValidIsoDate(given) ? given : defaultReviewOn(policy, issueOn)
}

export type ContractValuesCheck = { ok: true; values: EntryValues } | { ok: false; errors: EntryErrors }

/**
 * Checks a contract's values before it is issued: every required field, in the GOV.UK wording of
 * validateEntry, and a review date after the day it is issued. Drafts may leave fields blank.
 */
export function checkContractValues(
  template: Template,
  values: EntryValues,
  options: { issueOn: IsoDate; mode: 'draft' | 'complete' },
): ContractValuesCheck {
  const checked = validateEntry(template, values, { mode: options.mode })
  const errors: EntryErrors = checked.ok ? {} : { ...checked.errors }
  const normalised = checked.ok ? checked.values : values
  const review = normalised.reviewDate
  if (
    errors.reviewDate === undefined &&
    typeof review === 'string' &&
    isValidIsoDate(review) &&
    review <= options.issueOn
  ) {
    errors.reviewDate = `The review date must be after ${formatDate(options.issueOn)}`
  }
  for (const field of templateFields(template)) if (isManagedField(field)) delete errors[field.id]
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const result: EntryValues = { ...normalised }
  for (const field of templateFields(template)) if (field.kind === 'signatures') delete result[field.id]
  return { ok: true, values: result }
}
