/**
 * Versions of a policy: each version has a number and the date it takes effect. Past
 * compliance is judged by the version in force at the time, so editing the policy (issuing a new
 * version) never rewrites history.
 */
import { formatLongDate, type IsoDate } from '../calendar/index.ts'
import type { PolicyDocument } from './model.ts'
import type { PolicyProblem } from './validate.ts'

/** Oldest first: by effective date, then by version number. */
export function sortVersions(versions: readonly PolicyDocument[]): PolicyDocument[] {
  return [...versions].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.version - b.version,
  )
}

/**
 * The version in force on `date`: the one with the latest effective date on or before it (the
 * higher version number if two take effect on the same day). Null before the first version.
 */
export function policyInForce(versions: readonly PolicyDocument[], date: IsoDate): PolicyDocument | null {
  let inForce: PolicyDocument | null = null
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
