/**
 * Issue 15 item 4: records are private, not confidential (CA-09, AM-05, MW-10).
 *
 * A supervisor may share a signed record, or chosen parts of it, with a named person the policy
 * allows (their own line manager, whoever holds a role such as the DSL), to safeguard someone,
 * choosing the reason from the policy's confidentiality exceptions (`confidentiality.disclosure`).
 * The supervisee is always told (CA-09: "always with the supervisee's knowledge"): the policy says
 * whether before (the named person waits out a notice period) or after (shared at once). The
 * headteacher never receives content where the policy allows only general feedback (MW-10).
 *
 * Pure: no I/O, no clock (the caller passes now).
 */
import type { Disclosure, DisclosureReason, HeadteacherFeedback } from '../policy/model.ts'
import type { RecordDocument } from './record.ts'
import type { Template } from './template.ts'

export const maxShareNoteLength = 2000

/** What may be shared: a section of the record's template, the agreed actions, or the decisions about children. */
export interface ShareablePart {
  id: string
  label: string
}

export const actionsPart = 'actions'
export const decisionsPart = 'decisions'

/** The parts of a record a supervisor may choose from: its sections, then its actions and decisions when it has any. */
export function shareableParts(
  template: Pick<Template, 'sections'>,
  document: Pick<RecordDocument, 'actions' | 'decisions'>,
  options: { actionsFieldId?: string | null } = {},
): ShareablePart[] {
  const parts: ShareablePart[] = template.sections
    .filter((s) => s.fields.some((f) => f.kind !== 'signatures' && f.id !== options.actionsFieldId))
    .map((s) => ({ id: s.id, label: s.title }))
  if (document.actions.some((a) => a.text.trim() !== '')) parts.push({ id: actionsPart, label: 'Agreed actions' })
  if (document.decisions.length > 0) parts.push({ id: decisionsPart, label: 'Decisions for the child’s record' })
  return parts
}

/** `null`: the whole record. Otherwise the chosen part ids. */
export type SharedParts = readonly string[] | null

export function includesPart(parts: SharedParts, partId: string): boolean {
  return parts === null || parts.includes(partId)
}

/** The template as the named person sees it: only the shared sections (signature blocks stay out). */
export function sharedTemplate<T extends Pick<Template, 'sections'>>(template: T, parts: SharedParts): T {
  return {
    ...template,
    sections: template.sections
      .filter((s) => includesPart(parts, s.id))
      .map((s) => ({ ...s, fields: s.fields.filter((f) => f.kind !== 'signatures') }))
      .filter((s) => s.fields.length > 0),
  }
}

// ---------------------------------------------------------------------------------------------
// Who may share, who may receive

/** CA-09: the supervisor shares a signed record, where the policy allows sharing at all. */
export function canShareRecord(
  role: string | null,
  status: string,
  disclosure: Disclosure | null | undefined,
): boolean {
  return role === 'supervisor' && status === 'signed' && disclosure != null && disclosure.reasons.length > 0
}

export interface StaffCandidate {
  id: string
  name: string
  jobTitle: string
  roles: readonly string[]
}

export interface Recipient {
  id: string
  name: string
  jobTitle: string
  /** Why they may receive it: the supervisor's line manager, or a role the policy names. */
  because: 'line-manager' | 'role'
}

/**
 * The people a record may be shared with (CA-09, AM-05): the supervisor's own line manager where
 * the policy allows, and whoever holds a role the policy names. Never the record's own parties
 * (they have it already), never the person sharing, and never a headteacher where the policy
 * gives the headteacher general feedback only (MW-10), whatever else they are.
 */
export function shareRecipients(input: {
  disclosure: Disclosure | null | undefined
  headteacherFeedback: HeadteacherFeedback | null | undefined
  /** The line managers of the supervisor who shares. */
  lineManagerIds: readonly string[]
  staff: readonly StaffCandidate[]
  partyIds: readonly string[]
}): Recipient[] {
  const { disclosure } = input
  if (!disclosure) return []
  const parties = new Set(input.partyIds)
  const out: Recipient[] = []
  for (const person of input.staff) {
    if (parties.has(person.id)) continue
    if (input.headteacherFeedback === 'general-only' && person.roles.includes('headteacher')) continue
    const isManager = disclosure.toSupervisorsLineManager && input.lineManagerIds.includes(person.id)
    const holdsRole = person.roles.some((r) => disclosure.toRoles.includes(r))
    if (!isManager && !holdsRole) continue
    out.push({
      id: person.id,
      name: person.name,
      jobTitle: person.jobTitle,
      because: isManager ? 'line-manager' : 'role',
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Told before or after

const dayMs = 24 * 60 * 60 * 1000

/**
 * When the named person may open what is shared. The supervisee is told at once either way;
 * told `before`, the named person waits the policy's notice period; told `after`, it opens at once.
 */
export function shareOpensAt(disclosure: Pick<Disclosure, 'superviseeTold' | 'noticeDays'>, now: Date): Date {
  if (disclosure.superviseeTold === 'after') return now
  return new Date(now.getTime() + disclosure.noticeDays * dayMs)
}

export type ShareState = 'waiting' | 'open' | 'withdrawn'

export const shareStateLabels: Readonly<Record<ShareState, string>> = {
  waiting: 'Notice period',
  open: 'Shared',
  withdrawn: 'Withdrawn',
}

export function shareState(share: { opensAt: Date; withdrawnAt: Date | null }, now: Date): ShareState {
  if (share.withdrawnAt !== null) return 'withdrawn'
  return share.opensAt.getTime() <= now.getTime() ? 'open' : 'waiting'
}

/** Only the named person opens a share, once it is open and while it is not withdrawn. */
export function mayOpenShare(
  share: { recipientId: string; opensAt: Date; withdrawnAt: Date | null },
  personId: string,
  now: Date,
): 'open' | 'waiting' | 'withdrawn' | 'not-yours' {
  if (share.recipientId !== personId) return 'not-yours'
  return shareState(share, now)
}

/** The supervisor who shared it, or the DSL, may withdraw a share that is not withdrawn already. */
export function mayWithdrawShare(
  share: { sharedById: string | null; withdrawnAt: Date | null },
  viewer: { personId: string; isDsl: boolean },
): boolean {
  if (share.withdrawnAt !== null) return false
  return viewer.isDsl || (share.sharedById !== null && share.sharedById === viewer.personId)
}

// ---------------------------------------------------------------------------------------------
// Checking what the supervisor asked for

export interface ShareRequest {
  recipientId: string
  reasonId: string
  note: string
  /** `whole` or `parts`. */
  scope: string
  parts: readonly string[]
}

export interface CheckedShare {
  recipient: Recipient
  reason: DisclosureReason
  note: string
  parts: SharedParts
}

export type ShareCheck = { ok: true; share: CheckedShare } | { ok: false; errors: Record<string, string> }

/** Errors keyed by form field, in the Design System's wording. */
export function checkShare(
  request: ShareRequest,
  options: { disclosure: Disclosure; recipients: readonly Recipient[]; parts: readonly ShareablePart[] },
): ShareCheck {
  const errors: Record<string, string> = {}
  const recipient = options.recipients.find((r) => r.id === request.recipientId)
  if (!recipient) errors['recipient'] = 'Select who to share the record with'
  const reason = options.disclosure.reasons.find((r) => r.id === request.reasonId)
  if (!reason) errors['reason'] = 'Select the reason for sharing the record'
  const note = request.note.trim()
  if (note === '') errors['note'] = 'Enter why you are sharing the record'
  else if (note.length > maxShareNoteLength)
    errors['note'] = `Why you are sharing the record must be ${String(maxShareNoteLength)} characters or fewer`
  let parts: SharedParts = null
  if (request.scope === 'parts') {
    const known = new Set(options.parts.map((p) => p.id))
    const chosen = [...new Set(request.parts)].filter((p) => known.has(p))
    if (chosen.length === 0 || chosen.length !== new Set(request.parts).size)
      errors['parts'] = 'Select the parts of the record to share'
    parts = options.parts.map((p) => p.id).filter((id) => chosen.includes(id))
  } else if (request.scope !== 'whole') errors['scope'] = 'Select whether to share the whole record or parts of it'
  if (!recipient || !reason || Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, share: { recipient, reason, note, parts } }
}

/** The parts as words, for the pages and the emails: "the whole record" or "Reflection and Agreed actions". */
export function partsInWords(parts: SharedParts, available: readonly ShareablePart[]): string {
  if (parts === null) return 'the whole record'
  const labels = parts.map((id) => available.find((p) => p.id === id)?.label ?? id)
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
}
