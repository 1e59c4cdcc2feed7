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

/** One part of what the policy asks of a record, for the record page. */
export interface GuidanceItem {
  id: string
  heading: string
  /** A sentence, or null when the item is only a list. */
  text: string | null
  items: string[]
}

export interface GuidanceViewer {
  /** How the viewer stands to the record: management (the DSL) reads it without taking part. */
  role: 'supervisor' | 'supervisee' | 'dsl'
  /** Whether the record has been signed by everyone who must sign it. */
  signed: boolean
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

function partyNoun(party: 'supervisor' | 'supervisee'): string {
  return party === 'supervisor' ? 'the supervisor' : 'the supervisee'
}

/**
 * What the school's policy asks of a supervision record, for the people reading or writing it:
 * the order of business (CA-07), summarising actions during the session (AM-06), case discussions
 * on the child's own record (CA-10), how a stuck case is escalated (LH-10), who else may see it
 * (CA-09), where it may be used as evidence (MW-12), how it is kept and who keeps a copy (AM-06,
 * MW-10), the viewer's own duties under the school's principles (PL-01: supervisee, supervisor,
 * or management for the DSL), and the further support the school offers (LH-04).
 */
export function recordGuidance(policy: PolicyDocument | null, viewer: GuidanceViewer): GuidanceItem[] {
  if (!policy) return []
  const out: GuidanceItem[] = []
  const add = (id: string, heading: string, text: string | null, items: string[] = []) =>
    out.push({ id, heading, text, items })

  const outline = policy.practice.sessionOutline
  if (outline.length > 0) add('outline', 'Order of business', 'Take these in this order:', outline)
  if (policy.recording.actionSummaryDuringSession)
    add(
      'action-summary',
      'Summary of actions',
      'Complete the summary of agreed actions during the session or straight after it, before you finish the record.',
    )
  if (policy.childRecord.caseDiscussionsOnChildRecord) {
    const where = policy.childRecord.system ? ` in ${policy.childRecord.system}` : ''
    add(
      'case-discussions',
      'Case discussions',
      `Record the details of each case discussed on the child’s own safeguarding record${where} as well.`,
    )
  }
  const escalation = policy.practice.caseEscalationProcedure
  if (escalation) add('case-escalation', 'When a case is not progressing', sentence(escalation))
  const sharing = policy.confidentiality?.sharing
  if (sharing) add('sharing', 'Who else may see it', sentence(sharing))
  if (policy.recording.evidenceUses.length > 0)
    add('evidence', 'Use as evidence', 'This record may later be used as evidence in:', policy.recording.evidenceUses)
  if (policy.recording.storage) add('storage', 'How records are kept', sentence(policy.recording.storage))
  const copies = policy.recording.copiesHeldBy
  if (copies.length > 0) {
    const yours = viewer.role !== 'dsl' && copies.includes(viewer.role)
    add(
      'copies',
      'Copies',
      `${sentence(`${listOf(copies.map(partyNoun))} ${copies.length === 1 ? 'keeps' : 'each keep'} a copy of the signed record`)}${yours ? (viewer.signed ? ' Download yours as a PDF from this page.' : ' You can download yours once everyone has signed.') : ''}`,
    )
  }
  const duties = policy.frameworks.flatMap((f) =>
    f.items.flatMap((item) => {
      if (!item.duties) return []
      const list = viewer.role === 'dsl' ? item.duties.management : item.duties[viewer.role]
      return list.map((duty) => `${item.name}: ${duty}`)
    }),
  )
  if (duties.length > 0)
    add(
      'duties',
      viewer.role === 'dsl'
        ? 'Management’s duties'
        : `Your duties as ${viewer.role === 'supervisor' ? 'supervisor' : 'supervisee'}`,
      null,
      duties,
    )
  const support = furtherSupportOffered(policy)
  if (support.length > 0)
    add(
      'further-support',
      'Further support the school offers',
      'If the session shows someone needs more support, these are available:',
      support.map(
        (s) => `${s.name} (${s.providedBy.charAt(0).toLowerCase()}${s.providedBy.slice(1)}): ${s.description}`,
      ),
    )
  return out
}

function listOf(items: readonly string[]): string {
  const first = items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
  return first.charAt(0).toUpperCase() + first.slice(1)
}
