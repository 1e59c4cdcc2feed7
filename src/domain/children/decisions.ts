/**
 * Issue 15: every decision about a child finds its way to the child's own record (X-07, CA-10,
 * PL-04, AM-04, LH-06, MW-12).
 *
 * A decision from a signed record (formal or group supervision) or from unplanned supervision is
 * queued for the DSL. Where the policy names a sign-off role (AM-04) it waits for sign-off:
 * approved, returned with a comment (the supervisor changes nothing in a signed record; the DSL
 * amends the entry, or approves it later), or amended and approved. Then it is entered on the
 * child's record, by hand from a copy-ready entry or by the school's webhook, and tracked to "by
 * X on date, reference Y".
 *
 * Pure: no I/O, no clock (the caller passes now or today).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { addDays, formatLongDate } from '../calendar/index.ts'
import type { IsoDate } from '../people/person.ts'

export type DecisionStatus = 'awaiting-sign-off' | 'returned' | 'ready' | 'entered'
export type DecisionAbout = 'child' | 'family' | 'pseudonym'
export type DecisionSource = 'record' | 'unplanned'

export const decisionStatusLabels: Readonly<Record<DecisionStatus, string>> = {
  'awaiting-sign-off': 'Waiting for sign-off',
  returned: 'Returned with a comment',
  ready: 'To enter on the child’s record',
  entered: 'Entered on the child’s record',
}

/** Who the decision is about, as the school's safeguarding system needs it. */
export interface DecisionChild {
  about: DecisionAbout
  /** The pupil's name from the register, the family's name, or the pseudonym. */
  name: string
  upn: string | null
  misId: string | null
  yearGroup: string
}

export interface QueuedDecision {
  id: string
  status: DecisionStatus
  child: DecisionChild
  decidedOn: IsoDate
  category: string
  decision: string
  actions: string
  agreedBy: string
  /** "Formal supervision", "Group supervision", "Unplanned supervision: Corridor conversation". */
  sessionKind: string
  signedOffByName: string | null
  enteredByName: string | null
  enteredAt: Date | null
  enteredIn: string | null
  enteredReference: string | null
}

/** The status a new decision starts in: waiting for sign-off when the policy names who signs off (AM-04). */
export function initialStatus(policy: { childRecord: { signOffRole: string | null } } | null): DecisionStatus {
  return policy?.childRecord.signOffRole ? 'awaiting-sign-off' : 'ready'
}

/** AM-04: who may sign a decision off; without a sign-off role, the DSL runs the queue. */
export function maySignOff(
  roles: readonly string[],
  policy: { childRecord: { signOffRole: string | null } } | null,
): boolean {
  const role = policy?.childRecord.signOffRole ?? 'dsl'
  return roles.includes(role)
}

export type SignOffChoice = 'approve' | 'return' | 'amend'

export type Transition = { ok: true; status: DecisionStatus } | { ok: false; message: string }

/** The sign-off step: approve or amend makes it ready to enter; return keeps it out of the way, with a comment. */
export function signOff(status: DecisionStatus, choice: SignOffChoice, hasChild: boolean): Transition {
  if (status !== 'awaiting-sign-off' && status !== 'returned')
    return { ok: false, message: 'This decision has already been signed off' }
  if (choice === 'return') return { ok: true, status: 'returned' }
  if (!hasChild) return { ok: false, message: 'Select the child from the register, or say it is about a family' }
  return { ok: true, status: 'ready' }
}

/** Marking a decision entered on the child's record: only once it is signed off (or needs no sign-off). */
export function markEntered(status: DecisionStatus): Transition {
  if (status === 'entered') return { ok: false, message: 'This decision is already entered on the child’s record' }
  if (status !== 'ready') return { ok: false, message: 'This decision must be signed off before it is entered' }
  return { ok: true, status: 'entered' }
}

/** Whether the decision has a child (from the register), a family or a pseudonym to go to. */
export function hasSomeoneToGoTo(child: DecisionChild): boolean {
  return child.name.trim() !== ''
}

// ---------------------------------------------------------------------------------------------
// The copy-ready entry: the fields a CPOMS or MyConcern incident takes

export const defaultCategory = 'Safeguarding supervision decision'

function childLine(child: DecisionChild): string {
  if (child.about === 'family') return `${child.name} (family)`
  if (child.about === 'pseudonym') return `${child.name} (pseudonym: match to the child in your system)`
  const ids = [child.upn ? `UPN ${child.upn}` : null, child.misId ? `MIS id ${child.misId}` : null]
    .filter((x) => x)
    .join(', ')
  return [child.name, child.yearGroup ? `(${child.yearGroup})` : null, ids ? `, ${ids}` : null]
    .filter((x) => x)
    .join(' ')
    .replace(' ,', ',')
}

export interface EntryField {
  label: string
  value: string
}

/** The incident's fields in the order CPOMS and MyConcern ask for them. */
export function copyEntryFields(d: QueuedDecision): EntryField[] {
  return [
    { label: 'Child', value: childLine(d.child) },
    { label: 'Date', value: formatLongDate(d.decidedOn) },
    { label: 'Category', value: d.category || defaultCategory },
    { label: 'Decision', value: d.decision },
    { label: 'Actions', value: d.actions || 'None recorded' },
    { label: 'Who agreed', value: d.agreedBy || 'Not recorded' },
    { label: 'Source', value: `${d.sessionKind || 'Supervision'}, recorded in Haven` },
  ]
}

/** The entry as one block of plain text, to paste into the incident's description. */
export function copyEntryText(d: QueuedDecision): string {
  return copyEntryFields(d)
    .map((f) => `${f.label}: ${f.value}`)
    .join('\n')
}

/** "Entered in CPOMS by Dana Shah on 3 December 2026, reference 12345". */
export function enteredLine(
  d: Pick<QueuedDecision, 'enteredByName' | 'enteredAt' | 'enteredIn' | 'enteredReference'>,
  formatDate: (d: Date) => string,
): string {
  if (!d.enteredAt) return ''
  const where = d.enteredIn ? ` in ${d.enteredIn}` : ''
  const ref = d.enteredReference ? `, reference ${d.enteredReference}` : ''
  return `Entered on the child’s record${where} by ${d.enteredByName ?? 'someone'} on ${formatDate(d.enteredAt)}${ref}`
}

// ---------------------------------------------------------------------------------------------
// The webhook: what is sent, how it is signed, when it is tried again

/** The JSON body sent to the school's webhook: the same fields as the copy-ready entry. */
export function webhookPayload(d: QueuedDecision, school: { slug: string }): Record<string, unknown> {
  return {
    type: 'decision.ready',
    school: school.slug,
    decision: {
      id: d.id,
      child: {
        about: d.child.about,
        name: d.child.name,
        upn: d.child.upn,
        misId: d.child.misId,
        yearGroup: d.child.yearGroup || null,
      },
      date: d.decidedOn,
      category: d.category || defaultCategory,
      decision: d.decision,
      actions: d.actions,
      agreedBy: d.agreedBy,
      source: d.sessionKind,
    },
  }
}

export const signatureHeader = 'x-haven-signature'

/**
 * The signature header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as
 * Stripe-style receivers check it; the timestamp lets the receiver refuse replays.
 */
export function signDelivery(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')
  return `t=${t},v1=${mac}`
}

/** What a receiver does: true when the header is the body's signature with this secret. */
export function verifyDelivery(secret: string, body: string, header: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]))
  const t = parts['t']
  const v1 = parts['v1']
  if (!t || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest()
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'))
}

/** Minutes to wait after each failed attempt; after the last, the delivery has failed. */
export const retryMinutes = [1, 5, 30, 120, 720] as const
export const maxAttempts = retryMinutes.length + 1

/** After `attempts` failed attempts: when to try again, or null when it has failed for good. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= maxAttempts) return null
  const minutes = retryMinutes[attempts - 1] ?? retryMinutes[retryMinutes.length - 1]!
  return new Date(now.getTime() + minutes * 60_000)
}

/**
 * A receiver may answer a delivery with `{"reference": "..."}`: the decision is then entered on
 * the child's record by the school's integration, with that reference.
 */
export function referenceFromResponse(text: string): string | null {
  try {
    const body = JSON.parse(text) as unknown
    if (body && typeof body === 'object' && 'reference' in body) {
      const ref = (body as { reference: unknown }).reference
      if (typeof ref === 'string' && ref.trim() !== '' && ref.length <= 200) return ref.trim()
      if (typeof ref === 'number' && Number.isFinite(ref)) return String(ref)
    }
  } catch {
    return null
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// Reminders

/**
 * X-07, issue 15: a decision not yet entered, queued on `queuedOn`, is overdue once more than the
 * policy's `remindAfterDays` have passed; never without that setting.
 */
export function isOverdue(queuedOn: IsoDate, today: IsoDate, remindAfterDays: number | null): boolean {
  if (remindAfterDays === null) return false
  return addDays(queuedOn, remindAfterDays) < today
}

/**
 * The school's webhook address: https, or http to this machine only (a receiver the school runs
 * beside Haven, and tests); no user name or password in it.
 */
export function webhookUrlProblem(text: string): string | null {
  if (text === '') return 'Enter the address of your webhook'
  if (text.length > 500) return 'The address must be 500 characters or fewer'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'Enter a web address, like https://cpoms-bridge.example.org/haven'
  }
  if (url.username || url.password) return 'The address must not contain a user name or password'
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:' && local) return null
  return 'The address must start with https://'
}
