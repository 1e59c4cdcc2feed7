/**
 * One line per measured target, printed by each benchmark and gathered by `npm run bench`
 * (bench/run.ts) into one table at the end of the run, so every target is read side by side with
 * the load average of the machine it was measured on.
 */
import os from 'node:os'

export interface BenchResult {
  /** What was measured, e.g. "GET /trust/rollup, one academy changed". */
  measure: string
  engine: 'postgres' | 'pglite' | 'none'
  /** The data it was measured on, in words. */
  data: string
  median: number
  p95: number
  unit: 'ms' | 's' | 'MB' | 'req/s' | 'ratio'
  /** The target, when the issue sets one: under it (or, for 'at least', over it). */
  target?: number
  atLeast?: boolean
  /** Why a figure printed for information has no target (shown in its place in the summary). */
  noTargetBecause?: string
}

export const resultPrefix = 'BENCH-RESULT '

/** Prints a result for bench/run.ts to gather (and returns whether its target, if any, was met). */
export function reportResult(result: BenchResult): boolean {
  const met =
    result.target === undefined ||
    (result.atLeast ? result.median >= result.target : result.p95 < result.target && result.median < result.target)
  console.log(`${resultPrefix}${JSON.stringify({ ...result, met, load: os.loadavg()[0] })}`)
  return met
}
