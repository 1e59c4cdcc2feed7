/**
 * What the policy's practice settings ask of the people using Haven (issue 14): further support
 * the school offers (LH-04), handovers when line management changes (LH-07), and what is shown
 * beside a session's record (CA-07, CA-10, LH-10, MW-12, AM-06, CA-09). Pure: policy in, answers out.
 */
import type { FurtherSupport, PolicyDocument } from './model.ts'

/** LH-04: the further support the school offers and tracks, in the policy's order. */
export function furtherSupportOffered(policy: PolicyDocument | null): FurtherSupport[] {
  return policy?.furtherSupport ?? []
}

/**
 * LH-07: whether a change of line manager must record a handover note from the outgoing to the
 * incoming one. With no policy in force, it must (the safer answer, as before).
 */
export function handoverNoteRequired(policy: PolicyDocument | null): boolean {
  return policy?.practice.handoverOnLineManagerChange ?? true
}
