/**
 * Contract reminders through the outbox (MW-02), run by the background job
 * (jobs/contract-reminders.ts): each party who has not signed an issued contract, at most once a
 * week; each person contracts are returned to, one weekly summary of the school's unsigned
 * contracts; and, from four weeks before a contract's review date, one reminder to both parties
 * and the collectors to review and renew it. The dedupe keys make a second run in the same week
 * (or on another instance) send nothing.
 */

import {
  type DbOrTrx,
  issuedContractsOfSchool,
  peopleByIds,
  type ReminderContract,
  schoolsWithLiveContracts,
  signaturesOf,
  signedContractsWithReview,
} from '../../db/repositories/contracts.ts'
import {
  contractSigners,
  partiesStillToSign,
  reviewReminderDue,
  reviewReminderKey,
  toSignBatchKey,
  unsignedDigestKey,
  unsignedReminderKey,
} from '../../domain/contracts/index.ts'
import { batchByRecipient } from '../../domain/mail/kinds.ts'
import type { IsoDate } from '../../domain/people/person.ts'
import type { Party } from '../../domain/policy/index.ts'
import { takenDedupeKeys } from '../mail/outbox.ts'
import { emailContractsToSign, emailContractToSign, emailReviewDue, emailUnsignedSummary } from './emails.ts'
import { collectorsOf, contractSetting } from './setting.ts'

export interface ReminderCounts {
  unsigned: number
  summaries: number
  reviews: number
}

function active(
  person: { email: string; endDate: string | null } | undefined,
  today: IsoDate,
): person is { email: string; endDate: string | null } {
  return person !== undefined && person.email.trim() !== '' && (person.endDate === null || person.endDate >= today)
}

/** Sends (writes to the outbox) every contract reminder due today. Returns how many emails were new. */
export async function sendContractReminders(
  db: DbOrTrx,
  input: { today: IsoDate; baseUrl: string },
): Promise<ReminderCounts> {
  const counts: ReminderCounts = { unsigned: 0, summaries: 0, reviews: 0 }
  const { today, baseUrl } = input

  // School by school, so that every query is scoped by the school it reads.
  const unsigned: ReminderContract[] = []
  const reviews: ReminderContract[] = []
  for (const schoolId of await schoolsWithLiveContracts(db)) {
    unsigned.push(...(await issuedContractsOfSchool(db, schoolId)))
    reviews.push(...(await signedContractsWithReview(db, schoolId)))
  }
  const dueReviews = reviews.filter((r) => r.reviewOn !== null && reviewReminderDue(r.reviewOn, today))
  const people = new Map<string, { email: string; endDate: string | null; maySign: boolean }>()
  const signatures: Awaited<ReturnType<typeof signaturesOf>> = []
  for (const organisationId of new Set([...unsigned, ...dueReviews].map((c) => c.organisationId))) {
    const theirs = [...unsigned, ...dueReviews].filter((c) => c.organisationId === organisationId)
    for (const [id, person] of await peopleByIds(
      db,
      organisationId,
      theirs.flatMap((c) => [c.superviseeId, c.supervisorId]),
    ))
      people.set(id, person)
    signatures.push(
      ...(await signaturesOf(
        db,
        organisationId,
        unsigned.filter((c) => c.organisationId === organisationId).map((c) => c.id),
      )),
    )
  }
  const settings = new Map<string, Awaited<ReturnType<typeof contractSetting>>>()
  const settingOf = async (schoolId: string) => {
    if (!settings.has(schoolId)) settings.set(schoolId, await contractSetting(db, schoolId, today))
    return settings.get(schoolId) ?? null
  }

  // Each party still to sign: once a week.
  const toRemind: { personId: string; email: string; organisationId: string; contractId: string; party: Party }[] = []
  const unsignedBySchool = new Map<string, { organisationId: string; count: number }>()
  for (const contract of unsigned) {
    const setting = await settingOf(contract.schoolId)
    const gone = { maySign: false }
    const signedBy = contractSigners(setting?.policySignedBy, {
      supervisee: people.get(contract.superviseeId) ?? gone,
      supervisor: people.get(contract.supervisorId) ?? gone,
    })
    const still = partiesStillToSign(
      signedBy,
      signatures.filter((s) => s.contractId === contract.id),
    )
    if (still.length === 0) continue
    const school = unsignedBySchool.get(contract.schoolId) ?? { organisationId: contract.organisationId, count: 0 }
    school.count++
    unsignedBySchool.set(contract.schoolId, school)
    for (const party of still) {
      const personId = party === 'supervisee' ? contract.superviseeId : contract.supervisorId
      const person = people.get(personId)
      if (!active(person, today)) continue
      toRemind.push({
        personId,
        email: person.email,
        organisationId: contract.organisationId,
        contractId: contract.id,
        party,
      })
    }
  }
  // Issue 18: one reminder per person, listing every contract they still have to sign this week.
  for (const group of batchByRecipient(toRemind)) {
    const [first] = group
    if (!first) continue
    const batchKey = toSignBatchKey(first.personId, today)
    const taken = await takenDedupeKeys(db, [
      batchKey,
      ...group.map((c) => unsignedReminderKey(c.contractId, c.party, today)),
    ])
    if (taken.has(batchKey)) continue
    const due = group.filter((c) => !taken.has(unsignedReminderKey(c.contractId, c.party, today)))
    const common = { to: first.email, organisationId: first.organisationId, baseUrl, reminder: true }
    const [only] = due
    const sent =
      due.length === 0 || !only
        ? undefined
        : due.length === 1
          ? await emailContractToSign(db, {
              ...common,
              contractId: only.contractId,
              party: only.party,
              dedupeKey: unsignedReminderKey(only.contractId, only.party, today),
            })
          : await emailContractsToSign(db, { ...common, contracts: due, dedupeKey: batchKey })
    if (sent?.created) counts.unsigned++
  }

  // The people contracts are returned to: a weekly summary of how many are unsigned.
  for (const [schoolId, school] of unsignedBySchool) {
    const setting = await settingOf(schoolId)
    for (const collector of await collectorsOf(db, schoolId, setting?.returnTo ?? ['dsl'], today)) {
      if (collector.email.trim() === '') continue
      const sent = await emailUnsignedSummary(db, {
        to: collector.email,
        organisationId: school.organisationId,
        baseUrl,
        count: school.count,
        schoolSlug: setting?.school.slug ?? '',
        dedupeKey: unsignedDigestKey(schoolId, collector.id, today),
      })
      if (sent.created) counts.summaries++
    }
  }

  // Review due: both parties and the collectors, once per review date.
  for (const contract of dueReviews) {
    const setting = await settingOf(contract.schoolId)
    const collectors = await collectorsOf(db, contract.schoolId, setting?.returnTo ?? ['dsl'], today)
    const recipients = new Map<string, string>()
    for (const id of [contract.superviseeId, contract.supervisorId]) {
      const person = people.get(id)
      if (active(person, today)) recipients.set(id, person.email)
    }
    for (const c of collectors) if (c.email.trim() !== '') recipients.set(c.id, c.email)
    for (const [recipientId, email] of recipients) {
      const sent = await emailReviewDue(db, {
        to: email,
        organisationId: contract.organisationId,
        baseUrl,
        contractId: contract.id,
        reviewOn: contract.reviewOn!,
        dedupeKey: reviewReminderKey(contract.id, recipientId, contract.reviewOn!),
      })
      if (sent.created) counts.reviews++
    }
  }
  return counts
}
