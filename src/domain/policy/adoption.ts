/**
 * A trust's policy and an academy's adoption of it (issue 14, X-01, ADR 0024).
 *
 * A trust keeps its own policy: versions with effective dates, like a school's. Each academy adopts
 * it with local additions and overrides, kept as versions of their own with effective dates: an
 * extra requirement (with the scope rule saying whom it is for), a different frequency for one of
 * the trust's requirements, the academy's own template in place of one the trust names. Its dates
 * (terms, closures) are already its own: every school keeps its own calendar.
 *
 * The one rule: **the academy's policy on a date is the trust's version in force that day with the
 * academy's overrides in force that day applied to it.** So a trust amendment reaches every academy
 * from its effective date, except where the academy's overrides replace that rule; and since each
 * side's versions are never changed, no past day is judged again. Before its adoption took
 * effect a school keeps its own versions: a school that joins a trust keeps its history.
 *
 * `academyTimeline` turns the three lists into the one list of versions a PolicyBook reads
 * (src/domain/policy/versions.ts), so every page keeps asking one book (ADR 0021).
 */
import { type IsoDate, maxDate } from '../calendar/index.ts'
import type { Frequency, PolicyDocument, Requirement, ScopeRule } from './model.ts'
import { versionInForce } from './versions.ts'

/** Where a rule of an academy's policy comes from. */
export const RuleSource = { Trust: 'trust', Academy: 'academy' } as const
export type RuleSource = (typeof RuleSource)[keyof typeof RuleSource]

/** The academy's frequency for one of the trust's requirements. */
export interface FrequencyChange {
  requirementId: string
  frequency: Frequency
}

/** The academy's template in place of one the trust's policy names (contract, agenda, preparation or record). */
export interface TemplateChange {
  replaces: string
  with: string
}

/** What an academy adds to and changes in its trust's policy. */
export interface AcademyOverrides {
  /** Requirements the academy adds; one with the id of a trust requirement replaces it. */
  extraRequirements: Requirement[]
  /** Scope rules the academy adds (whom its requirements are for); one with a trust rule's id replaces it. */
  extraScopeRules: ScopeRule[]
  frequencies: FrequencyChange[]
  templates: TemplateChange[]
}

export const noOverrides: AcademyOverrides = Object.freeze({
  extraRequirements: [],
  extraScopeRules: [],
  frequencies: [],
  templates: [],
}) as AcademyOverrides

/** One version of an academy's adoption: the overrides in force from a date. */
export interface AdoptionVersion {
  version: number
  effectiveFrom: IsoDate
  overrides: AcademyOverrides
}

/**
 * Where the rules of a composed version come from, kept on the document (and so in its export).
 * `academy` lists the rules the academy set, as `section:id` keys: `requirement:<id>`,
 * `requirement:<id>:frequency`, `scope-rule:<id>`, `template:<id the trust names>`. Every other
 * rule is the trust's.
 */
export interface PolicySources {
  trust: { name: string; policyId: string; version: number; effectiveFrom: IsoDate }
  adoption: { version: number; effectiveFrom: IsoDate }
  academy: string[]
}

/** A policy document that may say where its rules come from (only composed versions do). */
export type SourcedPolicy = PolicyDocument & { sources?: PolicySources }

/**
 * The number of a composed version: stable for a pair of trust version and adoption version, so a
 * contract made under it finds it again, and above any number a school's own versions reach.
 */
export function composedVersionNumber(trustVersion: number, adoptionVersion: number): number {
  return trustVersion * 1000 + adoptionVersion
}

function replaceOrAdd<T extends { id: string }>(list: readonly T[], added: readonly T[]): T[] {
  const result = [...list]
  for (const item of added) {
    const at = result.findIndex((x) => x.id === item.id)
    if (at >= 0) result[at] = item
    else result.push(item)
  }
  return result
}

/**
 * The academy's policy from a trust version and an adoption version: the trust's rules, with the
 * academy's requirements and scope rules added (replacing any of the same id), its frequencies set
 * on the trust's requirements of those ids (an id the trust no longer has is left out), and its
 * templates named in place of the trust's. Pure; the trust's document is never changed.
 */
export function composeAcademyPolicy(
  trust: PolicyDocument,
  adoption: AdoptionVersion,
  academy: { name: string; trustName: string },
): SourcedPolicy {
  const { overrides } = adoption
  const academyRules: string[] = []
  const scopeRules = replaceOrAdd(trust.scope.rules, overrides.extraScopeRules)
  for (const rule of overrides.extraScopeRules) academyRules.push(`scope-rule:${rule.id}`)
  let requirements = replaceOrAdd(trust.requirements, overrides.extraRequirements)
  for (const requirement of overrides.extraRequirements) academyRules.push(`requirement:${requirement.id}`)
  requirements = requirements.map((requirement) => {
    const change = overrides.frequencies.find((f) => f.requirementId === requirement.id)
    if (!change) return requirement
    academyRules.push(`requirement:${requirement.id}:frequency`)
    return { ...requirement, frequency: change.frequency }
  })
  const swap = (id: string | null): string | null => {
    if (id === null) return null
    const change = overrides.templates.find((t) => t.replaces === id)
    if (!change) return id
    if (!academyRules.includes(`template:${id}`)) academyRules.push(`template:${id}`)
    return change.with
  }
  const templates = {
    contract: swap(trust.templates.contract),
    agenda: swap(trust.templates.agenda),
    preparation: swap(trust.templates.preparation),
    records: trust.templates.records.map((use) => ({ ...use, templateId: swap(use.templateId) as string })),
  }
  const effectiveFrom = maxDate(adoption.effectiveFrom, trust.effectiveFrom)
  return {
    ...trust,
    version: composedVersionNumber(trust.version, adoption.version),
    effectiveFrom,
    metadata: { ...trust.metadata, school: academy.name, trust: academy.trustName },
    scope: { ...trust.scope, rules: scopeRules },
    requirements,
    templates,
    sources: {
      trust: {
        name: academy.trustName,
        policyId: trust.id,
        version: trust.version,
        effectiveFrom: trust.effectiveFrom,
      },
      adoption: { version: adoption.version, effectiveFrom: adoption.effectiveFrom },
      academy: academyRules,
    },
  }
}

/**
 * Every version an academy's book holds (any order): its own versions that took effect before its
 * adoption did, then one composed version from each day the trust's version or the academy's
 * overrides change (`composeAcademyPolicy`). A school with no adoption (or a trust with no policy
 * yet) keeps just its own versions.
 */
export function academyTimeline(input: {
  own: readonly PolicyDocument[]
  trust: readonly PolicyDocument[]
  adoptions: readonly AdoptionVersion[]
  academy: { name: string; trustName: string }
}): PolicyDocument[] {
  const { own, trust, adoptions, academy } = input
  if (trust.length === 0 || adoptions.length === 0) return [...own]
  const days = [...new Set([...trust.map((t) => t.effectiveFrom), ...adoptions.map((a) => a.effectiveFrom)])].sort()
  const composed: PolicyDocument[] = []
  const seen = new Set<number>()
  for (const day of days) {
    const t = versionInForce(trust, day)
    const a = versionInForce(adoptions, day)
    if (!t || !a) continue
    const number = composedVersionNumber(t.version, a.version)
    if (seen.has(number)) continue
    seen.add(number)
    composed.push(composeAcademyPolicy(t, a, academy))
  }
  const start = composed[0]?.effectiveFrom
  if (start === undefined) return [...own]
  return [...own.filter((v) => v.effectiveFrom < start), ...composed]
}

/**
 * How a version is named to people: its number, or for a composed version the trust's version and
 * the academy's changes, e.g. "trust version 2, academy changes 1".
 */
export function versionLabel(policy: SourcedPolicy): string {
  if (!policy.sources) return String(policy.version)
  return `trust version ${policy.sources.trust.version}, academy changes ${policy.sources.adoption.version}`
}

/** Whether a rule of a composed policy is the academy's (else the trust's); for a school's own policy, null. */
export function ruleSource(policy: SourcedPolicy, key: string): RuleSource | null {
  if (!policy.sources) return null
  return policy.sources.academy.includes(key) ? RuleSource.Academy : RuleSource.Trust
}
