/**
 * Issuing contracts at the start of the year (MW-01, MW-02): everyone the policy requires to be
 * supervised gets one, unless they already have a contract for that year or have nobody to
 * supervise them yet (they are listed, so the DSL can put that right and issue theirs later).
 */
import type { ContractStatus } from './model.ts'

export interface BulkCandidate {
  personId: string
  name: string
  /** Whether the policy requires them to be supervised (the compliance engine's answer). */
  required: boolean
  /** Why, in the engine's words. */
  reason: string
  /** Their current supervisor, or else their line manager; null when they have neither. */
  supervisorId: string | null
  supervisorName: string | null
  /** The status of their current (not superseded) contract for the year, if they have one. */
  contractForYear: ContractStatus | null
}

export const BulkSkipReason = {
  HasContract: 'has-contract',
  NoSupervisor: 'no-supervisor',
} as const
export type BulkSkipReason = (typeof BulkSkipReason)[keyof typeof BulkSkipReason]

export interface BulkPlan {
  issue: (BulkCandidate & { supervisorId: string; supervisorName: string })[]
  skipped: { candidate: BulkCandidate; reason: BulkSkipReason }[]
}

/** Who gets a contract for the year, and who is left out and why, in the order given. */
export function planBulkIssue(candidates: readonly BulkCandidate[]): BulkPlan {
  const plan: BulkPlan = { issue: [], skipped: [] }
  for (const candidate of candidates) {
    if (!candidate.required) continue
    if (candidate.contractForYear !== null) {
      plan.skipped.push({ candidate, reason: BulkSkipReason.HasContract })
    } else if (candidate.supervisorId === null || candidate.supervisorName === null) {
      plan.skipped.push({ candidate, reason: BulkSkipReason.NoSupervisor })
    } else {
      plan.issue.push({ ...candidate, supervisorId: candidate.supervisorId, supervisorName: candidate.supervisorName })
    }
  }
  return plan
}
