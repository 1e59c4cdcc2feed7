/**
 * Terms agreed in a contract (MW-03): which of the policy's requirements a contract's frequency
 * applies to, the frequencies the policy allows a contract to agree, and the FrequencyOverride a
 * fully signed contract gives the compliance engine.
 */
import type { IsoDate, Person } from '../people/person.ts'
import type { Frequency, FrequencyOverride, FrequencyUnit, PolicyDocument, Requirement } from '../policy/model.ts'
import { requirementsForRules, selectorMatches } from '../policy/scope.ts'
import { describeFrequencyExactly } from '../policy/wording.ts'
import { isRealIsoDate } from '../records/entry.ts'
import type { AgreedTerms } from './model.ts'

/** How a frequency reads on a contract: the school's own words, or the exact rule. */
export function frequencyWords(frequency: Frequency): string {
  const wording = frequency.wording?.trim()
  return wording ? wording : describeFrequencyExactly(frequency)
}

function allowance(requirement: Requirement): 'none' | 'listed' | 'any' {
  // Validated policies always carry agreedFrequency; an older stored document may not.
  return (requirement.agreedFrequency as Requirement['agreedFrequency'] | null | undefined)?.allowed ?? 'none'
}

/** The ids of the requirements whose scope rules the person meets on `on` (whether or not they are in scope yet). */
export function requirementIdsFor(policy: PolicyDocument, person: Person, on: IsoDate): string[] {
  const ruleIds = policy.scope.rules.filter((rule) => selectorMatches(rule.who, person, on)).map((rule) => rule.id)
  return requirementsForRules(policy, ruleIds).map((r) => r.id)
}

/**
 * The requirement a person's contract speaks for: the first of the requirements that apply to them
 * which lets a contract agree a frequency, else the first that applies; with nothing known to
 * apply, the same choice over the whole policy.
 */
export function contractRequirement(policy: PolicyDocument, applying: readonly string[] | null): Requirement | null {
  const pick = (list: readonly Requirement[]) => list.find((r) => allowance(r) !== 'none') ?? list[0] ?? null
  const own = applying === null ? [] : policy.requirements.filter((r) => applying.includes(r.id))
  return pick(own) ?? pick(policy.requirements)
}

export interface FrequencyChoice {
  /** The form value: 'policy', 'option-1', 'option-2' ... */
  value: string
  /** Null for "as the policy requires". */
  frequency: Frequency | null
  label: string
}

export interface FrequencyChoices {
  choices: FrequencyChoice[]
  /** Whether any frequency may be agreed (LH-03, AM-05, PL): the form then offers "another frequency". */
  custom: boolean
}

/** The frequencies a contract may agree under this requirement (MW-03: every four weeks, or half-termly). */
export function frequencyChoices(requirement: Requirement | null): FrequencyChoices {
  const policyLabel = requirement?.frequency
    ? `As the policy requires: ${frequencyWords(requirement.frequency)}`
    : 'No set frequency'
  const choices: FrequencyChoice[] = [{ value: 'policy', frequency: null, label: policyLabel }]
  if (requirement === null) return { choices, custom: false }
  const allowed = allowance(requirement)
  if (allowed === 'none') return { choices, custom: false }
  requirement.agreedFrequency.options.forEach((frequency, i) => {
    const words = frequencyWords(frequency)
    choices.push({ value: `option-${String(i + 1)}`, frequency, label: words.charAt(0).toUpperCase() + words.slice(1) })
  })
  return { choices, custom: allowed === 'any' }
}

/** Roughly how many weeks of term time lie between two sessions at this frequency (39 school weeks a year). */
export function approximateTermWeeks(frequency: Frequency): number {
  switch (frequency.unit) {
    case 'weeks':
      return frequency.termTimeOnly ? frequency.every : (frequency.every * 39) / 52
    case 'months':
      return frequency.termTimeOnly ? frequency.every * (30.4375 / 7) : frequency.every * 3.25
    case 'half-terms':
      return (frequency.every * 6.5) / (frequency.times ?? 1)
    case 'terms':
      return (frequency.every * 13) / (frequency.times ?? 1)
    case 'academic-years':
      return (frequency.every * 39) / (frequency.times ?? 1)
  }
}

/** True when `agreed` asks for sessions at least as often as `required` (an agreement never loosens the policy). */
export function isAtLeastAsOften(agreed: Frequency, required: Frequency | null): boolean {
  if (required === null) return true
  return approximateTermWeeks(agreed) <= approximateTermWeeks(required) + 1e-9
}

export const customUnits: readonly { value: FrequencyUnit; singular: string; plural: string }[] = [
  { value: 'weeks', singular: 'week of term time', plural: 'weeks of term time' },
  { value: 'months', singular: 'month', plural: 'months' },
  { value: 'half-terms', singular: 'half term', plural: 'half terms' },
  { value: 'terms', singular: 'term', plural: 'terms' },
]

export interface FrequencyAnswer {
  choice: string
  /** "Another frequency": how many units apart. */
  every?: string
  unit?: string
}

export type FrequencyCheck =
  | { ok: true; frequency: Frequency | null }
  | { ok: false; field: 'frequency' | 'customEvery' | 'customUnit'; message: string }

/** Checks the answer to "How often will supervision take place?" against what the policy allows. */
export function checkAgreedFrequency(requirement: Requirement | null, answer: FrequencyAnswer): FrequencyCheck {
  const { choices, custom } = frequencyChoices(requirement)
  const chosen = choices.find((c) => c.value === answer.choice)
  if (chosen) return { ok: true, frequency: chosen.frequency }
  if (answer.choice !== 'custom' || !custom) {
    return { ok: false, field: 'frequency', message: 'Select how often supervision will take place' }
  }
  const unit = customUnits.find((u) => u.value === answer.unit)
  const everyText = (answer.every ?? '').trim()
  if (everyText === '') {
    return {
      ok: false,
      field: 'customEvery',
      message: 'Enter how many weeks, months, half terms or terms apart sessions will be',
    }
  }
  if (!/^\d{1,2}$/.test(everyText) || Number(everyText) < 1 || Number(everyText) > 52) {
    return {
      ok: false,
      field: 'customEvery',
      message: 'The number of weeks, months, half terms or terms must be a whole number from 1 to 52',
    }
  }
  if (!unit) return { ok: false, field: 'customUnit', message: 'Select weeks, months, half terms or terms' }
  const frequency: Frequency = {
    every: Number(everyText),
    unit: unit.value,
    termTimeOnly: unit.value === 'weeks',
    wording: null,
  }
  if (requirement && !isAtLeastAsOften(frequency, requirement.frequency)) {
    return {
      ok: false,
      field: 'customEvery',
      message: `The agreed frequency must be at least as often as the policy requires: ${frequencyWords(requirement.frequency!)}`,
    }
  }
  return { ok: true, frequency }
}

function sameFrequency(a: Frequency, b: Frequency): boolean {
  return a.every === b.every && a.unit === b.unit && a.termTimeOnly === b.termTimeOnly
}

/** The form's answer for terms already agreed: the matching listed option, or "another frequency". */
export function answerFor(requirement: Requirement | null, frequency: Frequency | null): FrequencyAnswer {
  if (frequency === null) return { choice: 'policy' }
  const listed = frequencyChoices(requirement).choices.find((c) => c.frequency && sameFrequency(c.frequency, frequency))
  if (listed) return { choice: listed.value }
  return { choice: 'custom', every: String(frequency.every), unit: frequency.unit }
}

/** How often supervision takes place under these terms, in words. */
export function agreedFrequencyWords(requirement: Requirement | null, frequency: Frequency | null): string {
  if (frequency) return frequencyWords(frequency)
  if (requirement?.frequency) return frequencyWords(requirement.frequency)
  return 'as agreed between the supervisor and supervisee'
}

/**
 * The first day agreed terms apply: the contract's start date (MW), else the date it was agreed
 * (AM, LH, CA, PL), else the day it was fully signed.
 */
export function termsStartOn(terms: AgreedTerms, signedOn: IsoDate): IsoDate {
  for (const id of ['startDate', 'agreedDate']) {
    const value = terms.values[id]
    if (typeof value === 'string' && isRealIsoDate(value)) return value
  }
  return signedOn
}

/**
 * MW-03: the override a fully signed contract gives the compliance engine, so the person is due
 * by the earlier of the policy's date and the agreed one. Null when the contract agrees no frequency.
 */
export function contractFrequencyOverride(input: {
  superviseeId: string
  terms: AgreedTerms
  academicYear: string
  signedOn: IsoDate
}): FrequencyOverride | null {
  if (input.terms.frequency === null) return null
  return {
    kind: 'frequency',
    personId: input.superviseeId,
    requirementId: input.terms.requirementId,
    frequency: input.terms.frequency,
    reason: `Agreed in the supervision contract for ${input.academicYear}`,
    from: termsStartOn(input.terms, input.signedOn),
    source: 'contract',
  }
}
