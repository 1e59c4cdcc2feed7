/**
 * When contract reminders are due (MW-02): a party who has not signed an issued contract is
 * reminded at most once a week; the people it is returned to get at most one weekly summary of
 * unsigned contracts; and both parties and the collectors are reminded once before the review
 * date. The keys make each email go at most once (the outbox's dedupeKey): they hold ids and
 * dates only, never names or addresses.
 */
import { addDays, isoWeekday, parseIsoDate, toDayNumber } from '../calendar/dates.ts'
import type { IsoDate } from '../people/person.ts'
import type { Duration, Party } from '../policy/model.ts'
import { subtractDuration } from '../policy/time.ts'

/** The ISO 8601 week a date falls in: '2026-W48'. Weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekId(date: IsoDate): string {
  const thursday = addDays(date, 4 - isoWeekday(date))
  const year = parseIsoDate(thursday).year
  const week = Math.floor((toDayNumber(thursday) - toDayNumber(`${String(year).padStart(4, '0')}-01-01`)) / 7) + 1
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`
}

/** One reminder per contract, party and ISO week. */
export function unsignedReminderKey(contractId: string, party: Party, today: IsoDate): string {
  return `reminder:contract-unsigned:${contractId}:${party}:${isoWeekId(today)}`
}

/**
 * Issue 18: one email per person and ISO week listing every contract they still have to sign,
 * when there is more than one (contracts issued to everyone, the weekly reminder).
 */
export function toSignBatchKey(personId: string, today: IsoDate): string {
  return `reminder:contracts-to-sign:${personId}:${isoWeekId(today)}`
}

/** One summary of unsigned contracts per school, collector and ISO week. */
export function unsignedDigestKey(schoolId: string, collectorId: string, today: IsoDate): string {
  return `reminder:contracts-unsigned:${schoolId}:${collectorId}:${isoWeekId(today)}`
}

/** How long before a contract's review date the reminder goes. */
export const reviewReminderLead: Duration = { amount: 4, unit: 'weeks' }

/** Whether the review reminder is due today: from `lead` before the review date, while the contract is in force. */
export function reviewReminderDue(reviewOn: IsoDate, today: IsoDate, lead: Duration = reviewReminderLead): boolean {
  return today >= subtractDuration(reviewOn, lead)
}

/** One review reminder per contract, recipient and review date. */
export function reviewReminderKey(contractId: string, recipientId: string, reviewOn: IsoDate): string {
  return `reminder:contract-review:${contractId}:${recipientId}:${reviewOn}`
}
