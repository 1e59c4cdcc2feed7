/**
 * Calmer email (issue 18 item 5): every kind of email Haven sends, and the rules that decide when it
 * goes. Pure: no database.
 *
 * - Urgent kinds (sign-in links, password resets, security notices, approvals a person is waiting
 *   on, safeguarding escalations, a session cancelled or moved) always go at once. The rest wait for
 *   the daily digest of a person who chose one.
 * - Kinds that carry a sign-in link (`reachesUninvited`) are the only ones that go to someone who has
 *   not been invited: everyone else who has never been invited is not emailed.
 */

export const EMAIL_KINDS = {
  // Signing in and the account: always at once; the invitation is how someone is invited.
  'account.invitation': { urgent: true, reachesUninvited: true },
  'account.password-reset': { urgent: true, reachesUninvited: true },
  'account.password-changed': { urgent: true, reachesUninvited: false },
  'account.sign-in-failures': { urgent: true, reachesUninvited: false },
  'account.two-step-moved': { urgent: true, reachesUninvited: false },
  'account.email-confirm': { urgent: true, reachesUninvited: true },
  'account.email-changed': { urgent: true, reachesUninvited: true },
  'account.approval': { urgent: true, reachesUninvited: false },
  // Safeguarding: never waits.
  'safeguarding.case-escalation': { urgent: true, reachesUninvited: false },
  'safeguarding.child-decisions': { urgent: true, reachesUninvited: false },
  'supervision.overdue': { urgent: false, reachesUninvited: false },
  // Sessions.
  'session.booked': { urgent: false, reachesUninvited: false },
  'session.changed': { urgent: true, reachesUninvited: false },
  'session.request': { urgent: false, reachesUninvited: false },
  'session.request-answered': { urgent: false, reachesUninvited: false },
  'session.reminder': { urgent: false, reachesUninvited: false },
  'session.year-planned': { urgent: false, reachesUninvited: false },
  // Records and contracts.
  'record.step': { urgent: false, reachesUninvited: false },
  'contract.to-sign': { urgent: false, reachesUninvited: false },
  'contract.unsigned-summary': { urgent: false, reachesUninvited: false },
  'contract.returned': { urgent: false, reachesUninvited: false },
  'contract.review-due': { urgent: false, reachesUninvited: false },
  // The school's own paperwork.
  'policy.review-due': { urgent: false, reachesUninvited: false },
  'governors.report': { urgent: false, reachesUninvited: false },
  'wellbeing.feedback': { urgent: false, reachesUninvited: false },
  // The daily digest itself: written by the digest job, never held again.
  'digest.daily': { urgent: true, reachesUninvited: false },
} as const satisfies Record<string, { urgent: boolean; reachesUninvited: boolean }>

export type EmailKind = keyof typeof EMAIL_KINDS

export const emailKinds = Object.keys(EMAIL_KINDS) as EmailKind[]

/** What Haven knows of the person an address belongs to. */
export interface RecipientStanding {
  /** A person of the organisation has this address. */
  known: boolean
  /** They have been sent an invitation, have a password or have signed in. */
  invited: boolean
  /** They asked for one email a day. */
  digest: boolean
}

export type Delivery = 'now' | 'hold' | 'skip'

/** Whether an email of this kind goes now, waits for the digest, or is not written at all. */
export function deliveryOf(kind: EmailKind, recipient: RecipientStanding): Delivery {
  const rule = EMAIL_KINDS[kind]
  if (recipient.known && !recipient.invited && !rule.reachesUninvited) return 'skip'
  if (!rule.urgent && recipient.known && recipient.digest) return 'hold'
  return 'now'
}

export interface HeldEmail {
  subject: string
  text: string
}

/**
 * One message for everything a person's held emails said, oldest first: each under its subject,
 * with its own links. Null when nothing is held.
 */
export function composeDigest(held: readonly HeldEmail[], dayName: string): HeldEmail | null {
  if (held.length === 0) return null
  const count = held.length === 1 ? '1 message' : `${String(held.length)} messages`
  const parts = held.map((h) => [h.subject, '-'.repeat(Math.min(h.subject.length, 70)), '', h.text.trim()].join('\n'))
  return {
    subject: `Haven: your daily summary for ${dayName} (${count})`,
    text: [
      `Your messages from Haven for ${dayName}, in one email as you asked. You can change this on your account page.`,
      '',
      parts.join('\n\n'),
    ].join('\n'),
  }
}

/** Items grouped by who they go to, in the order each person first appears (one email per person). */
export function batchByRecipient<T extends { personId: string }>(items: readonly T[]): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(item.personId) ?? []
    group.push(item)
    groups.set(item.personId, group)
  }
  return [...groups.values()]
}
