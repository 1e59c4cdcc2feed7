/**
 * Freezes a value and everything it holds, so that a value kept and shared (a pack's template, a
 * school's policy kept between reads) cannot be changed by one reader under another: a change
 * throws (modules are strict) instead of passing silently.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
