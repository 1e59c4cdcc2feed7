/**
 * Small numbers hidden (issue 16): the governors' report is shared beyond those who may know how
 * any one person stands, so no figure may let a reader pick someone out.
 *
 * - A count from 1 to 4 (fewer than 5 people, or fewer than 5 of their sessions) is hidden. Zero is
 *   shown: it says nothing about anyone.
 * - A percentage is hidden when the group it is a percentage of has fewer than 5 people, or when
 *   the count it is made of is hidden (it could be worked out from the percentage and the group).
 * - In a breakdown whose parts add up to a total that is shown, one hidden part could be worked out
 *   from the total and the others: one more part is then hidden too, the smallest other part that
 *   is not zero (secondary suppression).
 *
 * Hidden figures are 'c' (the Government Statistical Service's mark for a figure withheld to keep
 * people from being identified). Pure.
 */

/** Fewer than this many is hidden. */
export const smallNumber = 5

/** The mark for a hidden figure. */
export const hidden = 'c'
export type Hidden = typeof hidden

/** A count as shown: the number, or hidden. */
export type Count = number | Hidden
/** A whole percentage as shown: the number, hidden, or null when the group is empty. */
export type Percent = number | Hidden | null

export function isHidden(value: Count | Percent): value is Hidden {
  return value === hidden
}

/** A count, hidden from 1 to 4. */
export function suppressCount(n: number): Count {
  return n > 0 && n < smallNumber ? hidden : n
}

/**
 * `part` as a whole percentage of `of`, rounded down; hidden for a group of fewer than 5 or a part
 * that is hidden; null for none.
 */
export function suppressPercent(part: number, of: number): Percent {
  if (of === 0) return null
  if (of < smallNumber || suppressCount(part) === hidden) return hidden
  return Math.floor((part * 100) / of)
}

/**
 * The parts of a breakdown as shown. When the parts add up to `total` and `total` is shown, a
 * lone hidden part is protected by hiding the smallest other non-zero part as well (or, when every
 * other part is zero, the first other part).
 */
export function suppressBreakdown(total: number, parts: readonly number[]): Count[] {
  const shown = parts.map(suppressCount)
  const sum = parts.reduce((a, b) => a + b, 0)
  if (sum !== total || isHidden(suppressCount(total))) return shown
  const hiddenCount = shown.filter(isHidden).length
  if (hiddenCount !== 1) return shown
  let candidate = -1
  for (let i = 0; i < parts.length; i++) {
    if (isHidden(shown[i]!)) continue
    if (candidate === -1) candidate = i
    else if (parts[i]! > 0 && (parts[candidate] === 0 || parts[i]! < parts[candidate]!)) candidate = i
  }
  if (candidate >= 0) shown[candidate] = hidden
  return shown
}
