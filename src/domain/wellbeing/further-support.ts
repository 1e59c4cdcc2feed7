/**
 * Further support (LH-04, LH-03; issue 17): stress risk assessments and referrals to Occupational
 * Health. Pure rules: who may start one, who may read one, and how an open assessment holds the
 * person's "needs additional support" flag (so a policy's stricter frequency for those staff
 * applies while it is open, and stops when it closes: ADR 0029).
 */
import { type Actor, can, Permission } from '../access/permissions.ts'
import type { FlagPeriod, IsoDate } from '../people/person.ts'

/** Why someone is referred to Occupational Health: categories, never the details. */
export const ReferralReason = {
  WorkRelatedStress: 'work-related-stress',
  PersonalDifficulties: 'personal-difficulties',
  MentalHealth: 'mental-health',
  PhysicalHealth: 'physical-health',
  ReturnToWork: 'return-to-work',
  Other: 'other',
} as const
export type ReferralReason = (typeof ReferralReason)[keyof typeof ReferralReason]

export const referralReasonLabels: Readonly<Record<ReferralReason, string>> = Object.freeze({
  'work-related-stress': 'Work-related stress',
  'personal-difficulties': 'Personal difficulties',
  'mental-health': 'Mental health',
  'physical-health': 'Physical health',
  'return-to-work': 'Return to work after absence',
  other: 'Other',
})

/** The person further support is about, with who currently manages and supervises them. */
export interface SupportSubject {
  id: string
  lineManagerId: string | null
  supervisorIds: readonly string[]
}

/** The DSL of the subject's school (the caller passes the actor's roles for that school). */
function isDsl(viewer: Actor): boolean {
  return can(viewer, Permission.RecordsReadAll)
}

/** LH-04: the person's current line manager or supervisor, or the DSL, may start further support. Never the person. */
export function mayStartFurtherSupport(viewer: Actor | null | undefined, subject: SupportSubject): boolean {
  if (!viewer || viewer.personId === subject.id) return false
  if (isDsl(viewer)) return true
  if (subject.lineManagerId !== null && viewer.personId === subject.lineManagerId) return true
  return subject.supervisorIds.includes(viewer.personId)
}

/** LH-04: an assessment or referral is read only by the person, whoever recorded it, and the DSL. */
export function mayReadFurtherSupport(
  viewer: Actor | null | undefined,
  item: { personId: string; recordedBy: string | null },
): boolean {
  if (!viewer) return false
  if (viewer.personId === item.personId) return true
  if (item.recordedBy !== null && viewer.personId === item.recordedBy) return true
  return isDsl(viewer)
}

/** Who may close an assessment or record a referral's outcome: whoever recorded it, or the DSL. */
export function mayChangeFurtherSupport(
  viewer: Actor | null | undefined,
  item: { personId: string; recordedBy: string | null },
): boolean {
  if (!viewer || viewer.personId === item.personId) return false
  return (item.recordedBy !== null && viewer.personId === item.recordedBy) || isDsl(viewer)
}

/** The additional-support flag as it stands: whether it is set, and its dates. */
export interface SupportFlag {
  set: boolean
  since: IsoDate | null
  until: IsoDate | null
}

function holds(flag: SupportFlag, on: IsoDate): boolean {
  return flag.set && (flag.since === null || flag.since <= on) && (flag.until === null || flag.until >= on)
}

/**
 * The flag while an assessment opened on `today` is open: set, from today (or from when it already
 * held), with no end, so the policy's stricter frequency for staff needing additional support
 * applies until the assessment closes.
 */
export function flagWhileOpen(before: SupportFlag, today: IsoDate): FlagPeriod {
  return { since: holds(before, today) ? before.since : today, until: null }
}

/**
 * The flag when the person's last open assessment closes on `closedOn`, given the flag as it stood
 * when that assessment opened: unchanged when it already held with no end (the DSL set it for
 * another reason); otherwise it ends on the closing day, or on its own earlier end date when that
 * is later. Null: leave the flag as it is.
 */
export function flagOnClosing(
  before: SupportFlag,
  openedOn: IsoDate,
  closedOn: IsoDate,
  current: FlagPeriod,
): FlagPeriod | null {
  if (holds(before, openedOn) && before.until === null) return null
  const ownEnd = holds(before, openedOn) && before.until !== null && before.until > closedOn ? before.until : closedOn
  return { since: current.since, until: ownEnd }
}

/** An assessment's review is overdue when it is open and its review date has passed. */
export function reviewOverdue(assessment: { reviewOn: IsoDate; closedOn: IsoDate | null }, today: IsoDate): boolean {
  return assessment.closedOn === null && assessment.reviewOn < today
}
