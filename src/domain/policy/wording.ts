/**
 * Plain-English phrases for parts of a policy, shared by the summary page, contracts
 * (`{{policy.frequency}}`, `{{policy.duration}}`) and the reasons the compliance engine gives.
 */
import { roleCatalogue } from '../people/roles.ts'
import type {
  Duration,
  ExternalBody,
  Frequency,
  PolicyDocument,
  SelectorCondition,
  StaffSelector,
  SupervisorSpec,
} from './model.ts'

/** 'a, b and c' */
export function listWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/** 'a, b or c' */
export function listWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

/** Words that are capitalised only because they start a sentence. */
const sentenceStarters = new Set(
  'a an all any anyone both each every everyone if it its no one only other our some someone staff supervision supervisors that the their there these they this those we when where'.split(
    ' ',
  ),
)

function isAbbreviation(word: string): boolean {
  const letters = word.replace(/[^A-Za-z]/g, '')
  return letters.length > 1 && letters.slice(0, 2) === letters.slice(0, 2).toUpperCase()
}

/**
 * Lower-cases the first letter of text that is to follow other words ('All trained DSLs' becomes
 * 'all trained DSLs'), but leaves abbreviations ('SENDCO') and names written in title case
 * ('Year Heads', 'Child and Family Support Workers') as they are.
 */
export function lowerFirst(text: string): string {
  const words = text.split(/\s+/)
  const first = words[0] ?? ''
  if (first === '' || isAbbreviation(first)) return text
  const lowered = text.charAt(0).toLowerCase() + text.slice(1)
  if (sentenceStarters.has(first.toLowerCase())) return lowered
  const titleCase = words.slice(1).some((word) => /^[A-Z][a-z]/.test(word) && !isAbbreviation(word))
  return titleCase ? text : lowered
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** 'a' or 'an' before a word, by its first letter. */
export function withArticle(noun: string): string {
  return /^[aeiouAEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`
}

function plural(amount: number, one: string, many: string = `${one}s`): string {
  return amount === 1 ? `1 ${one}` : `${amount} ${many}`
}

/** Nouns that take a plural verb though they do not end in "s" ('staff have'). */
const pluralNouns = new Set(['staff', 'people', 'children', 'personnel', 'colleagues', 'governors'])

/** Words that end the head of a noun phrase: what follows qualifies it ('members of staff', 'staff working in ...'). */
const qualifierWords = new Set(
  'who whose which that in on at of for from with without within working employed by under over during while whom'.split(
    ' ',
  ),
)

/**
 * Whether a noun phrase a school wrote ('The nursery manager', 'Practitioners working with the
 * children', 'The DSL and deputy DSLs') is plural, by its head noun: joined with "and", a noun in
 * the plural ('DSLs', 'assistants'), or one that takes a plural verb ('staff'); a list joined with
 * "or" agrees with its last noun. Policies name their groups in free text with no number, so the
 * verb agrees with the words themselves.
 */
export function isPluralPhrase(phrase: string): boolean {
  const words = phrase.trim().split(/\s+/)
  const cut = words.findIndex((word, i) => i > 0 && qualifierWords.has(word.toLowerCase().replace(/[,;:]$/, '')))
  const head = cut === -1 ? words : words.slice(0, cut)
  if (head.some((w) => w.toLowerCase() === 'and')) return true
  const noun = (head[head.length - 1] ?? '').replace(/[^A-Za-z']/g, '')
  const lower = noun.toLowerCase()
  if (pluralNouns.has(lower)) return true
  if (lower.endsWith('ss') || lower.endsWith('us') || lower === '') return false
  // An abbreviation written in capitals ends in S by its own letters ('EYFS', 'SENCOS' is not written).
  if (noun === noun.toUpperCase()) return false
  return lower.endsWith('s')
}

/** The verb (or any word) agreeing with a subject phrase: agreeing('The SENDCO', 'has', 'have') is 'has'. */
export function agreeing(subject: string, one: string, many: string): string {
  return isPluralPhrase(subject) ? many : one
}

/** 'once', 'twice', '3 times'. */
function timesWord(times: number): string {
  return times === 1 ? 'once' : times === 2 ? 'twice' : `${times} times`
}

const periodWords: Record<'half-terms' | 'terms' | 'academic-years', { one: string; many: string }> = {
  'half-terms': { one: 'half term', many: 'half terms' },
  terms: { one: 'term', many: 'terms' },
  'academic-years': { one: 'academic year', many: 'academic years' },
}

/**
 * The exact rule: 'every 12 weeks of term time', 'every 2 months of term time', 'once each half
 * term', 'once every 2 terms', '3 times each academic year', 'twice each term'.
 */
export function describeFrequencyExactly(frequency: Frequency): string {
  const { every, unit } = frequency
  switch (unit) {
    case 'weeks': {
      const base = every === 1 ? 'every week' : `every ${every} weeks`
      return frequency.termTimeOnly ? `${base} of term time` : base
    }
    case 'months': {
      const base = every === 1 ? 'every month' : `every ${every} months`
      return frequency.termTimeOnly ? `${base} of term time` : base
    }
    case 'half-terms':
    case 'terms':
    case 'academic-years': {
      const words = periodWords[unit]
      const times = timesWord(frequency.times ?? 1)
      if (unit === 'terms' && every === 1 && times === 'once') return 'once a term'
      return every === 1 ? `${times} each ${words.one}` : `${times} every ${every} ${words.many}`
    }
  }
}

/**
 * How often, as a headteacher would say it: 'at least once a term (every 12 weeks of term time)'
 * when the school has its own wording, otherwise 'at least every 6 weeks of term time'.
 */
export function describeFrequency(frequency: Frequency): string {
  const exact = describeFrequencyExactly(frequency)
  const wording = frequency.wording?.trim()
  if (wording && wording !== exact) return `at least ${wording} (${exact})`
  return `at least ${exact}`
}

/** '5 working days', '3 months', '1 year'. */
export function describeDuration(duration: Duration): string {
  switch (duration.unit) {
    case 'days':
      return plural(duration.amount, 'day')
    case 'working-days':
      return plural(duration.amount, 'working day')
    case 'weeks':
      return plural(duration.amount, 'week')
    case 'months':
      return plural(duration.amount, 'month')
    case 'years':
      return plural(duration.amount, 'year')
  }
}

/** 'every year', 'every 6 months'. */
export function describeRecurrence(duration: Duration): string {
  if (duration.amount === 1) {
    const unit = duration.unit === 'working-days' ? 'working day' : duration.unit.replace(/s$/, '')
    return `every ${unit}`
  }
  return `every ${describeDuration(duration)}`
}

/** 'about an hour', 'about an hour and a half', 'about 45 minutes', 'about 2 hours'. */
export function describeMinutes(minutes: number): string {
  if (minutes === 60) return 'about an hour'
  if (minutes === 90) return 'about an hour and a half'
  if (minutes < 60) return `about ${minutes} minutes`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const hourText = hours === 1 ? '1 hour' : `${hours} hours`
  return rest === 0 ? `about ${hourText}` : `about ${hourText} ${rest} minutes`
}

/** A role's display name, from the catalogue or the policy's custom roles; the id if unknown. */
export function roleName(policy: Pick<PolicyDocument, 'customRoles'>, roleId: string): string {
  const custom = policy.customRoles.find((role) => role.id === roleId)
  if (custom) return custom.name
  return roleCatalogue.find((role) => role.id === roleId)?.name ?? roleId
}

/** A role as it reads inside a sentence: 'designated safeguarding lead (DSL)', 'SENCO or SENDCO'. */
export function roleNoun(policy: Pick<PolicyDocument, 'customRoles'>, roleId: string): string {
  return lowerFirst(roleName(policy, roleId))
}

const flagPhrases: Readonly<Record<string, string>> = {
  'early-career': 'early-career (newly qualified) staff',
  'in-probation': 'staff in their probation period',
  'works-in-eyfs': 'staff working in the EYFS',
  'pastoral-responsibilities': 'staff with additional pastoral responsibilities',
  'trained-dsl': 'trained DSLs',
  'additional-support': 'staff who need additional support',
}

/** 'staff working in the EYFS' for the flag 'works-in-eyfs'. */
export function flagPhrase(flag: string): string {
  return flagPhrases[flag] ?? `staff flagged '${flag}'`
}

/** Who a selector picks out: 'anyone who is a class teacher or teaching assistant, or trained DSLs'. */
export function describeSelector(policy: Pick<PolicyDocument, 'customRoles'>, selector: StaffSelector): string {
  if (selector.everyone) return 'all staff'
  const parts: string[] = []
  if (selector.roles.length > 0) {
    parts.push(`anyone who is ${listWithOr(selector.roles.map((role) => withArticle(roleNoun(policy, role))))}`)
  }
  for (const flag of selector.flags) parts.push(flagPhrase(flag))
  if (selector.trainedSupervisors) parts.push('everyone trained to supervise others')
  for (const condition of selector.conditions ?? []) parts.push(describeCondition(condition))
  return listWithOr(parts)
}

/** 'first year', 'first 6 months'. */
function firstPeriod(duration: Duration): string {
  if (duration.amount !== 1) return `first ${describeDuration(duration)}`
  return `first ${duration.unit === 'working-days' ? 'working day' : duration.unit.replace(/s$/, '')}`
}

/**
 * A date-derived condition in words: 'staff in their first 6 months in post', 'early-career
 * (newly qualified) staff, in the first year from the date that began'.
 */
export function describeCondition(condition: SelectorCondition): string {
  if (condition.kind === 'in-post-for-less-than') return `staff in their ${firstPeriod(condition.duration)} in post`
  return `${flagPhrase(condition.flag)}, in the ${firstPeriod(condition.duration)} from the date that began`
}

const externalPhrases: Readonly<Record<ExternalBody, string>> = {
  'local-authority': 'a local authority team',
  'professional-body': 'their professional body',
  'critical-incident-team': 'a critical incident team',
  independent: 'an independent supervisor',
  'other-organisation': 'another organisation',
}

/** 'their line manager', 'a deputy DSL from another school in the trust', 'their professional body'. */
export function describeSupervisorSpec(policy: Pick<PolicyDocument, 'customRoles'>, spec: SupervisorSpec): string {
  switch (spec.kind) {
    case 'role':
      return withArticle(roleNoun(policy, spec.role))
    case 'line-manager':
      return 'their line manager'
    case 'line-manager-delegate':
      return spec.roles.length === 0
        ? 'someone their line manager delegates to'
        : `${listWithOr(spec.roles.map((role) => withArticle(roleNoun(policy, role))))} their line manager delegates to`
    case 'another-school-in-trust':
      return `${withArticle(roleNoun(policy, spec.role))} from another school in the trust`
    case 'another-school':
      return `${withArticle(roleNoun(policy, spec.role))} from another school`
    case 'trust-central':
      return `${withArticle(roleNoun(policy, spec.role))} of the trust's central team`
    case 'external':
      return externalPhrases[spec.body]
    case 'any-staff':
      return 'any member of staff'
  }
}
