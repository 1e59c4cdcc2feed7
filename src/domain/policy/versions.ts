/**
 * Versions of a policy: each version has a number and the date it takes effect. Past
 * compliance is judged by the version in force at the time, so editing the policy (issuing a new
 * version) never rewrites history.
 */
import { formatLongDate, type IsoDate } from '../calendar/index.ts'
import type { PolicyDocument, SessionType } from './model.ts'
import type { PolicyProblem } from './validate.ts'

/** Oldest first: by effective date, then by version number. */
export function sortVersions(versions: readonly PolicyDocument[]): PolicyDocument[] {
  return [...versions].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.version - b.version,
  )
}

/**
 * The version that had taken effect by `date`: the one with the latest effective date on or before
 * it (the higher version number if two take effect on the same day). Null before the first version.
 *
 * Only the compliance engine asks this strict question (nothing is owed before a policy took
 * effect). Everything else asks a PolicyBook (below), which never returns null while the school has
 * a policy; a test (src/services/policy/one-rule.test.ts) keeps it so (issue 14, ADR 0021).
 */
export function policyInForce(versions: readonly PolicyDocument[], date: IsoDate): PolicyDocument | null {
  return versionInForce(versions, date)
}

/**
 * The same rule for anything versioned with effective dates: a trust's versions and an academy's
 * adoptions (adoption.ts) are each picked by it before they are composed into the versions a
 * PolicyBook holds. Only those two modules use it (src/services/policy/one-rule.test.ts).
 */
export function versionInForce<V extends { version: number; effectiveFrom: IsoDate }>(
  versions: readonly V[],
  date: IsoDate,
): V | null {
  let inForce: V | null = null
  for (const version of versions) {
    if (version.effectiveFrom > date) continue
    if (
      inForce === null ||
      version.effectiveFrom > inForce.effectiveFrom ||
      (version.effectiveFrom === inForce.effectiveFrom && version.version > inForce.version)
    ) {
      inForce = version
    }
  }
  return inForce
}

/**
 * The first day from which the policy has asked, without a break, for sessions to be tagged with
 * the framework (LH-02): the versions in force up to today are walked back while each still has
 * the framework (the same id) with tagging on. A new version that keeps the framework therefore
 * does not move the day, and "not covered" flags survive it; a version without it does. The
 * overview's balance and the compliance engine's gaps both ask it.
 */
export function frameworkTaggedSince(
  versions: readonly PolicyDocument[],
  frameworkId: string,
  today: IsoDate,
): IsoDate | null {
  // The version in force from each effective date: the highest version number of that date.
  const byDate = new Map<IsoDate, PolicyDocument>()
  for (const v of versions) {
    if (v.effectiveFrom > today) continue
    const seen = byDate.get(v.effectiveFrom)
    if (!seen || seen.version < v.version) byDate.set(v.effectiveFrom, v)
  }
  const inForce = [...byDate.values()].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))
  let since: IsoDate | null = null
  for (const v of inForce) {
    if (!v.frameworks.some((f) => f.id === frameworkId && f.tagSessions)) break
    since = v.effectiveFrom
  }
  return since
}

/**
 * Problems with a set of versions of one policy: versions of different policies, a version
 * number used twice, or a later version taking effect before an earlier one. Paths are
 * `versions[i].field`.
 */
export function checkVersionHistory(versions: readonly PolicyDocument[]): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  const first = versions[0]
  const numbers = new Map<number, number>()
  versions.forEach((version, index) => {
    if (first && version.id !== first.id) {
      problems.push({
        path: `versions[${index}].id`,
        message: `Version ${version.version} belongs to policy '${version.id}', not '${first.id}'`,
      })
    }
    const earlier = numbers.get(version.version)
    if (earlier !== undefined) {
      problems.push({
        path: `versions[${index}].version`,
        message: `Version number ${version.version} is used twice: give each version its own number`,
      })
    }
    numbers.set(version.version, index)
  })
  const ordered = [...versions].sort((a, b) => a.version - b.version)
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]
    const current = ordered[i]
    if (previous && current && current.effectiveFrom < previous.effectiveFrom) {
      problems.push({
        path: `versions[${versions.indexOf(current)}].effectiveFrom`,
        message: `Version ${current.version} must take effect on or after version ${previous.version} (${formatLongDate(previous.effectiveFrom)})`,
      })
    }
  }
  return problems
}

/**
 * A school's policy versions, read once, and the ONE answer to "which policy applies on a date"
 * (issue 14, ADR 0021). Load it with `policyBook(db, schoolId)` (src/services/policy/on-date.ts).
 */
export interface PolicyBook {
  /** Every version, oldest first (by effective date, then by version number). */
  readonly versions: readonly PolicyDocument[]
  /** The newest version (the latest effective date): what the next edit starts from. Null when there is none. */
  readonly latest: PolicyDocument | null
  /**
   * The policy on `date`: the version in force that day; before the school's first version took
   * effect, that first version; null only when the school has no policy at all.
   */
  on(date: IsoDate): PolicyDocument | null
  /** The version with this number (the one a contract or record was made under), else null. */
  version(version: number): PolicyDocument | null
  /**
   * A session type as it stands on `date` (a session's date): as the version on that date (see
   * `on`) defines it; when that version does not have it (a type added later, or dropped since),
   * as the newest version that has it; null when no version knows it.
   */
  sessionType(typeId: string, date: IsoDate): SessionType | null
  /** The name of `sessionType(typeId, date)`, 'Supervision' when no version knows the type. */
  typeName(typeId: string, date: IsoDate): string
}

/** The book of a school's versions (any order). Pure: the services load the versions. */
export function policyBookOf(versions: readonly PolicyDocument[]): PolicyBook {
  const sorted = sortVersions(versions)
  const first = sorted[0] ?? null
  const latest = sorted.at(-1) ?? null
  const on = (date: IsoDate): PolicyDocument | null => policyInForce(sorted, date) ?? first
  const sessionType = (typeId: string, date: IsoDate): SessionType | null => {
    const found = on(date)?.sessionTypes.find((t) => t.id === typeId)
    if (found) return found
    for (let i = sorted.length - 1; i >= 0; i--) {
      const type = sorted[i]?.sessionTypes.find((t) => t.id === typeId)
      if (type) return type
    }
    return null
  }
  return {
    versions: sorted,
    latest,
    on,
    version: (version) => sorted.find((v) => v.version === version) ?? null,
    sessionType,
    typeName: (typeId, date) => sessionType(typeId, date)?.name ?? 'Supervision',
  }
}
