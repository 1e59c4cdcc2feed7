/**
 * Changing someone's email address (issue 12, ADR 0011). Whoever holds a person's address can reset
 * their password and so read what they can read. So a change of address for someone with something
 * to protect (an account, or a part in supervision, whose records an invitation would open), made
 * by anyone but the person themself, only takes effect when confirmed: by a DSL of the person's
 * school (not the person, not whoever asked for it), or by the person from a link sent to the
 * address in use. Until then the old address stays in force.
 *
 * Pure: the caller says who asks and what the person has.
 */

/** How long the link sent to the old address works. */
export const EMAIL_CONFIRMATION_DAYS = 7

export interface EmailChangeContext {
  /** The person asking, or null for the command line. */
  actorId: string | null
  personId: string
  /** They have set a password (accepted an invitation or first set-up). */
  hasAccount: boolean
  /** They take or took part in a supervision session, so an account would open records. */
  takesPartInSupervision: boolean
}

/** Whether the new address must wait for confirmation instead of applying at once. */
export function emailChangeNeedsConfirmation(context: EmailChangeContext): boolean {
  if (context.actorId !== null && context.actorId === context.personId) return false
  return context.hasAccount || context.takesPartInSupervision
}

/** Whether the link sent at `requestedAt` still works at `now`. */
export function confirmationLinkLive(requestedAt: Date, now: Date): boolean {
  return now.getTime() < requestedAt.getTime() + EMAIL_CONFIRMATION_DAYS * 86_400_000
}
