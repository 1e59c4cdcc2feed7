/**
 * A school that joins a trust keeps its own rules where the trust's policy lets it (issue 14,
 * ADR 50): what of its own policy becomes its first adoption's overrides. Pure.
 *
 * - A requirement the trust also has (same id): the school's frequency is kept when it is stricter
 *   than the trust's (an academy may be stricter, never looser); a looser one is not kept.
 * - A requirement the trust does not have: kept as an extra requirement when every session type it
 *   counts is one the trust's policy has, with the school's scope rules it names (added where the
 *   trust has no rule of that id; a rule of the same id must be the same rule).
 * - Anything else is listed as not kept, for the people consenting to read before they join.
 */
import { type AcademyOverrides, noOverrides } from './adoption.ts'
import { atLeastAsOften } from './adoption-frequency.ts'
import type { PolicyDocument, ScopeRule } from './model.ts'

export interface KeptOnJoining {
  overrides: AcademyOverrides
  /** The school's requirements kept, in its words. */
  kept: string[]
  /** The school's requirements the trust's policy replaces, in its words. */
  notKept: string[]
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export function overridesKeptOnJoining(own: PolicyDocument, trust: PolicyDocument): KeptOnJoining {
  const overrides: AcademyOverrides = {
    extraRequirements: [],
    extraScopeRules: [],
    frequencies: [],
    templates: [],
  }
  const kept: string[] = []
  const notKept: string[] = []
  const trustTypes = new Set(trust.sessionTypes.map((t) => t.id))
  const trustRules = new Map(trust.scope.rules.map((r) => [r.id, r]))
  const ownRules = new Map(own.scope.rules.map((r) => [r.id, r]))
  for (const requirement of own.requirements) {
    const trusts = trust.requirements.find((r) => r.id === requirement.id)
    if (trusts) {
      if (!requirement.frequency || !trusts.frequency || same(requirement.frequency, trusts.frequency)) continue
      if (atLeastAsOften(requirement.frequency, trusts.frequency)) {
        overrides.frequencies.push({ requirementId: requirement.id, frequency: requirement.frequency })
        kept.push(requirement.description)
      } else notKept.push(requirement.description)
      continue
    }
    const rules: ScopeRule[] = []
    let fits = requirement.sessionTypes.every((t) => trustTypes.has(t))
    for (const id of requirement.scopeRules) {
      const ownRule = ownRules.get(id)
      const trustRule = trustRules.get(id)
      if (!ownRule || (trustRule && !same(ownRule, trustRule))) fits = false
      else if (!trustRule && !overrides.extraScopeRules.some((r) => r.id === id)) rules.push(ownRule)
    }
    if (!fits) {
      notKept.push(requirement.description)
      continue
    }
    overrides.extraScopeRules.push(...rules)
    overrides.extraRequirements.push(requirement)
    kept.push(requirement.description)
  }
  return kept.length > 0 ? { overrides, kept, notKept } : { overrides: noOverrides, kept, notKept }
}
