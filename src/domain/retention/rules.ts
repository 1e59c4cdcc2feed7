/**
 * Retention (issue 15): when a record is due for removal under the school's policy, and what
 * stops it. Pure: the caller passes the record's facts, the active legal holds and today.
 *
 * - A period counts from the record's date, or from the day the person it is about leaves. A
 *   record about several people (a group record) counts from the last of them to leave; while any
 *   of them is still in post, it is never due.
 * - A record with child-protection content is kept at least the policy's child-protection period
 *   too, whichever ends later (25 years by default).
 * - A legal hold on the record, or on anyone it is about, stops it being due, whatever the dates.
 * - Only a kind the caller offers is ever judged; nothing is removed here: the DSL confirms.
 */
import { addMonths, maxDate } from '../calendar/dates.ts'
import type { IsoDate } from '../people/person.ts'
import type { RetentionKind, RetentionPeriod, RetentionPolicy } from '../policy/model.ts'

export interface RetentionSubject {
  kind: RetentionKind
  id: string
  /** The record's own date (the session, the contract's signature, the referral ...). */
  recordDate: IsoDate
  /** The people the record is about, with the day each left (null while still in post). */
  people: { personId: string; leftOn: IsoDate | null }[]
  /** A decision or case about a child is in it. */
  childProtection: boolean
}

/** An active legal hold: on a person or on one record. */
export interface RetentionHold {
  personId: string | null
  recordId: string | null
}

export type RetentionVerdict =
  | { status: 'due'; dueOn: IsoDate }
  | { status: 'not-yet'; dueOn: IsoDate }
  | { status: 'in-post'; dueOn: null }
  | { status: 'held'; dueOn: IsoDate | null }

/** `years` whole years after `date` (29 February to 28 February). */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12)
}

function endOf(period: RetentionPeriod, subject: RetentionSubject): IsoDate | null {
  if (period.from === 'record') return addYears(subject.recordDate, period.years)
  if (subject.people.length === 0) return addYears(subject.recordDate, period.years)
  const left = subject.people.map((p) => p.leftOn)
  if (left.some((d) => d === null)) return null
  return addYears(maxDate(...(left as [IsoDate, ...IsoDate[]])), period.years)
}

/** The day the record may be removed; null while someone it is about is still in post. */
export function retentionDueOn(subject: RetentionSubject, policy: RetentionPolicy): IsoDate | null {
  const own = endOf(policy[subject.kind], subject)
  if (own === null) return null
  if (!subject.childProtection) return own
  const protectedUntil = endOf(policy.childProtection, subject)
  if (protectedUntil === null) return null
  return maxDate(own, protectedUntil)
}

/** Whether the record is held: a hold on it, or on anyone it is about. */
export function isHeld(subject: RetentionSubject, holds: readonly RetentionHold[]): boolean {
  const people = new Set(subject.people.map((p) => p.personId))
  return holds.some(
    (h) => (h.recordId !== null && h.recordId === subject.id) || (h.personId !== null && people.has(h.personId)),
  )
}

export function retentionVerdict(
  subject: RetentionSubject,
  policy: RetentionPolicy,
  holds: readonly RetentionHold[],
  today: IsoDate,
): RetentionVerdict {
  const dueOn = retentionDueOn(subject, policy)
  if (isHeld(subject, holds)) return { status: 'held', dueOn }
  if (dueOn === null) return { status: 'in-post', dueOn: null }
  return dueOn <= today ? { status: 'due', dueOn } : { status: 'not-yet', dueOn }
}

/** The subjects due today, each with its due date: what the DSL is asked to confirm. */
export function dueForRemoval<T extends RetentionSubject>(
  subjects: readonly T[],
  policy: RetentionPolicy,
  holds: readonly RetentionHold[],
  today: IsoDate,
): { subject: T; dueOn: IsoDate }[] {
  const out: { subject: T; dueOn: IsoDate }[] = []
  for (const subject of subjects) {
    const v = retentionVerdict(subject, policy, holds, today)
    if (v.status === 'due') out.push({ subject, dueOn: v.dueOn })
  }
  return out
}
